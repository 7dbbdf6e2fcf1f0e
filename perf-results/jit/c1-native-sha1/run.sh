#!/bin/bash
# C1 + native SHA-1 (wt-sha) against main 775bbb5 (/work/main), interleaved; outputs in /work/m3
set -u
A=/work/wt-sha; B=/work/main
log() { echo "$1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a /work/m3/log; }
log start
# 1. pair 1 GiB, Spate -> Spate, 6 rounds: before = main's jar on C2 tiers with the JDK's SHA-1, after = the new jar as the launcher runs it
cd $A && { echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); v1 = main 775bbb5 jar with -XX:TieredStopAtLevel=4 (C2 tiers, JDK SHA-1, as main's launcher runs it), v2 = native-sha jar as its launcher runs it (C1 only, native SHA-1); seeds run the same variant";
  echo "# cd wt-sha && /usr/bin/python3 tools/pair-ab.py --rounds 6 --seeder spate /work/main/engine/target/engine.jar::-XX:TieredStopAtLevel=4 engine/target/engine.jar";
  timeout 900 /usr/bin/python3 tools/pair-ab.py --rounds 6 --seeder spate /work/main/engine/target/engine.jar::-XX:TieredStopAtLevel=4 engine/target/engine.jar; } > /work/m3/pair-ab.txt 2>&1
log pair-ab
# 2. 4 MiB from launch, libtorrent seed, 9 rounds interleaved: libtorrent leecher, Spate before (main's launcher), after
for r in $(seq 1 9); do
  for arm in libtorrent before after; do
    case $arm in libtorrent) root=$A; l=libtorrent ;; before) root=$B; l=spate ;; after) root=$A; l=spate ;; esac
    out=$(cd $root && timeout 120 tools/pair.sh libtorrent $l 4 2>/dev/null | tail -1)
    echo "{\"round\":$r,\"arm\":\"$arm\",\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":${out:-null}}" >> /work/m3/startup4.jsonl
  done
done
log startup4
# 3. swarm memory/time/CPU, 3 rounds, with libtorrent and aria2
cd $A && BEFORE_ROOT=$B BEFORE_COMMIT=775bbb5 ROUNDS=3 timeout 2400 tools/bench-memory.sh spate-before spate libtorrent aria2 > /work/m3/memory.txt 2>&1
log memory
# 4. pair and cross pairs (the table)
cd $A && BARE=1 ROUNDS=3 timeout 1200 tools/bench-pair.sh > /work/m3/pair.txt 2>&1
log pair
cd $A && PAIRS="libtorrent:libtorrent libtorrent:spate spate:libtorrent" ROUNDS=3 timeout 1200 tools/bench-interop.sh > /work/m3/interop.txt 2>&1
log interop
# 5. the lab's efficiency scenario, before as a variant (main's jar, C2 tiers)
cd $A && timeout 2400 /usr/bin/python3 tools/swarm-lab/lab.py bench tools/swarm-lab/scenarios/efficiency.json --clients spate,libtorrent,aria2 \
  --spate-variant before-775bbb5= --spate-env before-775bbb5:SPATE_JAR=/work/main/engine/target/engine.jar --spate-env before-775bbb5:SPATE_JIT=c2 \
  --rounds 3 --out perf-results/swarm-lab/c1-native-sha1 > /work/m3/lab.txt 2>&1
log lab
