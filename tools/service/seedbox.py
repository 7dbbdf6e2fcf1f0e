#!/usr/bin/env python3
"""Seedbox scale (issue 16): one `spate daemon` seeding many generated torrents under a peer load, then restarts.

1. makes --torrents single-file torrents of --min-kib..--max-kib KiB (bench's SeedboxTorrents, one JVM);
2. starts a daemon with -Xmx (--xmx, 1g), adds them over the API (--add-workers requests at once) and times it
   until every torrent seeds; heap after a full GC (jcmd GC.run, GC.heap_info), RssAnon, CPU, open files;
3. runs bench's PeerLoad: --connections leecher connections spread over the torrents, each downloading its torrent
   (every piece checked against its SHA-1) and holding its connection until all are done; the daemon's heap, RssAnon
   and CPU during and after;
4. restarts the daemon on the same state --rounds times each way, interleaved: "fast" (resume data as the last
   stop left it) and "full" (every data file's mtime moved, so every torrent's resume data is refused and its files
   are checked in full); for each: SIGTERM-to-exit time, launch-to-API time, launch-to-every-torrent-seeding time,
   the API's rehashed_pieces and spot_checked_pieces totals, heap and RssAnon after.
Prints JSON lines (config, generated, added, load, restart..., result) on stdout; a log on stderr.

  /usr/bin/python3 tools/service/seedbox.py --torrents 10000 --connections 1000 --rounds 3 --logs DIR
"""
import argparse
import glob
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svc  # noqa: E402
from svc import Failure, emit, http, log  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_status(pid):
    """RssAnon and VmRSS in MiB, threads, open files and CPU seconds (user + system) of a process."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("RssAnon", "VmRSS"):
                    out[key.lower() + "_mib"] = round(int(value.split()[0]) / 1024.0, 1)
                elif key == "Threads":
                    out["threads"] = int(value)
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        out["cpu_s"] = round((int(fields[11]) + int(fields[12])) / CLK_TCK, 2)
        out["open_files"] = len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        pass
    return out


def heap_after_gc(pid):
    """Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), and the committed heap, in MiB."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=120)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"total (\d+)K, used (\d+)K", info)
    if not m:
        return {"heap_info": info.strip()[:300]}
    return {"heap_used_after_gc_mib": round(int(m.group(2)) / 1024.0, 1),
            "heap_committed_mib": round(int(m.group(1)) / 1024.0, 1)}


def class_histogram(pid, path, top=40):
    """The daemon's top classes by heap bytes (jcmd GC.class_histogram, which runs a full GC first), kept in path."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=120).stdout
    with open(path, "w") as f:
        f.write("\n".join(out.splitlines()[:top + 3]) + "\n")


def stats(api):
    status, body = http(api + "/api/stats", timeout=30)
    if status != 200:
        raise Failure("GET /api/stats: HTTP %d %s" % (status, body))
    return body


def start_daemon(procs, name, args, state, logs, jar=None):
    """A daemon on the state dir; --jvm-opt options are passed to its JVM, {name} and {logs} in them filled in."""
    extra = [opt.replace("{name}", name).replace("{logs}", logs) for opt in args.jvm_opt]
    argv = [args.java, "-Xmx" + args.xmx, "-Xlog:gc:file=%s/%s-gc.log" % (logs, name)] + extra + [
        "-jar", jar or args.jar, "daemon", "--state", state, "--port", "0", "--bind", "127.0.0.1", "--api",
        "127.0.0.1:0", "--json"]
    launched = time.monotonic()
    daemon = procs.start(name, argv)
    started = daemon.wait_event(lambda e: e.get("event") == "started", 120)
    if started is None:
        raise Failure("daemon %s did not start (exit %s): %s" % (name, daemon.proc.poll(), daemon.stderr_tail()))
    return daemon, started[1]["api"].rstrip("/"), started[1]["port"], launched, started[0]


def wait_all_seeding(api, count, deadline, poll=0.25):
    """Polls /api/stats until every torrent seeds; returns (time.monotonic() then, the stats)."""
    while time.monotonic() < deadline:
        s = stats(api)
        if s["states"].get("seeding", 0) == count:
            return time.monotonic(), s
        if s["states"].get("error", 0):
            raise Failure("torrents in error: %s" % s["states"])
        time.sleep(poll)
    raise Failure("not every torrent seeds by the deadline: %s" % stats(api)["states"])


def add_all(api, torrents, data_dir, workers):
    query = "?dir=" + urllib.parse.quote(data_dir)
    failures = []

    def add(path):
        with open(path, "rb") as f:
            body = f.read()
        status, reply = http(api + "/api/torrents" + query, data=body,
                             headers={"Content-Type": "application/x-bittorrent"}, method="POST", timeout=60)
        if status != 201:
            failures.append("%s: HTTP %d %s" % (path, status, reply))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(add, torrents))
    if failures:
        raise Failure("%d adds failed, first: %s" % (len(failures), failures[0]))


class Sampler:
    """The daemon's CPU and RssAnon every second on a thread, while a phase runs."""

    def __init__(self, pid):
        self.pid = pid
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(1.0):
            s = proc_status(self.pid)
            s["t"] = time.monotonic()
            self.samples.append(s)

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        rss = [s["rssanon_mib"] for s in self.samples if "rssanon_mib" in s]
        return {"rssanon_max_mib": max(rss) if rss else None, "samples": len(self.samples)}


