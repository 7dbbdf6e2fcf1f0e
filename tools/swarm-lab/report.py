"""Swarm-lab reports: a run's chart (python3-matplotlib), Spate's own complete events, a bench's SUMMARY.md."""
import glob
import gzip
import json
import os
import statistics

import linkstats


def open_records(path):
    """A JSON-lines file, or its gzipped copy (PATH.gz: how bulky runs are kept in perf-results)."""
    if not os.path.isfile(path) and os.path.isfile(path + ".gz"):
        return gzip.open(path + ".gz", "rt", errors="replace")
    return open(path, errors="replace")


def spate_complete(path):
    """The fields of a Spate peer's own "complete" event (request round trips, verify latency, CPU), and its mean
    and peak upload rate over its progress events (bytes/s)."""
    out = {}
    rates = []
    with open_records(path) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("event") == "complete" and not out:
                out = {k: ev[k] for k in ("seconds", "downloaded", "request_rtt_p50_ms", "request_rtt_p99_ms",
                                          "verify_p50_ms", "verify_p99_ms", "cpu_seconds") if k in ev}
            elif ev.get("event") == "progress" and "upload_rate" in ev:
                rates.append(ev["upload_rate"])
    if rates:
        out["upload_rate_peak"] = max(rates)
    return out


def spate_bans(path):
    """hash_failures and peers_banned of a Spate peer's last "progress" event (its own counters; {} if none)."""
    out = {}
    with open_records(path) as f:
        for line in f:
            if '"progress"' not in line or not line.startswith("{"):
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("event") == "progress":
                out = {k: ev[k] for k in ("hash_failures", "peers_banned") if k in ev}
    return out


def corrupter_summary(path):
    """The "summary" event of a corrupter.py run (counters and every connection's record), or None."""
    found = None
    with open_records(path) as f:
        for line in f:
            if '"summary"' in line:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                if ev.get("event") == "summary":
                    found = {k: v for k, v in ev.items() if k != "event"}
    return found


