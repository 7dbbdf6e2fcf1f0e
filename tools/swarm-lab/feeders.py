#!/usr/bin/env python3
"""Who fed whom in a swarm-lab run of Spate peers: the payload each peer received from each other, in MB.

    /usr/bin/python3 tools/swarm-lab/feeders.py RUN_DIR [RUN_DIR ...]

Reads each Spate peer's `peer_closed` events (peers/NAME-spate.jsonl[.gz]: the bytes one connection carried each
way, printed as it closed, the last ones at shutdown) and the run's result.json (peer names, roles, addresses).
Prints one row per receiving peer: MB from each sender, then the total. A free-rider's row shows who paid for it.
"""
import gzip
import json
import os
import sys


def events(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith("{"):
                yield json.loads(line)


def matrix(run):
    with open(os.path.join(run, "result.json")) as f:
        result = json.load(f)
    peers = result["peers"]
    by_ip = {p["addr"]: p["peer"] for p in peers if p.get("addr")}
    received = {}
    for p in peers:
        for name in ("%s-spate.jsonl" % p["peer"], "%s-spate.jsonl.gz" % p["peer"]):
            path = os.path.join(run, "peers", name)
            if os.path.exists(path):
                row = received.setdefault(p["peer"], {})
                for e in events(path):
                    if e.get("event") == "peer_closed":
                        sender = by_ip.get(e["peer"].rsplit(":", 1)[0], e["peer"])
                        row[sender] = row.get(sender, 0) + e["downloaded"]
    return peers, received


def main():
    for run in sys.argv[1:]:
        peers, received = matrix(run)
        names = [p["peer"] for p in peers]
        roles = {p["peer"]: p.get("role", "") for p in peers}
        print("# %s (MB received, row from column)" % os.path.basename(os.path.normpath(run)))
        print("%-14s" % "" + "".join("%8s" % n for n in names) + "%9s" % "total")
        for n in names:
            row = received.get(n)
            if row is None:
                continue
            label = n + (" (%s)" % roles[n] if roles[n] not in ("", "honest") else "")
            print("%-14s" % label + "".join("%8.1f" % (row.get(m, 0) / 1e6) for m in names) +
                  "%9.1f" % (sum(row.values()) / 1e6))
        print()


if __name__ == "__main__":
    main()
