#!/usr/bin/python3
"""PNG charts from the JSON lines in perf-results/ (Debian's python3-matplotlib; tools/install-deps.sh installs it).

  /usr/bin/python3 tools/charts.py [--results perf-results] [--out perf-results/charts]

Charts (each only if its data exists; every point is a median of one run's rounds, nothing typed by hand):
- ratios-libtorrent.png: per benchmark run (x: run date and commit, oldest first) and per scenario (seeder -> leecher,
  Spate on one side at least), median MB/s of the scenario / median MB/s of libtorrent -> libtorrent in the same run.
  From pair/results.jsonl, interop/results.jsonl and magnet/results.jsonl; only runs at one size (--size-mib, 1024).
- ratios-aria2.png: the same against aria2 -> aria2 where a run had it, for the pairs of Spate and aria2.
- bare.png: Spate -> Spate and libtorrent -> libtorrent as a percentage of the bare machine pipeline (bench's
  BarePipeline) in the runs that had it (bench-pair.sh BARE=1).
- swarm.png: time to the last leecher's completion per client from swarm JSON lines (tools/swarm.sh's form, files
  named swarm*.jsonl anywhere under the results) and, from the newest perf-results/swarm-jmh JMH JSON of the
  benchmark that times only the transfer, seconds from the first dial to the last leecher's completion by number of
  leechers (median and each iteration).
- memory.png: anonymous memory (peak, from /proc) of a swarm leecher (median of a run's leechers) and of the seed, per
  client and per run of tools/bench-memory.sh (memory/runs.jsonl: one seed and 8 leechers, 1 GiB), medians over the
  run's rounds, with issue 17's goals (leecher 48 MiB, seed 32 MiB) marked.
- swarm-lab.png: the swarm lab's efficiency scenario (tools/swarm-lab/, every result.json under swarm-lab/ whose
  scenario is "efficiency", the clients as they ship, sessions where Spate, libtorrent and aria2 each ran at least
  twice): time to the last leecher over the Kumar-Ross bound T*, each run a dot and each client's median a bar, per
  commit, with issue 14's goal (1.10) marked.
"""
import argparse
import datetime
import glob
import json
import os
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SOURCES = ["pair/results.jsonl", "interop/results.jsonl", "magnet/results.jsonl"]


def load_rows(results, size_mib):
    """(source, run) -> {"commit", "ts", "pairs": {(seeder, leecher): [mb_per_s, ...]}}"""
    runs = {}
    for source in SOURCES:
        path = os.path.join(results, source)
        if not os.path.exists(path):
            continue
        kind = source.split("/")[0]
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line)
                if not r.get("ok") or r.get("mb_per_s") is None or r.get("bytes") != size_mib << 20:
                    continue
                if "leecher" not in r or isinstance(r["leecher"], list):
                    continue
                run = runs.setdefault((kind, r.get("run", "?")), {
                    "commit": (r.get("commit") or "?").replace("commit ", ""), "ts": r.get("ts", ""),
                    "pairs": {}})
                run["pairs"].setdefault((r["seeder"], r["leecher"]), []).append(r["mb_per_s"])
    return runs


def label(kind, run):
    ts = run["ts"][:16].replace("T", " ")
    return "%s\n%s\n%s" % (ts[5:], run["commit"], kind)


