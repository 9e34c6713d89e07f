#!/usr/bin/env bash
# The fair class's lag report: runs sched-rt's FairnessHarness (src/test) over its workloads
# (fixed and churning sets of mixed weights) through Phoenix's Beatty class, the same turns with
# the earliest due turn alone, an EEVDF reference, stride, lottery and round robin, and prints each
# one's worst and mean lag in quanta (10 ms). FairnessTest asserts Phoenix's bound on every build.
#
# Usage: benchmarks/fairness.sh [TURNS]   (turns per workload, default 200000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
turns=${1:-200000}
[[ "$turns" =~ ^[1-9][0-9]*$ ]] || { echo "usage: benchmarks/fairness.sh [TURNS]" >&2; exit 2; }
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
cd "$root"
mvn -B -q -o -pl sched-rt -am test-compile >/dev/null 2>&1 || mvn -B -q -pl sched-rt -am test-compile
cp="sched-rt/target/classes:sched-rt/target/test-classes:libos/target/classes:emulator-core/target/classes:x86-decoder/target/classes"
exec "$JAVA_HOME/bin/java" -cp "$cp" dev.phoenix.sched.FairnessHarness "$turns"