def smart_ban(peers, t0_unix=None, tcp=None):
    """Issue 14's smart-ban must-show from a run's peer records: per leecher, what a corrupter (a seed that flips every
    byte of every Nth block it serves) sent it and how those connections ended, with the leecher's own hash_failures
    and peers_banned (and ban_t, the lab times its peers_banned went up); then the verdict.

    A corrupter connection "closed by the leecher" is one the leecher closed (EOF or reset on the corrupter's side)
    before it was complete: more than 1 s before its completion on the lab's clock (t0_unix converts the
    corrupter's epoch times) and not after it announced every piece (closing a seed once complete is normal).
    A leecher's bans beyond the corrupter connections it closed so would be honest peers struck: honest_struck =
    peers_banned > corrupter_closed (None for a client that reports no peers_banned). The corrupter is banned by a
    leecher that closed a connection from it and counted a ban; ban_lag_s: each such close minus the nearest ban_t
    (the lab samples the counters every 0.5 s). A leecher is ok if it completed with the right bytes (unless it was
    to leave), reports peers_banned, banned the corrupter if it got a bad block from it and struck no honest peer;
    must_show: every leecher ok.

    tcp: the run's connections from closewatch.connections (who dialled, who closed first, when). With it, each
    leecher also gets the connections it closed itself before it was complete (1 s margin), by peer: to the
    corrupter, and to honest peers (honest_closed: those that had lived 1 s or more; a connection closed sooner is
    a duplicate or a failed handshake, listed under honest_closed_short). A leecher that closed an honest peer's
    connection struck it (a ban, or a close for some other reason: the packets do not say which), so then
    honest_struck is true whatever its counter says. Without tcp, honest_struck falls back to the counter, which
    is too strict for Spate: its peers_banned counts ban events, not peers (a piece from the corrupter alone that
    fails after the corrupter was banned counts again, BanPolicy.pieceFailed)."""
    corrupters = [p for p in peers if p.get("corrupter")]
    if not corrupters:
        return None
    out = {"corrupters": [], "leechers": []}
    conns = []
    for c in corrupters:
        s = c["corrupter"] or {}
        row = {"peer": c["peer"]}
        row.update({k: s.get(k) for k in ("blocks_served", "blocks_corrupted", "uploaded", "peers_connected",
                                          "closed_by_remote")})
        out["corrupters"].append(row)
        for r in s.get("connections", []):
            r = dict(r, corrupter=c["peer"])
            if t0_unix is not None and r.get("closed_unix") is not None:
                r["closed_t"] = round(r["closed_unix"] - t0_unix, 3)
                r["opened_t"] = round(r["opened_unix"] - t0_unix, 3)
            conns.append(r)
    by_ip = {p["addr"]: p for p in peers}
    ok = True
    for p in peers:
        if p["kind"] != "leecher":
            continue
        mine = [r for r in conns if r["peer"].rsplit(":", 1)[0] == p["addr"]]
        bad = sum(r["blocks_corrupted"] for r in mine)
        done_t = p.get("complete_t")

        def before_done(r):
            if r["remote_complete"]:
                return False
            return done_t is None or r.get("closed_t") is None or r["closed_t"] < done_t - 1.0
        closed = [r for r in mine if r["closed_by"] == "remote" and before_done(r)]
        banned = p.get("peers_banned")
        ban_t = p.get("ban_t") or []
        rec = {"peer": p["peer"], "client": p["client"], "complete_t": done_t, "sha256_ok": p.get("sha256_ok"),
               "hash_failures": p.get("hash_failures"), "peers_banned": banned, "ban_t": ban_t,
               "corrupter_connections": len(mine), "corrupt_blocks_sent": bad,
               "blocks_from_corrupter": sum(r["blocks_served"] for r in mine),
               "corrupter_closed_by_leecher": len(closed),
               "corrupter_closed_t": [r.get("closed_t") for r in closed],
               "ban_lag_s": [round(r["closed_t"] - min(ban_t, key=lambda b: abs(b - r["closed_t"])), 3)
                             for r in closed if ban_t and r.get("closed_t") is not None],
               "corrupter_connections_ended": sorted("%s:%s@%s" % (r["direction"], r["closed_by"], r.get("closed_t"))
                                                     for r in mine)}
        rec["corrupter_banned"] = None if banned is None else bool(closed and banned >= 1)
        rec["honest_struck"] = None if banned is None else banned > len(closed)
        if tcp is not None and t0_unix is not None:
            mine_tcp = []
            for c in tcp:
                if c["closer"] is None or c["closer"].rsplit(":", 1)[0] != p["addr"]:
                    continue
                other = c["listener"] if c["dialer"] == c["closer"] else c["dialer"]
                o = by_ip.get(other.rsplit(":", 1)[0])
                t = round(c["closed_unix"] - t0_unix, 3)
                if o is None or (done_t is not None and t >= done_t - 1.0):
                    continue
                mine_tcp.append({"peer": o["peer"], "corrupter": o["client"] == "corrupter",
                                 "t": t, "lived_s": round(c["closed_unix"] - c["opened_unix"], 3), "how": c["how"],
                                 "dialled_by_leecher": c["dialer"] == c["closer"]})
            rec["closed_corrupter_t"] = [c["t"] for c in mine_tcp if c["corrupter"]]
            rec["honest_closed"] = [c for c in mine_tcp if not c["corrupter"] and c["lived_s"] >= 1.0]
            rec["honest_closed_short"] = [c for c in mine_tcp if not c["corrupter"] and c["lived_s"] < 1.0]
            rec["corrupter_banned"] = None if banned is None else bool(rec["closed_corrupter_t"] and banned >= 1)
            rec["honest_struck"] = bool(rec["honest_closed"])
        done = p.get("leave_s") is not None or bool(p.get("sha256_ok"))
        rec["ok"] = bool(done and banned is not None and (bad == 0 or rec["corrupter_banned"])
                         and not rec["honest_struck"])
        ok = ok and rec["ok"]
        out["leechers"].append(rec)
    out["must_show"] = ok
    return out


def load_progress(run_dir):
    series = {}
    with open_records(os.path.join(run_dir, "progress.jsonl")) as f:
        for line in f:
            s = json.loads(line)
            series.setdefault(s["peer"], []).append(s)
    return series


def phase_times(run_dir):
    """{peer: (ready t, first-byte t)} from a run's raw records: the driver's "started" event, the first progress
    above 0 (both on the lab's clock)."""
    ready, first = {}, {}
    with open_records(os.path.join(run_dir, "events.jsonl")) as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("event") == "started" and ev.get("t") is not None:
                ready.setdefault(ev["peer"], ev["t"])
    for peer, samples in load_progress(run_dir).items():
        for s in samples:
            if (s.get("fraction") or 0) > 0 and s["kind"] == "leecher":
                first[peer] = s["t"]
                break
    return {p: (ready.get(p), first.get(p)) for p in set(ready) | set(first)}


