#!/usr/bin/env python3
"""Summarises a JMH JSON result file (-rf json) as a Markdown table: score, error, allocation per op."""
import json
import sys


def main(path):
    with open(path) as f:
        runs = json.load(f)
    print("| benchmark | params | score | error | unit | alloc B/op |")
    print("|---|---|---:|---:|---|---:|")
    for run in runs:
        name = run["benchmark"].rsplit(".", 2)[-2] + "." + run["benchmark"].rsplit(".", 1)[-1]
        params = ", ".join(f"{k}={v}" for k, v in sorted(run.get("params", {}).items()))
        metric = run["primaryMetric"]
        alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        alloc_text = "" if alloc is None else f"{alloc:.2f}"
        print(f"| {name} | {params} | {metric['score']:.1f} | {metric['scoreError']:.1f} | "
              f"{metric['scoreUnit']} | {alloc_text} |")


if __name__ == "__main__":
    main(sys.argv[1])
