#!/usr/bin/env bash
# End-to-end comparison of Phoenix with qemu-user, and with native runs on x86_64: a fixed
# set of guest programs per target, the runs interleaved (native, qemu, phoenix, native, ...)
# so machine noise hits all alike, after one untimed run per engine that must agree on output.
# Writes a Markdown report (also printed), a CSV of the medians and a PNG bar chart of each
# engine's time relative to qemu-user; exits 1 when Phoenix's output differs anywhere or a
# workload fails under it (the report still lists every workload, a failed one with its reason).
#
# Usage: benchmarks/compare.sh [--runs N] [--out DIR] [--only LIST]
#   N: runs per engine and workload (default 5; the loops that time themselves use min(N, 5))
#   DIR: where compare.md, compare.csv and compare.png go (default benchmarks/results, or with
#     --only benchmarks/target/compare-LIST, so that a partial run leaves the full report alone)
#   LIST: comma-separated sections to run (default all): hello, getppid, registers, stores,
#     sha256, busybox-sh, threads (thread-create, futex, switch and go-startup, which can
#     also be named alone) and processes (fork, forkexec and pipeline, likewise)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
out=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "usage: benchmarks/compare.sh [--runs N] [--out DIR] [--only LIST]" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "compare: --runs takes a positive number, got '$runs'" >&2; exit 2; }
sections=(hello getppid registers stores sha256 busybox-sh threads thread-create futex switch go-startup
  processes fork forkexec pipeline)
for s in ${only//,/ }; do
  [[ " ${sections[*]} " == *" $s "* ]] || { echo "compare: --only takes some of: ${sections[*]}; got '$s'" >&2; exit 2; }
done
if [ -z "$out" ]; then
  if [ -n "$only" ]; then out="$root/benchmarks/target/compare-${only//,/-}"; else out="$root/benchmarks/results"; fi
fi
# want SECTION [GROUP]: whether --only (or its absence) selects the section
want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]] || { [ $# -gt 1 ] && [[ ",$only," == *",$2,"* ]]; }; }
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
guest="$root/tests/target/guest"
bash "$root/tests/guest/build.sh" "$guest" >/dev/null
# Debian 12's static Go programs (gojq for amd64 and arm64), for the Go start-up.
if want go-startup threads; then
  programs=$("$root/scripts/fetch-go-programs.sh") || { echo "compare: could not fetch the Go programs" >&2; exit 1; }
fi
phoenix="$root/phoenix"
"$phoenix" --version >/dev/null 2>&1 || { echo "compare: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
(cd "$root" && mvn -B -q -o -DskipTests -pl benchmarks -am package >/dev/null 2>&1) \
  || (cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package >/dev/null) \
  || { echo "compare: could not build benchmarks/target/benchmarks.jar" >&2; exit 1; }
targets=(x86_64-musl x86_64-glibc aarch64 riscv64)
qemu_for() {
  case "$1" in
    x86_64*) echo qemu-x86_64-static ;;
    aarch64*) if [ -n "${execs:-}" ]; then qemu_binfmt aarch64 b7; else echo qemu-aarch64-static; fi ;;
    riscv64*) if [ -n "${execs:-}" ]; then qemu_binfmt riscv64 f3; else echo qemu-riscv64-static; fi ;;
  esac
}
# qemu_binfmt ARCH E_MACHINE: what runs qemu-user for a program of ARCH that execs others of its
# arch (the sections that set $execs). qemu hands a guest's execve to the host kernel, which runs
# an aarch64 or riscv64 ELF only through binfmt_misc. With no qemu entry registered on the host, a
# wrapper registers one in a private user and mount namespace (binfmt_misc is per user namespace
# since Linux 6.7), leaving the host alone, and runs qemu there; the wrapper's start-up (a few ms)
# is in whole-process times but not in the figures timed inside the guest. The x86_64 programs a
# guest execs under qemu-x86_64 run natively.
qemu_binfmt() {
  local arch=$1 machine=$2 w="$work/qemu-$1-binfmt" q
  q=$(command -v "qemu-$arch-static")
  if [ -e "/proc/sys/fs/binfmt_misc/qemu-$arch" ]; then echo "$q"; return; fi
  if [ ! -x "$w" ]; then
    # binfmt_misc's own escapes, written as they are: \x7fELF, 64-bit, little-endian, ET_EXEC or ET_DYN
    local magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x'$machine'\x00'
    local mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
    printf '%s\n' '#!/usr/bin/env bash' \
      "exec unshare -Urm bash -c 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null \\" \
      "  && printf \"%s\\n\" \":qemu-$arch:M::$magic:$mask:$q:FP\" > /proc/sys/fs/binfmt_misc/register \\" \
      "  || { echo \"qemu-$arch-static needs binfmt_misc to run a guest that execs\" >&2; exit 126; }" \
      "  exec \"\$0\" \"\$@\"' \"$q\" \"\$@\"" > "$w"
    chmod +x "$w"
  fi
  echo "$w"
}
for t in "${targets[@]}"; do
  command -v "$(qemu_for "$t")" >/dev/null || { echo "compare: $(qemu_for "$t") missing: apt-get install -y qemu-user-static" >&2; exit 1; }