def upload_rates(run_dir, result):
    """Each peer's mean upload rate (bytes/s) from the leechers' median first byte to time-to-last (so start-up, which
    differs by client, is left out), from its client's reported upload counter; and that window."""
    end = result.get("time_to_last")
    if not end:
        return {}, None
    firsts = [f for peer, (_, f) in phase_times(run_dir).items() if f is not None and peer.startswith("p")]
    start = statistics.median(firsts) if firsts else 0.0

    def at(samples, t):
        before = [s["uploaded"] for s in samples if s["t"] <= t]
        return before[-1] if before else 0

    rates = {}
    for peer, samples in load_progress(run_dir).items():
        up = [s for s in samples if "uploaded" in s]
        if up and end > start:
            rates[peer] = (at(up, end) - at(up, start)) / (end - start)
    return rates, (start, end)


def link_summary(run_dir, result):
    """Utilization of the shaped links (linkstats.py) from a run's links.jsonl, or None without one: per peer and
    swarm-wide, up and down, in the phases of the transfer (median first byte to the last completion); the swarm's
    upload share per second; and per peer the link bytes it sent against the payload its client reports."""
    path = os.path.join(run_dir, "links.jsonl")
    end = result.get("time_to_last")
    if not (os.path.isfile(path) or os.path.isfile(path + ".gz")) or not end:
        return None
    series = linkstats.load(path)
    firsts = [f for peer, (_, f) in phase_times(run_dir).items() if f is not None]
    if not firsts:
        return None
    start = statistics.median(firsts)
    windows = linkstats.phases(start, end)
    peers = result.get("peers", [])
    up_rates = {p["peer"]: p["up"] for p in peers if p.get("up")}
    down_rates = {p["peer"]: p["down"] for p in peers if p.get("down") and p["kind"] == "leecher"}
    up, up_swarm = linkstats.utilization(series, up_rates, windows, "up")
    down, down_swarm = linkstats.utilization(series, down_rates, windows, "down")
    whole = [("transfer", start, end)]
    up_whole, up_swarm_whole = linkstats.utilization(series, up_rates, whole, "up")
    payload = {peer: [(s["t"], s["uploaded"]) for s in samples if "uploaded" in s]
               for peer, samples in load_progress(run_dir).items()}
    wire = linkstats.wire_cost(series, payload, start, end)
    r3 = lambda x: None if x is None else round(x, 3)  # noqa: E731
    # the upload shapers' own totals, read at the end, against the hub's count of the same bytes (linkstats.py)
    check = {peer: r3(series[(peer, "up")][-1][1] / q[-1][1]) for (peer, d), q in series.items()
             if d == "up_qdisc" and q[-1][1] and (peer, "up") in series}
    return {"start": round(start, 3), "end": end, "windows": [[n, round(a, 3), round(b, 3)] for n, a, b in windows],
            "up": {p: [r3(x) for x in v] for p, v in up.items()}, "up_swarm": [r3(x) for x in up_swarm],
            "up_transfer": {p: r3(v[0]) for p, v in up_whole.items()}, "up_swarm_transfer": r3(up_swarm_whole[0]),
            "down": {p: [r3(x) for x in v] for p, v in down.items()}, "down_swarm": [r3(x) for x in down_swarm],
            "wire": {p: {"link_bytes": int(l), "payload_bytes": int(b), "link_per_payload": r3(l / b) if b else None}
                     for p, (l, b) in wire.items()},
            "up_hub_per_qdisc": check,
            "timeline_up_swarm": [[t, r3(x)] for t, x in linkstats.timeline(series, up_rates, 0.0, end)]}


