#!/usr/bin/env python3
"""Launch to complete of a small torrent: Spate leecher start-ups (plain java -jar, tools/spate with its CDS archive,
a JDK 25 with and without its AOT cache) beside a libtorrent leecher, tools/pair.sh runs interleaved round by round.

    /usr/bin/python3 tools/startup/bench.py [--rounds 7] [--size-mib 4] [--seeder libtorrent] [--java25 JAVA]
                                            [--variants libtorrent,spate-jar,spate-cds,spate25-jar,spate25-aot]

Each run is `tools/pair.sh SEEDER LEECHER SIZE_MIB` (a fresh Spate tracker, the seed started and checked, then the
leecher; SHA-256 checked), so a run's "seconds" is the issue's figure: client.py's clock from starting the leecher
(for Spate: spawning its JVM; for libtorrent: adding the torrent to a session, its module already imported) to its
"complete". "wall" is pair.sh's clock from launching client.py (a Python process) to seeing "complete", the same
steps for every client. For Spate leechers also: "boot", launch to the leech command's own start inside the JVM
(seconds minus its own complete seconds), and "ready", its "started" event's seconds (own clock: torrent added,
listening, data checked). Variants:
  libtorrent   tools/clients/client.py --client libtorrent (python3-libtorrent)
  spate-jar    tools/spate with SPATE_STARTUP=0: plain java -jar (the default java), no archive
  spate-cds    tools/spate with the default java: its AppCDS archive (tools/startup/train.sh, made by mvn package)
  spate25-jar  tools/spate with SPATE_JAVA=--java25 and SPATE_STARTUP=0: plain java -jar on that JDK
  spate25-aot  tools/spate with SPATE_JAVA=--java25: its AOT cache (tools/startup/train.sh --java JAVA25)
  jvm-empty    not a leech: the default java with the launcher's collector running `-version` and exiting, timed
               from spawn to exit (the JVM's own floor: what any Java leecher pays before its first line of code)
tools/clients/spate.py runs Spate through tools/spate, so each variant is the launcher with its environment set
(SPATE_STARTUP, SPATE_JAVA, SPATE_JAR); before that driver change (3c8b1bc) spate-jar ran plain java -jar through
the driver and the others through a `java` shim on the PATH. --jar NAME=JAR adds a variant: the launcher with
SPATE_JAR=JAR (a build of another commit, with its own archive: tools/startup/train.sh --jar JAR).
Prints one line per run, then medians, and each variant's median against libtorrent's. Bounded: pair.sh's own
timeouts, plus 300 s per run. Results: perf-results/startup/CDS.md.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VARIANTS = ["libtorrent", "spate-jar", "spate-cds", "spate25-jar", "spate25-aot", "jvm-empty"]
def run_empty_jvm():
    """Spawn to exit of `java -XX:+UseSerialGC -version` (the java tools/spate runs by default)."""
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    start = time.monotonic()
    proc = subprocess.run([java, "-XX:+UseSerialGC", "-version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=60)
    seconds = round(time.monotonic() - start, 3)
    return {"ok": proc.returncode == 0, "identical": True, "seconds": seconds, "wall_seconds": None}


def run(variant, args, workdir):
    if variant == "jvm-empty":
        return run_empty_jvm()
    env = dict(os.environ, KEEP="1", WORK_ROOT=workdir)
    leecher = "libtorrent" if variant == "libtorrent" else "spate"
    if variant.endswith("-jar"):
        env["SPATE_STARTUP"] = "0"
    if variant.startswith("spate25"):
        env["SPATE_JAVA"] = args.java25
    if variant in args.jars:
        env["SPATE_JAR"] = args.jars[variant]
    try:
        proc = subprocess.run([os.path.join(ROOT, "tools", "pair.sh"), args.seeder, leecher, str(args.size_mib)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": "timeout"}
    lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
    res = json.loads(lines[-1]) if lines else {"ok": False, "error": "pair.sh printed nothing"}
    kept = [l.split("kept ", 1)[1] for l in proc.stderr.decode("utf-8", "replace").splitlines() if "kept " in l]
    if kept:
        if leecher == "spate":
            res.update(spate_events(kept[-1]))
        shutil.rmtree(kept[-1], ignore_errors=True)
    if res.get("seconds") is not None and res.get("leecher_own_seconds") is not None:
        res["boot_seconds"] = round(res["seconds"] - res["leecher_own_seconds"], 3)
    return res


def spate_events(work):
    """The leecher's own "started" seconds from its events file in pair.sh's kept work dir."""
    for dirpath, _, files in os.walk(work):
        if "spate.jsonl" in files and os.path.basename(dirpath).startswith("spate-leech-"):
            with open(os.path.join(dirpath, "spate.jsonl")) as f:
                for line in f:
                    if line.startswith("{") and '"started"' in line:
                        return {"ready_seconds": json.loads(line).get("seconds")}
    return {}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--size-mib", type=int, default=4)
    parser.add_argument("--seeder", default="libtorrent")
    parser.add_argument("--java25", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--jar", action="append", default=[], metavar="NAME=JAR",
                        help="one more variant: tools/spate with SPATE_JAR=JAR (its archive made by train.sh --jar)")
    args = parser.parse_args()
    args.jars = {n: os.path.abspath(j) for n, j in (x.split("=", 1) for x in args.jar)}
    variants = args.variants.split(",") + [n for n in args.jars if n not in args.variants.split(",")]
    for v in variants:
        if v not in VARIANTS and v not in args.jars:
            parser.error("unknown variant %s (known: %s)" % (v, ", ".join(VARIANTS)))
    if any(v.startswith("spate25") for v in variants) and not os.access(args.java25, os.X_OK):
        parser.error("no JDK 25 java at %s (--java25)" % args.java25)
    workdir = tempfile.mkdtemp(prefix="spate-startup-bench-")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL).stdout.decode().strip()
    print("# %s, commit %s, load average %s, %s -> each variant, %d MiB, %d rounds (order rotated each round)" % (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), commit, " ".join("%.2f" % x for x in os.getloadavg()),
        args.seeder, args.size_mib, args.rounds), flush=True)
    results = {v: [] for v in variants}
    try:
        for r in range(args.rounds):
            order = variants[r % len(variants):] + variants[:r % len(variants)]
            for v in order:
                res = run(v, args, workdir)
                res["load"] = round(os.getloadavg()[0], 2)
                ok = res.get("ok") and res.get("identical")
                results[v].append(res if ok else None)
                print("round %d %-11s %s" % (r + 1, v, json.dumps(res, separators=(",", ":"))), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("# medians over the ok runs (s): launch -> complete (client.py's clock), wall (pair.sh's clock), "
          "boot (launch -> leech command), ready (own started), own complete, cpu (the JVM's CPU-s at complete); "
          "ratio = seconds / libtorrent's")
    lt = median(r["seconds"] for r in results.get("libtorrent", []) if r)
    lt_wall = median(r["wall_seconds"] for r in results.get("libtorrent", []) if r)
    for v in variants:
        ok = [r for r in results[v] if r]
        med = {k: median(r.get(k) for r in ok) for k in
               ("seconds", "wall_seconds", "boot_seconds", "ready_seconds", "leecher_own_seconds",
                "leecher_own_cpu_seconds")}
        fmt = {k: ("%.3f" % x if x is not None else "-") for k, x in med.items()}
        ratio = "%.2fx" % (med["seconds"] / lt) if lt and med["seconds"] else "-"
        wall_ratio = "%.2fx" % (med["wall_seconds"] / lt_wall) if lt_wall and med["wall_seconds"] else "-"
        print("%-11s %d/%d ok  seconds %s (%s of libtorrent)  wall %s (%s)  boot %s  ready %s  own %s  cpu %s" % (
            v, len(ok), len(results[v]), fmt["seconds"], ratio, fmt["wall_seconds"], wall_ratio,
            fmt["boot_seconds"], fmt["ready_seconds"], fmt["leecher_own_seconds"], fmt["leecher_own_cpu_seconds"]))
    return 0 if all(all(results[v]) for v in variants) else 1


if __name__ == "__main__":
    sys.exit(main())
