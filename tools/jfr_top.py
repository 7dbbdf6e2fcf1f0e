#!/usr/bin/python3
"""Where a JVM's time went, from a JFR recording: samples per thread and the hottest frames.

  jfr_top.py RECORDING.jfr [TOP]

Java execution samples (jdk.ExecutionSample: threads running Java code) and native samples (jdk.NativeMethodSample:
threads inside native methods such as socket reads, epoll waits, pwrite, fsync) are counted per thread and per
top frame; with settings=profile both are taken every 20 ms per thread.
"""
import collections
import json
import subprocess
import sys


def events(path, name):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, path], check=True, capture_output=True).stdout
    return json.loads(out)["recording"]["events"]


def frame(f):
    m = f["method"]
    return "%s.%s" % (m["type"]["name"].replace("/", ".").split(".")[-1], m["name"])


def main(argv):
    path = argv[0]
    top = int(argv[1]) if len(argv) > 1 else 12
    for name in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        ev = events(path, name)
        threads = collections.Counter()
        frames = collections.Counter()
        for e in ev:
            thread = e["values"]["sampledThread"]["javaName"] or "?"
            threads[thread] += 1
            stack = e["values"]["stackTrace"]["frames"]
            if stack:
                frames["%s: %s <- %s" % (thread.rstrip("0123456789").rstrip("-"), frame(stack[0]),
                                         frame(stack[1]) if len(stack) > 1 else "")] += 1
        print("## %s: %d samples" % (name, len(ev)))
        print("threads: " + ", ".join("%s %d" % kv for kv in threads.most_common(10)))
        for k, v in frames.most_common(top):
            print("%5d  %s" % (v, k))
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
