#!/usr/bin/env bash
# The long run of the crash-consistency harness (decision 0023, docs/RELIABILITY.md "Crash consistency"):
# real `studio daemon` children (and a `studio wallet send` child) killed at POINTS seeded kill points per scenario,
# restarted and checked. Prints the table and keeps it in app/target/crash-report.md.
#   scripts/crash.sh [POINTS_PER_SCENARIO (default 100)] [SEED (default 23)] [SCENARIOS (default all)]
# SCENARIOS is a comma list of datanetUpload, fineTuneCheckpoint, attributionIndexBuild, rewardSettlement,
# transactionBroadcast.
set -euo pipefail
points="${1:-100}"
seed="${2:-23}"
only="${3:-}"
cd "$(dirname "$0")/.."
test="CrashConsistencyTest"
if [ -n "$only" ]; then
  test="CrashConsistencyTest#${only//,/+}"
fi
mvn -B -q -o -pl app -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcrash.points="$points" -Dcrash.seed="$seed" || status=$?
cat app/target/crash-report.md 2>/dev/null || echo "no report written (app/target/crash-report.md)" >&2
exit "${status:-0}"
