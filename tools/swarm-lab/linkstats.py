"""Link utilization in the swarm lab: how much of each peer's shaped link its client actually used, and when.

During a run a LinkSampler thread reads every link's counters every INTERVAL seconds, with two commands in the hub
namespace per sweep: `tc -s -j qdisc show` (the hub-side veth ends' tbf shapers: each peer's download, with their
backlog) and `ip -s -j link show` (the same ends' received bytes: what left each peer through its upload shaper).
One `tc -n PEER` per peer and sweep would be the direct reading of the upload shapers, but nine process starts per
sweep took 1.6 s a sweep on this 2-core machine at load 15 (first run, 3020ee); the upload shapers' own counters are
read once when the sampler stops ("dir": "up_qdisc"), to check the two agree. Written to links.jsonl, one line per
link and sample:
    {"t", "peer", "dir": "up"|"down"|"up_qdisc", "bytes", "packets"[, "drops", "backlog", "qlen"]}
(t on the lab's clock; bytes and packets are cumulative, Ethernet headers included, which is what tbf meters;
backlog: bytes waiting in the download shaper's queue at that moment.)

utilization() turns the samples into per-peer and swarm-wide shares of the link rate over time and over the phases
the SUMMARY reports; wire_cost() compares the link bytes with the payload each client reports it uploaded.
"""
import gzip
import json
import os
import subprocess
import threading
import time

INTERVAL = 0.5


def _json(argv):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    if p.returncode != 0:
        return []
    try:
        return json.loads(p.stdout or b"[]")
    except ValueError:
        return []


def _qdisc_record(q):
    return {k: q.get(k) for k in ("bytes", "packets", "drops", "backlog", "qlen")}


class LinkSampler(threading.Thread):
    """Samples every shaped link of a run until stop(); `clock()` gives the lab's t. links: [(peer name, namespace,
    peer-side dev, hub-side dev)]."""

    def __init__(self, out_path, hub_ns, links, clock, interval=INTERVAL):
        super().__init__(daemon=True)
        self.out = open(out_path, "w")
        self.hub_ns = hub_ns
        self.links = links
        self.clock = clock
        self.interval = interval
        self.halt = threading.Event()
        self.sweeps = 0

    def run(self):
        try:
            while not self.halt.is_set():
                started = time.monotonic()
                self._sweep()
                # bounded: one sweep per interval, never faster, whatever the sweep cost
                self.halt.wait(max(0.05, self.interval - (time.monotonic() - started)))
            # a last sweep at the swarm's end, just before the upload shapers' own totals: the two then count the
            # same bytes (the check in report.link_summary)
            self._sweep()
            for name, ns, dev, _ in self.links:
                for q in _json(["tc", "-n", ns, "-s", "-j", "qdisc", "show", "dev", dev]):
                    if q.get("root"):
                        self._write(dict(_qdisc_record(q), t=round(self.clock(), 3), peer=name, dir="up_qdisc"))
        finally:
            self.out.close()

    def _sweep(self):
        by_hub_dev = {hub_dev: name for name, _, _, hub_dev in self.links}
        # each sample is stamped when its command returns: under load most of a command's time is its start,
        # before the kernel is read (stamped before, a 1 s window once showed 165 % of a link)
        qdiscs = _json(["tc", "-n", self.hub_ns, "-s", "-j", "qdisc", "show"])
        t = round(self.clock(), 3)
        for q in qdiscs:
            name = by_hub_dev.get(q.get("dev"))
            if name is not None and q.get("root"):
                self._write(dict(_qdisc_record(q), t=t, peer=name, dir="down"))
        links = _json(["ip", "-n", self.hub_ns, "-s", "-j", "link", "show"])
        t = round(self.clock(), 3)
        for link in links:
            name = by_hub_dev.get(link.get("ifname"))
            rx = (link.get("stats64") or {}).get("rx")
            if name is not None and rx:
                self._write({"t": t, "peer": name, "dir": "up", "bytes": rx["bytes"], "packets": rx["packets"]})
        self.sweeps += 1

    def _write(self, rec):
        self.out.write(json.dumps(rec) + "\n")

    def stop(self):
        if not self.halt.is_set():
            self.halt.set()
            self.join(30)


