#!/usr/bin/env python3
"""Summarises a HotSpot compilation log (-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=F).

    /usr/bin/python3 tools/jit-log.py F [--top 15]                 # C1/C2 totals, the longest C2 compiles, by time
    /usr/bin/python3 tools/jit-log.py F --tree 'DiskHandler onEvent' [--depth 6]   # what C2 inlined into one
    /usr/bin/python3 tools/jit-log.py F --recompiles [--all]     # methods C2 compiled twice or more, and why
    /usr/bin/python3 tools/jit-log.py F1 F2 ... --recompiles --brief   # one line a log: role, C2 tasks, repeats

Times are the compile threads' wall clock from each task's start to its end (log stamps, seconds since JVM start),
so on a busy machine they include waiting for a CPU. "inlined" is the bytecode C2 inlined into the compile.
--recompiles lists each method with two or more C2 tasks (OSR compiles counted apart), every task with its start,
time and size, and, for each C2 nmethod made not entrant, why: the uncommon trap that fired in it (reason, action,
and where: the innermost method and bci first, then its callers inside the compile) or the class-hierarchy
dependency that failed (a class loaded later). Only io.spate methods unless --all; tasks the queue dropped as stale
(nothing compiled) are left out. The log's first <command> line
says which process it is (seed or leech).
"""
import argparse
import collections
import re
import sys

TASK = re.compile(r"<task (compile_id='\d+'[^>]*?)>(.*?)<task_done([^>]*)/>", re.S)


def attr(text, name):
    m = re.search(r"%s='([^']*)'" % name, text)
    return m.group(1) if m else None


