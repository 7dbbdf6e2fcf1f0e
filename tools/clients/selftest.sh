#!/usr/bin/env bash
# Self-test of the client drivers through a real opentracker on loopback.
#
#   tools/clients/selftest.sh [SEED:LEECH ...]      (default: libtorrent seeds to each client, each seeds to libtorrent)
#
# For each pair and each torrent (single: one 16 MiB file; multi: nested folders, a 0-byte file, 16 MiB in all;
# mktorrent -l 18, i.e. 256 KiB pieces) it starts the seed, waits for its "complete", starts the leech, waits for
# its "complete", compares the SHA-256 manifests and stops both. One JSON line per pair on stdout:
#   {"seed":..,"leech":..,"torrent":..,"bytes":..,"seed_ready_s":..,"leech_s":..,"mb_s":..,"integrity":..,"result":..}
# Environment: SIZE_MIB (16), PAIR_TIMEOUT (90 s, the bound on each leech), KEEP=1 keeps the work dir,
# ENCRYPTION (plain | default: the clients' own encryption policy).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common.sh"
install_cleanup_trap

SIZE_MIB=${SIZE_MIB:-16}
PAIR_TIMEOUT=${PAIR_TIMEOUT:-90}
ENCRYPTION=${ENCRYPTION:-plain}
CLIENT=("$SPATE_PYTHON" "$HERE/client.py")
WORK=$(mktemp -d /tmp/spate-selftest.XXXXXX)
remove_work() { cleanup; [[ ${KEEP:-0} == 1 ]] || rm -rf "$WORK"; }
trap remove_work EXIT