def chart(run_dir, result):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series = load_progress(run_dir)
    links = result.get("links")
    if links and links.get("timeline_up_swarm"):
        fig, (ax, ax_up) = plt.subplots(2, 1, figsize=(9, 7), dpi=100, sharex=True,
                                        gridspec_kw={"height_ratios": [3, 1]})
        pts = [(t + 0.5, 100 * x) for t, x in links["timeline_up_swarm"] if x is not None]
        ax_up.step([p[0] for p in pts], [p[1] for p in pts], where="mid", color="tab:blue", linewidth=1.2)
        ax_up.axvline(links["start"], color="grey", linestyle="--", linewidth=1)
        ax_up.set_ylabel("swarm upload\n% of links")
        ax_up.set_ylim(0, 105)
        ax_up.grid(True, alpha=0.3)
        ax_up.set_xlabel("seconds since the swarm's start (dashed: median first byte)")
    else:
        fig, ax = plt.subplots(figsize=(9, 5), dpi=100)
        ax_up = None
    for peer in sorted(series, key=lambda p: (p[0], int(p[1:]))):
        pts = [(s["t"], s["fraction"]) for s in series[peer] if "fraction" in s]
        if not pts or series[peer][0]["kind"] == "seed":
            continue
        pts.sort()
        role = next((r["role"] for r in result.get("peers", []) if r["peer"] == peer), "honest")
        ax.plot([p[0] for p in pts], [100 * p[1] for p in pts], label=peer + (" (free-rider)" if role != "honest"
                                                                             else ""),
                linewidth=1.2, linestyle="--" if role != "honest" else "-")
    ts = result.get("t_star")
    if ts:
        ax.axvline(ts, color="black", linestyle=":", linewidth=1.5, label="T* = %.1f s" % ts)
    last = result.get("time_to_last")
    if last:
        ax.axvline(last, color="red", linestyle="-.", linewidth=1,
                   label="last = %.1f s%s" % (last, " (%.2f T*)" % result["ratio"] if result.get("ratio") else ""))
    if ax_up is None:
        ax.set_xlabel("seconds since the swarm's start")
    ax.set_ylabel("% of the file")
    ax.set_ylim(0, 101)
    ax.set_xlim(left=0)
    ax.grid(True, alpha=0.3)
    ax.set_title("%s, %s: %s" % (result.get("scenario"), result.get("client"), result.get("run")), fontsize=9)
    ax.legend(fontsize=7, loc="lower right", ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, "chart.png"))
    plt.close(fig)


def _median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _fmt(x, spec="%.2f"):
    return "-" if x is None else spec % x


def _leecher_phase_medians(r):
    phases = phase_times(r["_dir"])
    lee = [p["peer"] for p in r.get("peers", []) if p["kind"] == "leecher"]
    return (_median([phases.get(p, (None, None))[0] for p in lee]),
            _median([phases.get(p, (None, None))[1] for p in lee]))


def _transfer(r):
    first = _leecher_phase_medians(r)[1]
    return None if first is None or not r.get("time_to_last") else r["time_to_last"] - first


def _ready(r):
    return _leecher_phase_medians(r)[0]


