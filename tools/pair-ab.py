#!/usr/bin/env python3
"""A/B of Spate leecher variants against the same seeder: tools/pair.sh runs, variants interleaved round by round.

    /usr/bin/python3 tools/pair-ab.py [--rounds 6] [--seeder libtorrent] [--size-mib 1024] VARIANT [VARIANT ...]

A VARIANT is JAR or JAR::JAVA_OPTS (e.g. "old.jar" "new.jar::-XX:+CITime"); each runs as the Spate leecher
(SPATE_JAR, SPATE_JAVA_OPTS="-Xmx512m JAVA_OPTS"). With --seeder spate the seed runs the same variant's jar.
Prints each run's seconds (pair.sh: leecher launch to complete), the leecher's own seconds and CPU seconds, then the
medians per variant and each variant's median paired difference from the first. Bounded: pair.sh's own timeouts,
plus 300 s per run.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(seeder, size_mib, jar, opts):
    env = dict(os.environ, SPATE_JAR=jar, SPATE_JAVA_OPTS=("-Xmx512m " + opts).strip())
    try:
        out = subprocess.run([os.path.join(ROOT, "tools", "pair.sh"), seeder, "spate", str(size_mib)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=300).stdout
    except subprocess.TimeoutExpired:
        return None
    lines = out.decode("utf-8", "replace").strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seeder", default="libtorrent")
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()
    variants = [(v.split("::", 1) + [""])[:2] for v in args.variants]
    print("# %s, load average %s, %s -> spate, %d MiB, %d rounds" % (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), os.getloadavg()[0], args.seeder, args.size_mib,
        args.rounds), flush=True)
    results = [[] for _ in variants]
    for r in range(args.rounds):
        for i, (jar, opts) in enumerate(variants):
            res = run(args.seeder, args.size_mib, jar, opts)
            ok = res is not None and res.get("ok") and res.get("identical")
            row = (res["seconds"], res.get("leecher_own_seconds"), res.get("leecher_own_cpu_seconds")) if ok else None
            results[i].append(row)
            print("round %d v%d %s %s" % (r + 1, i + 1, os.path.basename(jar) + (" " + opts if opts else ""),
                                          json.dumps(res) if res else "timeout"), flush=True)
    print("# medians (seconds, own seconds, own CPU seconds; failed runs left out)")
    for i, (jar, opts) in enumerate(variants):
        ok = [row for row in results[i] if row]
        med = [statistics.median(x[k] for x in ok if x[k] is not None) if any(x[k] is not None for x in ok)
               else None for k in range(3)] if ok else [None] * 3
        pairs = [b[0] - a[0] for a, b in zip(results[0], results[i]) if a and b]
        med = ["%.3f" % m if m is not None else "-" for m in med]
        print("v%d %s: %d ok, seconds %s, own %s, cpu %s, paired difference from v1 %s s" % (
            i + 1, os.path.basename(jar) + (" " + opts if opts else ""), len(ok), *med,
            "%.3f" % statistics.median(pairs) if pairs and i else "-"))
    return 0 if all(all(results[i]) for i in range(len(variants))) else 1


if __name__ == "__main__":
    sys.exit(main())
