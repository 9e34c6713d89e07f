#!/usr/bin/env bash
# End-to-end comparison of Phoenix with qemu-user (and native on x86_64): hello-world process
# time, syscall round trip (getppid loop) and a store-heavy loop, per guest target. Runs are
# interleaved (native, qemu, phoenix, native, ...) so that machine noise hits all alike.
# Prints a Markdown report on stdout.
# Usage: benchmarks/compare.sh [--runs N]   (N: hello-world runs per engine, default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: benchmarks/compare.sh [--runs N]" >&2; exit 2 ;;
  esac
done
guest="$root/tests/target/guest"
bash "$root/tests/guest/build.sh" "$guest" >/dev/null
phoenix="$root/phoenix"
"$phoenix" --version >/dev/null 2>&1 || { echo "compare: ./phoenix does not run; run ./setup.sh first" >&2; exit 1; }
targets=(x86_64-musl x86_64-glibc aarch64 riscv64)
qemu_for() { case "$1" in x86_64*) echo qemu-x86_64-static ;; aarch64) echo qemu-aarch64-static ;; riscv64) echo qemu-riscv64-static ;; esac; }
for t in "${targets[@]}"; do command -v "$(qemu_for "$t")" >/dev/null || { echo "compare: $(qemu_for "$t") missing: apt-get install -y qemu-user-static" >&2; exit 1; }; done

# ms for one run of "$@" with output discarded
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

echo "# Phoenix vs qemu-user"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- machine: $(uname -srm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "- phoenix: $("$phoenix" --version 2>/dev/null | tr '\n' ' ')"
echo "- qemu: $(qemu-x86_64-static --version | head -n1)"
echo "- command: benchmarks/compare.sh --runs $runs"
echo
echo "## Hello world, whole process (median of $runs runs, ms)"
echo
echo "| target | native | qemu-user | phoenix | phoenix / qemu |"
echo "|---|---|---|---|---|"
for t in "${targets[@]}"; do
  q=$(qemu_for "$t"); bin="$guest/$t/hello"
  : > /tmp/cmp-n; : > /tmp/cmp-q; : > /tmp/cmp-p
  for _ in $(seq "$runs"); do
    case "$t" in x86_64*) ms "$bin" >> /tmp/cmp-n ;; esac
    ms "$q" "$bin" >> /tmp/cmp-q
    ms "$phoenix" run "$bin" >> /tmp/cmp-p
  done
  n=$( [ -s /tmp/cmp-n ] && median < /tmp/cmp-n || echo "n/a")
  qm=$(median < /tmp/cmp-q); pm=$(median < /tmp/cmp-p)
  echo "| $t | $n | $qm | $pm | $(ratio "$pm" "$qm") |"
done
echo
echo "## Syscall round trip: 1,000,000 getppid calls (median of 3, ns per call, timed inside the guest)"
echo
echo "| target | native | qemu-user | phoenix | phoenix / qemu |"
echo "|---|---|---|---|---|"
nsper() { "$@" 2>/dev/null | sed -n 's/.*, \([0-9.]*\) ns\/call/\1/p'; }
for t in "${targets[@]}"; do
  q=$(qemu_for "$t"); bin="$guest/$t/getppid_loop"
  : > /tmp/cmp-n; : > /tmp/cmp-q; : > /tmp/cmp-p
  for _ in 1 2 3; do
    case "$t" in x86_64*) nsper "$bin" >> /tmp/cmp-n ;; esac
    nsper "$q" "$bin" >> /tmp/cmp-q
    nsper "$phoenix" run "$bin" >> /tmp/cmp-p
  done
  n=$( [ -s /tmp/cmp-n ] && median < /tmp/cmp-n || echo "n/a")
  qm=$(median < /tmp/cmp-q); pm=$(median < /tmp/cmp-p)
  echo "| $t | $n | $qm | $pm | $(ratio "$pm" "$qm") |"
done
echo
echo "## Store-heavy loop: FNV over 64 KiB, 10,000 passes (median of 3, ms)"
echo
echo "Whole process, and compute alone (the same run minus a 0-pass run, which removes start-up)."
echo
echo "| target | native | qemu-user | phoenix | phoenix / qemu | qemu compute | phoenix compute | compute ratio |"
echo "|---|---|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
  q=$(qemu_for "$t"); bin="$guest/$t/store_loop"
  : > /tmp/cmp-n; : > /tmp/cmp-q; : > /tmp/cmp-p; : > /tmp/cmp-q0; : > /tmp/cmp-p0
  for _ in 1 2 3; do
    case "$t" in x86_64*) ms "$bin" 10000 >> /tmp/cmp-n ;; esac
    ms "$q" "$bin" 10000 >> /tmp/cmp-q
    ms "$phoenix" run "$bin" 10000 >> /tmp/cmp-p
    ms "$q" "$bin" 0 >> /tmp/cmp-q0
    ms "$phoenix" run "$bin" 0 >> /tmp/cmp-p0
  done
  n=$( [ -s /tmp/cmp-n ] && median < /tmp/cmp-n || echo "n/a")
  qm=$(median < /tmp/cmp-q); pm=$(median < /tmp/cmp-p); q0=$(median < /tmp/cmp-q0); p0=$(median < /tmp/cmp-p0)
  qc=$(awk -v a="$qm" -v b="$q0" 'BEGIN {print a - b}'); pc=$(awk -v a="$pm" -v b="$p0" 'BEGIN {print a - b}')
  echo "| $t | $n | $qm | $pm | $(ratio "$pm" "$qm") | $qc | $pc | $(ratio "$pc" "$qc") |"
done
rm -f /tmp/cmp-n /tmp/cmp-q /tmp/cmp-p /tmp/cmp-q0 /tmp/cmp-p0
