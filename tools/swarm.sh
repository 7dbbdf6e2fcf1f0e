#!/usr/bin/env bash
# One seed and several leechers of any client, on loopback, through a fresh Spate tracker; one JSON line out.
#
#   tools/swarm.sh SEEDER LEECHER1,LEECHER2,... SIZE_MIB [PIECE_KIB]
#   clients: spate, libtorrent, qbittorrent, transmission, aria2 (run by tools/clients/client.py)
#
# Steps: random data of SIZE_MIB (cached as /tmp/spate-data/random-SIZEMiB.bin, hard-linked into a fresh work dir);
# a v1 torrent by mktorrent (PIECE_KIB, default 1024) announcing to a fresh `spate tracker --interval 2` on a free
# port; the seeder started and its "complete" (data checked) awaited, then the tracker scraped until it counts the
# seed; then every leecher started at once. Each leecher's "seconds" run from its client's start to its "complete";
# the aggregate MB/s is all bytes delivered over the wall time from the leechers' launch to the last "complete".
# SHA-256 manifests of every leecher's directory are compared with the data's.
# Output (swarm):
#   {"seeder":..,"leechers":[{"client":..,"seconds":..,"mb_per_s":..,"identical":..},..],"bytes":B,
#    "wall_seconds":..,"aggregate_mb_per_s":..,"identical":true|false,"piece_kib":..,"ok":true|false,"error":..}
# tools/pair.sh runs this with one leecher and prints the pair form (see there).
# MB/s are 10^6 bytes per second. Environment: TIMEOUT (leech bound, s; default 120 + SIZE_MIB/5), KEEP=1 keeps
# the work dir, WORK_ROOT (/tmp: where the work dir is made), DATA_DIR (/tmp/spate-data), SPATE_JAR,
# SPATE_JAVA_OPTS, SPATE_THREADS (see clients/spate.py); MAGNET=1 starts each leecher from a magnet link (the info-hash
# and the tracker; spate, libtorrent, qbittorrent, aria2), so it fetches the metadata from the seed first (BEP 9).
# Bounded: every wait has a limit; only processes started here are stopped, by PID. Exit 0 iff ok.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
install_cleanup_trap

usage() { sed -n '2,5p' "$0" >&2; exit 2; }
(( $# >= 3 && $# <= 4 )) || usage
SEEDER=$1
IFS=, read -r -a LEECHERS <<< "$2"
SIZE_MIB=$3
PIECE_KIB=${4:-1024}
FORMAT=${SWARM_FORMAT:-swarm}
for c in "$SEEDER" "${LEECHERS[@]}"; do
    case $c in spate|libtorrent|qbittorrent|transmission|aria2) ;; *) echo "unknown client: $c" >&2; usage ;; esac