done
mkdir -p "$out"
csv="$out/compare.csv"
md="$out/compare.md"
echo "workload,target,engine,median,unit,min,max" > "$csv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ms for one run of "$@", output discarded
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# why FILE: the line of a failed run's stderr that says why: the program's own first line (Go's
# "runtime: failed to create new OS thread", a guest's "pthread_create: ..."), not Phoenix's
# warnings about the unimplemented calls that led there; else the first line
why() { grep -v -m1 '^phoenix: warning: ' "$1" || head -n1 "$1"; }
# the "N ns/call" (or ns/pair, ns/hand-off, ...) a loop guest prints last about itself; for a run
# that fails or prints no figure, nothing on stdout and "exit S: why" on stderr
nsper() {
  local o s=0 v
  o=$("$@" 2>"$work/err") || s=$?
  v=$(sed -n 's/.*, \([0-9.]*\) ns\/[a-z-]*$/\1/p' <<<"$o")
  if [ "$s" = 0 ] && [ -n "$v" ]; then echo "$v"; else echo "exit $s: $(why "$work/err")" >&2; fi
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# "min-max" of the numbers on stdin
range() { sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {if (NR) print lo "-" hi; else print "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "n/a" && b != "n/a" && b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# agree WORKLOAD TARGET QEMU BIN ARGS...: one untimed run per engine (a warm-up too); Phoenix's
# stdout and exit status must be qemu-user's and, on x86_64, native's: a time is only worth
# comparing when the work was done right. Returns 1 (and records why) when they differ; when
# Phoenix failed where qemu-user did not, $failed says how (its exit status and why).
agree() {
  local workload=$1 target=$2 q=$3 bin=$4; shift 4
  failed=""
  { "$phoenix" run "$bin" "$@" 2>"$work/err.phoenix" && echo "exit 0" || echo "exit $?"; } > "$work/out.phoenix"
  { "$q" "$bin" "$@" 2>/dev/null && echo "exit 0" || echo "exit $?"; } > "$work/out.qemu"
  local against=(qemu)
  case "$target" in x86_64*) { "$bin" "$@" 2>/dev/null && echo "exit 0" || echo "exit $?"; } > "$work/out.native"
      against+=(native) ;;
  esac
  local e ok=0
  if [ "$(tail -n1 "$work/out.phoenix")" != "exit 0" ] && [ "$(tail -n1 "$work/out.qemu")" = "exit 0" ]; then
    failed="$(tail -n1 "$work/out.phoenix"): $(why "$work/err.phoenix")"
    echo "$workload on $target: failed under Phoenix ($failed)" >> "$work/disagreements"
    return 1
  fi
  for e in "${against[@]}"; do
    if ! cmp -s "$work/out.$e" "$work/out.phoenix"; then
      echo "$workload on $target: Phoenix's output or exit status differs from $e's" >> "$work/disagreements"
      ok=1
    fi
  done
  return $ok
}

# the name of engine ENGINE in the report
label() { case "$1" in native) echo native ;; qemu) echo qemu-user ;; phoenix) echo Phoenix ;; esac; }

