#!/usr/bin/env python3
"""Nine leechers launched at once (issue 14's swarm lab start): launch -> "started" wall and CPU-s per JVM.

    /usr/bin/python3 tools/startup/burst.py [--rounds 3] [--count 9] [--java25 JAVA] [--jar NAME=JAR]... [--opts NAME=JAVA_OPTS]...
                                            [--variants cds,aot25,...]

One Spate tracker on loopback (started first, not measured) and a 4 MiB single-file torrent announcing to it; no
seed, so each leecher adds the torrent, listens, announces and waits. A burst launches COUNT `tools/spate leech T
--dir D --bind 127.0.0.1 --port 0 --json` at once (each its own empty directory); for each leecher: "ready" = launch
-> its "started" line read (s), "cpu" = its process's CPU-s (every thread, ended ones too, /proc/PID/stat) when
that line is read, "settled" = its CPU-s 3 s after the burst is up (announced, idle: the whole start's cost, since a
variant may do some of it after its "started" line). Then all are stopped (SIGTERM, by PID) and the next burst
starts. Variants, one burst each per
round, order rotated each round:
  cds       tools/spate with the default java (its CDS archive, made by mvn package)
  plain     the same with SPATE_STARTUP=0 (java -jar, no archive)
  aot25     tools/spate with SPATE_JAVA=--java25 (its AOT cache: tools/startup/train.sh --java JAVA25)
  NAME      from --jar NAME=JAR: tools/spate with SPATE_JAR=JAR (its own archive: train.sh --jar JAR)
  NAME      from --opts NAME=JAVA_OPTS: tools/spate (CDS) with SPATE_JAVA_OPTS=JAVA_OPTS
Prints every leecher, then per variant the medians over all leechers and the median over bursts of the last one's
"ready" (when the whole burst is up). Bounded: 60 s per burst. Results: perf-results/startup/.
"""
import argparse
import json
import selectors
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "tools", "spate")
SETTLE_SECONDS = 3


def process_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def burst(env, torrent, work, count):
    procs = []
    t0 = time.monotonic()
    for i in range(count):
        d = os.path.join(work, "dl%d" % i)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        procs.append(subprocess.Popen([LAUNCHER, "leech", torrent, "--dir", d, "--bind", "127.0.0.1", "--port", "0",
                                       "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env))
    out = [None] * count
    deadline = t0 + 60
    try:
        pending = set(range(count))
        sel = selectors.DefaultSelector()
        for i, p in enumerate(procs):
            sel.register(p.stdout, selectors.EVENT_READ, i)
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                i = key.data
                line = procs[i].stdout.readline()
                if not line:
                    sel.unregister(key.fileobj)
                    pending.discard(i)
                    continue
                if b'"started"' in line:
                    out[i] = {"ready": round(time.monotonic() - t0, 3), "cpu": process_cpu(procs[i].pid)}
                    sel.unregister(key.fileobj)
                    pending.discard(i)
        sel.close()
        # "settled": the CPU-s once every leecher has also announced and gone idle (no peers come): what a start
        # costs in all, where "cpu" at "started" leaves out whatever a variant does after that line
        time.sleep(SETTLE_SECONDS)
        for i, p in enumerate(procs):
            if out[i] and p.poll() is None:
                out[i]["settled"] = process_cpu(p.pid)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--count", type=int, default=9)
    p.add_argument("--java25", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    p.add_argument("--jar", action="append", default=[], metavar="NAME=JAR")
    p.add_argument("--opts", action="append", default=[], metavar="NAME=JAVA_OPTS",
                   help="one more variant: tools/spate (CDS, default java) with SPATE_JAVA_OPTS=JAVA_OPTS")
    p.add_argument("--variants", default="cds,aot25")
    args = p.parse_args()
    variants = {}
    jars = dict(j.split("=", 1) for j in args.jar)
    opts = dict(o.split("=", 1) for o in args.opts)
    extra = [n for n in list(jars) + list(opts) if n not in args.variants.split(",")]
    for v in args.variants.split(",") + extra:
        if v == "cds":
            variants[v] = {}
        elif v == "plain":
            variants[v] = {"SPATE_STARTUP": "0"}
        elif v == "aot25":
            variants[v] = {"SPATE_JAVA": args.java25}
        elif v in jars:
            variants[v] = {"SPATE_JAR": os.path.abspath(jars[v])}
        elif v in opts:
            variants[v] = {"SPATE_JAVA_OPTS": opts[v]}
        else:
            p.error("unknown variant %s" % v)
    work = tempfile.mkdtemp(prefix="spate-burst-")
    tracker = None
    try:
        content = os.path.join(work, "content")
        os.makedirs(content)
        with open(os.path.join(content, "data.bin"), "wb") as f:
            f.write(os.urandom(4 << 20))
        tracker = subprocess.Popen(["java", "-Xmx256m", "-jar", os.path.join(ROOT, "engine", "target", "engine.jar"),
                                    "tracker", "--bind", "127.0.0.1", "--port", "0", "--json"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        port = json.loads(tracker.stdout.readline())["port"]
        torrent = os.path.join(work, "t.torrent")
        subprocess.run([LAUNCHER, "create", os.path.join(content, "data.bin"), "-o", torrent, "-p", "1M",
                        "--tracker", "http://127.0.0.1:%d/announce" % port], check=True, stdout=subprocess.DEVNULL)
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL).stdout.decode().strip()
        print("# %s, commit %s, load average %s, %d leechers at once, %d rounds, variants %s" % (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), commit,
            " ".join("%.2f" % x for x in os.getloadavg()), args.count, args.rounds, ",".join(variants)), flush=True)
        results = {v: [] for v in variants}
        names = list(variants)
        for r in range(args.rounds):
            for v in names[r % len(names):] + names[:r % len(names)]:
                out = burst(dict(os.environ, **variants[v]), torrent, work, args.count)
                results[v].append(out)
                print("round %d %-8s load %.2f ready %s cpu %s settled %s" % (
                    r + 1, v, os.getloadavg()[0], " ".join("%.2f" % o["ready"] if o else "-" for o in out),
                    " ".join("%.2f" % o["cpu"] if o else "-" for o in out),
                    " ".join("%.2f" % o["settled"] if o and "settled" in o else "-" for o in out)), flush=True)
        print("# medians over every leecher of every burst: ready (launch -> started read, s), cpu (CPU-s then); "
              "last = median over bursts of the burst's last ready; load average now %s" % " ".join(
                  "%.2f" % x for x in os.getloadavg()))
        for v in names:
            every = [o for b in results[v] for o in b if o]
            missing = sum(1 for b in results[v] for o in b if not o)
            last = [max(o["ready"] for o in b if o) for b in results[v] if any(b)]
            settled = [o["settled"] for o in every if "settled" in o]
            print("%-8s ready %.3f  cpu %.3f  settled %s  last %.3f  (%d leechers, %d not started in 60 s)" % (
                v, statistics.median(o["ready"] for o in every), statistics.median(o["cpu"] for o in every),
                "%.3f" % statistics.median(settled) if settled else "-", statistics.median(last), len(every),
                missing))
    finally:
        if tracker:
            tracker.terminate()
            tracker.wait(20)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
