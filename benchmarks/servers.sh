# Helpers shared by the server benchmarks (redis.sh, nginx.sh); sourced, not run. They start a
# Debian server program natively, under qemu-user or under Phoenix, find the host processes it
# became (by parent pid: under qemu-user a forked worker is a forked qemu process, whose name is
# qemu's), measure their memory, and stop them; and they hold the median/range/ratio helpers of
# echo.sh. Everything a benchmark starts is killed when it exits (servers_cleanup, from its trap).

# servers_init NAME ARCH SYSROOT: checks the engines for ARCH (x86_64: native, qemu-user and
# Phoenix; aarch64: qemu-user and Phoenix, both with SYSROOT as the guest's library root) and sets
# bench (the script's name for messages), engines (the columns, native first when there is one),
# phoenix and work (a private temporary directory, readable by all so that a server's unprivileged
# workers can read what is put there); exits 1 with the install command when a tool is missing
servers_init() {
  bench=$1 arch=$2 sysroot=$3
  case "$arch" in
    x86_64) engines=(native qemu phoenix)
      [ -z "$sysroot" ] || { echo "$bench: --sysroot goes with --arch aarch64 (x86_64 uses the host's libraries)" >&2; exit 2; } ;;
    aarch64) engines=(qemu phoenix)
      [ -n "$sysroot" ] || { echo "$bench: --arch aarch64 needs --sysroot DIR (an arm64 root holding the server and its libraries)" >&2; exit 2; }
      [ -d "$sysroot" ] || { echo "$bench: --sysroot $sysroot is not a directory" >&2; exit 2; }
      sysroot=$(cd "$sysroot" && pwd) ;;
    *) echo "$bench: --arch takes x86_64 or aarch64, got '$arch'" >&2; exit 2 ;;
  esac
  command -v ps >/dev/null || { echo "$bench: ps missing: apt-get install -y procps" >&2; exit 1; }
  command -v "qemu-$arch-static" >/dev/null || { echo "$bench: qemu-$arch-static missing: apt-get install -y qemu-user-static" >&2; exit 1; }
  phoenix="$root/phoenix"
  "$phoenix" --version >/dev/null 2>&1 || { echo "$bench: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/phoenix-$bench.XXXXXX")
  chmod 755 "$work"
  started=()
  trap servers_cleanup EXIT
  trap 'exit 130' INT TERM
}

# servers_program PATH: the server program for the arch (PATH on x86_64, SYSROOT/PATH on aarch64);
# exits 1 saying what to install when it is missing or not an ELF file of the arch
servers_program() {
  local p=$1 want
  [ "$arch" = aarch64 ] && p="$sysroot$1"
  [ -e "$p" ] || { echo "$bench: $p missing: $2" >&2; exit 1; }
  # e_machine, the little-endian half-word at offset 18 of the ELF header: 62 x86_64, 183 aarch64
  want=62; [ "$arch" = aarch64 ] && want=183
  [ "$(od -An -tu2 -j18 -N2 "$p" 2>/dev/null | tr -d ' ')" = "$want" ] \
    || { echo "$bench: $p is not an $arch ELF program" >&2; exit 1; }
  echo "$p"
}

# servers_command ENGINE: sets cmd to what runs a program under ENGINE (empty natively)
servers_command() {
  case "$1" in
    native) cmd=() ;;
    qemu) cmd=("qemu-$arch-static"); [ "$arch" = aarch64 ] && cmd+=(-L "$sysroot") ;;
    phoenix) cmd=("$phoenix" run --net host); [ "$arch" = aarch64 ] && cmd+=(-L "$sysroot") ;;
  esac
  return 0
}

# servers_start LOG PROGRAM ARGS...: starts PROGRAM under the engine in cmd with stdout and stderr
# into LOG, and sets server to its host pid (the program's, qemu's or Phoenix's JVM's)
servers_start() {
  local log=$1; shift
  "${cmd[@]}" "$@" > "$log" 2>&1 < /dev/null &
  server=$!
  started+=("$server")
}

