#!/usr/bin/env bash
# Heap held by the tracker's swarm registry with 1,000,000 peers across 10,000 swarms, in a 512 MiB heap.
# Needs bench/target/bench.jar (mvn -q -o -DskipTests package). Appends one JSON line to
# perf-results/tracker/memory.jsonl and rewrites perf-results/tracker/MEMORY.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/perf-results/tracker
mkdir -p "$OUT"
CMD="java -Xmx512m -cp bench/target/bench.jar io.spate.bench.TrackerMemory 1000000 10000"
cd "$ROOT"
json=$($CMD)
line="{\"date\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"command\":\"$CMD\",\"java\":\"$(java -version 2>&1 | head -1 | tr -d '"')\",${json:1}"
echo "$line" | tee -a "$OUT/memory.jsonl"
python3 - "$line" "$OUT/MEMORY.md" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("# Tracker registry memory\n\n")
    f.write("%d peers across %d swarms (1 in 10 IPv6, 1 in 4 seeds) in a %d MiB heap: **%.1f MiB** of heap used "
            "after GC (%.1f MiB before filling; %.1f bytes a peer including swarm maps and array slack). "
            "Goal: <= 512 MiB.\n\n" % (r["peers"], r["swarms"], r["max_heap_mib"], r["heap_used_after_mib"],
                                      r["heap_used_before_mib"], r["bytes_per_peer"]))
    f.write("Measured %s with `%s` (%s), run by `tools/tracker-memory.sh`. Raw: `memory.jsonl`.\n"
            % (r["date"], r["command"], r["java"]))
PY
