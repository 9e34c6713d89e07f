#!/usr/bin/env bash
# The Redis benchmark: Debian's redis-server (a dynamically linked program) natively, under
# qemu-user and under Phoenix, driven by the host's redis-benchmark over 127.0.0.1. Each run starts
# the server on a free port with a private configuration (no persistence: --save '' --appendonly
# no, its --dir a temporary directory, one I/O thread), waits until redis-cli's PING answers PONG,
# checks that a 4 KiB value SET comes back by GET, warms it up with a tenth of the requests, runs
# redis-benchmark's SET, GET, INCR, LPUSH and LPOP tests (REQUESTS requests each from CLIENTS
# connections, PIPELINE commands a round trip), and stops it with SHUTDOWN NOSAVE, which must end it
# with status 0. Reports requests per second per test, the median of RUNS runs interleaved (native,
# qemu, phoenix, native, ...) so that machine noise hits all alike, with the range.
#
# --arch aarch64 --sysroot DIR runs DIR/usr/bin/redis-server, an arm64 build, under
# qemu-aarch64-static -L DIR and `phoenix run -L DIR` (no native column); DIR is an arm64 root such
# as `phoenix sysroot --arch aarch64 DIR redis-server` makes.
#
# An engine whose server fails to start, answer or stop, or whose benchmark fails or takes longer
# than TIMEOUT seconds, shows n/a, with the reason in one line on stderr, and is not run again; the
# script then exits 1 (today Phoenix refuses dynamically linked programs with exit 76).
#
# Usage: benchmarks/redis.sh [--runs N] [--requests N] [--clients C] [--pipeline P]
#                            [--timeout SECONDS] [--arch x86_64|aarch64 --sysroot DIR]
# Needs: apt-get install -y redis-server redis-tools qemu-user-static
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: benchmarks/redis.sh [--runs N] [--requests N] [--clients C] [--pipeline P] [--timeout SECONDS] [--arch x86_64|aarch64 --sysroot DIR]"
runs=3
requests=50000
clients=50
pipeline=1
timeout=300
arch=x86_64
sysroot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--requests|--clients|--pipeline|--timeout|--arch|--sysroot)
      [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
      v="${1#--}"; printf -v "$v" '%s' "$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for v in "$runs" "$requests" "$clients" "$pipeline" "$timeout"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "redis: --runs, --requests, --clients, --pipeline and --timeout take positive numbers, got '$v'" >&2; exit 2; }
done
. "$root/benchmarks/servers.sh"
for t in redis-benchmark redis-cli; do
  command -v "$t" >/dev/null || { echo "redis: $t missing: apt-get install -y redis-tools" >&2; exit 1; }
done
servers_init redis "$arch" "$sysroot"
if [ "$arch" = x86_64 ]; then hint="apt-get install -y redis-server"; else hint="an arm64 root with redis-server in it"; fi
program=$(servers_program /usr/bin/redis-server "$hint") || exit 1
tests=(SET GET INCR LPUSH LPOP)
tlist=$(IFS=,; echo "${tests[*]}" | tr 'A-Z' 'a-z')

# cli PORT ARGS...: redis-cli against the server, bounded so that a server that accepts but never
# answers cannot hang the script
cli() { local p=$1; shift; timeout 5 redis-cli -h 127.0.0.1 -p "$p" "$@" 2>&1; }

# bench ENGINE RUN: one server's life under ENGINE; appends each test's requests per second to
# work/ENGINE.TEST, or sets reason and returns 1
bench() {
  local engine=$1 n=$2 port dir log out value got t rps st
  port=$(servers_port)
  dir="$work/$engine.$n"; log="$dir.log"; out="$dir.out"
  mkdir -p "$dir"
  servers_command "$engine"
  servers_start "$log" "$program" --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$dir" --daemonize no --io-threads 1 --logfile ''
  servers_wait_ready 30 "$log" eval '[ "$(cli '"$port"' ping)" = PONG ]' || return 1
  value=$(head -c 3072 /dev/urandom | base64 -w0)
  got=$(cli "$port" set phoenix-check "$value")
  [ "$got" = OK ] || { reason="SET answered '$got'"; servers_kill "$server"; return 1; }
  got=$(cli "$port" get phoenix-check)
  [ "$got" = "$value" ] || { reason="GET returned ${#got} bytes other than the ${#value} SET"; servers_kill "$server"; return 1; }
  redis-benchmark -h 127.0.0.1 -p "$port" -q -n $((requests / 10 + 1)) -c "$clients" -P "$pipeline" -t "$tlist" > /dev/null 2>&1 || true
  st=0
  timeout "$timeout" redis-benchmark -h 127.0.0.1 -p "$port" -q -n "$requests" -c "$clients" -P "$pipeline" -t "$tlist" > "$out" 2>&1 || st=$?
  if [ "$st" != 0 ]; then
    if [ "$st" = 124 ]; then reason="redis-benchmark took over $timeout s (--timeout)"; else reason="redis-benchmark failed (status $st)"; fi
    reason="$reason: $(tr '\r' '\n' < "$out" | servers_last_line /dev/stdin); server: $(servers_last_line "$log")"
    servers_kill "$server"; return 1
  fi
  # -q prints progress lines ending in \r and then "SET: 80645.16 requests per second, p50=..."
  tr '\r' '\n' < "$out" | sed -n 's/^\([A-Z]*\): \([0-9.]*\) requests per second.*/\1 \2/p' > "$out.rps"
  for t in "${tests[@]}"; do
    rps=$(awk -v t="$t" '$1 == t {print $2}' "$out.rps")
    [ -n "$rps" ] || { reason="redis-benchmark printed no rate for $t: $(tr '\r' '\n' < "$out" | servers_last_line /dev/stdin)"; servers_kill "$server"; return 1; }
  done
  got=$(cli "$port" shutdown nosave)
  if ! servers_wait_exit 10; then
    reason="still running 10 s after SHUTDOWN NOSAVE (redis-cli: ${got:-no answer})"; servers_kill "$server"; return 1
  fi
  [ "$status" = 0 ] || { reason="exited with status $status after SHUTDOWN NOSAVE: $(servers_last_line "$log")"; return 1; }
  for t in "${tests[@]}"; do awk -v t="$t" '$1 == t {print $2}' "$out.rps" >> "$work/$engine.$t"; done
  rm -rf "$dir"
}

declare -A failed=()
for e in "${engines[@]}"; do for t in "${tests[@]}"; do : > "$work/$e.$t"; done; done
for n in $(seq "$runs"); do
  for e in "${engines[@]}"; do
    [ -n "${failed[$e]:-}" ] && continue
    reason=""
    if ! bench "$e" "$n"; then
      failed[$e]=1
      echo "redis: $e ($arch, run $n): $reason" >&2
      for t in "${tests[@]}"; do : > "$work/$e.$t"; done
    fi
  done
done

if [ "$arch" = x86_64 ]; then version=$(redis-server --version); else version=$(qemu-aarch64-static -L "$sysroot" "$program" --version); fi
echo "# Redis benchmark: requests per second (higher is better)"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- machine: $(uname -srm); $(nproc) cores"
echo "- phoenix: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); $(qemu-$arch-static --version | head -n1)"
echo "- server: $program ($arch): ${version%% sha=*}"
echo "- command: benchmarks/redis.sh --runs $runs --requests $requests --clients $clients --pipeline $pipeline --arch $arch${sysroot:+ --sysroot $sysroot}"
echo "- the server runs on each engine, redis-benchmark natively; medians of $runs interleaved runs (range in brackets)"
echo
echo "| test | native | qemu-user | Phoenix | Phoenix / native | Phoenix / qemu |"
echo "|---|---|---|---|---|---|"
for t in "${tests[@]}"; do
  if [ "$arch" = x86_64 ]; then native=$(servers_cell "$work/native.$t" 1 0); else native="-"; fi
  mn="n/a"; [ "$arch" = x86_64 ] && mn=$(servers_median "$work/native.$t" 1)
  mq=$(servers_median "$work/qemu.$t" 1); mp=$(servers_median "$work/phoenix.$t" 1)
  echo "| $t | $native | $(servers_cell "$work/qemu.$t" 1 0) | $(servers_cell "$work/phoenix.$t" 1 0) | $(ratio "$mp" "$mn") | $(ratio "$mp" "$mq") |"
done
[ ${#failed[@]} = 0 ]
