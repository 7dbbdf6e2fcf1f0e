#!/usr/bin/env python3
"""Summarises a HotSpot compilation log (-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=F).

    /usr/bin/python3 tools/jit-log.py F [--top 15]                 # C1/C2 totals, the longest C2 compiles, by time
    /usr/bin/python3 tools/jit-log.py F --tree 'DiskHandler onEvent' [--depth 6]   # what C2 inlined into one

Times are the compile threads' wall clock from each task's start to its end (log stamps, seconds since JVM start),
so on a busy machine they include waiting for a CPU. "inlined" is the bytecode C2 inlined into the compile.
"""
import argparse
import collections
import re
import sys

TASK = re.compile(r"<task (compile_id='\d+'[^>]*?)>(.*?)<task_done([^>]*)/>", re.S)


def attr(text, name):
    m = re.search(r"%s='([^']*)'" % name, text)
    return m.group(1) if m else None


def tasks(log):
    for m in TASK.finditer(log):
        head, body, done = m.groups()
        level = attr(head, "level")
        yield {
            "method": attr(head, "method"), "c2": level in (None, "4"), "osr": "osr_bci" in head,
            "start": float(attr(head, "stamp")), "seconds": float(attr(done, "stamp")) - float(attr(head, "stamp")),
            "inlined": int(attr(done, "inlined_bytes") or 0), "nmsize": int(attr(done, "nmsize") or 0), "body": body,
        }


def summary(all_tasks, top):
    totals = collections.Counter()
    for t in all_tasks:
        totals["C2" if t["c2"] else "C1"] += t["seconds"]
    print("tasks %d; C1 %.2f s, C2 %.2f s (compile threads' wall clock)" % (len(all_tasks), totals["C1"],
                                                                             totals["C2"]))
    c2 = sorted((t for t in all_tasks if t["c2"]), key=lambda t: -t["seconds"])
    print("longest C2 compiles:")
    for t in c2[:top]:
        print("  %.3f s at %.2f s%s inlined %5d B, code %6d B  %s" % (t["seconds"], t["start"],
              " OSR" if t["osr"] else "", t["inlined"], t["nmsize"], t["method"]))
    buckets = collections.Counter()
    for t in c2:
        buckets[int(t["start"] * 2) / 2] += t["seconds"]
    print("C2 seconds by start time: " + ", ".join("%.1f-%.1f s: %.2f" % (k, k + 0.5, v)
                                                   for k, v in sorted(buckets.items())))


def tree(task, depth_limit):
    body = task["body"]
    methods = {m.group(1): (m.group(2), m.group(3), int(m.group(4))) for m in re.finditer(
        r"<method id='(\d+)' holder='(\d+)' name='([^']*)'[^>]*?bytes='(\d+)'", body)}
    klasses = {m.group(1): m.group(2) for m in re.finditer(r"<klass id='(\d+)' name='([^']*)'", body)}
    nodes, depth = [], 0
    for m in re.finditer(r"<parse method='(\d+)'[^>]*?(/?)>|</parse>", body):
        if m.group(0) == "</parse>":
            depth -= 1
            continue
        holder, name, size = methods.get(m.group(1), ("?", "?", 0))
        nodes.append((depth, size, klasses.get(holder, "?").replace("/", ".") + "." + name))
        if m.group(2) != "/":
            depth += 1
    for i, (d, size, name) in enumerate(nodes):
        subtree = size + sum(n[1] for n in nodes[i + 1:next((j for j in range(i + 1, len(nodes))
                                                               if nodes[j][0] <= d), len(nodes))])
        if d <= depth_limit:
            print("%s%s  own %d B, with callees %d B" % ("  " * d, name, size, subtree))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--tree", help="substring of a method ('Holder name' as in the log); its longest C2 compile")
    parser.add_argument("--depth", type=int, default=6)
    args = parser.parse_args()
    with open(args.log, errors="replace") as f:
        all_tasks = list(tasks(f.read()))
    if args.tree:
        match = sorted((t for t in all_tasks if t["c2"] and args.tree in t["method"]), key=lambda t: -t["seconds"])
        if not match:
            print("no C2 compile of a method matching %r" % args.tree, file=sys.stderr)
            return 1
        print("%.3f s at %.2f s: %s" % (match[0]["seconds"], match[0]["start"], match[0]["method"]))
        tree(match[0], args.depth)
    else:
        summary(all_tasks, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
