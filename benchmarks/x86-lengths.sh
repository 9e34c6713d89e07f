#!/usr/bin/env bash
# Issue 20's full agreement run: Phoenix's x86-64 decoder against Capstone 5 on N seeded random
# byte sequences (default 10,000,000; every build's test samples 100,000 of them), lengths and
# validity compared on every one, Capstone's departures from the SDM counted as named exceptions.
# Prints the summary lines of X86DecoderAgreementTest and fails if any sequence disagrees.
#
# Usage: benchmarks/x86-lengths.sh [--sequences N] [--seed S]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sequences=10000000
seed=
while [ $# -gt 0 ]; do
  case "$1" in
    --sequences) sequences="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: benchmarks/x86-lengths.sh [--sequences N] [--seed S]" >&2; exit 2 ;;
  esac
done
[[ "$sequences" =~ ^[1-9][0-9]*$ ]] || { echo "x86-lengths: --sequences must be a positive number" >&2; exit 2; }
[[ -z "$seed" || "$seed" =~ ^-?[0-9]+$ ]] || { echo "x86-lengths: --seed must be a number" >&2; exit 2; }
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
props=(-Dx86.sequences="$sequences")
[ -n "$seed" ] && props+=(-Dx86.seed="$seed")
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$(date +%s)
if ! (cd "$root" && mvn -B -o -pl emulator-core -am test -Dtest=X86DecoderAgreementTest \
      -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}" >"$log" 2>&1); then
  grep -E "x86 decoder vs Capstone|disagree|FAIL|ERROR" "$log" | head -40 >&2
  echo "x86-lengths: disagreements (full log: rerun with the same arguments)" >&2
  exit 1
fi
grep -E "^x86 decoder vs Capstone|^busybox .text" "$log"
echo "x86-lengths: $sequences sequences in $(( $(date +%s) - start )) s"
