#!/usr/bin/env bash
# The issue-5 benchmark: one Spate seed -> one Spate leecher, beside libtorrent -> libtorrent on the same data,
# ROUNDS rounds interleaved (spate, libtorrent, spate, libtorrent, ...), each a fresh tools/pair.sh run.
#
#   tools/bench-pair.sh                          # 1024 MiB, 1024 KiB pieces (mktorrent -l 20), 3 rounds
#   SIZE_MIB=64 ROUNDS=1 OUT=/tmp/x tools/bench-pair.sh      # a quick try, elsewhere
#
# Appends JSON lines to $OUT/results.jsonl (default perf-results/pair/) and rewrites $OUT/SUMMARY.md with the
# medians and the ratio Spate / libtorrent of this run. Needs engine/target/engine.jar (mvn -o -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
. "$ROOT/tools/bench-lib.sh"

bench_settings 3 pair
COMMAND="SIZE_MIB=$SIZE_MIB PIECE_KIB=$PIECE_KIB ROUNDS=$ROUNDS tools/bench-pair.sh"

for round in $(seq 1 "$ROUNDS"); do
    for client in spate libtorrent; do
        bench_pair "$OUT/results.jsonl" "$RUN" "$COMMAND" "$round" "$client" "$client" "$SIZE_MIB" "$PIECE_KIB"
    done
done
"$SPATE_PYTHON" "$ROOT/tools/bench_summary.py" "$OUT/results.jsonl" "$RUN" "$OUT/SUMMARY.md" \
    "Pair benchmark: Spate → Spate beside libtorrent → libtorrent (issue 5)" \
    --ratio "spate:spate/libtorrent:libtorrent" \
    --goal "Spate ≥ 2.5 × libtorrent's MB/s (1 GiB, 1 MiB pieces, loopback)."
