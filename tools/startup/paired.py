#!/usr/bin/env python3
"""Paired differences between two variants of a tools/startup/bench.py output: per round, B minus A.

    python3 tools/startup/paired.py BENCH_OUTPUT A B

Prints the median over rounds of B - A for seconds, wall, ready and the JVM's CPU-s at complete, and how many rounds
B was below A: the machine's load moves every variant's seconds together, so a round's difference is steadier than
the difference of the medians.
"""
import json
import re
import statistics
import sys


def main(path, a, b):
    rounds = {}
    for line in open(path):
        m = re.match(r"round (\d+) (\S+)\s+(\{.*\})$", line.strip())
        if m and m.group(2) in (a, b):
            res = json.loads(m.group(3))
            if res.get("ok") and res.get("identical"):
                rounds.setdefault(int(m.group(1)), {})[m.group(2)] = res
    pairs = [(r[a], r[b]) for r in rounds.values() if a in r and b in r]
    print("%s - %s over %d rounds (median of per-round differences):" % (b, a, len(pairs)))
    for key, label in (("seconds", "seconds"), ("wall_seconds", "wall"), ("ready_seconds", "ready"),
                       ("leecher_own_cpu_seconds", "CPU-s")):
        d = [y[key] - x[key] for x, y in pairs if x.get(key) is not None and y.get(key) is not None]
        if d:
            print("  %-8s %+.3f  (%s lower in %d of %d)" % (label, statistics.median(d), b,
                                                         sum(1 for v in d if v < 0), len(d)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
