#!/usr/bin/env python3
"""Where a short Spate leech spends its CPU, by thread: a 4 MiB leech through tools/spate from a local Spate seed.

    /usr/bin/python3 tools/startup/thread-cpu.py [--rounds 5] [--java25 JAVA]

Variants (interleaved): plain (SPATE_STARTUP=0), cds (the launcher's archive), and with --java25 aot25 (that JDK and
its AOT cache). Each leecher runs with --json and no tracker, dialling the seed (--peer); when it prints "complete"
its threads' CPU (utime + stime from /proc/PID/task/*/stat) is read, grouped (main = the thread named java: JVM
boot, the CLI, the engine's start; C1, C2 = the JIT's compiler threads; GC; Spate's own threads by name), and the
leecher is stopped (SIGTERM). Prints each variant's median per group. Data and directories in a temporary directory,
removed at the end; the seed is stopped by PID.
"""
import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "tools", "spate")


def group(name):
    if name.startswith("C2 Compiler"):
        return "C2"
    if name.startswith("C1 Compiler"):
        return "C1"
    if name.startswith(("G1 ", "GC ")):
        return "GC"
    if name == "java":
        return "main"
    return name


def thread_cpu(pid):
    tick = os.sysconf("SC_CLK_TCK")
    cpu = collections.Counter()
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        cpu[group(stat[stat.index("(") + 1:stat.rindex(")")])] += (int(fields[11]) + int(fields[12])) / tick
    return cpu


def process_cpu(pid):
    """The process's CPU-s, every thread's including those that ended (the engine's start thread, the checkers)."""
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def leech(env, torrent, work, port):
    download = os.path.join(work, "dl")
    shutil.rmtree(download, ignore_errors=True)
    proc = subprocess.Popen([LAUNCHER, "leech", torrent, "--dir", download, "--bind", "127.0.0.1", "--port", "0",
                             "--no-tracker", "--peer", "127.0.0.1:%d" % port, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    cpu = None
    t0 = time.monotonic()
    deadline = t0 + 120
    try:
        for line in proc.stdout:
            if b'"complete"' in line:
                wall = time.monotonic() - t0
                cpu = thread_cpu(proc.pid)
                cpu["wall"] = wall  # launch -> complete read, s (not CPU: left out of the total)
                cpu["process"] = process_cpu(proc.pid)  # all threads, the ended ones too (not in the total)
                break
            if time.monotonic() > deadline:
                break
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--java25", default=None)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=JAVA_OPTS",
                        help="one more variant: the launcher with its archive and SPATE_JAVA_OPTS=JAVA_OPTS")
    parser.add_argument("--jar-variant", action="append", default=[], metavar="NAME=JAR",
                        help="one more variant: the launcher with SPATE_JAR=JAR (its own archive beside it, made by "
                             "tools/startup/train.sh --jar JAR), e.g. a build of another commit")
    parser.add_argument("--no-plain", action="store_true", help="leave out the variant without the archive")
    args = parser.parse_args()
    variants = {"plain": {"SPATE_STARTUP": "0"}, "cds": {}}
    if args.no_plain:
        del variants["plain"]
    for v in args.jar_variant:
        name, _, jar = v.partition("=")
        variants[name] = {"SPATE_JAR": os.path.abspath(jar)}
    for v in args.variant:
        name, _, opts = v.partition("=")
        variants[name] = {"SPATE_JAVA_OPTS": opts}
    if args.java25:
        variants["aot25"] = {"SPATE_JAVA": args.java25}
    work = tempfile.mkdtemp(prefix="spate-thread-cpu-")
    seed = None
    try:
        content = os.path.join(work, "seed")
        os.makedirs(content)
        with open(os.path.join(content, "data.bin"), "wb") as f:
            f.write(os.urandom(4 << 20))
        torrent = os.path.join(work, "t.torrent")
        subprocess.run([LAUNCHER, "create", os.path.join(content, "data.bin"), "-o", torrent, "-p", "1M"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seed = subprocess.Popen([LAUNCHER, "seed", torrent, "--dir", content, "--bind", "127.0.0.1", "--port", "0",
                                 "--no-tracker", "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        port = json.loads(seed.stdout.readline())["port"]
        print("# %s, load average %s, %d rounds" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                    " ".join("%.2f" % x for x in os.getloadavg()), args.rounds))
        results = {v: [] for v in variants}
        names = list(variants)
        for r in range(args.rounds):
            for v in names[r % len(names):] + names[:r % len(names)]:
                cpu = leech(dict(os.environ, **variants[v]), torrent, work, port)
                if cpu:
                    results[v].append(cpu)
                    print("round %d %-6s wall=%.3f process=%.2f live=%.2f %s" % (
                        r + 1, v, cpu["wall"], cpu["process"], sum(x for k, x in cpu.items() if k not in ("wall", "process")),
                        " ".join("%s=%.2f" % kv for kv in cpu.most_common() if kv[1] > 0 and kv[0] not in ("wall", "process"))),
                        flush=True)
        print("# medians, CPU-s (wall: launch -> complete read, s); load average now %s" % " ".join(
            "%.2f" % x for x in os.getloadavg()))
        for v in names:
            runs = results[v]
            keys = sorted({k for run in runs for k in run}, key=lambda k: -statistics.median(r[k] for r in runs))
            parts = ["%s %.2f" % (k, statistics.median(r[k] for r in runs)) for k in keys
                     if statistics.median(r[k] for r in runs) > 0]
            paired = ""
            if v != names[0]:
                diffs = [a[k] - b[k] for a, b in zip(results[v], results[names[0]]) for k in ("process",)]
                walls = [a["wall"] - b["wall"] for a, b in zip(results[v], results[names[0]])]
                paired = " (paired vs %s: process %+.3f CPU-s, wall %+.3f s)" % (
                    names[0], statistics.median(diffs), statistics.median(walls))
            print("%-6s process %.2f%s, live threads %.2f: %s" % (v, statistics.median(r["process"] for r in runs),
                                                                  paired, statistics.median(sum(x for k, x in r.items() if k not in ("wall", "process"))
                                                                for r in runs), ", ".join(parts)))
    finally:
        if seed:
            seed.terminate()
            try:
                seed.wait(15)
            except subprocess.TimeoutExpired:
                seed.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
