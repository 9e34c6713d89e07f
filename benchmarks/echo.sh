#!/usr/bin/env bash
# The echo benchmark: tests/guest/echoserver.c (an edge-triggered epoll server) run natively,
# under qemu-user and under Phoenix in host mode, driven by the native echoclient over
# 127.0.0.1: CONNECTIONS concurrent connections, each sending a message and waiting for its
# echo MESSAGES times. Reports round trips (messages) per second, the median of RUNS runs
# interleaved (native, qemu, phoenix, native, ...) so that machine noise hits all alike, with
# the range; the x86_64 build on every engine, the aarch64 and riscv64 builds under qemu-user and
# Phoenix. A second table runs the client as a guest too, in the same run as the server: natively,
# under qemu-user, in one Phoenix run in host mode, and in one with --net none (Phoenix's own
# loopback). Every run must echo every byte (the client checks them), or the script exits 1.
#
# Usage: benchmarks/echo.sh [--runs N] [--connections C] [--messages M]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
conns=50
messages=2000
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --messages) messages="$2"; shift 2 ;;
    *) echo "usage: benchmarks/echo.sh [--runs N] [--connections C] [--messages M]" >&2; exit 2 ;;
  esac
done
for v in "$runs" "$conns" "$messages"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "echo: --runs, --connections and --messages take positive numbers, got '$v'" >&2; exit 2; }
done
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
guest="$root/tests/target/guest"
bash "$root/tests/guest/build.sh" "$guest" >/dev/null
phoenix="$root/phoenix"
"$phoenix" --version >/dev/null 2>&1 || { echo "echo: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
for q in qemu-x86_64-static qemu-aarch64-static qemu-riscv64-static; do
  command -v "$q" >/dev/null || { echo "echo: $q missing: apt-get install -y qemu-user-static" >&2; exit 1; }
done
client="$guest/x86_64-musl/echoclient"
work=$(mktemp -d)
trap 'rm -rf "$work"; jobs -p | xargs -r kill 2>/dev/null || true' EXIT

# rate ENGINE... SERVER: starts SERVER under ENGINE on a free port, runs the client against it,
# prints the client's messages per second; on a failure, says why on stderr and prints nothing
rate() {
  local port out
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)))
  "$@" "$port" "$conns" > "$work/server.out" 2>&1 &
  local server=$!
  if out=$("$client" "$port" "$conns" "$messages" 2>&1); then
    wait "$server" || { echo "server failed: $(head -n1 "$work/server.out")" >&2; return 0; }
    sed -n 's/.*, \([0-9]*\) messages\/s$/\1/p' <<<"$out"
  else
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    echo "client failed: $out" >&2
  fi
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {if (NR) print lo "-" hi; else print "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "n/a" && b != "n/a" && b > 0) printf "%.2f", a / b; else print "n/a"}'; }

failed=0
echo "# Echo benchmark: messages per second (higher is better)"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- machine: $(uname -srm); $(nproc) cores"
echo "- phoenix: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); $(qemu-x86_64-static --version | head -n1)"
echo "- command: benchmarks/echo.sh --runs $runs --connections $conns --messages $messages"
echo "- the server runs on each engine; the client is native; medians of $runs interleaved runs (range in brackets)"
echo
echo "| server build | native | qemu-user | Phoenix (host mode) | Phoenix / qemu |"
echo "|---|---|---|---|---|"
for target in x86_64-musl aarch64 riscv64; do
  server="$guest/$target/echoserver"
  qemu="qemu-${target%%-*}-static"
  : > "$work/native"; : > "$work/qemu"; : > "$work/phoenix"
  for _ in $(seq "$runs"); do
    [ "$target" = x86_64-musl ] && rate "$server" >> "$work/native"
    rate "$qemu" "$server" >> "$work/qemu"
    rate "$phoenix" run "$server" >> "$work/phoenix"
  done
  cells=()
  for e in native qemu phoenix; do
    n=$(grep -c . "$work/$e" || true)
    if [ "$e" = native ] && [ "$target" != x86_64-musl ]; then cells+=("-"); continue; fi
    if [ "$n" != "$runs" ]; then cells+=("failed"); failed=1; continue; fi
    cells+=("$(median < "$work/$e") ($(range < "$work/$e"))")
  done
  echo "| $target | ${cells[0]} | ${cells[1]} | ${cells[2]} | $(ratio "$(median < "$work/phoenix")" "$(median < "$work/qemu")") |"
done

# both PORT: the client's messages per second with the client a guest too, in the same run as the
# server: natively, each under qemu-user, in one Phoenix run in host mode, and in one Phoenix run
# with --net none (its own loopback); prints nothing and says why on stderr on a failure
both() {
  local engine=$1 target=$2 port out
  port=$((20000 + RANDOM % 20000))
  local s="$guest/$target/echoserver" c="$guest/$target/echoclient" bb
  bb=/bin/busybox
  case "$target" in aarch64) bb="$guest/aarch64/busybox" ;; riscv64) bb="$guest/riscv64/busybox" ;; esac
  local script="$s $port $conns > /dev/null & $c $port $conns $messages; wait"
  case "$engine" in
    native) out=$(sh -c "$script" 2>&1) ;;
    qemu) q="qemu-${target%%-*}-static"
      out=$(sh -c "$q $s $port $conns > /dev/null & $q $c $port $conns $messages; wait" 2>&1) ;;
    phoenix) out=$("$phoenix" run "$bb" sh -c "$script" 2>&1) ;;
    isolated) out=$("$phoenix" run --net none "$bb" sh -c "$script" 2>&1) ;;
  esac
  local v
  v=$(sed -n 's/.*all echoed, .*, \([0-9]*\) messages\/s$/\1/p' <<<"$out")
  if [ -n "$v" ]; then echo "$v"; else echo "$engine $target failed: $(head -n1 <<<"$out")" >&2; fi
}

echo
echo "Client and server both guests, in one run (Phoenix: one kernel; --net none: its own loopback):"
echo
echo "| build | native | qemu-user | Phoenix (host mode) | Phoenix (--net none) | --net none / qemu |"
echo "|---|---|---|---|---|---|"
for target in x86_64-musl aarch64 riscv64; do
  for e in native qemu phoenix isolated; do : > "$work/$e"; done
  for _ in $(seq "$runs"); do
    [ "$target" = x86_64-musl ] && both native "$target" >> "$work/native"
    both qemu "$target" >> "$work/qemu"
    both phoenix "$target" >> "$work/phoenix"
    both isolated "$target" >> "$work/isolated"
  done
  cells=()
  for e in native qemu phoenix isolated; do
    if [ "$e" = native ] && [ "$target" != x86_64-musl ]; then cells+=("-"); continue; fi
    if [ "$(grep -c . "$work/$e" || true)" != "$runs" ]; then cells+=("failed"); failed=1; continue; fi
    cells+=("$(median < "$work/$e") ($(range < "$work/$e"))")
  done
  echo "| $target | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | $(ratio "$(median < "$work/isolated")" "$(median < "$work/qemu")") |"
done
exit "$failed"
