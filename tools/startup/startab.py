#!/usr/bin/python3
"""Launch to `started` of `tools/spate seed`, the launcher's JVM options against G1 with a 512 MiB heap, interleaved.

  /usr/bin/python3 tools/startup/startab.py TORRENT DATA_DIR [ROUNDS (6)]

TORRENT is any torrent whose data lies in DATA_DIR (e.g. 64 MiB made with `tools/spate create`). Prints each
variant's times and median (seconds from launch to the seed's `started` JSON event) and the load average.
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VARIANTS = {"launcher": {}, "g1-512m": {"SPATE_JAVA_OPTS": "-XX:+UseG1GC -Xms64m -Xmx512m"}}


def main(torrent, data_dir, rounds):
    res = {k: [] for k in VARIANTS}
    for _ in range(rounds):
        for name, env in VARIANTS.items():
            t0 = time.monotonic()
            p = subprocess.Popen([os.path.join(ROOT, "tools/spate"), "seed", torrent, "--dir", data_dir, "--port", "0",
                                  "--no-tracker", "--json"], stdout=subprocess.PIPE, env=dict(os.environ, **env),
                                 text=True)
            try:
                for line in p.stdout:
                    if '"started"' in line:
                        res[name].append(time.monotonic() - t0)
                        break
            finally:
                p.terminate()
                p.wait(timeout=30)
    for k, v in res.items():
        print(k, [round(x, 2) for x in v], "median", round(statistics.median(v), 3))
    with open("/proc/loadavg") as f:
        print("load", f.read().strip())


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 6)
