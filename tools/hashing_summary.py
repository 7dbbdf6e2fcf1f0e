#!/usr/bin/python3
"""Writes perf-results/hashing/SUMMARY.md (to stdout) from the JMH JSON files raw-1.json .. raw-N.json."""
import json
import os
import statistics
import subprocess
import sys


def scores(path):
    result = {}
    for b in json.load(open(path)):
        name = b["benchmark"].rsplit(".", 1)[1]
        threads = b.get("params", {}).get("threads")
        if name == "builder":
            name = "builder, 1 thread" if threads == "1" else "builder, %d threads" % os.cpu_count()
        result[name] = b["primaryMetric"]["score"]
    return result


def main(out, runs):
    rows = [scores(os.path.join(out, "raw-%d.json" % r)) for r in range(1, runs + 1)]
    cores = os.cpu_count()
    all_name = "builder, %d threads" % cores
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    print("# create's hashing speed vs this machine's SHA-1 speed\n")
    print("Command: `bash tools/bench-hashing.sh` (RUNS=%d), i.e. per run\n" % runs)
    print("    java -jar bench/target/bench.jar PieceHashBenchmark -f 1 -wi 2 -i 3 -rf json -rff raw-N.json\n")
    print("Machine: %d cores (%s), JDK 17, SHA-1 intrinsics (sha_ni). Shared with other jobs: the load average "
          "before and after each run is in runs.log; compare figures within one run only.\n" % (cores, cpu))
    print("Scores in MiB/s (JMH mean of 3 iterations). `sha1OneCore`: MessageDigest over a 1 MiB piece in memory, "
          "one thread. `sha1AllCores`: the same on %d threads at once (summed). `builder`: TorrentBuilder.build() of "
          "a 256 MiB file in /tmp (page cache warm; 256 KiB pieces, as `create` chooses), scan + hash + encode.\n"
          % cores)
    header = ["run", "sha1OneCore", "sha1AllCores", "builder, 1 thread", all_name,
              "builder %d thr / sha1AllCores" % cores, "builder %d thr / (sha1OneCore x %d)" % (cores, cores),
              "builder %d thr / sha1OneCore" % cores, "builder 1 thr / sha1OneCore"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    ratios = {k: [] for k in header[5:]}
    for i, r in enumerate(rows, 1):
        vals = [r["sha1OneCore"], r["sha1AllCores"], r["builder, 1 thread"], r[all_name]]
        rat = [r[all_name] / r["sha1AllCores"], r[all_name] / (r["sha1OneCore"] * cores),
               r[all_name] / r["sha1OneCore"], r["builder, 1 thread"] / r["sha1OneCore"]]
        for k, v in zip(header[5:], rat):
            ratios[k].append(v)
        print("| %d | " % i + " | ".join("%.0f" % v for v in vals) + " | " + " | ".join("%.2f" % v for v in rat)
              + " |")
    print("| median | " + " | ".join("%.0f" % statistics.median(r[k] for r in rows) for k in header[1:5]) + " | "
          + " | ".join("%.2f" % statistics.median(ratios[k]) for k in header[5:]) + " |")
    scaling = statistics.median(r["sha1AllCores"] / r["sha1OneCore"] for r in rows)
    print("\nLoad average (1, 5, 15 min) around the runs, from runs.log:\n")
    for line in open(os.path.join(out, "runs.log")):
        print("    " + line.rstrip())
    if scaling < 0.75 * cores:
        print("\n**The cores were not free**: SHA-1 on %d threads gave only %.2fx one thread (median), so other "
              "jobs held the CPU and `builder %d thr / (sha1OneCore x %d)` cannot approach 1 in this run; "
              "`builder / sha1AllCores` (the same CPU share, measured the same way) is the fair ratio here. "
              "Re-run on an idle machine for the scaling figure." % (cores, scaling, cores, cores))
    goal = statistics.median(ratios[header[5]])
    print("\nGoal: create hashes at >= 80%% of the machine's SHA-1 speed. Median builder (%d threads) / "
          "sha1AllCores = **%.0f%%**: %s.\n" % (cores, goal * 100, "met" if goal >= 0.8 else "NOT met"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