def invalidate_resume(data_dir):
    """Moves every data file's mtime one second on: every torrent's resume data no longer matches its files."""
    for path in glob.glob(os.path.join(data_dir, "*.bin")):
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def restart(procs, args, state, logs, daemon, kind, round_no, deadline, jar_label="a", stopped=("added", "a")):
    """Stops the daemon, then starts one (with --compare-jar's jar for label "b") and times it until all seed."""
    stop_t = time.monotonic()
    code = daemon.stop(grace=args.stop_grace)
    stop_s = time.monotonic() - stop_t
    if code != 0:
        raise Failure("daemon exited %s on SIGTERM" % code)
    if kind == "full":
        invalidate_resume(os.path.join(args.work_dir, "data"))
    load = svc.loadavg()
    jar = args.compare_jar if jar_label == "b" else args.jar
    name = "daemon-%s-%d%s" % (kind, round_no, "" if not args.compare_jar else "-" + jar_label)
    daemon, api, port, launched, api_at = start_daemon(procs, name, args, state, logs, jar)
    seeding_at, s = wait_all_seeding(api, args.torrents, deadline)
    record = {"mode": kind, "round": round_no, "jar": jar_label, "stopped_mode": stopped[0], "stopped_jar": stopped[1],
              "stop_seconds": round(stop_s, 2),
              "api_seconds": round(api_at - launched, 2), "all_seeding_seconds": round(seeding_at - launched, 2),
              "rehashed_pieces": s.get("rehashed_pieces"), "spot_checked_pieces": s.get("spot_checked_pieces"),
              "rehashed_beyond_spot_checks": s.get("rehashed_pieces", 0) - s.get("spot_checked_pieces", 0),
              "loadavg_before": load, "loadavg_after": svc.loadavg()}
    record.update(proc_status(daemon.pid))
    record.update(heap_after_gc(daemon.pid))
    emit("restart", **record)
    return daemon, api, port, record


