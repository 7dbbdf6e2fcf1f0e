#!/bin/bash
# size-aware native SHA-1 (wt-sha3, d3e186b) against main cf2cfd6 (native SHA-1 for every torrent, loaded at the command's start)
set -u
A=/work/wt-sha3; B=/work/main
log() { echo "$1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a /work/m3/log3; }
log start
for r in $(seq 1 9); do
  for arm in libtorrent main auto; do
    case $arm in libtorrent) root=$A; l=libtorrent ;; main) root=$B; l=spate ;; auto) root=$A; l=spate ;; esac
    out=$(cd $root && timeout 120 tools/pair.sh libtorrent $l 4 2>/dev/null | tail -1)
    echo "{\"round\":$r,\"arm\":\"$arm\",\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":${out:-null}}" >> /work/m3/startup4-v3.jsonl
  done
done
log startup4
cd $A && { echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); v1 = main cf2cfd6, v2 = native-auto d3e186b; both as tools/spate runs them"; timeout 900 /usr/bin/python3 tools/pair-ab.py --rounds 4 --seeder spate /work/main/engine/target/engine.jar engine/target/engine.jar; } > /work/m3/pair-ab-auto.txt 2>&1
log pair-ab
cd $A && timeout 2400 /usr/bin/python3 tools/swarm-lab/lab.py bench tools/swarm-lab/scenarios/efficiency.json --clients spate,libtorrent \
  --spate-variant main-cf2cfd6= --spate-env main-cf2cfd6:SPATE_JAR=/work/main/engine/target/engine.jar \
  --spate-variant c2-cf2cfd6= --spate-env c2-cf2cfd6:SPATE_JAR=/work/main/engine/target/engine.jar --spate-env c2-cf2cfd6:SPATE_JIT=c2 \
  --rounds 3 --out perf-results/swarm-lab/native-auto > /work/m3/lab3.txt 2>&1
log lab
