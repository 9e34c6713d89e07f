#!/usr/bin/env bash
# Wake-up latency of a real-time thread, natively, under qemu-user and under Phoenix: the repo's
# own cyclictest-like guest (tests/guest/latency.c: a SCHED_FIFO 80 thread waking every 1 ms on an
# absolute clock_nanosleep, with LOAD SCHED_OTHER threads burning CPU in the same process) and
# Debian's cyclictest (`cyclictest -m -t1 -p 80 -i 1000 -l LOOPS -q`, with LOAD busy shell loops
# started by the same engine beside it). Each line is the median over RUNS runs (interleaved:
# native, qemu, phoenix, native, ...) of the minimum, mean and maximum latency in microseconds.
# Run as root (SCHED_FIFO natively and under qemu-user, which passes it to the host).
#
# Usage: benchmarks/latency.sh [--runs N] [--loops N] [--load N]
# Needs: apt-get install -y rt-tests qemu-user-static; the guests built (./setup.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: benchmarks/latency.sh [--runs N] [--loops N] [--load N]"
runs=3 loops=2000 load=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--loops|--load) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; v="${1#--}"; printf -v "$v" '%s' "$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for v in "$runs" "$loops" "$load"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "latency: --runs, --loops and --load take numbers, got '$v'" >&2; exit 2; }
done
command -v cyclictest >/dev/null || { echo "latency: cyclictest missing: apt-get install -y rt-tests" >&2; exit 1; }
command -v qemu-x86_64-static >/dev/null || { echo "latency: qemu-x86_64-static missing: apt-get install -y qemu-user-static" >&2; exit 1; }
guest="$root/tests/target/guest/x86_64-glibc/latency"
[ -x "$guest" ] || bash "$root/tests/guest/build.sh" "$root/tests/target/guest" >/dev/null
phoenix="$root/phoenix"
"$phoenix" --version >/dev/null 2>&1 || { echo "latency: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phoenix-latency.XXXXXX")
trap 'rm -rf "$work"' EXIT

prefix() {
  case "$1" in
    native) cmd=() ;;
    qemu) cmd=(qemu-x86_64-static) ;;
    phoenix) cmd=("$phoenix" run) ;;
  esac
}

# one ENGINE PROGRAM LOAD: prints "min avg max" of one run
one() {
  prefix "$1"
  if [ "$2" = latency ]; then
    timeout 300 "${cmd[@]}" "$guest" "$loops" 1000 "$3"
  else
    # LOAD busy loops of the same engine's shell beside cyclictest, killed after it
    local script="i=0; pids=; while [ \$i -lt $3 ]; do (while :; do :; done) >/dev/null 2>&1 & pids=\"\$pids \$!\"; i=\$((i+1)); done
      cyclictest -m -t1 -p 80 -i 1000 -l $loops -q; s=\$?; [ -z \"\$pids\" ] || kill \$pids; exit \$s"
    timeout 300 "${cmd[@]}" /bin/sh -c "$script" 2>/dev/null \
      | sed -n 's/.*Min: *\([0-9]*\).*Avg: *\([0-9]*\).*Max: *\([0-9]*\).*/\1 \2 \3/p'
  fi
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)]}'; }

printf '%-10s %4s  %-8s %8s %8s %8s\n' program load engine min avg max
for program in latency cyclictest; do
  for l in 0 "$load"; do
    for r in $(seq "$runs"); do
      for e in native qemu phoenix; do
        one "$e" "$program" "$l" >> "$work/$program.$l.$e" || echo "latency: $program under $e failed" >&2
      done
    done
    for e in native qemu phoenix; do
      f="$work/$program.$l.$e"
      printf '%-10s %4s  %-8s %8s %8s %8s\n' "$program" "$l" "$e" \
        "$(awk '{print $1}' "$f" | median)" "$(awk '{print $2}' "$f" | median)" "$(awk '{print $3}' "$f" | median)"
    done
  done
done
