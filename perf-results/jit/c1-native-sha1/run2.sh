#!/bin/bash
set -u
A=/work/wt-sha; B=/work/main
log() { echo "$1 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a /work/m3/log2; }
log start
cd $A && timeout 2400 /usr/bin/python3 tools/swarm-lab/lab.py bench tools/swarm-lab/scenarios/efficiency.json --clients spate,libtorrent,aria2 \
  --spate-variant before-775bbb5= --spate-env before-775bbb5:SPATE_JAR=/work/main/engine/target/engine.jar --spate-env before-775bbb5:SPATE_JIT=c2 \
  --rounds 3 --out perf-results/swarm-lab/c1-native-sha1-v2 > /work/m3/lab2.txt 2>&1
log lab
cd $A && BEFORE_ROOT=$B BEFORE_COMMIT=775bbb5 ROUNDS=3 timeout 2400 tools/bench-memory.sh spate-before spate aria2 > /work/m3/memory2.txt 2>&1
log memory
