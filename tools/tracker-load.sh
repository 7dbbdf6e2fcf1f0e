#!/usr/bin/env bash
# Load-tests the Spate tracker and opentracker side by side with wrk, on 127.0.0.1.
#
#   tools/tracker-load.sh            # 3 rounds, 10 s per measurement (about 9 minutes)
#   ROUNDS=1 DURATION=3 tools/tracker-load.sh   # quick check
#   JFR=1 tools/tracker-load.sh      # also record a JFR profile of the Spate tracker
#   OUT=/tmp/x tools/tracker-load.sh # write results elsewhere (default perf-results/tracker)
#
# Needs engine/target/engine.jar (mvn -q -o -DskipTests package), wrk and opentracker (Debian's whitelist-only
# build). Measures announce (peer_id and port vary per request: every request is a new peer) and scrape, wrk -t2 at
# -c50 and -c200, with keep-alive and with "Connection: close" on every request; rounds interleave the trackers and
# alternate which goes first. Appends JSON lines to perf-results/tracker/results.jsonl and writes
# perf-results/tracker/SUMMARY.md (medians, ratios, this command). Starts and stops only its own two trackers.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/engine/target/engine.jar
OUT=${OUT:-$ROOT/perf-results/tracker}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
THREADS=2
LUA=$ROOT/tools/tracker-load/request.lua
RUN=$(date -u +%Y-%m-%dT%H:%M:%SZ)
COMMAND="ROUNDS=$ROUNDS DURATION=$DURATION${JFR:+ JFR=$JFR} tools/tracker-load.sh"

for tool in wrk opentracker java curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
[[ -f $JAR ]] || { echo "error: $JAR missing: run mvn -q -o -DskipTests package" >&2; exit 1; }
mkdir -p "$OUT"

WORK=$(mktemp -d /tmp/tracker-load.XXXXXX)
SPATE_PID=""
OT_PID=""
cleanup() {
  for pid in $SPATE_PID $OT_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# 100 swarms, whitelisted on both trackers
for i in $(seq 1 100); do printf 'spate-load-%d' "$i" | sha1sum | cut -c1-40; done > "$WORK/whitelist.txt"
mkdir -p "$WORK/chroot"
cp "$WORK/whitelist.txt" "$WORK/chroot/whitelist.txt"
chmod 755 "$WORK" "$WORK/chroot"; chmod 644 "$WORK/chroot/whitelist.txt"

SPATE_PORT=$(free_port)
OT_PORT=$(free_port)
JAVA_OPTS=(-Xmx512m -Xms512m)
if [[ -n ${JFR:-} ]]; then
  JAVA_OPTS+=("-XX:StartFlightRecording=filename=$OUT/spate-tracker.jfr,settings=profile")
fi
java "${JAVA_OPTS[@]}" -jar "$JAR" tracker --bind 127.0.0.1 --port "$SPATE_PORT" \
  --whitelist "$WORK/whitelist.txt" --json > "$WORK/spate.log" 2>&1 &
SPATE_PID=$!
opentracker -i 127.0.0.1 -p "$OT_PORT" -P "$OT_PORT" -d "$WORK/chroot" -w /whitelist.txt > "$WORK/ot.log" 2>&1 &
OT_PID=$!

HASH1=$(head -1 "$WORK/whitelist.txt" | sed 's/../%&/g')
sanity() { # tracker url: one announce and one scrape must succeed
  local body
  for _ in $(seq 1 100); do
    body=$(curl -s --max-time 2 "$2/announce?info_hash=$HASH1&peer_id=-SANITY-000000000000&port=9&uploaded=0"\
"&downloaded=0&left=1&compact=1" | tr -d '\000' || true)
    [[ $body == *"5:peers"* ]] && break
    sleep 0.1
  done
  [[ $body == *"5:peers"* ]] || {
    echo "error: $1 does not answer announces: $body" >&2; cat "$WORK"/*.log >&2; exit 1; }
  body=$(curl -s --max-time 2 "$2/scrape?info_hash=$HASH1")
  [[ $body == *"5:files"* && $body == *"8:complete"* ]] || { echo "error: $1 scrape failed: $body" >&2; exit 1; }
}
SPATE_URL="http://127.0.0.1:$SPATE_PORT"
OT_URL="http://127.0.0.1:$OT_PORT"
sanity spate "$SPATE_URL"
sanity opentracker "$OT_URL"
echo "spate: $(head -1 "$WORK/spate.log")"
echo "opentracker: pid $OT_PID, port $OT_PORT; run $RUN, $ROUNDS rounds of ${DURATION}s"

run_one() { # tracker url kind close conns round
  local tracker=$1 url=$2 kind=$3 close=$4 conns=$5 round=$6 out json
  local args=("$kind" "$WORK/whitelist.txt")
  [[ $close == true ]] && args+=(close)
  out=$(timeout $((DURATION + 60)) wrk -t$THREADS -c"$conns" -d"${DURATION}s" --timeout 5s -s "$LUA" "$url" \
    -- "${args[@]}")
  json=$(grep '^JSON ' <<<"$out" | cut -c6-)
  [[ -n $json ]] || { echo "error: wrk gave no figures: $out" >&2; exit 1; }
  local head="{\"run\":\"$RUN\",\"tracker\":\"$tracker\",\"kind\":\"$kind\",\"connection_close\":$close"
  head+=",\"connections\":$conns,\"threads\":$THREADS,\"round\":$round,\"duration_s\":$DURATION"
  echo "$head,${json:1}" \
    | tee -a "$OUT/results.jsonl"
}

# warm-up (not recorded): JIT for the JVM, same load for opentracker
timeout 60 wrk -t$THREADS -c50 -d5s -s "$LUA" "$SPATE_URL" -- announce "$WORK/whitelist.txt" > /dev/null
timeout 60 wrk -t$THREADS -c50 -d3s -s "$LUA" "$SPATE_URL" -- scrape "$WORK/whitelist.txt" > /dev/null
timeout 60 wrk -t$THREADS -c50 -d3s -s "$LUA" "$OT_URL" -- announce "$WORK/whitelist.txt" > /dev/null

for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order=(spate opentracker); else order=(opentracker spate); fi
  for kind in announce scrape; do
    for close in false true; do
      for conns in 50 200; do
        for tracker in "${order[@]}"; do
          if [[ $tracker == spate ]]; then url=$SPATE_URL; else url=$OT_URL; fi
          run_one "$tracker" "$url" "$kind" "$close" "$conns" "$round"
        done
      done
    done
  done
done

kill -0 "$SPATE_PID" 2>/dev/null || { echo "error: the Spate tracker died" >&2; cat "$WORK/spate.log" >&2; exit 1; }
kill -0 "$OT_PID" 2>/dev/null || { echo "error: opentracker died" >&2; exit 1; }
python3 "$ROOT/tools/tracker-load/summarize.py" "$OUT/results.jsonl" "$OUT/SUMMARY.md" "$COMMAND" "$RUN"
