#!/usr/bin/env python3
"""Summarizes tools/tracker-load.sh results: medians per configuration and Spate/opentracker ratios."""
import json
import statistics
import sys
from collections import defaultdict


def main(results_path, summary_path, command, run_id):
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    rows = [r for r in rows if r.get("run") == run_id]
    groups = defaultdict(list)
    for r in rows:
        groups[(r["kind"], r["connection_close"], r["connections"], r["tracker"])].append(r)
    configs = sorted({k[:3] for k in groups}, key=lambda k: (k[0], k[1], k[2]))
    out = []
    out.append("# Tracker load: Spate vs opentracker\n")
    out.append("Run `%s` (UTC start), %d rounds interleaved, wrk -t%d, %d s per measurement, both trackers on "
               "127.0.0.1 on the same 2-core machine as wrk. Medians of the rounds; ratio = Spate / opentracker "
               "(req/s: higher is better for Spate; p99: lower is better for Spate).\n"
               % (run_id, max(r["round"] for r in rows), rows[0]["threads"], rows[0]["duration_s"]))
    out.append("Command: `%s`\n" % command)
    out.append("Raw figures: `results.jsonl` (one JSON object per measurement, field `run` = this run).\n")
    out.append("| kind | Connection: close | -c | Spate req/s | opentracker req/s | ratio | Spate p99 ms "
               "| opentracker p99 ms | p99 ratio | Spate errors (non-read) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    goal = None
    for kind, close, conns in configs:
        s = groups.get((kind, close, conns, "spate"), [])
        o = groups.get((kind, close, conns, "opentracker"), [])
        if not s or not o:
            continue
        s_rps = statistics.median(r["requests_per_s"] for r in s)
        o_rps = statistics.median(r["requests_per_s"] for r in o)
        s_p99 = statistics.median(r["latency_p99_us"] for r in s) / 1000.0
        o_p99 = statistics.median(r["latency_p99_us"] for r in o) / 1000.0
        s_err = sum(r["errors_connect"] + r["errors_write"] + r["errors_status"] + r["errors_timeout"] for r in s)
        out.append("| %s | %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d |" % (
            kind, "yes" if close else "no", conns, s_rps, o_rps, s_rps / o_rps, s_p99, o_p99,
            s_p99 / o_p99 if o_p99 else float("nan"), s_err))
        if kind == "announce" and not close and conns == 50:
            goal = (s_rps / o_rps, s_p99, o_p99)
    if goal:
        met = goal[0] >= 3.0 and goal[1] <= goal[2]
        out.append("\nGoal (announce, keep-alive, -c50): req/s >= 3x opentracker with p99 no worse: **%s** "
                   "(ratio %.2f, p99 %.2f ms vs %.2f ms).\n" % ("met" if met else "missed", goal[0], goal[1], goal[2]))
    try:
        load = open("/proc/loadavg").read().split()[:3]
        out.append("\nLoad average of the machine when the summary was written (other jobs share it): %s. The "
                   "figures are ratios taken side by side, not absolute capacities.\n" % " ".join(load))
    except OSError:
        pass
    out.append("\nopentracker closes the connection after every reply, so its keep-alive runs also pay a connect "
               "per request; wrk counts one read error per closed connection, which is not a failure (left out of "
               "the error column).\n")
    with open(summary_path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
