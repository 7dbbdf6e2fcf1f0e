#!/usr/bin/env bash
# Measures create's hashing speed against this machine's SHA-1 speed (JMH PieceHashBenchmark), RUNS times in a row
# (the machine is shared and noisy: each run measures all four side by side), then writes
# perf-results/hashing/raw-N.json (JMH's JSON) and perf-results/hashing/SUMMARY.md (figures and ratios per run,
# and their medians). Usage: bash tools/bench-hashing.sh   (RUNS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
out=perf-results/hashing
mkdir -p "$out"
mvn -q -DskipTests package
jar="$(mktemp /tmp/spate-bench.XXXXXX.jar)"
trap 'rm -f "$jar"' EXIT
cp bench/target/bench.jar "$jar"   # immune to rebuilds while it runs

for run in $(seq 1 "$RUNS"); do
    for attempt in $(seq 1 80); do   # another JMH run holds /tmp/jmh.lock: wait for it (at most 20 minutes)
        echo "run $run: $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/runs.log"
        if java -jar "$jar" PieceHashBenchmark -f 1 -wi 2 -i 3 -rf json -rff "$out/raw-$run.json" \
            > "$out/jmh-$run.log" 2>&1; then
            break
        fi
        grep -q "Unable to acquire the JMH lock" "$out/jmh-$run.log" || { cat "$out/jmh-$run.log"; exit 1; }
        sleep 15
    done
    echo "run $run: done $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/runs.log"
done
/usr/bin/python3 tools/hashing_summary.py "$out" "$RUNS" > "$out/SUMMARY.md"
cat "$out/SUMMARY.md"
