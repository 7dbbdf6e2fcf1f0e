#!/usr/bin/env bash
# The issue-6 interop figures: each third-party client seeding to Spate and Spate seeding to it (8 directions),
# beside libtorrent -> libtorrent and aria2 -> aria2, in one run; each a fresh tools/pair.sh run, ROUNDS rounds.
#
#   tools/bench-interop.sh                       # 1024 MiB, 1024 KiB pieces, 1 round
#   SIZE_MIB=256 ROUNDS=1 tools/bench-interop.sh
#   PAIRS="libtorrent:libtorrent libtorrent:spate spate:libtorrent" ROUNDS=3 tools/bench-interop.sh   # the goal pairs
#
# Appends JSON lines to $OUT/results.jsonl (default perf-results/interop/) and rewrites $OUT/SUMMARY.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
. "$ROOT/tools/bench-lib.sh"

bench_settings 1 interop
ALL_PAIRS="libtorrent:libtorrent libtorrent:spate spate:libtorrent aria2:aria2 aria2:spate spate:aria2
    qbittorrent:spate spate:qbittorrent transmission:spate spate:transmission"
PAIRS_ENV=${PAIRS:-}
read -r -a PAIRS <<< "$(echo ${PAIRS_ENV:-$ALL_PAIRS})"
COMMAND="${MAGNET:+MAGNET=$MAGNET }SIZE_MIB=$SIZE_MIB PIECE_KIB=$PIECE_KIB ROUNDS=$ROUNDS${PAIRS_ENV:+ PAIRS=\"$PAIRS_ENV\"} tools/bench-interop.sh"

for round in $(seq 1 "$ROUNDS"); do
    for p in "${PAIRS[@]}"; do
        bench_pair "$OUT/results.jsonl" "$RUN" "$COMMAND" "$round" "${p%%:*}" "${p##*:}" "$SIZE_MIB" "$PIECE_KIB"
    done
done
"$SPATE_PYTHON" "$ROOT/tools/bench_summary.py" "$OUT/results.jsonl" "$RUN" "$OUT/SUMMARY.md" \
    "Interop: Spate with libtorrent, qBittorrent, Transmission, aria2, both directions (issue 6)" \
    --ratio "libtorrent:spate/libtorrent:libtorrent" --ratio "spate:libtorrent/libtorrent:libtorrent" \
    --ratio "aria2:spate/aria2:aria2" --ratio "spate:aria2/aria2:aria2" \
    --goal "Spate leeching from libtorrent ≥ libtorrent leeching from libtorrent (ratio ≥ 1)." \
    --goal "Spate seeding to libtorrent ≥ libtorrent seeding to libtorrent (ratio ≥ 1)."
