#!/usr/bin/env bash
# Helper functions for Spate's scripts. Source it: `. "$(dirname "$0")/common.sh"`.
# Everything binds to 127.0.0.1; every wait is bounded; cleanup ends only the PIDs this script recorded.

SPATE_PYTHON=${SPATE_PYTHON:-/usr/bin/python3}   # Debian's python3: it has the libtorrent module
SPATE_PIDS=()

# free_port: print a port on 127.0.0.1 that the kernel had free a moment ago for TCP and for UDP alike (the Spate
# tracker and opentracker serve both on one port).
free_port() {
    "$SPATE_PYTHON" -c '
import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port)); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
print(port)'
}

# sha256_manifest DIR: "SHA256  relative/path" for every regular file under DIR, sorted by path (C locale).
sha256_manifest() {
    local dir=$1
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sed 's#  \./#  #'
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds; return 1 if SECONDS pass first.
wait_for() {
    local limit=$1; shift
    local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
    until "$@" >/dev/null 2>&1; do
        if (( $(date +%s%N) >= deadline )); then
            return 1
        fi
        sleep 0.1
    done
}

# track_pid PID: remember a PID this script started, for cleanup.
track_pid() {
    SPATE_PIDS+=("$1")
}

# stop_pid PID [GRACE_SECONDS]: SIGTERM one PID, SIGKILL it after the grace period (default 10 s), reap it.
stop_pid() {
    local pid=$1 grace=${2:-10} i
    kill -TERM "$pid" 2>/dev/null || return 0
    for (( i = 0; i < grace * 10; i++ )); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# cleanup: stop every tracked PID (newest first). Installed as the EXIT/INT/TERM trap by install_cleanup_trap.
cleanup() {
    local i
    for (( i = ${#SPATE_PIDS[@]} - 1; i >= 0; i-- )); do
        stop_pid "${SPATE_PIDS[i]}"
    done
    SPATE_PIDS=()
}

install_cleanup_trap() {
    trap cleanup EXIT
    trap 'cleanup; exit 130' INT
    trap 'cleanup; exit 143' TERM
}

# infohash TORRENT: the v1 info-hash of a .torrent, 40 lowercase hex characters.
infohash() {
    "$SPATE_PYTHON" -c 'import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hashes().v1)' "$1"
}

# start_opentracker DIR PORT HASH...: start opentracker on 127.0.0.1:PORT (TCP only) chrooted in DIR with a
# whitelist of the given info-hashes; tracks its PID and waits (10 s bound) until it accepts connections.
# The Debian build is whitelist-only. Announce URL: http://127.0.0.1:PORT/announce
start_opentracker() {
    local dir=$1 port=$2; shift 2
    mkdir -p "$dir"
    printf '%s\n' "$@" > "$dir/whitelist.txt"
    chmod 755 "$dir"; chmod 644 "$dir/whitelist.txt"
    opentracker -i 127.0.0.1 -p "$port" -d "$dir" -w /whitelist.txt > "$dir/opentracker.log" 2>&1 &
    local pid=$!
    track_pid "$pid"
    wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || { echo "opentracker did not start" >&2; return 1; }
    OPENTRACKER_PID=$pid
}

# wait_event FILE EVENT SECONDS: wait until the JSON-lines FILE has {"event":"EVENT"...}; 1 on timeout or error.
wait_event() {
    local file=$1 event=$2 limit=$3
    wait_for "$limit" grep -q -e "\"event\":\"$event\"" -e '"event":"error"' "$file" || return 1
    ! grep -q '"event":"error"' "$file"
}

# now_s: wall-clock seconds with nanoseconds, for elapsed times.
now_s() {
    date +%s.%N
}
