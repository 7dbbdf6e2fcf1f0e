#!/usr/bin/env bash
# The MPSC hand-off benchmark (bench/.../MpscHandoffBenchmark: Agrona ManyToOneConcurrentArrayQueue and
# ManyToOneRingBuffer against JCTools MpscArrayQueue, MpscChunkedArrayQueue and MpscUnboundedXaddArrayQueue; 1 and 2
# producers, 1 consumer draining in batches; and one thread alone) RUNS times, to perf-results/queues/: JMH's JSON
# per run, the console logs, runs.log with the load average, and SUMMARY.md with the medians over the runs.
#
#   tools/bench-queues.sh                     # RUNS=3, 3 x 1 s warm-up, 5 x 1 s measured, 1 fork per queue
#   RUNS=1 JMH_OPTS="-wi 1 -w 1 -i 1 -r 1" tools/bench-queues.sh      # a quick try
#
# Needs bench/target/bench.jar (mvn -o -DskipTests package). -Djmh.ignoreLock=true: other jobs on this shared machine
# may hold JMH's lock.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/perf-results/queues}
RUNS=${RUNS:-3}
JMH_OPTS=${JMH_OPTS:--wi 3 -w 1 -i 5 -r 1 -f 1}
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
COMMAND="RUNS=$RUNS JMH_OPTS=\"$JMH_OPTS\" tools/bench-queues.sh"
FILES=()
for run in $(seq 1 "$RUNS"); do
    json="$OUT/jmh-$STAMP-run$run.json"
    echo "run $run start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/runs-$STAMP.log"
    # shellcheck disable=SC2086
    (cd "$ROOT" && timeout 1200 java -Djmh.ignoreLock=true -jar bench/target/bench.jar MpscHandoffBenchmark $JMH_OPTS \
        -rf json -rff "$json") > "$OUT/jmh-$STAMP-run$run.log" 2>&1
    echo "run $run end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/runs-$STAMP.log"
    FILES+=("$json")
done
/usr/bin/python3 "$ROOT/tools/queues_summary.py" "$OUT/SUMMARY.md" "$COMMAND" "$COMMIT" "$STAMP" "${FILES[@]}"
