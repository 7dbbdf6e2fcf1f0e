#!/usr/bin/python3
"""Why a peer's upload link idled in a swarm-lab run of Spate peers: its link's use beside its own view of the swarm.

    SPATE_JAVA_OPTS=-Dspate.trace.dir=TRACES lab.py run SCENARIO --client spate --out OUT
    /usr/bin/python3 tools/swarm-lab/idle.py OUT/RUN TRACES [--every 2] [--peer p3]

TRACES holds one trace-PID.jsonl (or .jsonl.gz) per Spate process (agent/SwarmTrace.java: once a second, every connection's choke
and interest flags, rates, our requests in flight at it, its requests queued at us). A trace is matched to its peer
by the one lab address missing from its connections (a peer never connects to itself), and put on the lab's clock
by its unix_ms (result.json's t0_unix; traces without it are aligned on the peer's started event, to about 1 s).
Per line: the peer's upload share over the second before (links.jsonl), pieces had, how many peers are interested
in it and how many of those it unchokes, their requests queued at it, and the peers it downloads from. An uploader
that idles with interested peers unchoked and nothing queued is not asked: the others took those pieces elsewhere.
"""
import argparse
import glob
import gzip
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import linkstats  # noqa: E402


def traces(run_dir, trace_dir):
    """{peer name: [trace records with "lab_t"]}."""
    with open(os.path.join(run_dir, "result.json")) as f:
        result = json.load(f)
    by_addr = {p["addr"]: p for p in result["peers"]}
    t0 = result.get("t0_unix")
    out = {}
    for path in sorted(glob.glob(os.path.join(trace_dir, "trace-*.jsonl*"))):
        with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
            recs = [json.loads(line) for line in f if line.startswith("{")]
        seen = {c["addr"] for r in recs for c in r["peers"]}
        missing = [a for a in by_addr if a not in seen]
        if len(missing) != 1 or not recs:
            continue
        peer = by_addr[missing[0]]
        for r in recs:
            if t0 is not None and "unix_ms" in r:
                r["lab_t"] = r["unix_ms"] / 1000.0 - t0
            else:
                r["lab_t"] = (peer.get("started_t") or 0.0) + r["t"] / 1000.0
        out[peer["peer"]] = recs
    return result, out


def classify(result, by_peer, series):
    """Each leecher-second of the transfer's windows (linkstats.phases) by why its upload link was or was not busy,
    with the link-seconds lost ((1 - share) summed): {window: {reason: [seconds, lost]}}."""
    links = result.get("links") or {}
    rates = {p["peer"]: p["up"] for p in result["peers"]}
    done = {p["peer"]: p.get("complete_t") for p in result["peers"]}
    kinds = {p["peer"]: p["kind"] for p in result["peers"]}
    out = {}
    for name, start, end in links.get("windows", []):
        table = out.setdefault(name, {})
        for peer, recs in by_peer.items():
            if kinds.get(peer) != "leecher":
                continue
            for r in recs:
                t = r["lab_t"]
                if not start <= t - 0.5 or t > end:
                    continue
                up = linkstats.share(series.get((peer, "up")), rates.get(peer), t - 1.0, t)
                if up is None:
                    continue
                keen = [c for c in r["peers"] if c["interested"]]
                served = [c for c in keen if not c["am_choking"]]
                if done.get(peer) is not None and t > done[peer]:
                    why = "done (seeding)"
                elif up >= 0.9:
                    why = "busy (>= 90 %)"
                elif not keen:
                    why = "idle: nobody interested"
                elif not served:
                    why = "idle: interested peers choked"
                elif sum(c["queued"] for c in served) == 0:
                    why = "idle: unchoked peers ask nothing"
                else:
                    why = "idle: requests queued at it"
                cell = table.setdefault(why, [0, 0.0])
                cell[0] += 1
                cell[1] += max(0.0, 1.0 - up)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("trace_dir")
    ap.add_argument("--every", type=int, default=2, help="print every Nth second (default 2)")
    ap.add_argument("--peer", help="only this peer (e.g. p3)")
    ap.add_argument("--classify", action="store_true", help="only the leecher-seconds of each window by why the "
                    "link idled, and the link-seconds lost")
    args = ap.parse_args()
    result, by_peer = traces(args.run_dir, args.trace_dir)
    series = linkstats.load(os.path.join(args.run_dir, "links.jsonl"))
    if args.classify:
        for window, table in classify(result, by_peer, series).items():
            lost = sum(v[1] for v in table.values())
            print("%s: %s; link-seconds lost %.1f" % (window, ", ".join(
                "%s %d s (%.1f lost)" % (k, v[0], v[1]) for k, v in sorted(table.items())), lost))
        return 0
    rates = {p["peer"]: p["up"] for p in result["peers"]}
    done = {p["peer"]: p.get("complete_t") for p in result["peers"]}
    for name in sorted(by_peer, key=lambda n: (n[0], int(n[1:]))):
        if args.peer and name != args.peer:
            continue
        print("== %s (complete at %s)" % (name, done.get(name)))
        print("   t   have  up%  | interested unchoked queued-at-us           | from: unchoked-us in-flight")
        for r in by_peer[name][::max(1, args.every)]:
            t = r["lab_t"]
            up = linkstats.share(series.get((name, "up")), rates.get(name), t - 1.0, t)
            conns = r["peers"]
            keen = [c for c in conns if c["interested"]]
            served = [c for c in keen if not c["am_choking"]]
            feeding = [c for c in conns if not c["choking"] and c["am_interested"]]
            print("%5.1f %5d %5s | %10d %8d %-24s | %4d %s" % (
                t, r["have"], "-" if up is None else "%.0f" % (100 * up), len(keen), len(served),
                str([c["queued"] for c in served]), len(feeding), [c["in_flight"] for c in feeding]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
