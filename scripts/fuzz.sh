#!/usr/bin/env bash
# A long fuzzing campaign over the same targets CI runs briefly (decision 0022, docs/RELIABILITY.md "Fuzzing").
#   scripts/fuzz.sh HOURS [SEED]
# HOURS is split evenly over the targets (fractions work: 0.5). SEED defaults to a random one, printed first; the
# same seed replays the same inputs. Failing inputs land in target/fuzz-campaign/<seed>/<target>/ (.bin + .txt with
# the stack trace); figures per target in report.tsv there (target, inputs, seconds, inputs/s, findings, seed).
set -euo pipefail
cd "$(dirname "$0")/.."
hours="${1:?usage: scripts/fuzz.sh HOURS [SEED]}"
seed="${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
targets=14   # local-gpu 6, wallet 2, datanet-client 4, daemon 2
per_target=$(awk -v h="$hours" -v n="$targets" 'BEGIN { printf "%.0f", h * 3600 / n }')
out="$PWD/target/fuzz-campaign/$seed"
mkdir -p "$out"
echo "fuzz: seed $seed, $per_target s per target, findings in $out"
mvn -B -o -q -pl fuzz,store,contracts,wallet,daemon-api,datanet-client,local-gpu,daemon -am test \
  -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
  -Dfuzz.seed="$seed" -Dfuzz.seconds="$per_target" -Dfuzz.inputs=1000000000000 \
  -Dfuzz.findings="$out" -Dfuzz.report="$out/report.tsv" -Dfuzz.keepLast=true \
  -Dmaven.test.failure.ignore=true || status=$?   # a finding in one module must not skip the others
echo "fuzz: seed $seed"
column -t "$out/report.tsv" 2>/dev/null || cat "$out/report.tsv"
if find "$out" -name '*.txt' | grep -q .; then
  echo "fuzz: findings (input .bin beside each):"; find "$out" -name '*.txt' -print; status=1
fi
exit "${status:-0}"