def unescape(text):
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tasks(log):
    for m in TASK.finditer(log):
        head, body, done = m.groups()
        level = attr(head, "level")
        yield {
            "method": unescape(attr(head, "method")), "c2": level in (None, "4"), "osr": "osr_bci" in head,
            "start": float(attr(head, "stamp")), "seconds": float(attr(done, "stamp")) - float(attr(head, "stamp")),
            "inlined": int(attr(done, "inlined_bytes") or 0), "nmsize": int(attr(done, "nmsize") or 0), "body": body,
            "id": attr(head, "compile_id"),
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


EVENT = re.compile(r"<(uncommon_trap|make_not_entrant|dependency_failed|failure)( [^>]*?)?(/?)>")
JVMS = re.compile(r"<jvms bci='(\d+)' method='([^']*)'")


def short(method):
    """'io.spate.peer.SlowStart depth ()I' -> 'SlowStart.depth'."""
    holder, _, rest = unescape(method).partition(" ")
    return holder.rsplit(".", 1)[-1] + "." + rest.split(" ")[0]


def why_not_entrant(log):
    """compile_id -> (stamp, cause) for every C2 nmethod made not entrant, from the log's <tty> section."""
    tty = log[log.find("<tty>"):log.find("</tty>")] if "<tty>" in log else log
    causes, last_trap, last_deps = {}, {}, []
    for m in EVENT.finditer(tty):
        kind, text = m.group(1), m.group(2) or ""
        if kind == "uncommon_trap" and "thread=" in text and attr(text, "compile_id"):
            end = tty.find("</uncommon_trap>", m.end())
            where = " < ".join("%s bci %s" % (short(j.group(2)), j.group(1))
                               for j in JVMS.finditer(tty[m.end():end if end >= 0 else m.end()]))
            last_trap[attr(text, "compile_id")] = (float(attr(text, "stamp")), "%s/%s at %s" % (
                attr(text, "reason"), attr(text, "action"), where))
        elif kind == "dependency_failed":
            stamp = float(attr(text, "stamp"))
            last_deps = [d for d in last_deps if d[0] >= stamp - 0.01] + [(stamp, "dependency %s: %s loaded (%s)" % (
                attr(text, "type"), (attr(text, "witness") or "?").replace("/", "."),
                (attr(text, "ctxk") or "?").replace("/", ".")))]
        elif kind == "make_not_entrant" and attr(text, "compiler") == "c2":
            cid, stamp = attr(text, "compile_id"), float(attr(text, "stamp"))
            trap = last_trap.get(cid)
            if trap and abs(trap[0] - stamp) < 0.01:
                causes[cid] = (stamp, trap[1])
            elif last_deps and stamp - last_deps[-1][0] < 0.01:
                causes[cid] = (stamp, last_deps[-1][1])
            else:
                causes[cid] = (stamp, "no trap or dependency logged next to it")
    return causes


def role(log):
    m = re.search(r"<command>\s*(\S+)\s+(\S+)", log)
    return m.group(2) if m else "?"


def recompiles(log, all_tasks, everything, brief=None):
    causes = why_not_entrant(log)
    by_method = collections.defaultdict(list)
    for t in all_tasks:
        stale = "<failure reason='stale task'" in t["body"]  # dropped from the queue unbuilt: not a compile
        if t["c2"] and not stale and (everything or t["method"].startswith("io.spate.")):
            by_method[(t["method"], t["osr"])].append(t)
    c2 = [t for t in all_tasks if t["c2"]]
    repeated = sorted(((k, v) for k, v in by_method.items() if len(v) >= 2), key=lambda kv: kv[1][0]["start"])
    if brief:
        undone = sum(1 for ts in by_method.values() for t in ts if t["id"] in causes)
        print("%s %s: C2 tasks %d, C2 %.2f s, methods recompiled %d, repeat tasks %d, repeat C2 %.2f s, "
              "C2 code made not entrant %d: %s" % (
                  brief, role(log), len(c2), sum(t["seconds"] for t in c2), len(repeated),
                  sum(len(v) - 1 for _, v in repeated), sum(t["seconds"] for _, v in repeated for t in v[1:]), undone,
                  ", ".join("%s x%d" % (short(m), len(v)) for (m, _), v in repeated)))
        return
    print("C2 tasks %d (%s), methods %d, methods compiled twice or more: %d, repeat tasks %d" % (
        len(c2), "all" if everything else "io.spate: %d" % sum(len(v) for v in by_method.values()),
        len({t["method"] for t in c2}), len(repeated), sum(len(v) - 1 for _, v in repeated)))
    for (method, osr), ts in repeated:
        print("%s%s: C2 x%d, %.3f s" % (method, " (OSR)" if osr else "", len(ts), sum(t["seconds"] for t in ts)))
        for t in ts:
            fail = re.search(r"<failure reason='([^']*)'", t["body"])
            line = "  #%s at %.2f s, %.3f s, inlined %d B" % (t["id"], t["start"], t["seconds"], t["inlined"])
            if fail:
                line += "; failed: " + fail.group(1)
            if t["id"] in causes:
                line += "; not entrant at %.2f s: %s" % causes[t["id"]]
            print(line)
    once = [t for ts in by_method.values() if len(ts) == 1 for t in ts if t["id"] in causes]
    if once:
        print("C2 code made not entrant and not compiled again by C2:")
        for t in sorted(once, key=lambda t: t["start"]):
            print("  %s%s #%s at %.2f s; not entrant at %.2f s: %s" % (t["method"], " (OSR)" if t["osr"] else "",
                                                                    t["id"], t["start"], *causes[t["id"]]))


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
    parser.add_argument("log", nargs="+")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--tree", help="substring of a method ('Holder name' as in the log); its longest C2 compile")
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--recompiles", action="store_true", help="methods C2 compiled twice or more, and why")
    parser.add_argument("--all", action="store_true", help="with --recompiles: JDK and library methods too")
    parser.add_argument("--brief", action="store_true", help="with --recompiles: one line a log")
    args = parser.parse_args()
    if len(args.log) > 1 and not (args.recompiles and args.brief):
        parser.error("several logs only with --recompiles --brief")
    for path in args.log if args.recompiles and args.brief else []:
        with open(path, errors="replace") as f:
            log = f.read()
        recompiles(log, list(tasks(log)), args.all, brief=path)
    if args.recompiles and args.brief:
        return 0
    with open(args.log[0], errors="replace") as f:
        log = f.read()
    all_tasks = list(tasks(log))
    if args.recompiles:
        recompiles(log, all_tasks, args.all)
    elif args.tree:
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
