#!/usr/bin/env bash
# The issue-5 benchmark: one Spate seed -> one Spate leecher, beside libtorrent -> libtorrent on the same data,
# ROUNDS rounds interleaved (spate, libtorrent, spate, libtorrent, ...), each a fresh tools/pair.sh run.
#
#   tools/bench-pair.sh                          # 1024 MiB, 1024 KiB pieces (mktorrent -l 20), 3 rounds
#   SIZE_MIB=64 ROUNDS=1 OUT=/tmp/x tools/bench-pair.sh      # a quick try, elsewhere
#   BARE=1 tools/bench-pair.sh                   # + the bare machine pipeline (bench's BarePipeline) in every round,
#                                                # after the pairs, on the same data (READ_KIB=16 its read size)
#
# Appends JSON lines to $OUT/results.jsonl (default perf-results/pair/) and rewrites $OUT/SUMMARY.md with the
# medians and the ratio Spate / libtorrent of this run (SUMMARY=FILE writes it elsewhere). Needs engine/target/engine.jar (mvn -o -DskipTests package); BARE=1 bench/target/bench.jar too.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
. "$ROOT/tools/bench-lib.sh"

bench_settings 3 pair
BARE=${BARE:-0}
COMMAND="SIZE_MIB=$SIZE_MIB PIECE_KIB=$PIECE_KIB ROUNDS=$ROUNDS"
[[ $BARE == 1 ]] && COMMAND+=" BARE=1 READ_KIB=${READ_KIB:-16}"
COMMAND+=" tools/bench-pair.sh"

for round in $(seq 1 "$ROUNDS"); do
    for client in spate libtorrent; do
        bench_pair "$OUT/results.jsonl" "$RUN" "$COMMAND" "$round" "$client" "$client" "$SIZE_MIB" "$PIECE_KIB"
    done
    if [[ $BARE == 1 ]]; then
        bench_bare "$OUT/results.jsonl" "$RUN" "$COMMAND" "$round" "$SIZE_MIB"
    fi
done
"$SPATE_PYTHON" "$ROOT/tools/bench_summary.py" "$OUT/results.jsonl" "$RUN" "${SUMMARY:-$OUT/SUMMARY.md}" \
    "Pair benchmark: Spate → Spate beside libtorrent → libtorrent (issue 5)" \
    --ratio "spate:spate/libtorrent:libtorrent" --ratio "spate:spate/bare:bare" \
    --ratio "libtorrent:libtorrent/bare:bare" \
    --goal "Spate ≥ 2.5 × libtorrent's MB/s (1 GiB, 1 MiB pieces, loopback; issue 5)." \
    --goal "Issue 17: from launch, ≥ 2x libtorrent → libtorrent and ≥ 70 % of the bare machine pipeline (BARE=1)."
