#!/usr/bin/env bash
# Stress for the multi-task kernel: runs Debian's static Go programs (gojq and shfmt for amd64
# and arm64, pup for amd64) under Phoenix ROUNDS times with scheduler slices of SLICE_NS
# nanoseconds (default 200000: fifty times more switches than the 10 ms default), checking each
# output, and prints every failure and the count. Go's runtime makes threads at once and wakes
# them all the time, so it finds preemption and signal races the C tests rarely hit; load the
# machine meanwhile to find more. Not part of the test suite: it runs for minutes.
#
# Usage: scripts/stress-go.sh [ROUNDS] [SLICE_NS]    (the programs: scripts/fetch-go-programs.sh)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-10}
slice=${2:-200000}
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$slice" =~ ^[1-9][0-9]*$ ]] \
  || { echo "usage: scripts/stress-go.sh [ROUNDS] [SLICE_NS]" >&2; exit 2; }
programs=${PHOENIX_PROGRAMS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/programs}
[ -x "$programs/amd64/gojq" ] || "$root/scripts/fetch-go-programs.sh" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' '{"items": [{"name": "a", "n": 1}, {"name": "b", "n": 2}, {"name": "c", "n": 3}]}' > "$work/doc.json"
printf '<ul><li class="x">one</li><li>two</li><li class="x">three</li></ul>\n' > "$work/p.html"
printf 'if [ "$x" = 1 ]; then\necho   hi;fi\n' > "$work/s.sh"
fails=0
# check NAME EXPECTED COMMAND...: one run under Phoenix with the short slices
check() {
  local name=$1 expected=$2 out
  shift 2
  out=$(JAVA_TOOL_OPTIONS="-Dphoenix.sliceNanos=$slice" timeout 120 "$root/phoenix" run "$@" 2>&1 | grep -v '^Picked up')
  if [ "$out" != "$expected" ]; then
    fails=$((fails + 1))
    echo "FAIL $name:"
    printf '%s\n' "$out" | grep -v '^0x' | head -20
  fi
}
for ((i = 1; i <= rounds; i++)); do
  for arch in amd64 arm64; do
    check "gojq $arch" $'"b"\n"c"' "$programs/$arch/gojq" '.items[] | select(.n > 1) | .name' "$work/doc.json"
    check "shfmt $arch" $'if [ "$x" = 1 ]; then\n\techo hi\nfi' "$programs/$arch/shfmt" "$work/s.sh"
  done
  check "pup amd64" $'one\nthree' "$programs/amd64/pup" -f "$work/p.html" 'li.x text{}'
done
echo "stress-go: $fails failed of $((rounds * 5)) runs (slices of $slice ns)"
[ "$fails" -eq 0 ]
