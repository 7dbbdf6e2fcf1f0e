#!/usr/bin/env python3
"""Per-round step durations of a tools/startup/timeline.py output (its marks differenced within each round, then the
median over rounds per variant): launch -> Main, Main -> started, started -> the tracker's connect, ... -> complete.

    python3 tools/startup/timeline_steps.py TIMELINE_OUTPUT
"""
import re, sys, statistics, collections
rows = collections.defaultdict(list); cur = None
for line in open(sys.argv[1]):
    m = re.match(r"round \d+ (\S+) ", line)
    if m:
        cur = {}; rows[m.group(1)].append(cur); continue
    m = re.match(r"\s+(-?\d+) ms  (.*)", line)
    if m and cur is not None and not line.startswith("#"):
        cur[m.group(2).strip()] = int(m.group(1))
    if line.startswith("#"):
        cur = None
steps = [("launch", "Main loaded"), ("Main loaded", "started (read)"), ("started (read)", "connect: tracker"),
         ("connect: tracker", "connect: seed"), ("connect: seed", "seed: first request in"),
         ("seed: first request in", "seed: last piece out"), ("seed: last piece out", "complete (read)"),
         ("launch", "complete (read)"), ("complete (read)", "exit_group")]
for name, rs in rows.items():
    print("%s (%d rounds), per-round medians, ms:" % (name, len(rs)))
    for a, b in steps:
        d = [r[b] - r[a] for r in rs if a in r and b in r]
        if d: print("   %5d  %s -> %s" % (statistics.median(d), a, b))
    print("   %5d  cpu at complete" % statistics.median(r["cpu at complete (ms)"] for r in rs))
