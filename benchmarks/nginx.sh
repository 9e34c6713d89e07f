#!/usr/bin/env bash
# The nginx benchmark: Debian's nginx (package nginx-light; a dynamically linked program whose
# master forks its workers) natively, under qemu-user and under Phoenix, driven by the host's ab
# over 127.0.0.1 with keep-alive. Each run writes a configuration of its own into a temporary
# directory (daemon off, master_process on, epoll, sendfile, the pid file, error log and temp paths
# in that directory, no access log: nothing of /etc/nginx, /var/lib/nginx or /var/log/nginx is
# used) and serves a docroot holding small.html and big.bin, 200 KiB of random bytes:
#
# - requests per second: nginx with WORKERS workers; once curl gets 200, big.bin must come back
#   byte for byte (cmp); after a warm-up of a tenth of the requests, ab fetches small.html
#   REQUESTS times and big.bin BIG times from CLIENTS connections (no failed or non-2xx response
#   allowed); then a reload (SIGHUP with a new location in the config, whose body must appear) and
#   a graceful stop (SIGQUIT: nginx and every process it forked must be gone within 10 s, status 0).
# - memory: nginx with MEM_WORKERS workers, after ab has fetched each file from 2 x MEM_WORKERS
#   connections: the proportional set size (Pss of /proc/PID/smaps_rollup) summed over the host
#   processes it became (natively the master and its workers; under qemu-user the qemu processes,
#   one per nginx process; under Phoenix its one JVM), and their resident sets (Rss) summed, which
#   counts pages shared between them once per process.
#
# Medians of RUNS runs interleaved (native, qemu, phoenix, native, ...) so that machine noise hits
# all alike, with the range. --arch aarch64 --sysroot DIR runs DIR/usr/sbin/nginx, an arm64 build,
# under qemu-aarch64-static -L DIR and `phoenix run -L DIR` (no native column). An engine that fails
# a check, or whose ab takes over TIMEOUT seconds, shows n/a with the reason in one line on stderr
# and is not run again; the script then exits 1 (today Phoenix refuses dynamically linked programs
# with exit 76). Run as root, nginx's workers switch to the user nobody, as nginx does by default.
# nginx_reload below is the reload check, usable on its own.
#
# Usage: benchmarks/nginx.sh [--runs N] [--workers W] [--mem-workers W] [--requests N] [--big N]
#                            [--clients C] [--timeout SECONDS] [--arch x86_64|aarch64 --sysroot DIR]
# Needs: apt-get install -y nginx-light apache2-utils curl qemu-user-static
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: benchmarks/nginx.sh [--runs N] [--workers W] [--mem-workers W] [--requests N] [--big N] [--clients C] [--timeout SECONDS] [--arch x86_64|aarch64 --sysroot DIR]"
runs=3
workers=2
mem_workers=8
requests=50000
big=10000
clients=50
timeout=300
arch=x86_64
sysroot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--workers|--mem-workers|--requests|--big|--clients|--timeout|--arch|--sysroot)
      [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
      v="${1#--}"; printf -v "${v//-/_}" '%s' "$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for v in "$runs" "$workers" "$mem_workers" "$requests" "$big" "$clients" "$timeout"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "nginx: --runs, --workers, --mem-workers, --requests, --big, --clients and --timeout take positive numbers, got '$v'" >&2; exit 2; }
done
. "$root/benchmarks/servers.sh"
command -v ab >/dev/null || { echo "nginx: ab missing: apt-get install -y apache2-utils" >&2; exit 1; }
command -v curl >/dev/null || { echo "nginx: curl missing: apt-get install -y curl" >&2; exit 1; }
servers_init nginx "$arch" "$sysroot"
if [ "$arch" = x86_64 ]; then hint="apt-get install -y nginx-light"; else hint="an arm64 root with nginx in it"; fi
program=$(servers_program /usr/sbin/nginx "$hint") || exit 1
docroot="$work/html"
mkdir -p "$docroot"
echo '<!DOCTYPE html><html><head><title>phoenix</title></head><body>small</body></html>' > "$docroot/small.html"
head -c 204800 /dev/urandom > "$docroot/big.bin"
chmod 755 "$docroot"; chmod 644 "$docroot"/*
small_size=$(stat -c %s "$docroot/small.html")

# nginx_conf PREFIX PORT WORKERS [BODY]: writes PREFIX/nginx.conf, with every path nginx would
# otherwise take from its build (/run/nginx.pid, /var/lib/nginx/*, /var/log/nginx) under PREFIX;
# with BODY, /reload-check answers BODY
nginx_conf() {
  local p=$1 extra=""
  [ $# -gt 3 ] && extra="location = /reload-check { default_type text/plain; return 200 \"$4\"; }"
  cat > "$p/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $3;
pid $p/nginx.pid;
lock_file $p/nginx.lock;
error_log $p/error.log warn;
events { use epoll; }
http {
  access_log off;
  sendfile on;
  default_type application/octet-stream;
  client_body_temp_path $p/body;
  proxy_temp_path $p/proxy;
  fastcgi_temp_path $p/fastcgi;
  uwsgi_temp_path $p/uwsgi;
  scgi_temp_path $p/scgi;
  server {
    listen 127.0.0.1:$2;
    root $docroot;
    $extra
  }
}
EOF
}

# nginx_reload PREFIX PORT WORKERS PID: rewrites the config with a new location, sends SIGHUP to the
# master PID and waits up to 10 s for the location to answer with its body; sets reason and
# returns 1 if it does not
nginx_reload() {
  local body="reloaded $RANDOM$RANDOM" got=""
  nginx_conf "$1" "$2" "$3" "$body"
  kill -HUP "$4"
  for _ in $(seq 100); do
    got=$(curl -s --max-time 2 "http://127.0.0.1:$2/reload-check" || true)
    [ "$got" = "$body" ] && return 0
    sleep 0.1
  done
  got=${got//$'\n'/ }
  reason="after SIGHUP, /reload-check answered '${got:0:60}', not '$body'"
  return 1
}

# status_200 PORT: whether small.html answers 200
status_200() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/small.html" || true)" = 200 ]; }

# why PREFIX: the server's own words: its stderr's first and last lines, else its error log's
why() {
  local w
  w=$(servers_ends "$1/stderr.log")
  [ "$w" = "(no output)" ] && w="error.log: $(servers_last_line "$1/error.log")"
  echo "$w"
}

# start ENGINE PREFIX WORKERS: starts nginx under ENGINE on a free port (in port) and waits until
# it serves; sets reason and returns 1 if it does not
start() {
  port=$(servers_port)
  mkdir -p "$2"
  chmod 755 "$2"
  nginx_conf "$2" "$port" "$3"
  servers_command "$1"
  servers_start "$2/stderr.log" "$program" -p "$2/" -c "$2/nginx.conf" -e "$2/error.log"
  if ! servers_wait_ready 30 "$2/stderr.log" status_200 "$port"; then
    kill -0 "$server" 2>/dev/null && servers_kill "$server"
    [ -s "$2/error.log" ] && reason="$reason; error.log: $(servers_last_line "$2/error.log")"
    return 1
  fi
}

# rate PATH N C: sets rps to ab's requests per second fetching PATH N times over C keep-alive
# connections; sets reason and returns 1 if ab fails, times out or counts a failed or non-2xx
# response
rate() {
  local out st=0
  out=$(timeout "$timeout" ab -k -n "$2" -c "$3" "http://127.0.0.1:$port$1" 2>&1) || st=$?
  if [ "$st" = 124 ]; then reason="ab $1 took over $timeout s (--timeout)"; return 1; fi
  if [ "$st" != 0 ]; then reason="ab $1 failed (status $st): $(servers_last_line <(echo "$out"))"; return 1; fi
  if ! grep -Eq "^Complete requests: +$2\$" <<<"$out" || ! grep -Eq '^Failed requests: +0$' <<<"$out" \
      || grep -q '^Non-2xx responses' <<<"$out"; then
    reason="ab $1: $(grep -E '^(Complete|Failed) requests|^Non-2xx' <<<"$out" | tr -s ' ' | paste -sd ';')"
    return 1
  fi
  rps=$(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' <<<"$out")
}

# quit PREFIX: SIGQUIT to the master; it and every process it forked must be gone within 10 s, the
# master with status 0; sets reason and returns 1 otherwise
quit() {
  local tree left
  tree=$(servers_tree "$server")
  kill -QUIT "$server"
  if ! servers_wait_exit 10; then reason="still running 10 s after SIGQUIT"; servers_kill "$server"; return 1; fi
  [ "$status" = 0 ] || { reason="exited with status $status after SIGQUIT: $(why "$1")"; return 1; }
  for _ in $(seq 50); do
    left=$(for p in $tree; do kill -0 "$p" 2>/dev/null && echo "$p"; done)
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  reason="processes $(echo $left) still running 5 s after the master exited on SIGQUIT"
  kill -KILL $left 2>/dev/null || true
  return 1
}

# throughput ENGINE RUN: appends small.html's and big.bin's requests per second to work/ENGINE.small
# and work/ENGINE.big, or sets reason and returns 1
throughput() {
  local prefix="$work/$1.$2.rate" s b
  start "$1" "$prefix" "$workers" || return 1
  if ! curl -s --max-time 10 -o "$prefix/big.out" "http://127.0.0.1:$port/big.bin" || ! cmp -s "$prefix/big.out" "$docroot/big.bin"; then
    reason="big.bin did not come back byte for byte ($(stat -c %s "$prefix/big.out" 2>/dev/null || echo 0) of 204800 bytes)"
    servers_kill "$server"; return 1
  fi
  rate /small.html $((requests / 10 + 1)) "$clients" || { servers_kill "$server"; return 1; }
  rate /small.html "$requests" "$clients" || { servers_kill "$server"; return 1; }
  s=$rps
  rate /big.bin "$big" "$clients" || { servers_kill "$server"; return 1; }
  b=$rps
  nginx_reload "$prefix" "$port" "$workers" "$server" || { servers_kill "$server"; return 1; }
  quit "$prefix" || return 1
  echo "$s" >> "$work/$1.small"; echo "$b" >> "$work/$1.big"
  rm -rf "$prefix"
}

# memory ENGINE RUN: appends the summed Pss, Rss (KiB) and process count to work/ENGINE.pss,
# .rss and .procs, or sets reason and returns 1
memory() {
  local prefix="$work/$1.$2.mem" c=$((2 * mem_workers)) m
  start "$1" "$prefix" "$mem_workers" || return 1
  { rate /small.html $((requests / 10 + c)) "$c" && rate /big.bin $((big / 10 + c)) "$c"; } \
    || { servers_kill "$server"; return 1; }
  sleep 0.5
  m=$(servers_memory "$server")
  quit "$prefix" || return 1
  read -r pss rss procs <<<"$m"
  echo "$pss" >> "$work/$1.pss"; echo "$rss" >> "$work/$1.rss"; echo "$procs" >> "$work/$1.procs"
  rm -rf "$prefix"
}

declare -A failed=()
measures=(small big pss rss procs)
for e in "${engines[@]}"; do for m in "${measures[@]}"; do : > "$work/$e.$m"; done; done
for n in $(seq "$runs"); do
  for e in "${engines[@]}"; do
    [ -n "${failed[$e]:-}" ] && continue
    reason=""
    if ! throughput "$e" "$n" || ! memory "$e" "$n"; then
      failed[$e]=1
      echo "nginx: $e ($arch, run $n): $reason" >&2
      for m in "${measures[@]}"; do : > "$work/$e.$m"; done
    fi
  done
done

if [ "$arch" = x86_64 ]; then version=$("$program" -v 2>&1); else version=$("qemu-$arch-static" -L "$sysroot" "$program" -v 2>&1); fi
# row LABEL MEASURE SCALE DECIMALS: one table row, the medians of work/ENGINE.MEASURE over SCALE
row() {
  local native="-" mn="n/a" mq mp
  if [ "$arch" = x86_64 ]; then native=$(servers_cell "$work/native.$2" "$3" "$4"); mn=$(servers_median "$work/native.$2" "$3"); fi
  mq=$(servers_median "$work/qemu.$2" "$3"); mp=$(servers_median "$work/phoenix.$2" "$3")
  echo "| $1 | $native | $(servers_cell "$work/qemu.$2" "$3" "$4") | $(servers_cell "$work/phoenix.$2" "$3" "$4") | $(ratio "$mp" "$mn") | $(ratio "$mp" "$mq") |"
}
echo "# nginx benchmark"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- machine: $(uname -srm); $(nproc) cores"
echo "- phoenix: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); $(qemu-$arch-static --version | head -n1)"
echo "- server: $program ($arch): ${version#nginx version: }"
echo "- command: benchmarks/nginx.sh --runs $runs --workers $workers --mem-workers $mem_workers --requests $requests --big $big --clients $clients --arch $arch${sysroot:+ --sysroot $sysroot}"
echo "- nginx runs on each engine, ab natively (keep-alive); medians of $runs interleaved runs (range in brackets)"
echo
echo "Requests per second with $workers workers (higher is better):"
echo
echo "| file | native | qemu-user | Phoenix | Phoenix / native | Phoenix / qemu |"
echo "|---|---|---|---|---|---|"
row "small.html ($small_size B), $requests requests" small 1 0
row "big.bin (200 KiB), $big requests" big 1 0
echo
echo "Memory with $mem_workers workers, after serving both files (MiB; lower is better):"
echo
echo "| measure | native | qemu-user | Phoenix | Phoenix / native | Phoenix / qemu |"
echo "|---|---|---|---|---|---|"
row "Pss, summed" pss 1024 1
row "Rss, summed" rss 1024 1
row "host processes" procs 1 0
[ ${#failed[@]} = 0 ]