def load(path):
    """{(peer, dir): [(t, bytes, backlog)]} from a links.jsonl (or its gzipped copy, PATH.gz), each series in time
    order."""
    series = {}
    gz = not os.path.isfile(path) and os.path.isfile(path + ".gz")
    with (gzip.open(path + ".gz", "rt") if gz else open(path)) as f:
        for line in f:
            s = json.loads(line)
            series.setdefault((s["peer"], s["dir"]), []).append((s["t"], s["bytes"], s.get("backlog") or 0))
    for v in series.values():
        v.sort()
    return series


def _bytes_at(samples, t):
    """Cumulative bytes at t, linear between the samples around it (the first/last sample outside them)."""
    if not samples:
        return 0.0
    if t <= samples[0][0]:
        return float(samples[0][1])
    for (t0, b0, _), (t1, b1, _) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            return b0 + (b1 - b0) * ((t - t0) / (t1 - t0) if t1 > t0 else 1.0)
    return float(samples[-1][1])


def share(samples, rate, start, end):
    """The share of `rate` (bytes/s) the link carried between start and end, or None for an empty window."""
    if not rate or end <= start or not samples:
        return None
    return (_bytes_at(samples, end) - _bytes_at(samples, start)) / (rate * (end - start))


def phases(first_byte, last_done):
    """The SUMMARY's windows: the first 5 s after the median first byte, the middle, the last 20 % of the transfer
    (median first byte to the last completion)."""
    span = last_done - first_byte
    tail = last_done - 0.2 * span
    head = min(first_byte + 5.0, tail)
    return [("first 5 s", first_byte, head), ("middle", head, tail), ("last 20 %", tail, last_done)]


def utilization(series, rates, windows, direction="up"):
    """{peer: [share per window]} and the swarm-wide share per window (bytes of all the peers' links over their summed
    capacity); rates: {peer: bytes/s of that direction}."""
    per_peer = {}
    total = []
    for _, start, end in windows:
        sent = cap = 0.0
        for peer, rate in rates.items():
            s = series.get((peer, direction))
            if not rate or s is None or end <= start:
                continue
            sent += _bytes_at(s, end) - _bytes_at(s, start)
            cap += rate * (end - start)
        total.append(sent / cap if cap else None)
    for peer, rate in rates.items():
        s = series.get((peer, direction))
        per_peer[peer] = [share(s, rate, start, end) for _, start, end in windows]
    return per_peer, total


def timeline(series, rates, start, end, step=1.0, direction="up"):
    """Swarm-wide upload share per `step` seconds from start to end: [(t, share)] (for the chart and JSON)."""
    out = []
    t = start
    while t + step <= end + 1e-9:
        sent = cap = 0.0
        for peer, rate in rates.items():
            s = series.get((peer, direction))
            if rate and s:
                sent += _bytes_at(s, t + step) - _bytes_at(s, t)
                cap += rate * step
        out.append((round(t, 3), sent / cap if cap else None))
        t += step
    return out


def wire_cost(series, payload_up, start, end):
    """{peer: (link bytes up, payload bytes up)} between start and end: payload from the client's own counters
    ({peer: [(t, uploaded)]}), link bytes from its upload shaper. The difference is TCP/IP and Ethernet headers,
    the ACKs of its downloads (which leave through the upload link), and protocol messages."""
    out = {}
    for peer, ups in payload_up.items():
        s = series.get((peer, "up"))
        if not s or not ups:
            continue
        link = _bytes_at(s, end) - _bytes_at(s, start)
        pay = _bytes_at([(t, b, 0) for t, b in ups], end) - _bytes_at([(t, b, 0) for t, b in ups], start)
        out[peer] = (link, pay)
    return out
