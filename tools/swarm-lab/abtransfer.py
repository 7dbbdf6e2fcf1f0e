#!/usr/bin/python3
"""Per arm of a lab.py bench session: each run's transfer (time to last minus the leechers' median first byte, as
SUMMARY.md's "last done - first byte"), its medians, the ratio of medians against the arm without a label, and the payload the links carried
over what the leechers needed (links.wire: > 1 means bytes sent twice, e.g. duplicate requests).

    /usr/bin/python3 tools/swarm-lab/abtransfer.py OUT_DIR [OUT_DIR ...]   (runs of several sessions are pooled)
"""
import glob
import json
import os
import statistics
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def main():
    arms = {}
    for out in sys.argv[1:]:
        for path in sorted(glob.glob(os.path.join(out, "*", "result.json"))):
            with open(path) as f:
                r = json.load(f)
            if not r.get("ok"):
                continue
            r["_dir"] = os.path.dirname(path)
            transfer = report._transfer(r)
            wire = (r.get("links") or {}).get("wire", {})
            sent = sum(v["payload_bytes"] for v in wire.values()) / (8.0 * r["file_bytes"]) if wire else None
            load = "%.1f-%.1f" % (r.get("loadavg_start") or 0, r.get("loadavg_end") or 0)
            arms.setdefault(r.get("label") or "base", []).append((r["run"], transfer, sent, load))
    base = statistics.median(t for _, t, _, _ in arms.get("base", [])) if "base" in arms else None
    for arm, runs in sorted(arms.items()):
        med = statistics.median(t for _, t, _, _ in runs)
        print("%s: %d runs, transfer %s s, median %.2f s%s; sent/needed %s; load %s" % (
            arm, len(runs), ", ".join("%.2f" % t for _, t, _, _ in runs), med,
            "" if base is None else ", %.3f of base" % (med / base),
            ", ".join("%.3f" % s for _, _, s, _ in runs if s is not None), ", ".join(l for _, _, _, l in runs)))


if __name__ == "__main__":
    main()
