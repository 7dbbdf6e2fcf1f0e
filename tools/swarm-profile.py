#!/usr/bin/env python3
"""Where a process swarm's CPU goes: async-profiler collapsed stacks (threads,collapsed; 1 ms cpu samples), one file
per Spate process of a tools/swarm.sh run, summed per thread group and per data-path step; the seed (the process
with a "spate-check" thread that hashed the whole file) apart from the leechers (their mean).

    SPATE_JAVA_OPTS="-agentpath:libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=DIR/swarm-%p.collapsed" \
        tools/swarm.sh spate spate,spate,spate,spate,spate,spate,spate,spate 1024
    /usr/bin/python3 tools/swarm-profile.py 'DIR/swarm-*.collapsed'
"""
import collections
import glob
import re
import sys

# first match wins: a socket write also passes through FileDispatcherImpl.write0, so sockets come before pwrite
STEPS = [("SHA-1", ("SHA", "DigestBase")), ("sendfile", ("sendfile", "transferTo")),
         ("socket read", ("SocketDispatcher.read",)), ("socket write", ("SocketDispatcher.write", "writev")),
         ("pwrite", ("pwrite", "FileDispatcherImpl.write")), ("file read", ("pread", "FileDispatcherImpl.read")),
         ("epoll", ("epoll",))]


def group(frame):
    name = re.sub(r" tid=\d+", "", frame).strip("[]")
    for jit in ("C2", "C1"):
        if jit + " Compiler" in name:
            return "JIT " + jit
    return re.sub(r"-\d+$", "", name)


def step(frames):
    joined = ";".join(frames)
    for name, marks in STEPS:
        if any(m in joined for m in marks):
            return name
    return "other"


def load(path):
    threads, steps = collections.Counter(), collections.Counter()
    with open(path) as f:
        for line in f:
            line = line.rstrip()
            if not line:
                continue
            stack, n = line.rsplit(" ", 1)
            frames = stack.split(";")
            g = group(frames[0])
            threads[g] += int(n)
            if g.startswith("spate"):
                steps[(g, step(frames))] += int(n)
    return threads, steps


def main():
    files = sorted(glob.glob(sys.argv[1]))
    procs = [(f,) + load(f) for f in files]
    seeds = [p for p in procs if p[1]["spate-check"] > 1000]  # hashed a whole file: >1 s of check samples
    leechers = [p for p in procs if p not in seeds]
    for label, members in (("seed", seeds), ("leecher (mean of %d)" % len(leechers), leechers)):
        if not members:
            continue
        threads, steps = collections.Counter(), collections.Counter()
        for _, t, s in members:
            threads.update(t)
            steps.update(s)
        k = 1000.0 * len(members)
        total = sum(threads.values()) / k
        print("%s: %.2f CPU-s" % (label, total))
        for name, n in threads.most_common(10):
            print("  %-22s %5.2f s  %4.1f %%" % (name, n / k, 100 * n / k / total))
        for (thread, name), n in steps.most_common(12):
            print("    %-18s %-14s %5.2f s" % (thread, name, n / k))
    print("all processes: %.1f CPU-s in %d files" % (sum(sum(p[1].values()) for p in procs) / 1000.0, len(procs)))


if __name__ == "__main__":
    main()
