#!/usr/bin/env bash
# The cost of namespaces, natively, under qemu-user and under Phoenix (tests/guest/nsbench.c, whose
# comment defines each line): unshare(2) of the UTS, IPC, mount, network and cgroup kinds, N in a
# row in one process; the PID and user kinds as a fork round whose child unshares, less the
# fork+exit round measured just before; fork+exit itself; and a fork+exit round made by the init
# of a new PID namespace (fork-in-pidns). Each figure is the median over RUNS runs, interleaved
# (native, qemu, phoenix, native, ...), in microseconds. Run as root (unshare needs
# CAP_SYS_ADMIN natively and under qemu-user, which passes it to the host; qemu-user refuses
# CLONE_NEWUSER, -1).
#
# Usage: benchmarks/namespaces.sh [--runs N] [--rounds N]
# Needs: apt-get install -y qemu-user-static; the guests built (./setup.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: benchmarks/namespaces.sh [--runs N] [--rounds N]"
runs=5 rounds=200
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--rounds) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; v="${1#--}"; printf -v "$v" '%s' "$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for v in "$runs" "$rounds"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "namespaces: --runs and --rounds take positive numbers, got '$v'" >&2; exit 2; }
done
command -v qemu-x86_64-static >/dev/null || { echo "namespaces: qemu-x86_64-static missing: apt-get install -y qemu-user-static" >&2; exit 1; }
guest="$root/tests/target/guest/x86_64-glibc/nsbench"
[ -x "$guest" ] || bash "$root/tests/guest/build.sh" "$root/tests/target/guest" >/dev/null
phoenix="$root/phoenix"
"$phoenix" --version >/dev/null 2>&1 || { echo "namespaces: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phoenix-namespaces.XXXXXX")
trap 'rm -rf "$work"' EXIT

engines=(native qemu phoenix)
for ((r = 1; r <= runs; r++)); do
  for e in "${engines[@]}"; do
    case "$e" in
      native) cmd=() ;;
      qemu) cmd=(qemu-x86_64-static) ;;
      phoenix) cmd=("$phoenix" run) ;;
    esac
    timeout 600 "${cmd[@]}" "$guest" "$rounds" >>"$work/$e" || { echo "namespaces: $e run $r failed" >&2; exit 1; }
  done
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)]}'; }
printf '%-16s %10s %10s %10s %14s\n' measure native qemu phoenix phoenix/native
for name in $(awk '{print $1}' "$work/native" | awk '!seen[$0]++'); do
  line=$(printf '%-16s' "$name")
  for e in "${engines[@]}"; do
    m=$(awk -v n="$name" '$1 == n {print $2}' "$work/$e" | median)
    eval "m_$e=\$m"
    line+=$(printf ' %10s' "$m")
  done
  line+=$(awk -v p="$m_phoenix" -v n="$m_native" 'BEGIN {printf " %14.1f", (n > 0 ? p / n : 0)}')
  echo "$line"
done
