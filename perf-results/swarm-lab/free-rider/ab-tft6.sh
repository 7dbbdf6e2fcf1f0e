#!/bin/bash
# The interleaved A/B of 2026-12-06 (evening): the free-rider scenario, base 69c3d4b against 80871a0 (TradeJudge).
#   BASE_JAR=... NEW_JAR=... bash perf-results/swarm-lab/free-rider/ab-tft6.sh
# Each JAR is engine/target/engine.jar of a clean clone built with `mvn -B -q -o -DskipTests package -pl engine -am`
# (so its start-up archive sits beside it).
set -euo pipefail
cd "$(dirname "$0")/../../.."
for round in 1 2; do
  for v in base rider; do
    if [ $v = base ]; then J=$BASE_JAR; else J=$NEW_JAR; fi
    echo "== round $round $v $(cat /proc/loadavg)"
    SPATE_JAR=$J SPATE_SEED_ARGS="--seed-choking round-robin" timeout 600 /usr/bin/python3 tools/swarm-lab/lab.py run \
      tools/swarm-lab/scenarios/free-rider.json --client spate --label tft6-$v --out perf-results/swarm-lab/free-rider
  done
done
