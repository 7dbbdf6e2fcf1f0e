#!/usr/bin/python3
"""SUMMARY.md for tools/bench-queues.sh: medians over the runs of MpscHandoffBenchmark's JMH JSON files.

  queues_summary.py OUT.md COMMAND COMMIT STAMP RUN1.json [RUN2.json ...]
"""
import json
import statistics
import sys

QUEUES = ["agrona", "jctoolsMpscArray", "jctoolsMpscChunked", "jctoolsMpscXadd", "agronaRingBuffer"]
NAMES = {"agrona": "Agrona ManyToOneConcurrentArrayQueue(4096) (today's command queue)",
         "jctoolsMpscArray": "JCTools MpscArrayQueue(4096)",
         "jctoolsMpscChunked": "JCTools MpscChunkedArrayQueue(1024, 4096)",
         "jctoolsMpscXadd": "JCTools MpscUnboundedXaddArrayQueue(1024), offers refused at size() >= 4096",
         "agronaRingBuffer": "Agrona ManyToOneRingBuffer, 12-byte records (today's completion queue)"}


def main(out, command, commit, stamp, *files):
    # (benchmark, queue) -> metric -> [per-run score]
    data = {}
    for path in files:
        for row in json.load(open(path)):
            bench = row["benchmark"].rsplit(".", 1)[1]
            q = row["params"]["queue"]
            metrics = {"score": row["primaryMetric"]["score"]}
            for name, m in row.get("secondaryMetrics", {}).items():
                metrics[name] = m["score"]
            for name, v in metrics.items():
                data.setdefault((bench, q), {}).setdefault(name, []).append(v)

    def med(bench, q, metric):
        v = data.get((bench, q), {}).get(metric)
        return statistics.median(v) if v else None

    def fmt(x, scale=1e6):
        return "-" if x is None else "%.1f" % (x / scale)

    lines = ["# MPSC hand-off: Agrona against JCTools (issue 13)", "",
             "Runs `%s` at commit %s, %d run(s); medians over the runs. Command (from the repository root):"
             % (stamp, commit, len(files)), "", "    " + command, "",
             "Machine: 2 cores shared with other jobs (load averages per run in `runs-%s.log`). Small objects "
             "(a 3-int message) handed from producers to one consumer that drains up to 64 at a time "
             "(`bench/src/main/java/io/spate/bench/MpscHandoffBenchmark.java`, whose javadoc says exactly what each "
             "case does). Millions of items per second:" % stamp, "",
             "| queue | 1 thread alone: offer 64 + drain 64 | 1 producer → 1 consumer: drained | "
             "per-run | 2 producers → 1 consumer: drained | per-run | offers refused full (p2), thousands/s |",
             "|---|---|---|---|---|---|---|"]
    for q in QUEUES:
        if not any(k[1] == q for k in data):
            continue
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            NAMES[q], fmt(med("single", q, "score")), fmt(med("p1", q, "drained")),
            ", ".join(fmt(x) for x in data.get(("p1", q), {}).get("drained", [])),
            fmt(med("p2", q, "drained")),
            ", ".join(fmt(x) for x in data.get(("p2", q), {}).get("drained", [])),
            fmt(med("p2", q, "offerFull"), 1e3)))
    base = {b: med(b, "agrona", "drained" if b != "single" else "score") for b in ("single", "p1", "p2")}
    lines += ["", "Relative to Agrona's ManyToOneConcurrentArrayQueue (median / median):", ""]
    for q in QUEUES[1:]:
        parts = []
        for b in ("single", "p1", "p2"):
            v = med(b, q, "drained" if b != "single" else "score")
            parts.append("%s %s" % (b, "%.2fx" % (v / base[b]) if v and base[b] else "-"))
        lines.append("- %s: %s" % (NAMES[q], ", ".join(parts)))
    lines += ["", "Raw: %s (JMH JSON; console logs beside them)." % ", ".join("`%s`" % f.split("/")[-1] for f in files),
              ""]
    open(out, "w").write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:])