done
[[ $SIZE_MIB =~ ^[0-9]+$ && $PIECE_KIB =~ ^[0-9]+$ ]] || usage
PIECE_LOG=$("$SPATE_PYTHON" -c 'import sys; n = int(sys.argv[1]) * 1024; b = n.bit_length() - 1
print(b if n == 1 << b and 14 <= b <= 28 else "")' "$PIECE_KIB")
[[ -n $PIECE_LOG ]] || { echo "PIECE_KIB must be a power of two, 16 to 262144" >&2; exit 2; }

TIMEOUT=${TIMEOUT:-$(( 120 + SIZE_MIB / 5 ))}
DATA_DIR=${DATA_DIR:-/tmp/spate-data}
export SPATE_JAR=${SPATE_JAR:-$ROOT/engine/target/engine.jar}
CLIENT=("$SPATE_PYTHON" "$ROOT/tools/clients/client.py")
BYTES=$(( SIZE_MIB * 1048576 ))
WORK_ROOT=${WORK_ROOT:-/tmp}
mkdir -p "$WORK_ROOT"
WORK=$(mktemp -d "$WORK_ROOT/spate-swarm.XXXXXX")
finish() { cleanup; if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap finish EXIT

ERROR=""
fail() { ERROR=$1; echo "swarm.sh: $1" >&2; report; exit 1; }

# field FILE EVENT KEY: a numeric field of the first EVENT line of a JSON-lines file (empty if none).
field() {
    { grep -m1 "\"event\":\"$2\"" "$1" 2>/dev/null || true; } | sed -n "s/.*\"$3\":\([0-9.]*\).*/\1/p"
}

# cached_data: the random data file of this size (made once) and its SHA-256.
cached_data() {
    mkdir -p "$DATA_DIR"
    DATA="$DATA_DIR/random-${SIZE_MIB}MiB.bin"
    if [[ ! -f $DATA || $(stat -c %s "$DATA") != "$BYTES" || ! -f $DATA.sha256 || $DATA -nt $DATA.sha256 ]]; then
        head -c "$BYTES" /dev/urandom > "$DATA.tmp"
        mv "$DATA.tmp" "$DATA"
        sha256sum < "$DATA" | cut -d' ' -f1 > "$DATA.sha256"
    fi
    DATA_SHA=$(cat "$DATA.sha256")
}

# scrape_complete PORT HASH: the tracker's count of seeds for the info-hash (0 if unknown).
scrape_complete() {
    "$SPATE_PYTHON" - "$1" "$2" <<'EOF'
import re, sys, urllib.parse, urllib.request
q = urllib.parse.quote_from_bytes(bytes.fromhex(sys.argv[2]))
body = urllib.request.urlopen("http://127.0.0.1:%s/scrape?info_hash=%s" % (sys.argv[1], q), timeout=2).read()
m = re.search(rb"8:completei(\d+)e", body)
print(m.group(1).decode() if m else 0)
EOF
}

seed_known() { [[ $(scrape_complete "$TRACKER_PORT" "$HASH" 2>/dev/null) -ge 1 ]]; }

report() {
    local i json="" all_identical=true ok=true
    for i in "${!LEECHERS[@]}"; do
        local secs="${L_SECONDS[i]:-null}" mbs=null ident="${L_IDENTICAL[i]:-false}"
        [[ $secs != null ]] && mbs=$(awk -v b="$BYTES" -v s="$secs" 'BEGIN { printf "%.1f", b / s / 1e6 }')
        [[ $ident == true ]] || all_identical=false
        json+=$(printf '%s{"client":"%s","seconds":%s,"mb_per_s":%s,"identical":%s}' "${json:+,}" \
            "${LEECHERS[i]}" "$secs" "$mbs" "$ident")
    done
    [[ -z $ERROR && $all_identical == true ]] || ok=false
    local err=null
    [[ -n $ERROR ]] && err=$("$SPATE_PYTHON" -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$ERROR")
    local wall=${WALL:-null} agg=null
    [[ $wall != null ]] && agg=$(awk -v b="$BYTES" -v n="${#LEECHERS[@]}" -v s="$wall" \
        'BEGIN { printf "%.1f", b * n / s / 1e6 }')
    if [[ $FORMAT == pair ]]; then
        local secs="${L_SECONDS[0]:-null}" mbs=null
        [[ $secs != null ]] && mbs=$(awk -v b="$BYTES" -v s="$secs" 'BEGIN { printf "%.1f", b / s / 1e6 }')
        printf '{"seeder":"%s","leecher":"%s","bytes":%d,"seconds":%s,"mb_per_s":%s,"identical":%s,' \
            "$SEEDER" "${LEECHERS[0]}" "$BYTES" "$secs" "$mbs" "${L_IDENTICAL[0]:-false}"
        local own cpu
        own=$(field "$WORK/leech0.jsonl" complete spate_seconds)
        cpu=$(field "$WORK/leech0.jsonl" complete spate_cpu_seconds)
        printf '"wall_seconds":%s,"leecher_own_seconds":%s,"leecher_own_cpu_seconds":%s,"seed_ready_seconds":%s,' \
            "$wall" "${own:-null}" "${cpu:-null}" "${SEED_READY:-null}"
        printf '"piece_kib":%d,"ok":%s,' "$PIECE_KIB" "$ok"
        printf '"error":%s}\n' "$err"
    else
        printf '{"seeder":"%s","leechers":[%s],"bytes":%d,"wall_seconds":%s,"aggregate_mb_per_s":%s,' \
            "$SEEDER" "$json" "$BYTES" "$wall" "$agg"
        printf '"identical":%s,"seed_ready_seconds":%s,"piece_kib":%d,"ok":%s,"error":%s}\n' \
            "$all_identical" "${SEED_READY:-null}" "$PIECE_KIB" "$ok" "$err"
    fi
}

L_SECONDS=(); L_IDENTICAL=()
cached_data
mkdir -p "$WORK/seed"
ln "$DATA" "$WORK/seed/data.bin" 2>/dev/null || cp "$DATA" "$WORK/seed/data.bin"

TRACKER_PORT=$(free_port)
java -Xmx256m -jar "$SPATE_JAR" tracker --bind 127.0.0.1 --port "$TRACKER_PORT" --interval 2 --json \
    > "$WORK/tracker.jsonl" 2> "$WORK/tracker.err" &
track_pid $!
wait_for 60 grep -q '"event":"started"' "$WORK/tracker.jsonl" \
    || fail "tracker did not start: $(tail -c 300 "$WORK/tracker.err")"

mktorrent -a "http://127.0.0.1:$TRACKER_PORT/announce" -l "$PIECE_LOG" -o "$WORK/data.torrent" \
    "$WORK/seed/data.bin" > /dev/null || fail "mktorrent failed"
HASH=$(infohash "$WORK/data.torrent")

# The tracker (--interval 2) forgets a peer silent for 4 s, and libtorrent/qBittorrent seeds would not announce again
# for minutes: the seed re-announces every second so leechers find it. A Transmission leecher cannot dial out on
# loopback either: the seed learns of it by re-announcing and dials it. (Spate seeds follow the tracker's interval.)
REANNOUNCE=1
SEED_PORT=$(free_port)
"${CLIENT[@]}" --client "$SEEDER" --role seed --torrent "$WORK/data.torrent" --dir "$WORK/seed" \
    --port "$SEED_PORT" --workdir "$WORK" --reannounce-interval "$REANNOUNCE" --timeout $(( TIMEOUT + 600 )) \
    > "$WORK/seed.jsonl" 2> "$WORK/seed.err" &
track_pid $!
SEED_T0=$(now_s)
wait_event "$WORK/seed.jsonl" complete $(( 60 + SIZE_MIB / 10 )) \
    || fail "seeder $SEEDER not complete: $(grep -m1 '"error"' "$WORK/seed.jsonl" || tail -c 300 "$WORK/seed.err")"
SEED_READY=$(awk -v a="$SEED_T0" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')
wait_for 30 seed_known || fail "the tracker did not list seeder $SEEDER within 30 s"

MAGNET_ARGS=()
[[ ${MAGNET:-0} == 1 ]] && MAGNET_ARGS=(--magnet "magnet:?xt=urn:btih:$HASH&tr=http%3A%2F%2F127.0.0.1%3A$TRACKER_PORT%2Fannounce")
START=$(now_s)
for i in "${!LEECHERS[@]}"; do
    mkdir -p "$WORK/dl$i"
    "${CLIENT[@]}" --client "${LEECHERS[i]}" --role leech --torrent "$WORK/data.torrent" --dir "$WORK/dl$i" \
        --port "$(free_port)" --workdir "$WORK" --timeout "$TIMEOUT" ${MAGNET_ARGS[@]+"${MAGNET_ARGS[@]}"} \
        > "$WORK/leech$i.jsonl" 2> "$WORK/leech$i.err" &
    track_pid $!
done
deadline=$(( $(date +%s) + TIMEOUT + 10 ))
while :; do
    left=0
    for i in "${!LEECHERS[@]}"; do
        grep -q '"event":"error"' "$WORK/leech$i.jsonl" 2>/dev/null \
            && fail "leecher $i (${LEECHERS[i]}): $(grep -m1 '"event":"error"' "$WORK/leech$i.jsonl")"
        grep -q '"event":"complete"' "$WORK/leech$i.jsonl" 2>/dev/null || left=$(( left + 1 ))
    done
    (( left == 0 )) && break
    (( $(date +%s) < deadline )) || fail "$left leecher(s) not complete within ${TIMEOUT} s"
    grep -q '"event":"error"' "$WORK/seed.jsonl" && fail "seeder: $(grep -m1 '"event":"error"' "$WORK/seed.jsonl")"
    sleep 0.05
done
WALL=$(awk -v a="$START" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')

for i in "${!LEECHERS[@]}"; do
    L_SECONDS[i]=$(field "$WORK/leech$i.jsonl" complete seconds)
    if [[ "$(sha256_manifest "$WORK/dl$i")" == "$DATA_SHA  data.bin" ]]; then
        L_IDENTICAL[i]=true
    else
        L_IDENTICAL[i]=false
        sha256_manifest "$WORK/dl$i" > "$WORK/dl$i.manifest"
        echo "swarm.sh: leecher $i (${LEECHERS[i]}): manifest differs, see $WORK/dl$i.manifest" >&2
    fi
done
report