# servers_wait_ready SECONDS LOG CHECK...: runs CHECK every 0.1 s until it succeeds (0), the server
# exits (1, saying why in reason) or SECONDS pass (1)
servers_wait_ready() {
  local tries=$(($1 * 10)) log=$2 st; shift 2
  for _ in $(seq "$tries"); do
    "$@" && return 0
    if ! kill -0 "$server" 2>/dev/null; then
      st=0; wait "$server" 2>/dev/null || st=$?
      reason="exited with status $st before it served: $(servers_ends "$log")"
      return 1
    fi
    sleep 0.1
  done
  reason="not ready after ${tries}0 ms: $(servers_last_line "$log")"
  return 1
}

# servers_wait_exit SECONDS: waits up to SECONDS for the server to exit; 0 with its status in
# status, or 1
servers_wait_exit() {
  for _ in $(seq $(($1 * 10))); do
    if ! kill -0 "$server" 2>/dev/null; then status=0; wait "$server" 2>/dev/null || status=$?; return 0; fi
    sleep 0.1
  done
  return 1
}

# servers_ends FILE: its first and last non-empty lines in one line (a launcher's complaint comes
# first, a server's last)
servers_ends() {
  local first last
  first=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | head -n1 | tr -d '\r')
  last=$(servers_last_line "$1")
  if [ -z "$first" ] || [ "$first" = "$last" ]; then echo "$last"; else echo "$first ... $last"; fi
}

# servers_last_line FILE: its last non-empty line, or a note that it is empty
servers_last_line() {
  local l
  l=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n1 | tr -d '\r')
  echo "${l:-(no output)}"
}

# servers_tree PID: PID and every descendant of it, one a line
servers_tree() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    {parent[$1] = $2}
    END {keep[root] = 1; print root
      do {added = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) {keep[p] = 1; print p; added = 1}} while (added)}'
}

# servers_memory PID: "PSS RSS N" of the tree under PID: proportional and resident set sizes in
# KiB summed over its N processes (/proc/PID/smaps_rollup)
servers_memory() {
  local p pss=0 rss=0 n=0 a b
  for p in $(servers_tree "$1"); do
    read -r a b < <(awk '/^Pss:/ {p = $2} /^Rss:/ {r = $2} END {print p + 0, r + 0}' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
    pss=$((pss + a)); rss=$((rss + b)); n=$((n + 1))
  done
  echo "$pss $rss $n"
}

# servers_kill PID: SIGKILL to PID and its descendants (the tree is taken first: an orphan's parent
# becomes init)
servers_kill() {
  local t
  t=$(servers_tree "$1")
  kill -KILL $t 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

servers_cleanup() {
  local p
  for p in "${started[@]}"; do kill -0 "$p" 2>/dev/null && servers_kill "$p"; done
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}

# servers_port: a free TCP port on 127.0.0.1
servers_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {if (NR) print lo "-" hi; else print "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "n/a" && b != "n/a" && b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# servers_cell FILE SCALE DECIMALS: "median (lo-hi)" of the numbers in FILE, each divided by SCALE
# and shown with DECIMALS decimals, or n/a when FILE is empty
servers_cell() {
  local f=$1 s=$2 d=$3
  if [ ! -s "$f" ]; then echo "n/a"; return; fi
  awk -v s="$s" -v d="$d" '{printf "%.*f\n", d, $1 / s}' "$f" > "$f.scaled"
  if [ "$(grep -c . "$f.scaled")" = 1 ]; then cat "$f.scaled"; else echo "$(median < "$f.scaled") ($(range < "$f.scaled"))"; fi
}

# servers_median FILE SCALE: the median of FILE's numbers divided by SCALE, or n/a
servers_median() {
  if [ -s "$1" ]; then awk -v s="$2" '{print $1 / s}' "$1" | median; else echo "n/a"; fi
}
