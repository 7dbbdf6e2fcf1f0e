#!/usr/bin/env python3
"""CPU-s (the child's user + system, from rusage) and wall of short commands, run alternately, medians.

    python3 tools/startup/cmd_cpu.py ROUNDS NAME=COMMAND [NAME=COMMAND]...

COMMAND is split on spaces (no quoting); output and errors are discarded. The order alternates each round.
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    rounds = int(sys.argv[1])
    variants = [a.split("=", 1) for a in sys.argv[2:]]
    res = {name: [] for name, _ in variants}
    for r in range(rounds):
        for name, command in (variants if r % 2 == 0 else variants[::-1]):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            subprocess.run(command.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[name].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                              time.monotonic() - t0))
    for name, runs in res.items():
        print("%-10s CPU-s %.4f  wall %.4f  (medians of %d)" % (name, statistics.median(x[0] for x in runs),
                                                                statistics.median(x[1] for x in runs), len(runs)))
    with open("/proc/loadavg") as f:
        print("load average after:", f.read().strip())


if __name__ == "__main__":
    main()
