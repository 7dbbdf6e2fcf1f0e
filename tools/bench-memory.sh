#!/usr/bin/env bash
# Anonymous memory of a swarm's clients, interleaved rounds: one JSON line per client run to perf-results/memory/.
#
#   ROUNDS=3 LEECHERS=8 SIZE_MIB=1024 tools/bench-memory.sh ARM...
#   arms: spate, aria2, libtorrent (this checkout), spate-before (the checkout in BEFORE_ROOT, with its own
#   launcher and lab driver: e.g. `git archive COMMIT | tar -x -C DIR` built with mvn package; BEFORE_COMMIT names
#   it in the output), spate-arenas16
#   (this checkout with glibc's default arena count on 2 cores, MALLOC_ARENA_MAX=16), spate-trim (this checkout
#   with glibc's heap trimmed every 250 ms, JDK 17.0.9+; runs before 2026-12-07T02:05 had the trim in the launcher
#   and an arm spate-notrim without it)
#
# Each run is tools/swarm-memory.py CLIENT CLIENT x LEECHERS SIZE_MIB (1 MiB pieces): peak RssAnon and CPU of the
# seed and of every leecher, with swarm.sh's times. Out: perf-results/memory/runs.jsonl (appended), each line with
# the arm, round, commit, load average before and after, and the command. Bounded by swarm.sh's own timeouts.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
LEECHERS=${LEECHERS:-8}
SIZE_MIB=${SIZE_MIB:-1024}
OUT=${OUT:-$ROOT/perf-results/memory/runs.jsonl}
(( $# >= 1 )) || { sed -n '2,9p' "$0" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
RUN=$(date -u +%Y%m%dT%H%M%SZ)

for round in $(seq 1 "$ROUNDS"); do
    for arm in "$@"; do
        root=$ROOT client=$arm env=()
        case $arm in
            spate-before) root=${BEFORE_ROOT:?BEFORE_ROOT: a built checkout of the commit before}; client=spate ;;
            spate-arenas16) client=spate env=(MALLOC_ARENA_MAX=16) ;;
            spate-trim) client=spate
                env=(SPATE_JAVA_OPTS="-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=250 ${SPATE_JAVA_OPTS-}") ;;
            spate|aria2|libtorrent) ;;
            *) echo "unknown arm: $arm" >&2; exit 2 ;;
        esac
        leechers=$(printf "$client,%.0s" $(seq 1 "$LEECHERS"))
        cmd="tools/swarm-memory.py $client ${leechers%,} $SIZE_MIB"
        load_before=$(cut -d' ' -f1-3 /proc/loadavg)
        line=$(cd "$root" && env ${env[@]+"${env[@]}"} timeout 1200 $cmd 2> /dev/null | tail -1) || true
        [[ $line == "{"* ]] || line='{"ok":false,"error":"no result"}'
        printf '{"run":"%s","arm":"%s","round":%d,"commit":"%s","root":"%s","env":"%s","command":"%s",' \
            "$RUN" "$arm" "$round" "$( [[ $arm == spate-before ]] && echo "${BEFORE_COMMIT:-before}" || echo "$COMMIT")" "$root" \
            "${env[*]-}" "$cmd" >> "$OUT"
        printf '"load_before":"%s","load_after":"%s","result":%s}\n' "$load_before" \
            "$(cut -d' ' -f1-3 /proc/loadavg)" "$line" >> "$OUT"
        echo "round $round $arm done" >&2
    done
done
