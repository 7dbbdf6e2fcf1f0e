#!/usr/bin/python3
"""Upload limit holds: a Spate seed capped at --rate bytes/s (default 20,000,000: "20 MB/s" in decimal bytes; the
CLI's "20M" would be 20 MiB/s = 20,971,520) seeds a --size-mib torrent to --leechers libtorrent leechers on
loopback, and its upload rate is measured over 10 s windows.

  /usr/bin/python3 tools/service/upload_limit.py [--jar engine/target/engine.jar] [--size-mib 512] [--leechers 3]
      [--rate 20000000] [--live-rate 10000000] [--live-after 15] [--phases seed,daemon] [--logs DIR]
      [--max-seconds 600] [--keep]

Phase "seed": `spate seed --max-upload-rate RATE --json --progress-interval 0.5`; its progress events' `uploaded`
(payload bytes written to sockets, TorrentStats.uploadedBytes) are timestamped when this script reads them.
Phase "daemon": `spate daemon --max-upload-rate RATE` seeding the same data (added over the API), `uploaded` read
from GET /api/torrents every 0.5 s (timestamp: the middle of the request); --live-after seconds after the upload
began, `spate limit --up LIVE_RATE` changes the global limit live.

Leechers: tools/clients/client.py --client libtorrent --role leech (python3-libtorrent), finding the seed and each
other through a Spate tracker on 127.0.0.1 (the torrent's announce URL). They also trade among themselves; only the
Spate side's upload is measured.

Windows: t0 = the first sample showing uploaded > 0; the first 2 s are skipped (the token bucket starts with up to
one second's burst); then consecutive 10 s windows [t0+2, t0+12], [t0+12, t0+22], ... that end before the first
leecher completes ("demand windows": all leechers still want data, so a rate below the cap is not lack of demand).
Rates between samples are interpolated linearly. Also reported: every sliding 10 s window (0.5 s steps) in the
demand period, and windows after the first completion (marked). In the daemon phase the windows restart at the
`limit` command's return + 2 s with the new rate as the target.

Stdout: JSON lines (`config`, `phase`, `result`); stderr: a log. Exit 0 when every demand window is within --tolerance
(default 5 %) of its target, 1 otherwise. Every process started is ended by its PID, also on failure; bounded by
--max-seconds.
"""
import argparse
import json
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import svc  # noqa: E402
from svc import Failure, log  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENT = os.path.join(REPO, "tools/clients/client.py")
SKIP = 2.0
WINDOW = 10.0
STEP = 0.5


emit = svc.emit


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default=os.path.join(REPO, "engine/target/engine.jar"))
    p.add_argument("--java", default="java")
    p.add_argument("--size-mib", type=int, default=512)
    p.add_argument("--piece-kib", type=int, default=0, help="piece length (default: the create command's choice)")
    p.add_argument("--leechers", type=int, default=3)
    p.add_argument("--rate", type=int, default=20000000, help="bytes/s (default 20000000)")
    p.add_argument("--live-rate", type=int, default=10000000, help="daemon phase: the rate set live (bytes/s)")
    p.add_argument("--live-after", type=float, default=15.0, help="daemon phase: seconds after the upload began")
    p.add_argument("--phases", default="seed,daemon")
    p.add_argument("--tolerance", type=float, default=0.05)
    p.add_argument("--logs", help="directory for every process's output and the samples (default: in the work dir)")
    p.add_argument("--work", help="parent of the temporary work dir (default: /tmp)")
    p.add_argument("--max-seconds", type=float, default=600.0)
    p.add_argument("--keep", action="store_true")
    return p.parse_args()


def interp(samples, t):
    """uploaded at time t, linear between the samples around it (samples: sorted (t, bytes))."""
    if t <= samples[0][0]:
        return samples[0][1]
    for (t1, b1), (t2, b2) in zip(samples, samples[1:]):
        if t1 <= t <= t2:
            return b1 if t2 == t1 else b1 + (b2 - b1) * (t - t1) / (t2 - t1)
    return samples[-1][1]


def rate(samples, a, b):
    return (interp(samples, b) - interp(samples, a)) / (b - a)