# measure WORKLOAD TARGET UNIT N HOW BIN ARGS...: N interleaved runs of BIN natively (x86_64 only),
# under qemu-user and under Phoenix, each timed by HOW (ms or nsper); one Markdown row and CSV lines.
# Workloads timed from outside (ms) are first checked with agree, and not timed under Phoenix when
# they fail there; the loops print their own timing, so only their runs are compared, and a run of
# one that fails is reported in its cell as failed, with why.
measure() {
  local workload=$1 target=$2 unit=$3 n=$4 how=$5 bin=$6; shift 6
  local q; q=$(qemu_for "$target")
  local mark="" engines=(native qemu phoenix) e
  : > "$work/native"; : > "$work/qemu"; : > "$work/phoenix"
  for e in "${engines[@]}"; do : > "$work/$e.failed"; done
  if [ "$how" = ms ] && ! agree "$workload" "$target" "$q" "$bin" "$@"; then
    if [ -n "$failed" ]; then echo "$failed" > "$work/phoenix.failed"; else mark=" (output differs)"; fi
  fi
  for _ in $(seq "$n"); do
    case "$target" in x86_64*) "$how" "$bin" "$@" >> "$work/native" 2>> "$work/native.failed" ;; esac
    "$how" "$q" "$bin" "$@" >> "$work/qemu" 2>> "$work/qemu.failed"
    [ "$how" = ms ] && [ -s "$work/phoenix.failed" ] && continue
    "$how" "$phoenix" run "$bin" "$@" >> "$work/phoenix" 2>> "$work/phoenix.failed"
  done
  local m r cells=() medians=()
  for e in "${engines[@]}"; do
    if [ -s "$work/$e.failed" ]; then
      # one failed run spoils the row: its figures would not be of the same work
      m=n/a; r=n/a
      cells+=("failed ($(head -n1 "$work/$e.failed" | sed 's/|/\\|/g'))")
      [ "$how" = ms ] && [ "$e" = phoenix ] \
        || echo "$workload on $target: failed under $(label "$e") ($(head -n1 "$work/$e.failed"))" >> "$work/disagreements"
    else
      m=$(median < "$work/$e"); r=$(range < "$work/$e")
      if [ "$m" = n/a ]; then cells+=("n/a"); else cells+=("$m ($r)"); fi
    fi
    medians+=("$m")
    printf '%s,%s,%s,%s,%s,%s,%s\n' "$workload" "$target" "${e/qemu/qemu-user}" "$m" "$unit" "${r%-*}" "${r#*-}" >> "$csv"
  done
  echo "| $target | ${cells[0]} | ${cells[1]} | ${cells[2]}$mark | $(ratio "${medians[2]}" "${medians[1]}") |"
}

table() { echo; echo "## $1"; echo; echo "| target | native | qemu-user | phoenix | phoenix / qemu |"; echo "|---|---|---|---|---|"; }

