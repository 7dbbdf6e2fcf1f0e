#!/usr/bin/env bash
# The JMH swarm-throughput benchmark (bench/.../SwarmThroughputBenchmark): one Spate seed + N Spate leechers in one JVM
# on loopback, engines launched in the trial's setup, each iteration one timed transfer from the first dial to the last
# leecher's completion (fresh leecher torrents added in the invocation's setup, removed in its teardown, both untimed).
# Records JMH's JSON, the console log and SUMMARY.md in perf-results/swarm-jmh/.
#
#   tools/bench-swarm-jmh.sh                                    # 256 MiB, 1, 4 and 8 leechers, 2 warm-up + 5 measured
#   JMH_ARGS="-p size=64 -p leechers=1" tools/bench-swarm-jmh.sh
#
# JMH_OPTS overrides the iteration options (iterations of 1 ms: one transfer each). -Djmh.ignoreLock=true: other
# helpers on this shared machine may hold JMH's /tmp/jmh.lock. Needs bench/target/bench.jar (mvn -o -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/perf-results/swarm-jmh}
JMH_OPTS=${JMH_OPTS:--wi 2 -i 5 -f 1}
JMH_ARGS=${JMH_ARGS:--p size=256 -p leechers=1,4,8}
RUN=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
COMMAND="java -Djmh.ignoreLock=true -jar bench/target/bench.jar SwarmThroughput $JMH_OPTS $JMH_ARGS"
COMMAND+=" -rf json -rff perf-results/swarm-jmh/jmh-$RUN.json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
(cd "$ROOT" && timeout 3600 java -Djmh.ignoreLock=true -jar bench/target/bench.jar SwarmThroughput $JMH_OPTS $JMH_ARGS \
    -rf json -rff "$OUT/jmh-$RUN.json") | tee "$OUT/jmh-$RUN.log"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$OUT/jmh-$RUN.json" "$OUT/SUMMARY.md" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER" \
    "$(git -C "$ROOT" rev-parse --short HEAD)" "$RUN" <<'PY'
import json, statistics, sys
path, out, command, before, after, commit, run = sys.argv[1:]
rows = json.load(open(path))
lines = ["# Swarm throughput in one JVM (JMH, SwarmThroughputBenchmark)", "",
         "Run `%s`, commit %s. Command (from the repository root):" % (run, commit), "", "    " + command, "",
         "Load average before: %s, after: %s (2-core machine shared with other jobs)." % (before, after), "",
         "One Spate seed and N Spate leechers in one JVM on loopback, 1 MiB pieces, no tracker (each leecher dials the "
         "seed and the leechers before it). Every engine is launched in the trial's setup; before each transfer the "
         "torrent is added to every leecher on an empty directory (untimed), the timed part runs from handing the "
         "leechers their peers (the first dial; the first request follows one handshake later) to the last leecher's "
         "completion (every piece SHA-1 verified), then the leechers' torrents are removed (untimed). One transfer "
         "per iteration. Score: payload delivered to all leechers (size x N bytes) per second of the timed part "
         "(JMH aux counter `bytes`); JMH's primary score is transfers/s.", "",
         "| size MiB | leechers | median seconds | median aggregate MB/s | median MB/s per leecher | "
         "MB/s per iteration |", "|---|---|---|---|---|---|"]
for r in rows:
    p = r["params"]
    n, size = int(p["leechers"]), int(p["size"])
    secs = [1 / x for fork in r["primaryMetric"]["rawData"] for x in fork]
    rate = [x / 1e6 for fork in r["secondaryMetrics"]["bytes"]["rawData"] for x in fork]
    lines.append("| %d | %d | %.3f | %.1f | %.1f | %s |" % (size, n, statistics.median(secs),
                 statistics.median(rate), statistics.median(rate) / n, ", ".join("%.1f" % x for x in rate)))
lines += ["", "MB/s = 10^6 bytes/s (JMH's `bytes` counter per iteration); seconds = 1 / transfers per second. "
          "Raw: `%s` (JMH JSON) and `%s` (console)." % (path.split("/")[-1],
          path.split("/")[-1].replace(".json", ".log")), ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