if (( $# > 0 )); then
    PAIRS=("$@")
else
    PAIRS=(libtorrent:libtorrent libtorrent:qbittorrent libtorrent:transmission libtorrent:aria2
           qbittorrent:libtorrent transmission:libtorrent aria2:libtorrent)
fi

make_data() {
    local bytes=$(( SIZE_MIB * 1048576 ))
    mkdir -p "$WORK/src/single" "$WORK/src/multi/tree/a/b/c" "$WORK/src/multi/tree/d/e" "$WORK/src/multi/tree/f"
    head -c "$bytes" /dev/urandom > "$WORK/src/single/data.bin"
    local first=$(( bytes / 3 + 12345 )) second=$(( bytes / 4 - 777 ))
    head -c "$first" /dev/urandom > "$WORK/src/multi/tree/a/b/c/first.bin"
    head -c "$second" /dev/urandom > "$WORK/src/multi/tree/d/e/second.bin"
    head -c 1000 /dev/urandom > "$WORK/src/multi/tree/f/small.txt"
    head -c $(( bytes - first - second - 1000 )) /dev/urandom > "$WORK/src/multi/tree/third.bin"
    : > "$WORK/src/multi/tree/a/b/empty.dat"
    mktorrent -a "$ANNOUNCE" -l 18 -o "$WORK/single.torrent" "$WORK/src/single/data.bin" > /dev/null
    mktorrent -a "$ANNOUNCE" -l 18 -o "$WORK/multi.torrent" "$WORK/src/multi/tree" > /dev/null
    sha256_manifest "$WORK/src/single" > "$WORK/single.manifest"
    sha256_manifest "$WORK/src/multi" > "$WORK/multi.manifest"
}

# field FILE EVENT KEY: a numeric field of the first EVENT line of a JSON-lines file (empty if none).
field() {
    grep -m1 "\"event\":\"$2\"" "$1" 2>/dev/null | sed -n "s/.*\"$3\":\([0-9.]*\).*/\1/p"
}

run_pair() {
    local seed=$1 leech=$2 kind=$3
    local dir="$WORK/run/$seed-$leech-$kind" result=fail integrity=none note=""
    mkdir -p "$dir/dl"
    local sport lport
    sport=$(free_port); lport=$(free_port)
    # The seed re-announces every 2 s so it learns of a leech that cannot dial out (transmission).
    "${CLIENT[@]}" --client "$seed" --role seed --torrent "$WORK/$kind.torrent" --dir "$WORK/src/$kind" \
        --port "$sport" --workdir "$dir" --encryption "$ENCRYPTION" --timeout $(( PAIR_TIMEOUT + 90 )) \
        --reannounce-interval 2 \
        > "$dir/seed.jsonl" 2> "$dir/seed.err" &
    local seed_pid=$!
    track_pid "$seed_pid"
    local leech_pid=""
    if wait_event "$dir/seed.jsonl" complete 60; then
        # A leech that announces before the seed has gets no peers; transmission seeds cannot dial it back.
        [[ $seed == aria2 ]] || wait_for 10 grep -q '"event":"announced"' "$dir/seed.jsonl" || true
        "${CLIENT[@]}" --client "$leech" --role leech --torrent "$WORK/$kind.torrent" --dir "$dir/dl" \
            --port "$lport" --workdir "$dir" --encryption "$ENCRYPTION" --timeout "$PAIR_TIMEOUT" \
            --reannounce-interval 2 \
            > "$dir/leech.jsonl" 2> "$dir/leech.err" &
        leech_pid=$!
        track_pid "$leech_pid"
        if wait_event "$dir/leech.jsonl" complete $(( PAIR_TIMEOUT + 5 )); then
            if diff <(sha256_manifest "$dir/dl") "$WORK/$kind.manifest" > "$dir/manifest.diff"; then
                integrity=ok; result=pass
            else
                integrity=mismatch; note="see $dir/manifest.diff"
            fi
        else
            note="leech: $(grep -m1 '"event":"error"' "$dir/leech.jsonl" | head -c 300 || echo 'no complete')"
        fi
    else
        note="seed: $(grep -m1 '"event":"error"' "$dir/seed.jsonl" | head -c 300 || echo 'no complete')"
    fi
    [[ -n $leech_pid ]] && stop_pid "$leech_pid"
    stop_pid "$seed_pid"
    local stopped=true
    grep -q '"event":"stopped"' "$dir/seed.jsonl" || stopped=false
    [[ -z $leech_pid ]] || grep -q '"event":"stopped"' "$dir/leech.jsonl" || stopped=false
    [[ $stopped == true ]] || { result=fail; note="$note; a driver did not print stopped"; }
    local bytes seed_s leech_s mbs
    bytes=$(field "$dir/seed.jsonl" started bytes)
    seed_s=$(field "$dir/seed.jsonl" complete seconds)
    leech_s=$(field "$dir/leech.jsonl" complete seconds)
    mbs=null
    [[ -n $leech_s && -n $bytes ]] && mbs=$(awk -v b="$bytes" -v s="$leech_s" 'BEGIN { printf "%.1f", b / s / 1e6 }')
    note=${note//\\/\\\\}; note=${note//\"/\\\"}
    printf '{"seed":"%s","leech":"%s","torrent":"%s","bytes":%s,"seed_ready_s":%s,"leech_s":%s,"mb_s":%s,' \
        "$seed" "$leech" "$kind" "${bytes:-null}" "${seed_s:-null}" "${leech_s:-null}" "$mbs"
    printf '"integrity":"%s","result":"%s","note":"%s"}\n' "$integrity" "$result" "$note"
    [[ $result == pass ]]
}

TRACKER_PORT=$(free_port)
ANNOUNCE="http://127.0.0.1:$TRACKER_PORT/announce"
make_data
start_opentracker "$WORK/tracker" "$TRACKER_PORT" \
    "$(infohash "$WORK/single.torrent")" "$(infohash "$WORK/multi.torrent")"

failures=0
for pair in "${PAIRS[@]}"; do
    for kind in single multi; do
        run_pair "${pair%%:*}" "${pair##*:}" "$kind" || failures=$(( failures + 1 ))
    done
done
exit $(( failures > 0 ))