{
echo "# Phoenix vs qemu-user"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores; $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
echo "- phoenix: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $("$phoenix" --version 2>/dev/null | tr '\n' ' ')"
echo "- qemu: $(qemu-x86_64-static --version | head -n1)"
echo "- command: benchmarks/compare.sh --runs $runs${only:+ --only $only}"
echo
echo "Medians of $runs interleaved runs, with the range (min-max) in brackets; the ratio is of the"
echo "medians. Whole-process times include start-up: about 0.16 s of JVM for every Phoenix run."
echo "The syscall, thread and fork loops time themselves inside the guest. Before the timed runs of the"
echo "other workloads, one run per engine checks that Phoenix's output and exit status are qemu-user's"
echo "(and native's on x86_64); a row where they differ says so, a workload that fails is marked failed"
echo "with its exit status and the line of stderr that says why, and the script then exits 1."

if want hello; then
table "Hello world, whole process (ms)"
for t in "${targets[@]}"; do measure hello "$t" ms "$runs" ms "$guest/$t/hello"; done
fi

if want getppid; then
table "Syscall round trip: 1,000,000 getppid (ns per call, timed inside the guest)"
for t in "${targets[@]}"; do measure getppid "$t" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/getppid_loop" 1000000; done
fi

if want registers; then
table "Register-only kernel: xorshift64, 300,000,000 iterations (ms)"
for t in "${targets[@]}"; do measure registers "$t" ms "$runs" ms "$guest/$t/regs_loop" 300000000; done
fi

if want stores; then
table "Store-heavy kernel: FNV-1a over 64 KiB, 10,000 passes (ms)"
for t in "${targets[@]}"; do measure stores "$t" ms "$runs" ms "$guest/$t/store_loop" 10000; done
fi

if want sha256; then
table "SHA-256 of 64 MiB (ms)"
for t in "${targets[@]}"; do measure sha256 "$t" ms "$runs" ms "$guest/$t/sha256" 64; done
fi

if want busybox-sh; then
table "busybox sh: a 20,000-step loop of builtins (ms)"
script='i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo $i'
measure busybox-sh x86_64-busybox ms "$runs" ms /bin/busybox sh -c "$script"
measure busybox-sh aarch64-busybox ms "$runs" ms "$guest/aarch64/busybox" sh -c "$script"
fi

if want thread-create threads; then
table "Threads: 1,000 pthread_create + pthread_join pairs (ns per pair, timed inside the guest)"
for t in "${targets[@]}"; do measure thread-create "$t" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/thread_loop" 1000; done
fi

if want futex threads; then
table "Futex ping-pong between two threads: 10,000 round trips (ns per hand-off, timed inside the guest)"
for t in "${targets[@]}"; do measure futex "$t" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/futex_loop" 10000; done
fi

if want switch threads; then
table "Context switch: two threads on one CPU, a pipe ping-pong of 10,000 round trips (ns per switch, timed inside the guest)"
for t in "${targets[@]}"; do measure switch "$t" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/switch_loop" 10000; done
fi

if want go-startup threads; then
table "Go start-up: Debian 12's static gojq -n 1, whole process (ms)"
measure go-startup x86_64-go ms "$runs" ms "$programs/amd64/gojq" -n 1
measure go-startup aarch64-go ms "$runs" ms "$programs/arm64/gojq" -n 1
fi

if want fork processes; then
for mib in 1 256; do
  table "fork+exit+wait of a process with a $mib MiB mapping, its pages untouched or touched (ns per fork, timed inside the guest)"
  for t in "${targets[@]}"; do
    for touch in untouched touched; do
      measure "fork-${mib}m-$touch" "$t $touch" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/fork_loop" "$mib" "$touch" \
        $(( mib == 1 ? 200 : 20 ))
    done
  done
done
fi

if want forkexec processes; then
table "fork+exec+wait of the static hello, 100 in a row (ns per spawn, timed inside the guest)"
execs=1
for t in "${targets[@]}"; do
  measure forkexec "$t" ns $(( runs < 5 ? runs : 5 )) nsper "$guest/$t/forkexec_loop" "$guest/$t/hello" 100
done
execs=
fi

if want pipeline processes; then
table "busybox sh: 1,000 pipelines echo x | cat >/dev/null, whole process (ms)"
script='i=0; while [ $i -lt 1000 ]; do echo x | cat >/dev/null; i=$((i+1)); done; echo $i'
execs=1
measure pipeline x86_64-busybox ms "$runs" ms /bin/busybox sh -c "$script"
measure pipeline aarch64-busybox ms "$runs" ms "$guest/aarch64/busybox" sh -c "$script"
measure pipeline riscv64-busybox ms "$runs" ms "$guest/riscv64/busybox" sh -c "$script"
execs=
fi

echo
echo "![Phoenix vs qemu-user](compare.png)"
} | tee "$md"

"$JAVA_HOME/bin/java" -cp "$root/benchmarks/target/benchmarks.jar" dev.phoenix.bench.Chart "$csv" "$out/compare.png" \
  "$(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d); medians of $runs runs" \
  || { echo "compare: could not draw $out/compare.png" >&2; exit 1; }
echo "compare: wrote $md, $csv and $out/compare.png" >&2
if [ -s "$work/disagreements" ]; then
  sed 's/^/compare: /' "$work/disagreements" >&2
  exit 1
fi