def analyse(samples, start, demand_end, upload_end, target):
    """Consecutive and sliding 10 s windows from start; those ending by demand_end are the demand windows."""
    out = {"target": target, "windows": [], "after_demand": []}
    a = start
    while a + WINDOW <= upload_end + 1e-9:
        r = rate(samples, a, a + WINDOW)
        w = {"from_s": round(a - start + SKIP, 1), "to_s": round(a - start + SKIP + WINDOW, 1),
             "bytes_per_s": round(r), "deviation_pct": round(100.0 * (r - target) / target, 2)}
        (out["windows"] if a + WINDOW <= demand_end + 1e-9 else out["after_demand"]).append(w)
        a += WINDOW
    sliding = []
    a = start
    while a + WINDOW <= demand_end + 1e-9:
        sliding.append(rate(samples, a, a + WINDOW))
        a += STEP
    if sliding:
        out["sliding"] = {"count": len(sliding), "min_bytes_per_s": round(min(sliding)),
                          "max_bytes_per_s": round(max(sliding)),
                          "max_abs_deviation_pct": round(100.0 * max(abs(r - target) for r in sliding) / target, 2)}
    if out["windows"]:
        out["max_abs_deviation_pct"] = max(abs(w["deviation_pct"]) for w in out["windows"])
    if demand_end > start:
        out["demand_period"] = {"seconds": round(demand_end - start, 1),
                                "bytes_per_s": round(rate(samples, start, demand_end))}
    return out


def start_leechers(procs, args, work, torrent, tag, left):
    leechers = []
    for i in range(args.leechers):
        d = os.path.join(work, "%s-leech-%d" % (tag, i))
        os.makedirs(d, exist_ok=True)
        port = svc_free_port()
        leechers.append(procs.start("%s-lt-%d" % (tag, i), ["/usr/bin/python3", CLIENT, "--client", "libtorrent",
                                                            "--role", "leech", "--torrent", torrent, "--dir", d,
                                                            "--port", str(port), "--timeout",
                                                            str(int(max(60, left() - 30))), "--stats-interval", "1",
                                                            "--workdir", os.path.join(work, "lt-work")]))
    for lt in leechers:
        got = lt.wait_event(lambda e: e.get("event") in ("started", "error"), min(60, left()))
        if got is None or got[1].get("event") != "started":
            raise Failure("%s did not start: %s" % (lt.name, got[1] if got else lt.stderr_tail()))
    return leechers


def svc_free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_leechers(leechers, left, timeout):
    """Until every leecher has completed (or failed); returns the receipt times of their completions."""
    deadline = time.monotonic() + timeout
    done = {}
    while len(done) < len(leechers):
        left()
        if time.monotonic() > deadline:
            raise Failure("leechers not complete after %.0f s: %s" % (timeout, [lt.name for lt in leechers
                                                                              if lt.name not in done]))
        for lt in leechers:
            if lt.name in done:
                continue
            c = lt.last_event("complete")
            err = lt.last_event("error")
            if err is not None:
                raise Failure("%s: %s" % (lt.name, err[1].get("message")))
            if c is not None:
                done[lt.name] = c[0]
            elif not lt.alive():
                raise Failure("%s exited (%s) before completing: %s" % (lt.name, lt.proc.poll(), lt.stderr_tail()))
        time.sleep(0.2)
    return sorted(done.values())


def phase_seed(args, procs, work, logs, torrent, src_dir, left):
    seed = procs.start("seed", [args.java, "-jar", args.jar, "seed", torrent, "--dir", src_dir, "--port", "0",
                                "--bind", "127.0.0.1", "--json", "--progress-interval", "0.5",
                                "--max-upload-rate", str(args.rate)])
    if seed.wait_event(lambda e: e.get("event") == "complete", min(180, left())) is None:
        raise Failure("the seed did not become ready: " + seed.stderr_tail())
    load_before = svc.loadavg()
    leechers = start_leechers(procs, args, work, torrent, "seed", left)
    completions = wait_leechers(leechers, left, min(400, left()))
    time.sleep(1.5)
    samples = [(t, e["uploaded"]) for (t, e) in seed.events_of("progress")]
    load_after = svc.loadavg()
    for lt in leechers:
        lt.stop()
    code = seed.stop()
    with open(os.path.join(logs, "samples-seed.jsonl"), "w") as f:
        for t, b in samples:
            f.write(json.dumps({"t": round(t, 3), "uploaded": b}) + "\n")
    moving = [(t, b) for (t, b) in samples if b > 0]
    if not moving:
        raise Failure("the seed uploaded nothing")
    t0 = moving[0][0]
    upload_end = next((t for (t, b) in samples if t > completions[-1]), samples[-1][0])
    result = analyse(samples, t0 + SKIP, completions[0], min(upload_end, completions[-1]), args.rate)
    result.update(phase="seed", seed_exit=code, uploaded_total=samples[-1][1],
                  leecher_complete_s=[round(c - t0, 1) for c in completions], load_before=load_before,
                  load_after=load_after, first_0_5s_intervals=interval_rates(samples, t0, 6))
    return result


