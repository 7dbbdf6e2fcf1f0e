#!/usr/bin/env python3
"""Where a pair's seconds go: tools/pair.sh runs, with the leecher's bytes on disk sampled every 50 ms.

    /usr/bin/python3 tools/pair-timeline.py [--rounds 3] [--size-mib 1024] libtorrent:libtorrent libtorrent:spate

For each SEEDER:LEECHER (pairs alternate round by round) one pair.sh line is printed with three fields added, all
on one clock that starts when swarm.sh launches the leecher's driver (tools/clients/client.py: the same Python
start for every client, then the client itself: a JVM for Spate, a libtorrent session for libtorrent):
  "first_byte_s":  until the leecher's file first holds data (start-up, tracker, connection, first blocks);
  "mid_mb_per_s":  MB/s while the file goes from 10 % to 90 % of its size (the steady transfer);
  "tail_s":        from 90 % to the file's full size (the endgame).
Then the median of each per pair. Bytes on disk are the file's allocated blocks (st_blocks, which on ext4 counts
delayed allocations too), so the leecher must write lazily: spate, libtorrent and aria2 (file-allocation=none) do.
Bounded by pair.sh's own timeouts; pair.sh ends its processes itself; its work dir is a fresh one per run.
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAZY_WRITERS = {"spate", "libtorrent", "aria2"}


def one_run(seeder, leecher, size_mib):
    work_root = tempfile.mkdtemp(prefix="spate-timeline.")
    try:
        env = dict(os.environ, WORK_ROOT=work_root)
        proc = subprocess.Popen([os.path.join(ROOT, "tools", "pair.sh"), seeder, leecher, str(size_mib)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        t0 = None
        samples = []
        while proc.poll() is None:
            now = time.monotonic()
            if t0 is None and glob.glob(os.path.join(work_root, "spate-swarm.*", "leech0.jsonl")):
                t0 = now
            files = glob.glob(os.path.join(work_root, "spate-swarm.*", "dl0", "*"))
            if t0 is not None and files:
                try:
                    samples.append((now - t0, os.stat(files[0]).st_blocks * 512))
                except OSError:
                    pass
            time.sleep(0.05)
        line = json.loads(proc.stdout.read().strip().splitlines()[-1])
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    size = size_mib << 20

    def first_at(fraction):
        return next((t for t, b in samples if b >= fraction * size and b > 0), None)

    first, p10, p90, full = first_at(1e-9), first_at(0.1), first_at(0.9), first_at(1.0)
    line["first_byte_s"] = round(first, 2) if first is not None else None
    line["mid_mb_per_s"] = round(0.8 * size / 1e6 / (p90 - p10), 1) if p10 is not None and p90 and p90 > p10 else None
    line["tail_s"] = round(full - p90, 2) if full is not None and p90 is not None else None
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("pairs", nargs="+", metavar="SEEDER:LEECHER")
    args = parser.parse_args()
    pairs = [tuple(p.split(":")) for p in args.pairs]
    for seeder, leecher in pairs:
        if leecher not in LAZY_WRITERS:
            parser.error("%s preallocates its files: bytes on disk would not show its progress" % leecher)
    results = {p: [] for p in pairs}
    for _ in range(args.rounds):
        for pair in pairs:
            line = one_run(pair[0], pair[1], args.size_mib)
            results[pair].append(line)
            print(json.dumps(line), flush=True)
    for (seeder, leecher), lines in results.items():
        def median(key):
            values = [l[key] for l in lines if l.get(key) is not None]
            return statistics.median(values) if values else None
        print("%s -> %s: median over %d rounds: %s MB/s, first byte %s s, 10->90 %% %s MB/s, last 10 %% %s s"
              % (seeder, leecher, len(lines), median("mb_per_s"), median("first_byte_s"), median("mid_mb_per_s"),
                 median("tail_s")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
