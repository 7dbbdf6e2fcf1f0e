#!/usr/bin/env bash
# The JMH swarm-throughput harness (bench/.../SwarmThroughputBenchmark): one Spate seed + 1 or 3 leechers in one JVM
# on loopback, 64 and 256 MiB, 1 MiB pieces; records JMH's JSON and a SUMMARY.md in perf-results/swarm-jmh/.
#
#   tools/bench-swarm-jmh.sh                          # all four (size, leechers) combinations
#   JMH_ARGS="-p size=64 -p leechers=1" tools/bench-swarm-jmh.sh
#
# Brief by default (1 warmup iteration of 5 s, 3 measured of 10 s); JMH_OPTS overrides the iteration options.
# -Djmh.ignoreLock=true: other helpers on this shared machine may hold JMH's /tmp/jmh.lock.
# Needs bench/target/bench.jar (mvn -o -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/perf-results/swarm-jmh}
JMH_OPTS=${JMH_OPTS:--wi 1 -w 5 -i 3 -r 10 -f 1}
JMH_ARGS=${JMH_ARGS:-}
RUN=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
COMMAND="java -Djmh.ignoreLock=true -jar bench/target/bench.jar SwarmThroughput $JMH_OPTS $JMH_ARGS"
COMMAND+=" -rf json -rff $OUT/jmh-$RUN.json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
(cd "$ROOT" && java -Djmh.ignoreLock=true -jar bench/target/bench.jar SwarmThroughput $JMH_OPTS $JMH_ARGS \
    -rf json -rff "$OUT/jmh-$RUN.json") | tee "$OUT/jmh-$RUN.log"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$OUT/jmh-$RUN.json" "$OUT/SUMMARY.md" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER" \
    "$(git -C "$ROOT" rev-parse --short HEAD)" "$RUN" <<'PY'
import json, sys
path, out, command, before, after, commit, run = sys.argv[1:]
rows = json.load(open(path))
lines = ["# Swarm throughput in one JVM (JMH, SwarmThroughputBenchmark)", "",
         "Run `%s`, commit %s. Command (from the repository root):" % (run, commit), "", "    " + command, "",
         "Load average before: %s, after: %s (2-core machine shared with other jobs)." % (before, after), "",
         "One Spate seed and N fresh Spate leechers in one JVM on loopback, peers connected directly (no tracker), "
         "1 MiB pieces; one benchmark invocation = one whole transfer (leecher engines launched, every leecher "
         "complete with all pieces verified, engines closed). Aggregate MB/s = payload delivered to all leechers "
         "(size x N, 10^6 bytes) per second of iteration time (JMH's `megabytes` aux counter).", "",
         "| size MiB | leechers | transfers/s | aggregate MB/s | per-leecher MB/s | MB/s per iteration |",
         "|---|---|---|---|---|---|"]
for r in rows:
    p = r["params"]
    mb = r["secondaryMetrics"]["megabytes"]
    per_iter = [x for fork in mb["rawData"] for x in fork]
    n = int(p["leechers"])
    lines.append("| %s | %s | %.3f | %.1f | %.1f | %s |" % (p["size"], p["leechers"], r["primaryMetric"]["score"],
                 mb["score"], mb["score"] / n, ", ".join("%.1f" % x for x in per_iter)))
lines += ["", "Raw: `%s` (JMH JSON) and `%s` (console)." % (path.split("/")[-1],
          path.split("/")[-1].replace(".json", ".log")), ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
