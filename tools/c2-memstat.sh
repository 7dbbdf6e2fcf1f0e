#!/usr/bin/env bash
# C2's arena per compilation in every JVM of a 1 GiB swarm (1 Spate seed, LEECHERS Spate leechers, 1 MiB pieces):
# the compiles that set a JVM's native-memory peak (perf-results/memory/SUMMARY.md). Needs a JDK 21+ (MemStat):
#
#   tools/c2-memstat.sh OUT_DIR [JAR]      # JAR: default engine/target/engine.jar; JAVA25: the JDK 21+ java to use
#
# Each JVM's VM output (MemStat prints every compile's arena at its end) goes to OUT_DIR/vm-PID.log, the swarm's JSON
# line to OUT_DIR/swarm.json; printed: each JVM's 3 largest C2 compiles. That JDK runs without Spate's CDS archive, so
# the swarm's anonymous-memory figures are not the JDK 17 launcher's; the compiles' sizes are the point. Bounded by
# tools/swarm.sh's own timeouts.
set -euo pipefail
(( $# >= 1 && $# <= 2 )) || { sed -n '2,5p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1
jar=$(readlink -f "${2:-$here/../engine/target/engine.jar}")
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
leechers=${LEECHERS:-8}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/vm-*.log
list=$(printf 'spate,%.0s' $(seq "$leechers")); list=${list%,}
SPATE_JAR=$jar SPATE_JAVA=$java25 SPATE_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput \
-XX:+LogVMOutput -XX:LogFile=$out/vm-%p.log -XX:CompileCommand=quiet -XX:CompileCommand=MemStat,*.*,print" \
    /usr/bin/python3 "$here/swarm-memory.py" spate "$list" 1024 > "$out/swarm.json"
for f in "$out"/vm-*.log; do
    role=$(grep -o -m1 ' leech \| seed ' "$f" || true)
    echo "$(basename "$f" .log)${role:- ?}: $(grep -c '^c2 .*Arena usage' "$f") C2 compiles; largest:"
    grep '^c2 .*Arena usage' "$f" | sed -E 's/.*Arena usage ([^ ]+): Total Usage: ([0-9]+).*/\2 \1/' | sort -rn | head -3 |
        awk '{printf "   %6.1f MiB %s\n", $1 / 1048576, $2}'
done
