#!/usr/bin/env bash
# A Spate seed and a Spate leecher connected directly (no tracker) on loopback, with the CPU each process used
# (user/system ticks from /proc, 100 a second) and the leecher's complete event (seconds, request round trip and
# piece-verify percentiles). The probe behind the CPU and request-depth figures in perf-results/pair/SUMMARY.md.
#
#   tools/spate-pair-cpu.sh [SIZE_MIB] [ROUNDS]        (default 512 MiB, 3 rounds; data cached in /tmp/spate-cpu)
#   LEECH_JARS="old.jar new.jar" tools/spate-pair-cpu.sh 1024 6     # A/B: each round runs one leecher per jar
#   LEECH_JAVA_OPTS=-Dspate.requests.max=128 tools/spate-pair-cpu.sh 1024 4   # JVM options for the leechers
#   LEECH_JAVA_OPTS=-XX:+CITime LEECH_JARS="old.jar new.jar" tools/spate-pair-cpu.sh 1024 4   # + C1/C2 compile time
#   SEED_JAR=fixed.jar WORK=/tmp/mine tools/spate-pair-cpu.sh 1024 4   # the seed's jar (default: this tree's), and a
#                                                                      # work directory of one's own (shared machines)
#
# Bounded: each leecher gets 300 s; the seed is stopped by PID at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
SIZE_MIB=${1:-512}
ROUNDS=${2:-3}
JAR="$ROOT/engine/target/engine.jar"
SEED_JAR=${SEED_JAR:-$JAR}
WORK=${WORK:-/tmp/spate-cpu}
mkdir -p "$WORK/seed"
if [[ ! -f "$WORK/seed/data.bin" || $(stat -c %s "$WORK/seed/data.bin") != $((SIZE_MIB << 20)) ]]; then
    head -c $((SIZE_MIB << 20)) /dev/urandom > "$WORK/seed/data.bin"
fi
mktorrent -l 20 -a http://127.0.0.1:1/announce -o "$WORK/t.torrent.new" "$WORK/seed/data.bin" > /dev/null
mv "$WORK/t.torrent.new" "$WORK/t.torrent"
install_cleanup_trap
PORT=$(free_port)
java -jar "$SEED_JAR" seed "$WORK/t.torrent" --dir "$WORK/seed" --bind 127.0.0.1 --port "$PORT" --no-tracker --json \
    > "$WORK/seed.jsonl" 2>&1 &
SEED=$!
track_pid "$SEED"
wait_for 120 grep -q '"started"' "$WORK/seed.jsonl" || { echo "seed did not start" >&2; exit 1; }
for round in $(seq 1 "$ROUNDS"); do for LEECH_JAR in ${LEECH_JARS:-$JAR}; do
    rm -rf "$WORK/leech"
    read -r su0 ss0 < <(awk '{print $14, $15}' "/proc/$SEED/stat")
    java ${LEECH_JAVA_OPTS:-} -jar "$LEECH_JAR" leech "$WORK/t.torrent" --dir "$WORK/leech" --bind 127.0.0.1 --port 0 \
        --no-tracker --peer "127.0.0.1:$PORT" --exit-when-done --json > "$WORK/leech.jsonl" &
    LEECH=$!
    lu=0; ls=0
    deadline=$(( $(date +%s) + 300 ))
    while kill -0 "$LEECH" 2> /dev/null; do
        if (( $(date +%s) > deadline )); then kill -TERM "$LEECH"; echo "leecher timed out" >&2; exit 1; fi
        read -r lu ls < <(awk '{print $14, $15}' "/proc/$LEECH/stat" 2> /dev/null || echo "$lu $ls")
        read -r su ss < <(awk '{print $14, $15}' "/proc/$SEED/stat")
        sleep 0.05
    done
    wait "$LEECH" || { echo "leecher failed" >&2; exit 1; }
    cmp -s "$WORK/seed/data.bin" "$WORK/leech/data.bin" || { echo "data differs" >&2; exit 1; }
    # with LEECH_JAVA_OPTS=-XX:+CITime the JVM prints its compile times to stdout at exit
    jit=$(awk '/C1 Compile Time:|C2 Compile Time:/ {printf " %s %s s", $1, $4}' "$WORK/leech.jsonl")
    echo "round $round: $(basename "$LEECH_JAR"): load $(cut -d' ' -f1-3 /proc/loadavg); seed cpu user $((su - su0)) sys $((ss - ss0)); leecher cpu" \
        "(JVM start included) user $lu sys $ls;${jit:+ JIT$jit;} $(grep '"complete"' "$WORK/leech.jsonl")"
done; done
