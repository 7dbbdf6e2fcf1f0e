#!/usr/bin/env python3
"""Medians per leecher jar from tools/spate-pair-cpu.sh output (stdin or files): the leecher's CPU-s per run (user +
system from /proc, JVM start included), its own cpu_seconds and seconds from the complete event, MB/s (10^6 bytes / s
on the leecher's own clock), and each jar's ratio of medians against the first jar seen.

    tools/spate-pair-cpu.sh 1024 5 | tee out.txt; /usr/bin/python3 tools/spate-pair-cpu-medians.py out.txt
"""
import fileinput
import json
import re
import statistics

runs = {}
order = []
for line in fileinput.input():
    m = re.match(r"round (\d+): (\S+): .*leecher cpu \(JVM start included\) user (\d+) sys (\d+);.*?(\{.*\})", line)
    if not m:
        continue
    jar = m.group(2)
    event = json.loads(m.group(5))
    if jar not in runs:
        runs[jar] = []
        order.append(jar)
    runs[jar].append((int(m.group(3)) / 100 + int(m.group(4)) / 100, int(m.group(4)) / 100, event["cpu_seconds"],
                      event["seconds"], event["bytes"] / 1e6 / event["seconds"]))
names = ["leecher CPU-s (/proc)", "of which sys", "own cpu_seconds", "own seconds", "MB/s"]
first = None
for jar in order:
    med = [statistics.median(r[k] for r in runs[jar]) for k in range(len(names))]
    first = first or med
    print("%s: %d runs; %s" % (jar, len(runs[jar]), "; ".join(
        "%s %.2f (x%.3f)" % (n, v, v / f) for n, v, f in zip(names, med, first))))
