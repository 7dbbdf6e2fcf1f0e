"""Swarm-lab scenarios: the JSON file, its peers expanded, and the Kumar-Ross bound.

A scenario (tools/swarm-lab/scenarios/*.json):
  {"name": "efficiency", "description": "...",
   "file_mib": 64, "piece_kib": 256,
   "client": "spate",                   every peer's client unless a group names its own (lab.py --client overrides
                                        all, except a "corrupter" group: see below)
   "tracker": "opentracker",            or "spate" (java -jar engine.jar tracker), in the hub namespace
   "queue_ms": 50,                      each shaper's queue, in ms at its rate
   "tcp_cc": "reno",                    optional: TCP congestion control in the run's namespaces (default: the
                                        machine's, BBR here; one of net.ipv4.tcp_allowed_congestion_control, reno
                                        and bbr here; SWARM_LAB_TCP_CC overrides)
   "timeout_s": 180,                    the whole swarm, from its start; then every process is ended
   "random_seed": 1,                    for [lo, hi] ranges below
   "seeds":    [{"count": 1, "up": 4000000, "down": 8000000, "leave_after_copies": 1.2, "leave_s": null}],
   "leechers": [{"count": 8, "up": 2000000, "down": 8000000, "arrive_s": 0, "leave_s": null, "role": "honest",
                 "client": "libtorrent"}]}
Rates are bytes/s (null: unshaped). arrive_s and leave_s are seconds from the swarm's start (the first leecher's
launch), a number or a [lo, hi] range drawn uniformly per peer; leave_s may also be {"after_arrival": [lo, hi]}.
A leecher with no leave_s must complete; one that leaves is stopped then (complete or not). role: "honest" or
"free_rider" (client.py --free-rider). A seed leaves once it has uploaded leave_after_copies times the file, as its
client reports (spate, libtorrent, aria2), or at leave_s.
A seed group may say "client": "corrupter": tools/clients/corrupter.py, a hostile seed that flips every byte of every
50th block it serves (issue 14's smart-ban test). It is part of the scenario, not a client under test, so it keeps
its client under lab.py --client, which sets every other group's; it is a seed only.
"""
import json
import os
import random

CLIENTS = ("spate", "libtorrent", "aria2", "transmission", "qbittorrent", "corrupter")
SCENARIO_ONLY = ("corrupter",)  # clients that are part of a scenario: lab.py --client does not replace them
MIB = 1048576


def load(path, client_override=None):
    with open(path) as f:
        sc = json.load(f)
    for key in ("name", "file_mib", "piece_kib", "seeds", "leechers", "timeout_s"):
        if key not in sc:
            raise ValueError("%s: missing %r" % (path, key))
    sc.setdefault("client", "spate")
    sc.setdefault("tracker", "opentracker")
    sc.setdefault("queue_ms", 50)
    sc.setdefault("random_seed", 1)
    if client_override:
        sc["client"] = client_override
        for g in sc["seeds"] + sc["leechers"]:
            if g.get("client") not in SCENARIO_ONLY:
                g.pop("client", None)
    # a namespace other than the root one may set only the root's allowed list (reno and bbr on these machines)
    allowed = open("/proc/sys/net/ipv4/tcp_allowed_congestion_control").read().split()
    cc = os.environ.get("SWARM_LAB_TCP_CC") or sc.get("tcp_cc")
    if cc is not None and cc not in allowed:
        raise ValueError("tcp_cc %r is not allowed in a namespace here (%s)" % (cc, " ".join(allowed)))
    if sc["tracker"] not in ("opentracker", "spate"):
        raise ValueError("tracker must be opentracker or spate")
    piece = sc["piece_kib"] * 1024
    if piece & (piece - 1) or not 16384 <= piece <= 1 << 28:
        raise ValueError("piece_kib must be a power of two from 16 to 262144")
    return sc


def _draw(rng, value):
    if isinstance(value, list):
        return round(rng.uniform(value[0], value[1]), 2)
    return value


def peers(sc):
    """The scenario's peers, seeds first: dicts with index, name, kind (seed/leecher), client, role, up, down,
    arrive_s, leave_s, leave_after_copies."""
    rng = random.Random(sc["random_seed"])
    out = []
    for kind, groups in (("seed", sc["seeds"]), ("leecher", sc["leechers"])):
        for g in groups:
            for _ in range(int(g.get("count", 1))):
                client = g.get("client", sc["client"])
                if client not in CLIENTS:
                    raise ValueError("unknown client %r" % client)
                if client == "corrupter" and kind != "seed":
                    raise ValueError("the corrupter is a seed only")
                arrive = 0 if kind == "seed" else _draw(rng, g.get("arrive_s", 0))
                leave = g.get("leave_s")
                if isinstance(leave, dict):
                    leave = arrive + _draw(rng, leave["after_arrival"])
                else:
                    leave = _draw(rng, leave)
                role = g.get("role", "honest")
                if role not in ("honest", "free_rider"):
                    raise ValueError("role must be honest or free_rider")
                out.append({"index": len(out), "name": ("s%d" if kind == "seed" else "p%d") % len(out),
                            "kind": kind, "client": client, "role": role, "up": g.get("up"),
                            "down": g.get("down"), "arrive_s": arrive, "leave_s": leave,
                            "leave_after_copies": g.get("leave_after_copies")})
    return out


def t_star(file_bytes, peer_list):
    """Kumar-Ross: T* = max(F/u_s, F/d_min, N*F/(u_s + sum u_i)) over the leechers (a free-rider uploads 0).
    None when a rate it needs is unshaped."""
    seeds = [p for p in peer_list if p["kind"] == "seed"]
    leechers = [p for p in peer_list if p["kind"] == "leecher"]
    if not leechers or any(p["up"] is None for p in seeds) or any(p["down"] is None for p in leechers):
        return None
    u_s = sum(p["up"] for p in seeds)
    d_min = min(p["down"] for p in leechers)
    n = len(leechers)
    if any(p["up"] is None and p["role"] != "free_rider" for p in leechers):
        return max(file_bytes / u_s, file_bytes / d_min)  # an unshaped leecher upload: the third term is ~0
    ups = [0 if p["role"] == "free_rider" else p["up"] for p in leechers]
    return max(file_bytes / u_s, file_bytes / d_min, n * file_bytes / (u_s + sum(ups)))
