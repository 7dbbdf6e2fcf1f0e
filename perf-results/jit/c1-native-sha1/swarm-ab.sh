#!/bin/bash
# interleaved swarm A/B: main HEAD jar (default JIT) vs native-sha jar (ACCP SHA-1, C1 only); 1 seed + 8 leechers, 1 GiB
set -u
cd /work/main
P=-Dspate.sha1.provider=com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider
for r in $(seq 1 ${ROUNDS:-3}); do
  for arm in ${ARMS:-head c1accp}; do
    case $arm in
      head) env=(SPATE_JAR=/work/main/engine/target/engine.jar) ;;
      c2accp) env=(SPATE_JAR=/work/wt-sha/engine/target/engine.jar SPATE_JAVA_OPTS="$P") ;;
      c1accp) env=(SPATE_JAR=/work/wt-sha/engine/target/engine.jar SPATE_JAVA_OPTS="$P -XX:TieredStopAtLevel=1") ;;
    esac
    out=$(env "${env[@]}" timeout 300 /usr/bin/python3 tools/swarm-memory.py spate spate,spate,spate,spate,spate,spate,spate,spate 1024 2>/dev/null | tail -1)
    echo "{\"round\":$r,\"arm\":\"$arm\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$out}"
  done
done
