#!/usr/bin/env bash
# Restart of a daemon seeding many torrents, with fast resume and without: time from launch until every torrent
# seeds again, pieces re-hashed (the API's count), and heap in use (from /metrics).
#   TORRENTS=10000 SIZE_KIB=64 tools/service-restart.sh      (defaults: 200 torrents of 256 KiB)
# Torrents are made with libtorrent (one process, not one JVM per torrent) and added over the API from one
# Python process. Everything on 127.0.0.1; every wait bounded; only the daemon this script starts is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/common.sh
install_cleanup_trap

TORRENTS=${TORRENTS:-200}
SIZE_KIB=${SIZE_KIB:-256}
WAIT_S=${WAIT_S:-600}
WORK=$(mktemp -d /tmp/spate-service-restart.XXXXXX)
JAR=engine/target/engine.jar
[[ -f $JAR ]] || mvn -B -q -pl engine package -DskipTests

echo "service-restart: $TORRENTS torrents of $SIZE_KIB KiB in $WORK" >&2
"$SPATE_PYTHON" - "$WORK" "$TORRENTS" "$SIZE_KIB" <<'PY'
import os, sys, libtorrent as lt
work, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 1024
os.makedirs(f"{work}/data", exist_ok=True); os.makedirs(f"{work}/torrents", exist_ok=True)
for i in range(count):
    name = f"file-{i:05d}.bin"
    with open(f"{work}/data/{name}", "wb") as f:
        f.write(os.urandom(size))
    fs = lt.file_storage(); lt.add_files(fs, f"{work}/data/{name}")
    t = lt.create_torrent(fs, 16384); lt.set_piece_hashes(t, f"{work}/data")
    with open(f"{work}/torrents/{i:05d}.torrent", "wb") as f:
        f.write(lt.bencode(t.generate()))
PY

API_PORT=$(free_port)
API=127.0.0.1:$API_PORT
start_daemon() {
    java -Xmx1g -jar "$JAR" daemon --state "$WORK/state" --api "$API" --port 0 --bind 127.0.0.1 \
        > "$WORK/daemon.out" 2> "$WORK/daemon.err" &
    DAEMON=$!
    track_pid "$DAEMON"
}
stats() { curl -sf "http://$API/api/stats"; }
all_seeding() {
    stats | "$SPATE_PYTHON" -c 'import json,sys; s=json.load(sys.stdin); sys.exit(s["states"]["seeding"] != int(sys.argv[1]))' \
        "$TORRENTS"
}
heap_mib() {
    curl -sf "http://$API/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"\}/ {printf "%.1f", $2 / 1048576}'
}
timed_start() {  # sets ELAPSED: seconds from launch until every torrent seeds (no subshell: DAEMON must stick)
    local t0; t0=$(date +%s%N)
    start_daemon
    wait_for 60 stats || { echo "the daemon's API did not come up" >&2; exit 1; }
    wait_for "$WAIT_S" all_seeding || { echo "not every torrent seeds after $WAIT_S s" >&2; exit 1; }
    ELAPSED=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
}
field() { stats | "$SPATE_PYTHON" -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

start_daemon
wait_for 60 stats || { echo "the daemon's API did not come up" >&2; exit 1; }
"$SPATE_PYTHON" - "$WORK" "$API" <<'PY'
import glob, sys, urllib.parse, urllib.request
work, api = sys.argv[1], sys.argv[2]
query = "?dir=" + urllib.parse.quote(f"{work}/data")
for path in sorted(glob.glob(f"{work}/torrents/*.torrent")):
    with open(path, "rb") as f:
        req = urllib.request.Request(f"http://{api}/api/torrents{query}", data=f.read(), method="POST",
                                     headers={"Content-Type": "application/x-bittorrent"})
    urllib.request.urlopen(req, timeout=30).read()
PY
wait_for "$WAIT_S" all_seeding || { echo "not every torrent seeds after adding" >&2; exit 1; }
stop_pid "$DAEMON" 60

timed_start; FAST_S=$ELAPSED; FAST_REHASHED=$(field rehashed_pieces); FAST_HEAP=$(heap_mib)
stop_pid "$DAEMON" 60
rm -f "$WORK"/state/resume/*.resume
timed_start; FULL_S=$ELAPSED; FULL_REHASHED=$(field rehashed_pieces); FULL_HEAP=$(heap_mib)
stop_pid "$DAEMON" 60

PIECES=$(( TORRENTS * ((SIZE_KIB + 15) / 16) ))
printf '{"torrents":%d,"size_kib":%d,"pieces":%d,"fast_resume":{"seconds":%s,"rehashed_pieces":%s,"heap_mib":%s},' \
    "$TORRENTS" "$SIZE_KIB" "$PIECES" "$FAST_S" "$FAST_REHASHED" "$FAST_HEAP"
printf '"full_check":{"seconds":%s,"rehashed_pieces":%s,"heap_mib":%s}}\n' "$FULL_S" "$FULL_REHASHED" "$FULL_HEAP"
[[ ${KEEP:-0} == 1 ]] || rm -rf "$WORK"