def interval_rates(samples, t0, count):
    """Rates between consecutive samples from the one before t0 on: the start-up shape (burst)."""
    i = max(0, next(i for i, (t, b) in enumerate(samples) if t >= t0) - 1)
    out = []
    for (t1, b1), (t2, b2) in zip(samples[i:i + count], samples[i + 1:i + 1 + count]):
        out.append({"at_s": round(t2 - t0, 2), "bytes_per_s": round((b2 - b1) / (t2 - t1)) if t2 > t1 else None})
    return out


def phase_daemon(args, procs, work, logs, torrent, src_dir, info_hash, left):
    state = os.path.join(work, "daemon-state")
    daemon, api = svc.start_daemon(procs, "daemon", args.java, args.jar, state,
                                   ["--max-upload-rate", str(args.rate)])
    settings_start = svc.http(api + "/api/settings")[1]
    svc.add_torrent(api, torrent, src_dir)
    deadline = time.monotonic() + min(180, left())
    while True:
        t = svc.http(api + "/api/torrents/" + info_hash)[1]
        if t.get("state") == "seeding":
            break
        if t.get("state") == "error" or time.monotonic() > deadline:
            raise Failure("the daemon does not seed: %s" % t)
        time.sleep(0.2)
    load_before = svc.loadavg()
    leechers = start_leechers(procs, args, work, torrent, "daemon", left)
    samples = []
    t0 = None
    change = None
    limiter = None
    api_hostport = api.split("//", 1)[1]
    completions = []
    end_deadline = time.monotonic() + min(400, left())
    while True:
        left()
        a = time.monotonic()
        status, reply = svc.http(api + "/api/torrents/" + info_hash, timeout=5)
        b = time.monotonic()
        if status != 200:
            raise Failure("GET torrent: HTTP %d %s" % (status, reply))
        samples.append(((a + b) / 2, reply["uploaded"], reply.get("upload_rate"), reply.get("peers")))
        if t0 is None and reply["uploaded"] > 0:
            t0 = (a + b) / 2
        if t0 is not None and limiter is None and b - t0 >= args.live_after:
            # the client command runs beside the sampling (its JVM start takes a second or more)
            limit_started = time.monotonic()
            limiter = procs.start("limit", [args.java, "-jar", args.jar, "limit", "--up", str(args.live_rate),
                                            "--api", api_hostport, "--json"])
        if limiter is not None and change is None and limiter.proc.poll() is not None:
            c1 = time.monotonic()
            limiter.finish()
            code = limiter.proc.returncode
            reply = limiter.events[0][1] if limiter.events else None
            change = {"started_s": round(limit_started - t0, 2), "returned_s": round(c1 - t0, 2), "exit": code,
                      "reply": reply, "stderr": limiter.stderr_tail(), "t_start": limit_started, "t_end": c1}
            log("limit --up %d: exit %d in %.2f s: %s" % (args.live_rate, code, c1 - limit_started, reply))
            if code != 0:
                raise Failure("limit failed: %s" % limiter.stderr_tail())
        if len(completions) < len(leechers):
            completions = [c for c in (lt.last_event("complete") for lt in leechers) if c is not None]
            for lt in leechers:
                err = lt.last_event("error")
                if err is not None:
                    raise Failure("%s: %s" % (lt.name, err[1].get("message")))
        if len(completions) == len(leechers) and (change is not None or limiter is None):
            if all(s[0] > max(c[0] for c in completions) for s in samples[-2:]):
                break
        if time.monotonic() > end_deadline:
            raise Failure("leechers not complete in time")
        time.sleep(max(0.0, STEP - (time.monotonic() - a)))
    settings_end = svc.http(api + "/api/settings")[1]
    load_after = svc.loadavg()
    for lt in leechers:
        lt.stop()
    code = daemon.stop(grace=30.0)
    with open(os.path.join(logs, "samples-daemon.jsonl"), "w") as f:
        for t, up, ur, peers in samples:
            f.write(json.dumps({"t": round(t, 3), "uploaded": up, "upload_rate": ur, "peers": peers}) + "\n")
    if t0 is None:
        raise Failure("the daemon uploaded nothing")
    pts = [(t, up) for (t, up, _, _) in samples]
    done = sorted(c[0] for c in completions)
    if change is None:
        raise Failure("the leechers completed before the live change (%.0f s)" % args.live_after)
    before = analyse(pts, t0 + SKIP, min(change["t_start"], done[0]), min(change["t_start"], done[0]), args.rate)
    after = analyse(pts, change["t_end"] + SKIP, done[0], done[-1], args.live_rate)
    # how long from the command's start until a 0.5 s sample rate is within tolerance of the new rate
    settle = None
    prev = None
    for (t, up) in pts:
        if prev is not None and t > change["t_start"] and t - prev[0] > 0:
            r = (up - prev[1]) / (t - prev[0])
            if settle is None and r <= args.live_rate * (1 + args.tolerance):
                settle = round(t - change["t_start"], 2)
        prev = (t, up)
    return {"phase": "daemon", "daemon_exit": code, "settings_at_start": settings_start,
            "settings_at_end": settings_end, "limit_command": {k: v for k, v in change.items()
                                                               if not k.startswith("t_")},
            "first_sample_at_new_rate_after_command_start_s": settle, "before_change": before,
            "after_change": after, "leecher_complete_s": [round(c - t0, 1) for c in done],
            "uploaded_total": pts[-1][1], "load_before": load_before, "load_after": load_after,
            "first_0_5s_intervals": interval_rates(pts, t0, 6)}