def ratio_chart(runs, baseline, out, title, only=None):
    """One line per scenario: median(scenario) / median(baseline) per run that had both; only: clients allowed."""
    ordered = sorted(((k, v) for k, v in runs.items() if baseline in v["pairs"]), key=lambda kv: kv[1]["ts"])
    if not ordered:
        return None
    # a magnet run's leechers fetched the metadata first: its scenarios are lines of their own
    scenarios = sorted({(k[0] == "magnet",) + p for k, v in ordered for p in v["pairs"]
                        if "spate" in p and p != baseline and (only is None or set(p) <= only)})
    if not scenarios:
        return None
    fig, ax = plt.subplots(figsize=(max(8, 0.55 * len(ordered) + 3), 5.5))
    xs = list(range(len(ordered)))
    markers = "os^vD<>ph*"
    for i, (magnet, *pair) in enumerate(scenarios):
        sc = tuple(pair)
        px, py = [], []
        for x, (k, v) in zip(xs, ordered):
            if sc in v["pairs"] and (k[0] == "magnet") == magnet:
                px.append(x)
                py.append(statistics.median(v["pairs"][sc]) / statistics.median(v["pairs"][baseline]))
        if px:
            ax.plot(px, py, marker=markers[i % len(markers)], linestyle=":" if magnet else "-", linewidth=1,
                    label="%s → %s%s" % (sc + (" (magnet)" if magnet else "",)))
    ax.axhline(1.0, color="grey", linewidth=1, linestyle="--")
    ax.set_xticks(xs)
    ax.set_xticklabels([label(k[0], v) for k, v in ordered], fontsize=6, rotation=90)
    ax.set_ylabel("median MB/s / median MB/s of %s → %s (same run)" % baseline)
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def bare_chart(runs, out):
    bare = ("bare", "bare")
    ordered = sorted(((k, v) for k, v in runs.items() if bare in v["pairs"]), key=lambda kv: kv[1]["ts"])
    if not ordered:
        return None
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(ordered) + 3), 4.5))
    scenarios = [("spate", "spate"), ("libtorrent", "libtorrent")]
    width = 0.38
    for i, sc in enumerate(scenarios):
        xs, ys = [], []
        for x, (_, v) in enumerate(ordered):
            if sc in v["pairs"]:
                xs.append(x + (i - 0.5) * width)
                ys.append(100 * statistics.median(v["pairs"][sc]) / statistics.median(v["pairs"][bare]))
        bars = ax.bar(xs, ys, width, label="%s → %s (from launch)" % sc)
        ax.bar_label(bars, fmt="%.0f %%", fontsize=7)
    ax.axhline(70, color="red", linewidth=1, linestyle="--", label="issue 17 goal for Spate: 70 %")
    ax.set_xticks(range(len(ordered)))
    ax.set_xticklabels(["%s\nbare %.0f MB/s" % (label(k[0], v), statistics.median(v["pairs"][bare]))
                        for k, v in ordered], fontsize=7)
    ax.set_ylabel("% of the bare pipeline's MB/s (same run)")
    ax.set_title("Pairs as a share of the bare machine pipeline (1 GiB, medians)")
    ax.set_ylim(0, 110)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def swarm_chart(results, out):
    panels = []
    rows = []
    for path in glob.glob(os.path.join(results, "**", "swarm*.jsonl"), recursive=True):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    r = json.loads(line)
                    if r.get("ok") and isinstance(r.get("leechers"), list) and r.get("wall_seconds"):
                        rows.append(r)
    if rows:
        panels.append("processes")
    jmh = None
    for path in sorted(glob.glob(os.path.join(results, "swarm-jmh", "jmh-*.json")), reverse=True):
        data = json.load(open(path))
        # the benchmark that times only the transfer: one per iteration, its bytes/s as the aux counter "bytes"
        if data and all("bytes" in r.get("secondaryMetrics", {}) for r in data):
            jmh = (path, data)
            break
    if jmh:
        panels.append("jmh")
    if not panels:
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, panel in zip(axes[0], panels):
        if panel == "processes":
            groups = {}
            for r in rows:
                clients = sorted({x["client"] for x in r["leechers"]})
                key = "%s: %s → %d× %s, %d MiB" % (r.get("ts", "?")[:10], r["seeder"], len(r["leechers"]),
                                                      "/".join(clients), r["bytes"] >> 20)
                groups.setdefault(key, []).append(r["wall_seconds"])
            keys = sorted(groups, key=lambda k: (k[:10], statistics.median(groups[k])))
            bars = ax.barh(range(len(keys)), [statistics.median(groups[k]) for k in keys])
            ax.bar_label(bars, fmt="%.1f s", fontsize=7)
            ax.set_yticks(range(len(keys)))
            ax.set_yticklabels(["%s (%d run%s)" % (k, len(groups[k]), "" if len(groups[k]) == 1 else "s")
                                for k in keys], fontsize=7)
            ax.set_xlabel("seconds from the leechers' launch to the last complete (median)")
            ax.set_xlim(0, max(statistics.median(v) for v in groups.values()) * 1.15)
            ax.set_title("Swarm of processes: time to the last leecher\n(compare bars of one date only)", fontsize=10)
        else:
            path, data = jmh
            by_size = {}
            for r in data:
                n = int(r["params"]["leechers"])
                secs = [1 / x for fork in r["primaryMetric"]["rawData"] for x in fork]
                by_size.setdefault(int(r["params"]["size"]), []).append((n, statistics.median(secs), secs))
            for size, pts in sorted(by_size.items()):
                pts.sort()
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label="%d MiB: median (dots: iterations)" % size)
                for n, _, raw in pts:
                    ax.scatter([n] * len(raw), raw, s=10, color="grey", alpha=0.6)
                for n, score, _ in pts:
                    ax.annotate("%.2f s\n%.0f MB/s" % (score, size * 1.048576 * n / score), (n, score),
                                textcoords="offset points", xytext=(6, -4), fontsize=7)
            ax.set_xlabel("leechers (one seed, one JVM, warm engines)")
            ax.set_ylabel("seconds, first dial → last leecher complete")
            ax.set_title("In-process swarm, warm engines (JMH)\n%s" % os.path.basename(path), fontsize=10)
            ax.set_ylim(bottom=0)
            ax.set_xlim(0, max(p[0] for pts in by_size.values() for p in pts) + 1.5)
            ax.set_xticks(sorted({p[0] for pts in by_size.values() for p in pts}))
            ax.legend(fontsize=7)
            ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def memory_chart(results, out):
    path = os.path.join(results, "memory", "runs.jsonl")
    if not os.path.exists(path):
        return None
    runs = {}  # run id -> arm -> {"leecher": [...], "seed": [...], "commit": ...}
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            mem = (r.get("result") or {}).get("memory")
            if not mem or not (r.get("result") or {}).get("ok"):
                continue
            arm = runs.setdefault(r["run"], {}).setdefault(r["arm"], {"leecher": [], "seed": [], "commit": r["commit"]})
            arm["leecher"].append(mem.get("leecher_anon_peak_mib_median"))
            arm["seed"].append((mem.get("seed") or {}).get("anon_peak_mib"))
    if not runs:
        return None
    order = sorted(runs)
    arms = sorted({a for r in runs.values() for a in r}, key=lambda a: (not a.startswith("spate"), a))
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    width = 0.8 / len(arms)
    for ax, role, goal in ((axes[0], "leecher", 48), (axes[1], "seed", 32)):
        for i, arm in enumerate(arms):
            xs, ys = [], []
            for x, run in enumerate(order):
                m = median_or_none(runs[run].get(arm, {}).get(role, []))
                if m is not None:
                    xs.append(x - 0.4 + width * (i + 0.5))
                    ys.append(m)
            if xs:
                bars = ax.bar(xs, ys, width, label=arm)
                ax.bar_label(bars, fmt="%.0f", fontsize=6)
        ax.axhline(goal, color="red", linestyle="--", linewidth=1, label="issue 17 goal (%d MiB)" % goal)
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(["%s\n%s" % (run[:13], runs[run].get("spate", next(iter(runs[run].values())))["commit"])
                            for run in order], fontsize=6, rotation=60, ha="right")
        ax.set_ylabel("MiB, anonymous memory at its peak (median of rounds)")
        ax.set_title("Swarm %s (1 seed, 8 leechers, 1 GiB)" % role, fontsize=10)
        ax.legend(fontsize=7)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def swarm_lab_chart(results, out):
    groups = {}  # (commit, client label) -> [ratio]
    for path in glob.glob(os.path.join(results, "swarm-lab", "**", "result.json"), recursive=True):
        r = json.load(open(path))
        # the side-by-side runs: each client as it ships (no A/B label), at a recorded commit
        if r.get("scenario") != "efficiency" or not r.get("ok") or not r.get("ratio") or r.get("label") \
                or not r.get("git_head"):
            continue
        groups.setdefault((r["git_head"], r.get("t0_unix") or 0, r["client"]), []).append(r["ratio"])
    by = {}
    for (commit, _, client), ratios in groups.items():
        by.setdefault((commit, client), []).extend(ratios)
    clients = ["spate", "libtorrent", "aria2"]
    # only commits where all three ran at least twice: one bar group is one interleaved session
    keep = {c for c, _ in by if all(len(by.get((c, x), [])) >= 2 for x in clients)}
    commits = {}
    for (commit, t0, _), _ in groups.items():
        if commit in keep:  # the session's first start (older results lack t0_unix: those sort first, as "?")
            commits[commit] = min(commits.get(commit, t0), t0) if t0 else commits.get(commit, 0)
    if not commits:
        return None
    order = sorted(commits, key=commits.get)
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(order)), 4.8))
    width = 0.8 / len(clients)
    for i, client in enumerate(clients):
        xs, ys = [], []
        for x, commit in enumerate(order):
            ratios = by.get((commit, client))
            if not ratios:
                continue
            pos = x - 0.4 + width * (i + 0.5)
            xs.append(pos)
            ys.append(statistics.median(ratios))
            ax.scatter([pos] * len(ratios), ratios, s=8, color="black", zorder=3)
        if xs:
            bars = ax.bar(xs, ys, width, label=client)
            ax.bar_label(bars, fmt="%.2f", fontsize=6)
    ax.axhline(1.10, color="red", linestyle="--", linewidth=1, label="issue 14 goal (1.10)")
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels([(time.strftime("%m-%d %H:%M", time.gmtime(commits[c])) if commits[c] else "?") + "\n" + c
                        for c in order], fontsize=7)
    ax.set_ylabel("time to last / T* (bar: median; dots: runs)")
    ax.set_ylim(bottom=0.9)
    ax.set_title("Swarm lab, efficiency scenario (1 seed 4 MB/s up, 8 leechers 2 up / 8 down, 64 MiB), per commit",
                 fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=os.path.join(os.path.dirname(__file__), "..", "perf-results"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--size-mib", type=int, default=1024)
    args = ap.parse_args()
    out = args.out or os.path.join(args.results, "charts")
    os.makedirs(out, exist_ok=True)
    runs = load_rows(args.results, args.size_mib)
    made = [
        ratio_chart(runs, ("libtorrent", "libtorrent"), os.path.join(out, "ratios-libtorrent.png"),
                    "Spate's pairs against libtorrent → libtorrent, per run (%d MiB, medians)" % args.size_mib),
        ratio_chart(runs, ("aria2", "aria2"), os.path.join(out, "ratios-aria2.png"),
                    "Spate's pairs with aria2 against aria2 → aria2, per run (%d MiB, medians)" % args.size_mib,
                    only={"spate", "aria2"}),
        bare_chart(runs, os.path.join(out, "bare.png")),
        swarm_chart(args.results, os.path.join(out, "swarm.png")),
        memory_chart(args.results, os.path.join(out, "memory.png")),
        swarm_lab_chart(args.results, os.path.join(out, "swarm-lab.png")),
    ]
    for m in made:
        if m:
            print("wrote %s" % os.path.relpath(m))
    print("charts.py: %d runs read, at %s UTC" % (len(runs), datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")))


if __name__ == "__main__":
    main()
