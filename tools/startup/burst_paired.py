#!/usr/bin/env python3
"""Paired differences between two variants of a tools/startup/burst.py output (best with --count 1): per round, the
median of B's leechers minus A's, then the median over rounds, for ready, CPU-s at started and settled CPU-s.

    python3 tools/startup/burst_paired.py BURST_OUTPUT A B
"""
import re
import statistics
import sys


def main(path, a, b):
    rows = {}
    for line in open(path):
        m = re.match(r"round (\d+) (\S+)\s+load \S+ ready (.*) cpu (.*) settled (.*)$", line.strip())
        if m:
            cols = [[float(x) for x in m.group(i).split() if x != "-"] for i in (3, 4, 5)]
            if all(cols):
                rows.setdefault(int(m.group(1)), {})[m.group(2)] = [statistics.median(c) for c in cols]
    pairs = [(r[a], r[b]) for r in rows.values() if a in r and b in r]
    for i, label in enumerate(("ready", "CPU-s at started", "CPU-s settled")):
        d = [y[i] - x[i] for x, y in pairs]
        print("%s - %s: %-16s %+.3f (%s lower in %d of %d rounds)" % (
            b, a, label, statistics.median(d), b, sum(1 for v in d if v < 0), len(d)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
