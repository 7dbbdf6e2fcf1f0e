#!/usr/bin/env bash
# One seeder and one leecher of any client, on loopback, through a fresh Spate tracker; one JSON line out.
#
#   tools/pair.sh SEEDER LEECHER SIZE_MIB [PIECE_KIB]
#   clients: spate, libtorrent, qbittorrent, transmission, aria2
#
# tools/swarm.sh with one leecher (same steps, environment and bounds; read its header). Output:
#   {"seeder":..,"leecher":..,"bytes":B,"seconds":S,"mb_per_s":..,"identical":true|false,"wall_seconds":..,
#    "leecher_own_seconds":..,"leecher_own_cpu_seconds":..,"seed_ready_seconds":..,"piece_kib":..,"ok":true|false,
#    "error":null|".."}
# seconds: from the leecher client's start to its "complete" (client.py's clock, so startup counts);
# wall_seconds: from the leecher's launch by this script to seeing its "complete"; leecher_own_seconds: a Spate
# leecher's own clock (its seed/leech command's start inside the JVM, after boot and argument parsing, to complete;
# null for other clients); leecher_own_cpu_seconds: the CPU a Spate leecher's JVM had used by then, all threads (null
# for other clients). Exit 0 iff ok.
set -euo pipefail
(( $# >= 3 && $# <= 4 )) || { sed -n '2,5p' "$0" >&2; exit 2; }
[[ $2 != *,* ]] || { echo "pair.sh takes one leecher; use swarm.sh for several" >&2; exit 2; }
SWARM_FORMAT=pair exec "$(dirname "$0")/swarm.sh" "$@"