def run(args, deadline, procs, work, logs):
    args.work_dir = work
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, args.nofile))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))  # inherited by the daemon and the load
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    emit("config", torrents=args.torrents, min_kib=args.min_kib, max_kib=args.max_kib, piece=args.piece,
         connections=args.connections, passes=args.passes, rounds=args.rounds, xmx=args.xmx, nofile=want,
         commit=commit, cores=os.cpu_count(), uptime=svc.uptime())

    if args.reuse:
        work = args.work_dir = args.reuse  # its data, torrents and state as an earlier --keep run left them
    data, torrents_dir, state = (os.path.join(work, d) for d in ("data", "torrents", "state"))
    if args.reuse:
        torrents = sorted(glob.glob(os.path.join(torrents_dir, "*.torrent")))
        if len(torrents) != args.torrents:
            raise Failure("--reuse %s holds %d torrents, not --torrents %d" % (work, len(torrents), args.torrents))
        daemon, api, port, launched, _ = start_daemon(procs, "daemon-reused", args, state, logs)
        seeding_at, s = wait_all_seeding(api, args.torrents, deadline)
        emit("reused", all_seeding_seconds=round(seeding_at - launched, 2), rehashed_pieces=s.get("rehashed_pieces"))
    else:
        gen = subprocess.run([args.java, "-cp", args.bench_jar, "io.spate.bench.seedbox.SeedboxTorrents", data,
                              torrents_dir, str(args.torrents), str(args.min_kib), str(args.max_kib), str(args.piece),
                              str(args.seed)], capture_output=True, text=True,
                             timeout=max(60, deadline - time.monotonic()))
        if gen.returncode != 0:
            raise Failure("SeedboxTorrents: %s" % gen.stderr.strip()[-500:])
        emit("generated", **json.loads(gen.stdout.strip().splitlines()[-1]))
        torrents = sorted(glob.glob(os.path.join(torrents_dir, "*.torrent")))

        daemon, api, port, launched, _ = start_daemon(procs, "daemon-add", args, state, logs)
        load = svc.loadavg()
        t0 = time.monotonic()
        add_all(api, torrents, data, args.add_workers)
        added_at = time.monotonic()
        seeding_at, s = wait_all_seeding(api, args.torrents, deadline)
        record = {"add_seconds": round(added_at - t0, 2), "all_seeding_seconds": round(seeding_at - t0, 2),
                  "rehashed_pieces": s.get("rehashed_pieces"), "loadavg_before": load, "loadavg_after": svc.loadavg()}
        record.update(proc_status(daemon.pid))
        record.update(heap_after_gc(daemon.pid))
        emit("added", **record)
        class_histogram(daemon.pid, os.path.join(logs, "histogram-added.txt"))

    if args.connections > 0:
        before = proc_status(daemon.pid)
        sampler = Sampler(daemon.pid)
        load = svc.loadavg()
        t0 = time.monotonic()
        lg = subprocess.run([args.java, "-Xmx512m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", args.bench_jar, "io.spate.bench.seedbox.PeerLoad",
                             "--port", str(port), "--torrents", torrents_dir, "--connections", str(args.connections),
                             "--passes", str(args.passes), "--window", str(args.window),
                             "--seconds", str(args.load_seconds), "--stall", str(args.stall),
                             "--hold", str(args.hold)],
                            capture_output=True, text=True, timeout=args.load_seconds + 120)
        wall = time.monotonic() - t0
        during = sampler.stop()
        if lg.returncode != 0:
            raise Failure("PeerLoad exit %d: %s" % (lg.returncode, lg.stderr.strip()[-800:]))
        result = json.loads(lg.stdout.strip().splitlines()[-1])
        after = proc_status(daemon.pid)
        result.update({"daemon_cpu_s": round(after.get("cpu_s", 0) - before.get("cpu_s", 0), 2),
                       "wall_s": round(wall, 2), "loadavg_before": load, "loadavg_after": svc.loadavg(),
                       "daemon_closes": stats(api).get("connection_closes")})
        result.update(during)
        result.update({"after_" + k: v for k, v in heap_after_gc(daemon.pid).items()})
        result["after_rssanon_mib"] = after.get("rssanon_mib")
        emit("load", **result)

    restarts = []
    labels = ["a", "b"] if args.compare_jar else ["a"]
    running = ("reused" if args.reuse else "added", "a")  # the mode and jar of the daemon running now
    stops = []  # (mode, jar, seconds) of each daemon stopped
    for r in range(args.rounds):
        for kind in args.modes.split(","):
            for label in labels:  # each mode with each jar in turn: the comparison is interleaved
                daemon, api, port, rec = restart(procs, args, state, logs, daemon, kind, r + 1, deadline, label,
                                                 running)
                stops.append(running + (rec["stop_seconds"],))
                running = (kind, label)
                restarts.append(rec)
    stop_t = time.monotonic()
    code = daemon.stop(grace=args.stop_grace)
    stops.append(running + (round(time.monotonic() - stop_t, 2),))
    emit("stop", mode=running[0], jar=running[1], stop_seconds=stops[-1][2], exit=code, loadavg=svc.loadavg())

    def median(xs):
        xs = sorted(xs)
        n = len(xs)
        return None if n == 0 else (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)
    summary = {}
    for kind, label in ((k, j) for k in ("fast", "full") for j in labels):
        rs = [r for r in restarts if r["mode"] == kind and r["jar"] == label]
        summary[kind if label == "a" else kind + "-b"] = {
                         "median_all_seeding_seconds": median([r["all_seeding_seconds"] for r in rs]),
                         "median_api_seconds": median([r["api_seconds"] for r in rs]),
                         # stops of the daemons this mode and jar started (SIGTERM to exit), the last one included
                         "median_stop_seconds": median([t for m, j, t in stops if m == kind and j == label]),
                         "rehashed_beyond_spot_checks": [r["rehashed_beyond_spot_checks"] for r in rs]}
    ok = all(r["rehashed_beyond_spot_checks"] == 0 for r in restarts if r["mode"] == "fast")
    emit("result", ok=ok, restarts=summary, uptime=svc.uptime())
    return 0 if ok else 1


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--torrents", type=int, default=200)
    p.add_argument("--min-kib", type=int, default=64)
    p.add_argument("--max-kib", type=int, default=256)
    p.add_argument("--piece", type=int, default=32768)
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--passes", type=int, default=1)
    p.add_argument("--window", type=int, default=100, help="connects in flight at once")
    p.add_argument("--load-seconds", type=int, default=300)
    p.add_argument("--stall", type=int, default=60)
    p.add_argument("--hold", type=int, default=5)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--modes", default="fast,full", help="restarts in each round, in order: fast, full or both")
    p.add_argument("--add-workers", type=int, default=8)
    p.add_argument("--xmx", default="1g")
    p.add_argument("--nofile", type=int, default=20000)
    p.add_argument("--stop-grace", type=float, default=120)
    p.add_argument("--java", default="java")
    p.add_argument("--jar", default=os.path.join(root, "engine/target/engine.jar"))
    p.add_argument("--bench-jar", default=os.path.join(root, "bench/target/bench.jar"))
    p.add_argument("--compare-jar", help="a second engine jar: every restart is run with --jar, then with this one")
    p.add_argument("--jvm-opt", action="append", default=[],
                   help="a JVM option for the daemons (repeat); {name} and {logs} in it are filled in, e.g. "
                        "-XX:StartFlightRecording=filename={logs}/{name}.jfr")
    p.add_argument("--reuse", help="the work dir of an earlier --keep run with the same --torrents: no generation, "
                                   "no adds, its state restarted")
    p.add_argument("--work", default="/tmp")
    p.add_argument("--logs")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--max-seconds", type=float, default=3000)
    args = p.parse_args()
    return svc.main(args, run, "spate-seedbox.")


if __name__ == "__main__":
    sys.exit(main())