def run(args, deadline, procs, work, logs):
    def left():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failure("out of time (--max-seconds %.0f)" % args.max_seconds)
        return remaining

    emit("config", size=args.size_mib << 20, leechers=args.leechers, rate=args.rate, live_rate=args.live_rate,
         live_after=args.live_after, phases=args.phases, jar=args.jar, work=work, uptime=svc.uptime())
    src_dir = os.path.join(work, "src")
    os.makedirs(src_dir)
    src = os.path.join(src_dir, "upload.bin")
    svc.random_file(src, args.size_mib << 20)
    _, announce = svc.start_tracker(procs, args.java, args.jar, interval=30)
    torrent = os.path.join(work, "upload.torrent")
    info_hash = svc.create_torrent(args.java, args.jar, src, torrent, announce,
                                   (args.piece_kib << 10) if args.piece_kib else None)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    results = []
    for phase in phases:
        if phase == "seed":
            r = phase_seed(args, procs, work, logs, torrent, src_dir, left)
        elif phase == "daemon":
            r = phase_daemon(args, procs, work, logs, torrent, src_dir, info_hash, left)
        else:
            raise Failure("unknown phase %s" % phase)
        for name in os.listdir(work):  # the leechers' copies: 3 x the size on disk
            if "-leech-" in name:
                shutil.rmtree(os.path.join(work, name), ignore_errors=True)
        emit("phase", **r)
        results.append(r)
    oks = []
    for r in results:
        for key in ("windows",):
            for part in ([r] if r["phase"] == "seed" else [r["before_change"], r["after_change"]]):
                ws = part.get(key) or []
                oks.append(bool(ws) and all(abs(w["deviation_pct"]) <= 100 * args.tolerance for w in ws))
    ok = all(oks) and bool(oks)
    emit("result", ok=ok, tolerance_pct=100 * args.tolerance, uptime=svc.uptime())
    return 0 if ok else 1


def main():
    return svc.main(parse_args(), run, "spate-upload-limit-")


if __name__ == "__main__":
    sys.exit(main())
