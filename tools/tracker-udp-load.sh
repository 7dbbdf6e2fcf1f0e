#!/usr/bin/env bash
# UDP tracker (BEP 15) announce load on the Spate tracker and opentracker side by side, on 127.0.0.1.
#
#   tools/tracker-udp-load.sh                       # ROUNDS=3 DURATION=10, windows 16 and 128
#   ROUNDS=1 DURATION=3 tools/tracker-udp-load.sh   # quick check
#
# Each run is io.spate.bench.UdpTrackerLoad (one socket, WINDOW announces in flight, new peer per announce over 100
# whitelisted swarms); trackers alternate within each round, order swapped every round, after a warm-up of each.
# Appends JSON lines to perf-results/tracker/udp-results.jsonl and writes perf-results/tracker/UDP.md (medians,
# ratio). Needs engine/target/engine.jar and bench/target/bench.jar (mvn -q -o -DskipTests package) and opentracker.
# Bounded: every run stops by itself after DURATION s; only the two trackers started here are stopped, by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/engine/target/engine.jar
BENCH=$ROOT/bench/target/bench.jar
OUT=${OUT:-$ROOT/perf-results/tracker}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WINDOWS=${WINDOWS:-16 128}
RUN=$(date -u +%Y%m%dT%H%M%SZ)
COMMAND="ROUNDS=$ROUNDS DURATION=$DURATION WINDOWS=\"$WINDOWS\" tools/tracker-udp-load.sh"
for f in "$JAR" "$BENCH"; do [[ -f $f ]] || { echo "error: $f missing: mvn -q -o -DskipTests package" >&2; exit 1; }; done
command -v opentracker >/dev/null || { echo "error: opentracker is not installed" >&2; exit 1; }
mkdir -p "$OUT"

. "$ROOT/tools/common.sh"
WORK=$(mktemp -d /tmp/tracker-udp-load.XXXXXX)
install_cleanup_trap
trap 'cleanup; rm -rf "$WORK"' EXIT

for i in $(seq 1 100); do printf 'spate-udp-load-%d' "$i" | sha1sum | cut -c1-40; done > "$WORK/whitelist.txt"
mkdir -p "$WORK/chroot"
cp "$WORK/whitelist.txt" "$WORK/chroot/whitelist.txt"
chmod 755 "$WORK" "$WORK/chroot"; chmod 644 "$WORK/chroot/whitelist.txt"

SPATE_PORT=$(free_port)
OT_PORT=$(free_port)
java -Xmx512m -Xms512m -jar "$JAR" tracker --bind 127.0.0.1 --port "$SPATE_PORT" \
  --whitelist "$WORK/whitelist.txt" --json > "$WORK/spate.log" 2>&1 &
SPATE_PID=$!
track_pid "$SPATE_PID"
opentracker -i 127.0.0.1 -p "$OT_PORT" -P "$OT_PORT" -d "$WORK/chroot" -w /whitelist.txt > "$WORK/ot.log" 2>&1 &
OT_PID=$!
track_pid "$OT_PID"

load() { # port seconds window
  timeout $(( $2 + 30 )) java -Xmx256m -cp "$BENCH" io.spate.bench.UdpTrackerLoad 127.0.0.1 "$1" "$2" "$3" \
    "$WORK/whitelist.txt"
}
port_of() { if [[ $1 == spate ]]; then echo "$SPATE_PORT"; else echo "$OT_PORT"; fi; }

# warm-up (not recorded); the connect retries also wait for each tracker to be up
load "$SPATE_PORT" 5 64 > /dev/null
load "$OT_PORT" 3 64 > /dev/null
echo "run $RUN: $ROUNDS rounds of ${DURATION}s, windows $WINDOWS; spate port $SPATE_PORT, opentracker port $OT_PORT"

for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order=(spate opentracker); else order=(opentracker spate); fi
  for window in $WINDOWS; do
    for tracker in "${order[@]}"; do
      json=$(load "$(port_of "$tracker")" "$DURATION" "$window")
      echo "{\"run\":\"$RUN\",\"tracker\":\"$tracker\",\"round\":$round,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",${json:1}" \
        | tee -a "$OUT/udp-results.jsonl"
    done
  done
done
kill -0 "$SPATE_PID" 2>/dev/null || { echo "error: the Spate tracker died" >&2; cat "$WORK/spate.log" >&2; exit 1; }
kill -0 "$OT_PID" 2>/dev/null || { echo "error: opentracker died" >&2; exit 1; }

python3 - "$OUT/udp-results.jsonl" "$OUT/UDP.md" "$RUN" "$COMMAND" <<'PY'
import json, statistics, sys
path, out, run, command = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip() and json.loads(l)["run"] == run]
lines = ["# UDP tracker (BEP 15): Spate tracker beside opentracker", "",
         "Run `%s`, command `%s` (lines with this run in `udp-results.jsonl`). One load generator "
         "(io.spate.bench.UdpTrackerLoad: one socket, WINDOW announces in flight, a new peer per announce over 100 "
         "whitelisted swarms, both trackers with the same whitelist) on the same 2-core box as the tracker." % (run, command),
         "", "| window | tracker | announces/s per round | median announces/s | median p50 ms | median p99 ms | lost |",
         "|---|---|---|---|---|---|---|"]
ratios = []
for window in sorted({r["window"] for r in rows}):
    med = {}
    for tracker in ("spate", "opentracker"):
        rs = [r for r in rows if r["window"] == window and r["tracker"] == tracker]
        if not rs:
            continue
        med[tracker] = statistics.median(r["announces_per_s"] for r in rs)
        lines.append("| %d | %s | %s | %.0f | %.3f | %.3f | %d |" % (window, tracker,
            ", ".join("%.0f" % r["announces_per_s"] for r in rs), med[tracker],
            statistics.median(r["p50_ms"] for r in rs), statistics.median(r["p99_ms"] for r in rs),
            sum(r["lost"] for r in rs)))
    if len(med) == 2:
        ratios.append("- window %d: Spate / opentracker announces/s: **%.2f**" % (window, med["spate"] / med["opentracker"]))
lines += ["", "Ratios of medians (same run):", ""] + ratios + [""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