def summarize(out_dir, command):
    """SUMMARY.md in out_dir from every run's result.json under it: per run, medians per client, ratios."""
    results = []
    for path in sorted(glob.glob(os.path.join(out_dir, "*", "result.json"))):
        with open(path) as f:
            r = json.load(f)
        r["_dir"] = os.path.dirname(path)
        results.append(r)
    if not results:
        return
    cmd_path = os.path.join(out_dir, "COMMAND")
    if command:
        with open(cmd_path, "w") as f:
            f.write(command + "\n")
    elif os.path.isfile(cmd_path):
        with open(cmd_path) as f:
            command = f.read().strip()
    for r in results:
        r["variant"] = r["client"] + ("[%s]" % r["label"] if r.get("label") else "")
    clients = []
    for r in results:
        if r["variant"] not in clients:
            clients.append(r["variant"])
    lines = ["# Swarm lab: %s" % ", ".join(sorted({r["scenario"] for r in results})), ""]
    if command:
        lines += ["Command:", "", "```", command, "```", ""]
    heads = sorted({r["git_head"] for r in results if r.get("git_head")})
    if heads:
        lines += ["Repository at %s when the runs were made." % ", ".join(heads), ""]
    ts = _median([r.get("t_star") for r in results])
    lines += ["T* (Kumar-Ross bound) = %s s. time-to-last: from the first leecher's launch to the last leecher's "
              "completion, on the lab's clock; every leecher's file checked by SHA-256 against the source." % _fmt(ts),
              "", "## Runs", "",
              "| run | client | ok | time-to-last s | / T* | leecher completions s (min-max) | seed copies uploaded |",
              "|---|---|---|---|---|---|---|"]
    for r in results:
        comp = [p["complete_t"] for p in r.get("peers", []) if p["kind"] == "leecher" and p["complete_t"] is not None]
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            os.path.basename(r["_dir"]), r["variant"], "yes" if r["ok"] else "NO: %s" % r.get("error"),
            _fmt(r.get("time_to_last")), _fmt(r.get("ratio"), "%.3f"),
            "%.1f-%.1f" % (min(comp), max(comp)) if comp else "-", _fmt(r.get("seed_copies"))))
    lines += ["", "## Medians", "", "| client | runs ok | median time-to-last s | median / T* | vs libtorrent |"
              " median seed copies | median last done - median first byte s | median ready s |",
              "|---|---|---|---|---|---|---|---|"]
    med = {}
    for c in clients:
        rs = [r for r in results if r["variant"] == c and r["ok"]]
        med[c] = _median([r.get("time_to_last") for r in rs])
    for c in clients:
        rs = [r for r in results if r["variant"] == c and r["ok"]]
        vs = med[c] / med["libtorrent"] if med.get(c) and med.get("libtorrent") else None
        lines.append("| %s | %d/%d | %s | %s | %s | %s | %s | %s |" % (
            c, len(rs), len([r for r in results if r["variant"] == c]), _fmt(med[c]),
            _fmt(_median([r.get("ratio") for r in rs]), "%.3f"), _fmt(vs, "%.3fx"),
            _fmt(_median([r.get("seed_copies") for r in rs])),
            _fmt(_median([_transfer(r) for r in rs])), _fmt(_median([_ready(r) for r in rs]), "%.1f")))
    lines += ["", "The last two columns separate start-up from transfer: on this 2-core machine all peers start at "
              "once, so a client's start-up (a JVM's, for Spate) is paid in CPU by every peer together."]
    # per-peer upload rates and Spate's request round trips
    lines += ["", "## Upload rates (MB/s, mean from the leechers' median first byte to time-to-last, as each client "
              "reports its uploads; the links: see the scenario)", "",
              "| run | client | window s | seed | leechers (each) | leechers' mean |", "|---|---|---|---|---|---|"]
    for r in results:
        if not r.get("time_to_last"):
            continue
        rates, window = upload_rates(r["_dir"], r)
        seeds = [rates[p["peer"]] / 1e6 for p in r["peers"] if p["kind"] == "seed" and p["peer"] in rates]
        lee = [rates[p["peer"]] / 1e6 for p in r["peers"] if p["kind"] == "leecher" and p["peer"] in rates]
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            os.path.basename(r["_dir"]), r["variant"], "%.1f-%.1f" % window if window else "-",
            " ".join("%.2f" % x for x in seeds) or "-",
            " ".join("%.2f" % x for x in lee) or "-", _fmt(statistics.mean(lee) if lee else None)))
    link_rows = []
    for r in results:
        links = r.get("links")
        if links is None and r.get("time_to_last"):
            links = link_summary(r["_dir"], r)
        if links:
            link_rows.append((r, links))
    if link_rows:
        lines += ["", "## Link utilization (the links' byte counters, links.jsonl, linkstats.py; share of each link's rate)", "",
                  "Windows: from the leechers' median first byte, its first 5 s, the middle, the last 20 % of the "
                  "transfer (to the last completion). Up: bytes that left each peer through its upload shaper (Ethernet "
                  "frames, headers included; counted where they enter the hub) over rate x time. Swarm: all upload links together (T* assumes 100 %). Idle leechers: "
                  "upload share per window of each leecher, p1..pN.", "",
                  "| run | client | swarm up: first 5 s / middle / last 20 % / whole | seed up | leechers' down "
                  "(swarm) | leechers up per window (p1..pN) | link bytes per payload byte up (seed; leechers' "
                  "median) |", "|---|---|---|---|---|---|---|"]
        for r, links in link_rows:
            peers = r.get("peers", [])
            seed = [p["peer"] for p in peers if p["kind"] == "seed"]
            lee = [p["peer"] for p in peers if p["kind"] == "leecher"]
            pct = lambda x: "-" if x is None else "%.0f" % (100 * x)  # noqa: E731
            per = " · ".join("/".join(pct(x) for x in links["up"].get(p, [])) for p in lee)
            wire = links.get("wire", {})
            lee_wire = _median([wire[p]["link_per_payload"] for p in lee if p in wire])
            seed_wire = [wire[p]["link_per_payload"] for p in seed if p in wire]
            lines.append("| %s | %s | %s / %s | %s | %s | %s | %s; %s |" % (
                os.path.basename(r["_dir"]), r["variant"], " / ".join(pct(x) for x in links["up_swarm"]),
                pct(links.get("up_swarm_transfer")),
                " ".join("/".join(pct(x) for x in links["up"].get(p, [])) for p in seed) or "-",
                " / ".join(pct(x) for x in links["down_swarm"]), per,
                _fmt(seed_wire[0] if seed_wire and seed_wire[0] else None, "%.3f"), _fmt(lee_wire, "%.3f")))
        med_rows = []
        for c in clients:
            ls = [links for r, links in link_rows if r["variant"] == c]
            if ls:
                med_rows.append("| %s | %d | %s | %s |" % (
                    c, len(ls), " / ".join(_fmt(_median([l["up_swarm"][k] for l in ls]), "%.3f") for k in range(3)),
                    _fmt(_median([l.get("up_swarm_transfer") for l in ls]), "%.3f")))
        lines += ["", "| client | runs | median swarm upload share: first 5 s / middle / last 20 % | whole transfer |",
                  "|---|---|---|---|"] + med_rows
    lines += ["", "## Phases (leechers, seconds since the swarm's start; medians over a run's leechers)", "",
              "ready: the client is up (its driver's started: libtorrent's session listening, aria2's RPC, Spate's "
              "own started event); first byte: first progress above 0; spread: last completion minus first. CPU: "
              "user + system seconds of every process in the peer's namespace (driver and client) at the swarm's "
              "end. load: the machine's 1-minute load average at the run's start and end (2 cores, shared).", "",
              "| run | client | ready | first byte | first done | last done | spread | leecher CPU s (mean) | "
              "seed CPU s | load |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lee = [p for p in r.get("peers", []) if p["kind"] == "leecher"]
        comp = [p["complete_t"] for p in lee if p["complete_t"] is not None]
        phases = phase_times(r["_dir"])
        ready = [phases.get(p["peer"], (None, None))[0] for p in lee]
        first = [phases.get(p["peer"], (None, None))[1] for p in lee]
        cpu = [p.get("cpu_s") for p in lee if p.get("cpu_s") is not None]
        seed_cpu = [p.get("cpu_s") for p in r.get("peers", []) if p["kind"] == "seed" and p.get("cpu_s") is not None]
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            os.path.basename(r["_dir"]), r["variant"], _fmt(_median(ready), "%.1f"),
            _fmt(_median(first), "%.1f"), _fmt(min(comp) if comp else None, "%.1f"),
            _fmt(max(comp) if comp else None, "%.1f"), _fmt(max(comp) - min(comp) if comp else None, "%.1f"),
            _fmt(statistics.mean(cpu) if cpu else None, "%.1f"), _fmt(seed_cpu[0] if seed_cpu else None, "%.1f"),
            "-" if r.get("loadavg_start") is None else "%.1f-%.1f" % (r["loadavg_start"], r["loadavg_end"])))
    spate_rows = []
    for r in results:
        for p in r.get("peers", []):
            sc = p.get("spate_complete")
            if p["kind"] == "leecher" and sc and "request_rtt_p50_ms" in sc:
                spate_rows.append((os.path.basename(r["_dir"]), p["peer"], sc))
    if spate_rows:
        lines += ["", "## Spate leechers' request round trips (their `complete` events)", "",
                  "| run | peer | seconds | rtt p50 ms | rtt p99 ms | verify p50 ms | CPU s |",
                  "|---|---|---|---|---|---|---|"]
        for run, peer, sc in spate_rows:
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                run, peer, _fmt(sc.get("seconds")), _fmt(sc.get("request_rtt_p50_ms"), "%.0f"),
                _fmt(sc.get("request_rtt_p99_ms"), "%.0f"), _fmt(sc.get("verify_p50_ms"), "%.1f"),
                _fmt(sc.get("cpu_seconds"))))
        lines += ["", "Median over all Spate leechers: rtt p50 %s ms, p99 %s ms." % (
            _fmt(_median([s.get("request_rtt_p50_ms") for _, _, s in spate_rows]), "%.0f"),
            _fmt(_median([s.get("request_rtt_p99_ms") for _, _, s in spate_rows]), "%.0f"))]
    lines += ["", "Charts: `RUN/chart.png` (every leecher's progress, T* dotted). Raw: `RUN/progress.jsonl`, "
              "`RUN/events.jsonl`, `RUN/result.json`, `RUN/peers/*-spate.jsonl` (each JSON-lines file may be kept gzipped, "
              "`.jsonl.gz`; summarize reads either).", ""]
    with open(os.path.join(out_dir, "SUMMARY.md"), "w") as f:
        f.write("\n".join(lines))
