#!/usr/bin/env bash
# The main job: build Spate, then run a local swarm on loopback with embedded defaults: a Spate tracker, one seed
# and LEECHERS leechers (tools/spate processes: engine.jar from its start-up archive, seed and leech sized and
# compiled as README.md says), printing their progress and the aggregate throughput. JAVA_OPTS: more JVM options.
#
#   bash tools/local-swarm.sh                    # 256 MiB, 3 leechers
#   SIZE_MIB=1024 LEECHERS=5 bash tools/local-swarm.sh
#
# Bounded: every wait has a limit; only the processes started here are stopped (by PID). Data lives in a temporary
# directory that is removed at the end (KEEP=1 keeps it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"

SIZE_MIB=${SIZE_MIB:-256}
LEECHERS=${LEECHERS:-3}
TIMEOUT=${TIMEOUT:-300}
JAR="$ROOT/engine/target/engine.jar"
export SPATE_JAVA_OPTS=${JAVA_OPTS:-${SPATE_JAVA_OPTS:-}}
export SPATE_JAR=$JAR

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "building engine.jar (mvn -q -DskipTests package) ..."
    (cd "$ROOT" && mvn -q -B -DskipTests package)
fi

WORK=$(mktemp -d /tmp/spate-swarm.XXXXXX)
finish() {
    cleanup
    if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# an array, not a function: a backgrounded function runs in a subshell whose PID is not the JVM's (the launcher
# execs the JVM, so its PID is the JVM's)
SPATE=("$ROOT/tools/spate")
spate() { "${SPATE[@]}" "$@"; }

echo "making ${SIZE_MIB} MiB of random data in $WORK ..."
mkdir -p "$WORK/seed"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/seed/data.bin"

TRACKER_PORT=$(free_port)
"${SPATE[@]}" tracker --bind 127.0.0.1 --port "$TRACKER_PORT" --interval 5 > "$WORK/tracker.log" 2>&1 &
track_pid $!
wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$TRACKER_PORT" || { echo "tracker did not start" >&2; exit 1; }
ANNOUNCE="http://127.0.0.1:$TRACKER_PORT/announce"

spate create "$WORK/seed/data.bin" -o "$WORK/data.torrent" --tracker "$ANNOUNCE" 2> /dev/null
spate info "$WORK/data.torrent" | head -5

echo "starting the seed ..."
"${SPATE[@]}" seed "$WORK/data.torrent" --dir "$WORK/seed" --bind 127.0.0.1 --port 0 --json > "$WORK/seed.jsonl" 2> "$WORK/seed.err" &
track_pid $!
wait_for 120 grep -q '"started"' "$WORK/seed.jsonl" || { echo "seed did not start:"; cat "$WORK/seed.err"; exit 1; }

echo "starting $LEECHERS leechers ..."
START_NS=$(date +%s%N)
LEECH_PIDS=()
for i in $(seq 1 "$LEECHERS"); do
    "${SPATE[@]}" leech "$WORK/data.torrent" --dir "$WORK/leech$i" --bind 127.0.0.1 --port 0 --json \
        --progress-interval 1 > "$WORK/leech$i.jsonl" 2> "$WORK/leech$i.err" &
    track_pid $!
    LEECH_PIDS+=($!)
done

# progress: one line a second with each leecher's percentage, until all are complete (bounded by TIMEOUT). The
# completions are checked every 50 ms, so the end time (and the aggregate) is not rounded up to the next progress line.
deadline=$(( $(date +%s) + TIMEOUT ))
next_line_ns=0
while :; do
    done_count=0
    for i in $(seq 1 "$LEECHERS"); do
        grep -q '"complete"' "$WORK/leech$i.jsonl" 2>/dev/null && done_count=$((done_count + 1))
    done
    now_ns=$(date +%s%N)
    (( done_count == LEECHERS )) && END_NS=$now_ns
    if (( now_ns >= next_line_ns || done_count == LEECHERS )); then
        line=""
        for i in $(seq 1 "$LEECHERS"); do
            pct=$(grep -o '"percent":[0-9.]*' "$WORK/leech$i.jsonl" 2>/dev/null | tail -1 | cut -d: -f2 || true)
            grep -q '"complete"' "$WORK/leech$i.jsonl" 2>/dev/null && pct=100
            line+=$(printf ' leech%d %5.1f%%' "$i" "${pct:-0}")
        done
        echo "[$(( (now_ns - START_NS) / 1000000 )) ms]$line"
        next_line_ns=$(( now_ns + 1000000000 ))
    fi
    (( done_count == LEECHERS )) && break
    if (( $(date +%s) >= deadline )); then echo "timed out after ${TIMEOUT}s" >&2; exit 1; fi
    sleep 0.05
done

for i in $(seq 1 "$LEECHERS"); do
    cmp -s "$WORK/seed/data.bin" "$WORK/leech$i/data.bin" || { echo "leech$i: data differs!" >&2; exit 1; }
done
elapsed_ms=$(( (END_NS - START_NS) / 1000000 ))
total_mib=$(( SIZE_MIB * LEECHERS ))
echo "all $LEECHERS leechers complete, bytes identical (cmp)"
awk -v mib="$total_mib" -v ms="$elapsed_ms" -v n="$LEECHERS" -v size="$SIZE_MIB" 'BEGIN {
    printf "aggregate: %d MiB delivered to %d leechers in %.2f s = %.1f MB/s (%.1f MB/s per leecher)\n",
        mib, n, ms / 1000, mib * 1.048576 / (ms / 1000), size * 1.048576 / (ms / 1000) }'
for i in $(seq 1 "$LEECHERS"); do
    grep '"complete"' "$WORK/leech$i.jsonl" | sed "s/^/leech$i: /"
done
