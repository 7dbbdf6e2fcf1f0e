#!/usr/bin/env bash
# tools/pair.sh with the CPU each side used: runs `tools/pair.sh SEEDER LEECHER SIZE_MIB [PIECE_KIB]` and, every
# 0.1 s, reads user+system CPU of the seeder's and the leecher's client processes (client.py and what it started:
# the libtorrent session runs inside client.py, a Spate JVM is its child). Prints pair.sh's JSON line with
# "seeder_cpu_s" and "leecher_cpu_s" added: CPU from start until pair.sh stops them (start-up, the seed's check, the
# transfer, and seeding on until the stop all count).
#
#   tools/pair-cpu.sh libtorrent spate 1024
#
# Only processes under this script's own pair.sh are read. Bounded by pair.sh's own timeout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
OUT=$(mktemp)
install_cleanup_trap
trap 'cleanup; rm -f "$OUT"' EXIT
"$ROOT/tools/pair.sh" "$@" > "$OUT" 2> /dev/null &
PAIR=$!
track_pid "$PAIR"

descendants() {
    local pid
    for pid in $(ps -o pid= --ppid "$1" 2> /dev/null); do
        echo "$pid"
        descendants "$pid"
    done
}
cpu_of() { { awk '{printf "%d", $14 + $15}' "/proc/$1/stat"; } 2> /dev/null || echo 0; }

declare -A last=()
while kill -0 "$PAIR" 2> /dev/null; do
    for role in seed leech; do
        total=0
        for pid in $(descendants "$PAIR"); do
            cmd=$( { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2> /dev/null) || continue
            if [[ $cmd == *client.py*"--role $role "* ]]; then
                total=$(( total + $(cpu_of "$pid") ))
                for child in $(descendants "$pid"); do total=$(( total + $(cpu_of "$child") )); done
            fi
        done
        (( total > ${last[$role]:-0} )) && last[$role]=$total
    done
    sleep 0.1
done
wait "$PAIR" || true
line=$(tail -1 "$OUT")
[[ $line == "{"* ]] || { echo "pair.sh printed no result" >&2; exit 1; }
TICKS=$(getconf CLK_TCK)
printf '%s,"seeder_cpu_s":%s,"leecher_cpu_s":%s}\n' "${line%\}}" \
    "$(awk -v t="${last[seed]:-0}" -v h="$TICKS" 'BEGIN{printf "%.2f", t/h}')" \
    "$(awk -v t="${last[leech]:-0}" -v h="$TICKS" 'BEGIN{printf "%.2f", t/h}')"
