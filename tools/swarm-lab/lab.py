#!/usr/bin/python3
"""The swarm lab: a BitTorrent swarm of real clients, each peer in its own network namespace on a shaped link.

  lab.py run SCENARIO [--client spate|libtorrent|aria2|transmission|qbittorrent] [--runs N] [--out DIR] [--keep]
  lab.py bench SCENARIO [--clients spate,libtorrent,aria2] [--rounds 3] [--out DIR]
                        [--spate-variant LABEL=JAVA_OPTS]...   (A/B: Spate again with these SPATE_JAVA_OPTS, each round)
                        [--spate-env LABEL:NAME=VALUE]...      (and with this environment: SPATE_JAR=another build,
                                                                SPATE_SEED_ARGS / SPATE_LEECH_ARGS=more CLI flags)
  lab.py summarize DIR          (re)write DIR/SUMMARY.md from the runs under DIR
  lab.py clean [RUN_ID]         after a lab run was SIGKILLed: end what runs in its namespaces, delete them and its
                                work dir (all slab-* without RUN_ID)

Environment: SWARM_LAB_TCP_CC (the TCP congestion control in the lab's namespaces; default: the machine's, or the
scenario's "tcp_cc"), SPATE_JAR (engine/target/engine.jar), SPATE_JAVA_OPTS (none: tools/spate sizes the JVM for seed and leech), DATA_DIR (/tmp/spate-data: the
random source files), SWARM_LAB_WORK (/tmp: where the run's work dir slab-RUNID is made; --keep keeps it).

Run as root (ip netns, tc) with Debian's /usr/bin/python3 (python3-libtorrent, python3-matplotlib). A run: the
namespaces (netlab.py), a tracker in the hub (opentracker or Spate's), the scenario's data (random, cached under
/tmp/spate-data) and a v1 torrent by mktorrent, the seeds started and awaited (data checked, known to the tracker),
then the swarm: t = 0 is the first leecher's launch; each peer is tools/clients/client.py inside its namespace
(--bind its address, --stats-interval 0.5). Written to OUT/RUN (RUN = SCENARIO-CLIENT-TIME-ID):
  scenario.json     the scenario as run (its peers expanded)
  progress.jsonl    {"peer","client","kind","t","fraction","bytes"[,"uploaded","upload_rate","download_rate","peers"]}
  events.jsonl      every event of every peer driver with the lab's t, and the lab's own ("source": "lab": launch,
                    leave, swarm_start, ...)
  result.json       time_to_last, t_star, ratio, each leecher's completion and SHA-256 check, seed uploads, ok
  chart.png         every peer's progress over time, T* marked
  peers/NAME-spate.jsonl   a Spate peer's own --json events (progress with upload rates, complete with request
                    round-trip percentiles)
  peers/NAME-corrupter.jsonl   a corrupter seed's own events (tools/clients/corrupter.py); with one, result.json
                    has "smart_ban": per leecher its hash_failures and peers_banned (Spate's own counters,
                    libtorrent's alerts), what the corrupter sent it and who closed those connections, and the verdict
                    (report.smart_ban)
  tcp-closes.jsonl  with a corrupter: every TCP SYN, FIN and RST through the hub (closewatch.py), so smart_ban can
                    say which connections each leecher closed, and to whom
Every namespace, link and process is removed at the end, also after an error, SIGTERM or Ctrl-C. Exit 0 iff every
run was ok (every leecher that should complete did, with identical bytes, within the scenario's timeout).
"""
import argparse
import datetime
import hashlib
import json
import os
import queue
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import closewatch  # noqa: E402
import linkstats  # noqa: E402
import netlab  # noqa: E402
import report  # noqa: E402
import scenario as scen  # noqa: E402

PYTHON = "/usr/bin/python3"
CLIENT_PY = os.path.join(ROOT, "tools", "clients", "client.py")
DATA_DIR = os.environ.get("DATA_DIR", "/tmp/spate-data")
TRACKER_PORT = 6969
PEER_PORT = 6881
STATS_INTERVAL = 0.5
SEED_READY_TIMEOUT = 120.0


class Interrupted(Exception):
    pass


def _on_signal(signum, frame):
    raise Interrupted("signal %d" % signum)


def now():
    return time.monotonic()


def sh(argv, **kw):
    return subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, **kw)


def cached_data(file_mib):
    """/tmp/spate-data/random-NMiB.bin (the same cache as tools/swarm.sh) and its SHA-256."""
    os.makedirs(DATA_DIR, exist_ok=True)
    path = os.path.join(DATA_DIR, "random-%dMiB.bin" % file_mib)
    size = file_mib * scen.MIB
    digest_path = path + ".sha256"
    if (not os.path.isfile(path) or os.path.getsize(path) != size or not os.path.isfile(digest_path)
            or os.path.getmtime(path) > os.path.getmtime(digest_path)):
        with open(path + ".tmp", "wb") as f:
            left = size
            while left:
                n = min(left, 1 << 20)
                f.write(os.urandom(n))
                left -= n
        os.replace(path + ".tmp", path)
        with open(digest_path, "w") as f:
            f.write(sha256_of(path) + "\n")
    with open(digest_path) as f:
        return path, f.read().split()[0]


def git_head():
    """The commit this repository is at (the lab's and, when engine.jar was built here, the engine's), or None."""
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


class Peer:
    """One client.py process in its namespace; its stdout lines are read by a thread into the lab's queue."""

    def __init__(self, spec, ns, addr, workdir):
        self.spec = spec
        self.name = spec["name"]
        self.ns = ns
        self.addr = addr
        self.workdir = workdir
        self.proc = None
        self.launched_t = None
        self.complete_t = None
        self.left_t = None
        self.stopped = False
        self.error = None
        self.last_stats = {}
        self.driver_workdir = None
        self.started_t = None  # the driver's "started": the client is up (a Spate JVM has printed its "started")
        self.first_byte_t = None  # the first progress above 0
        self.cpu_s = None  # CPU of every process in its namespace (driver and client) when the swarm ended
        self.bans = {}  # hash_failures / peers_banned, from its stats events if its driver reports them
        self.ban_t = []  # lab times at which its peers_banned went up (one entry per ban)

    def start(self, lab, torrent, data_dir, timeout, events, t0):
        argv = [PYTHON, CLIENT_PY, "--client", self.spec["client"],
                "--role", "seed" if self.spec["kind"] == "seed" else "leech",
                "--torrent", torrent, "--dir", data_dir, "--port", str(PEER_PORT), "--bind", self.addr,
                "--workdir", self.workdir, "--timeout", "%d" % timeout, "--stats-interval", str(STATS_INTERVAL)]
        if self.spec["role"] == "free_rider":
            argv.append("--free-rider")
        env = dict(os.environ)
        env.setdefault("SPATE_JAR", os.path.join(ROOT, "engine", "target", "engine.jar"))
        env["SPATE_PROGRESS_INTERVAL"] = str(STATS_INTERVAL)
        err = open(os.path.join(self.workdir, "driver.stderr"), "wb")
        self.proc = subprocess.Popen(lab.exec_argv(self.ns, argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=err, env=env)
        err.close()
        self.launched_t = now() - t0 if t0 is not None else None
        threading.Thread(target=self._read, args=(events,), daemon=True).start()

    def _read(self, events):
        for line in self.proc.stdout:
            t = now()
            try:
                ev = json.loads(line)
            except ValueError:
                ev = {"event": "unparsed", "line": line.decode(errors="replace")[:300]}
            events.put((t, self, ev))
        events.put((now(), self, {"event": "eof"}))

    def stop(self):
        """SIGTERM the driver (it stops its client, by PID); returns at once."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def wait_stopped(self, grace=20.0):
        if self.proc is None:
            return
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


class Run:
    def __init__(self, sc, out_root, keep=False, label=None):
        self.sc = sc
        self.keep = keep
        self.label = label
        self.run_id = secrets.token_hex(3)
        stamp = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%S")
        variant = sc["client"] + ("-" + label if label else "")
        self.name = "%s-%s-%s-%s" % (sc["name"], variant, stamp, self.run_id)
        self.out = os.path.join(out_root, self.name)
        self.work = os.path.join(os.environ.get("SWARM_LAB_WORK", "/tmp"), "slab-%s" % self.run_id)
        self.peers = []
        self.events = queue.Queue()
        self.t0 = None
        self.lab_events = None
        self.progress = None
        self.tracker = None
        self.capture = None  # closewatch.py in the hub, when the scenario has a corrupter seed
        self.sampler = None  # linkstats.LinkSampler: every shaper's counters during the swarm
        self.file_bytes = sc["file_mib"] * scen.MIB

    def log(self, event, **fields):
        rec = {"t": None if self.t0 is None else round(now() - self.t0, 3), "source": "lab", "event": event}
        rec.update(fields)
        self.lab_events.write(json.dumps(rec) + "\n")
        self.lab_events.flush()

    def execute(self):
        os.makedirs(self.out)
        os.makedirs(self.work)
        specs = scen.peers(self.sc)
        with open(os.path.join(self.out, "scenario.json"), "w") as f:
            json.dump(dict(self.sc, peers=specs), f, indent=1)
        self.lab_events = open(os.path.join(self.out, "events.jsonl"), "w")
        self.progress = open(os.path.join(self.out, "progress.jsonl"), "w")
        result = {"run": self.name, "run_id": self.run_id, "scenario": self.sc["name"], "client": self.sc["client"],
                  "label": self.label, "ok": False, "error": None, "spate_java_opts": os.environ.get("SPATE_JAVA_OPTS"),
                  "spate_env": {k: os.environ[k] for k in ("SPATE_JAR", "SPATE_JIT", "SPATE_SEED_ARGS", "SPATE_LEECH_ARGS")
                                if k in os.environ},
                  "loadavg_start": os.getloadavg()[0], "git_head": git_head()}
        # the machine's default is BBR; a scenario's "tcp_cc" or SWARM_LAB_TCP_CC (for A/B: bench --spate-env) sets
        # another in every namespace of the run
        tcp_cc = os.environ.get("SWARM_LAB_TCP_CC") or self.sc.get("tcp_cc")
        result["tcp_cc"] = tcp_cc or open("/proc/sys/net/ipv4/tcp_congestion_control").read().strip()
        lab = netlab.Lab(self.run_id, self.sc["queue_ms"], tcp_cc)
        try:
            self._swarm(lab, specs, result)
        except Interrupted as e:
            result["error"] = "interrupted (%s)" % e
            raise
        except Exception as e:  # reported in result.json; the namespaces are gone either way
            result["error"] = "%s: %s" % (type(e).__name__, e)
        finally:
            # the drivers first (each stops its client, by PID), then the tracker, then whatever is left in the
            # namespaces, then the namespaces; a second Ctrl-C or SIGTERM does not cut this short
            handlers = [(sig, signal.signal(sig, signal.SIG_IGN)) for sig in (signal.SIGINT, signal.SIGTERM)]
            if self.sampler is not None:
                self.sampler.stop()  # before the namespaces go
            for p in self.peers:
                p.stop()
            for p in self.peers:
                p.wait_stopped()
            if self.tracker is not None and self.tracker.poll() is None:
                self.tracker.terminate()
                try:
                    self.tracker.wait(10)
                except subprocess.TimeoutExpired:
                    self.tracker.kill()
                    self.tracker.wait(10)
            if self.capture is not None and self.capture.poll() is None:
                self.capture.terminate()
                try:
                    self.capture.wait(10)
                except subprocess.TimeoutExpired:
                    self.capture.kill()
                    self.capture.wait(10)
            try:
                lab.teardown()
            except RuntimeError as e:
                result["error"] = result["error"] or str(e)
            self._drain()
            result["loadavg_end"] = os.getloadavg()[0]
            result["namespaces_left"] = [ns for ns in netlab.namespaces()
                                         if ns.startswith(netlab.PREFIX + self.run_id)]
            self._finish(result, specs)
            self.lab_events.close()
            self.progress.close()
            if not self.keep:
                shutil.rmtree(self.work, ignore_errors=True)
            for sig, handler in handlers:
                signal.signal(sig, handler)
        return result

    def _swarm(self, lab, specs, result):
        sc = self.sc
        data, data_sha = cached_data(sc["file_mib"])
        result["data_sha256"] = data_sha
        lab.setup_hub()
        for spec in specs:
            ns_addr = lab.add_peer(spec["index"], spec["up"], spec["down"])
            self.peers.append(Peer(spec, lab.peers[spec["index"]][0], ns_addr,
                                   os.path.join(self.work, spec["name"])))
        self.log("namespaces", hub=lab.hub, peers=len(specs), queue_ms=sc["queue_ms"])
        if any(spec["client"] == "corrupter" for spec in specs):
            # the smart-ban test: who closed which connection, from the packets (closewatch.py)
            self.capture = subprocess.Popen(
                lab.exec_argv(lab.hub, [PYTHON, os.path.join(HERE, "closewatch.py"), "capture",
                                        os.path.join(self.out, "tcp-closes.jsonl")]), stdin=subprocess.DEVNULL)

        torrent = os.path.join(self.work, "data.torrent")
        piece_log = (sc["piece_kib"] * 1024).bit_length() - 1
        announce = "http://%s:%d/announce" % (netlab.HUB_ADDR, TRACKER_PORT)
        seed_src = os.path.join(self.work, "src")
        os.makedirs(seed_src)
        try:
            os.link(data, os.path.join(seed_src, "data.bin"))
        except OSError:
            shutil.copyfile(data, os.path.join(seed_src, "data.bin"))
        sh(["mktorrent", "-a", announce, "-l", str(piece_log), "-o", torrent, os.path.join(seed_src, "data.bin")],
           stdout=subprocess.DEVNULL)
        infohash = subprocess.check_output([PYTHON, "-c", "import sys, libtorrent as lt; "
                                            "print(lt.torrent_info(sys.argv[1]).info_hashes().v1)", torrent],
                                           text=True).strip()
        self._start_tracker(lab, infohash)

        timeout = sc["timeout_s"]
        seeds = [p for p in self.peers if p.spec["kind"] == "seed"]
        leechers = [p for p in self.peers if p.spec["kind"] == "leecher"]
        for p in self.peers:
            os.makedirs(p.workdir)
        for p in seeds:
            d = os.path.join(p.workdir, "data")
            os.makedirs(d)
            os.link(os.path.join(seed_src, "data.bin"), os.path.join(d, "data.bin"))
            p.start(lab, torrent, d, timeout + SEED_READY_TIMEOUT + 60, self.events, None)
            self.log("launch", peer=p.name, client=p.spec["client"], kind="seed", addr=p.addr)
        deadline = now() + SEED_READY_TIMEOUT
        while any(p.complete_t is None for p in seeds):
            self._pump(0.1)
            for p in seeds:
                if p.error:
                    raise RuntimeError("seed %s: %s" % (p.name, p.error))
            if now() > deadline:
                raise RuntimeError("seeds not ready within %d s" % SEED_READY_TIMEOUT)
        while self._scrape(lab, infohash) < len(seeds):
            self._pump(0.2)
            if now() > deadline:
                raise RuntimeError("the tracker did not list the seeds within %d s" % SEED_READY_TIMEOUT)

        # the swarm: t = 0 now
        self.t0 = now()
        result["t0_unix"] = round(time.time(), 3)  # the lab's t = 0 on the epoch clock (for corrupter.py's records)
        for p in seeds:
            p.complete_t = None  # a seed's completion is its data check, before t = 0
        self.log("swarm_start", file_bytes=self.file_bytes, piece_bytes=sc["piece_kib"] * 1024)
        self.sampler = linkstats.LinkSampler(
            os.path.join(self.out, "links.jsonl"), lab.hub,
            [(p.name, p.ns) + lab.devs[p.spec["index"]] for p in self.peers], lambda: now() - self.t0)
        self.sampler.start()
        pending = sorted(leechers, key=lambda p: p.spec["arrive_s"])
        end = self.t0 + timeout
        must = [p for p in leechers if p.spec["leave_s"] is None]
        while True:
            t = now() - self.t0
            while pending and pending[0].spec["arrive_s"] <= t:
                p = pending.pop(0)
                d = os.path.join(p.workdir, "data")
                os.makedirs(d)
                p.start(lab, torrent, d, timeout + 30, self.events, self.t0)
                self.log("launch", peer=p.name, client=p.spec["client"], kind="leecher", role=p.spec["role"],
                         addr=p.addr)
            for p in self.peers:
                if p.left_t is not None or p.proc is None:
                    continue
                leave = p.spec["leave_s"]
                copies = p.spec["leave_after_copies"]
                reason = None
                if leave is not None and t >= leave:
                    reason = "leave_s"
                elif copies is not None and p.last_stats.get("uploaded", 0) >= copies * self.file_bytes:
                    reason = "uploaded %.2f copies" % (p.last_stats["uploaded"] / self.file_bytes)
                if reason:
                    p.left_t = t
                    p.stop()
                    self.log("leave", peer=p.name, reason=reason, uploaded=p.last_stats.get("uploaded"))
            for p in must:
                if p.error and p.complete_t is None:
                    raise RuntimeError("leecher %s (%s): %s" % (p.name, p.spec["client"], p.error))
            if not pending and all(p.complete_t is not None for p in must):
                break
            if now() >= end:
                left = [p.name for p in must if p.complete_t is None]
                raise RuntimeError("timeout: %d s passed, not complete: %s" % (timeout, " ".join(left)))
            self._pump(0.05)
        self.log("swarm_end")
        self.sampler.stop()
        self._record_cpu(lab)
        result["ok"] = True

    def _record_cpu(self, lab):
        """CPU seconds (user + system) of the processes in each peer's namespace, read before they are stopped."""
        tick = os.sysconf("SC_CLK_TCK")
        for p in self.peers:
            total = 0
            for pid in lab.pids_in(p.ns):
                try:
                    with open("/proc/%d/stat" % pid) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    total += int(fields[11]) + int(fields[12])  # utime, stime
                except (OSError, IndexError, ValueError):
                    pass
            p.cpu_s = round(total / tick, 2)

    def _start_tracker(self, lab, infohash):
        d = os.path.join(self.work, "tracker")
        os.makedirs(d)
        log = open(os.path.join(d, "tracker.log"), "wb")
        if self.sc["tracker"] == "opentracker":
            with open(os.path.join(d, "whitelist.txt"), "w") as f:
                f.write(infohash + "\n")
            os.chmod(d, 0o755)
            os.chmod(os.path.join(d, "whitelist.txt"), 0o644)
            argv = ["opentracker", "-i", netlab.HUB_ADDR, "-p", str(TRACKER_PORT), "-P", str(TRACKER_PORT),
                    "-d", d, "-w", "/whitelist.txt"]
        else:
            argv = ["java", "-Xmx256m", "-jar", os.path.join(ROOT, "engine", "target", "engine.jar"), "tracker",
                    "--bind", netlab.HUB_ADDR, "--port", str(TRACKER_PORT), "--json"]
        self.tracker = subprocess.Popen(lab.exec_argv(lab.hub, argv), stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        probe = ("import socket, sys\nfor i in range(300):\n    try:\n        socket.create_connection(('%s', %d), 1)"
                 ".close(); sys.exit(0)\n    except OSError:\n        __import__('time').sleep(0.1)\nsys.exit(1)"
                 % (netlab.HUB_ADDR, TRACKER_PORT))
        if subprocess.run(lab.exec_argv(lab.hub, [PYTHON, "-c", probe]), timeout=60).returncode != 0:
            raise RuntimeError("the tracker (%s) did not start" % self.sc["tracker"])
        self.log("tracker", kind=self.sc["tracker"], addr="%s:%d" % (netlab.HUB_ADDR, TRACKER_PORT))

    def _scrape(self, lab, infohash):
        code = ("import re, sys, urllib.parse, urllib.request\n"
                "q = urllib.parse.quote_from_bytes(bytes.fromhex('%s'))\n"
                "o = urllib.request.build_opener(urllib.request.ProxyHandler({}))\n"
                "b = o.open('http://%s:%d/scrape?info_hash=' + q, timeout=2).read()\n"
                "m = re.search(rb'8:completei(\\d+)e', b)\nprint(m.group(1).decode() if m else 0)"
                % (infohash, netlab.HUB_ADDR, TRACKER_PORT))
        p = subprocess.run(lab.exec_argv(lab.hub, [PYTHON, "-c", code]), capture_output=True, text=True, timeout=20)
        try:
            return int(p.stdout.strip())
        except ValueError:
            return 0

    def _pump(self, wait):
        """Handle the peers' events for up to `wait` seconds."""
        deadline = now() + wait
        while True:
            left = deadline - now()
            try:
                t, peer, ev = self.events.get(timeout=max(0.0, left))
            except queue.Empty:
                return
            self._handle(t, peer, ev)
            if now() >= deadline:
                return

    def _drain(self):
        while True:
            try:
                t, peer, ev = self.events.get_nowait()
            except queue.Empty:
                return
            self._handle(t, peer, ev)

    def _handle(self, t_abs, peer, ev):
        t = None if self.t0 is None else round(t_abs - self.t0, 3)
        kind = ev.get("event")
        rec = {"t": t, "peer": peer.name, "client": peer.spec["client"]}
        rec.update(ev)
        self.lab_events.write(json.dumps(rec) + "\n")
        if kind == "started":
            peer.driver_workdir = ev.get("workdir")
            peer.started_t = t
        elif kind in ("progress", "stats") and t is not None:
            fraction = ev.get("fraction")
            sample = {"peer": peer.name, "client": peer.spec["client"], "kind": peer.spec["kind"], "t": t}
            if fraction is not None:
                if fraction > 0 and peer.first_byte_t is None:
                    peer.first_byte_t = t
                sample["fraction"] = fraction
                sample["bytes"] = int(round(fraction * self.file_bytes))
            if kind == "stats":
                stats = {k: ev[k] for k in ("uploaded", "downloaded", "upload_rate", "download_rate", "peers")
                         if k in ev}
                peer.last_stats = stats
                if t is not None and "peers_banned" in ev:
                    peer.ban_t += [t] * max(0, ev["peers_banned"] - peer.bans.get("peers_banned", 0))
                peer.bans.update({k: ev[k] for k in ("hash_failures", "peers_banned") if k in ev})
                sample.update(stats)
            self.progress.write(json.dumps(sample) + "\n")
        elif kind == "complete":
            peer.complete_t = t if t is not None else -1.0
            if t is not None:
                self.progress.write(json.dumps({"peer": peer.name, "client": peer.spec["client"],
                                                "kind": peer.spec["kind"], "t": t, "fraction": 1.0,
                                                "bytes": self.file_bytes}) + "\n")
        elif kind == "error":
            peer.error = ev.get("message")
        elif kind == "eof":
            peer.stopped = True
            if (peer.spec["kind"] == "leecher" and peer.complete_t is None and peer.error is None
                    and peer.left_t is None and self.t0 is not None):
                peer.error = "driver exited before complete"

    def _finish(self, result, specs):
        """Checks, figures and the chart; copies Spate's own event files."""
        fb = self.file_bytes
        ts = scen.t_star(fb, specs)
        result["file_bytes"] = fb
        result["piece_bytes"] = self.sc["piece_kib"] * 1024
        result["t_star"] = None if ts is None else round(ts, 3)
        peers_out = []
        src_sha = result.get("data_sha256")
        os.makedirs(os.path.join(self.out, "peers"), exist_ok=True)
        for p in self.peers:
            s = p.spec
            rec = {"peer": p.name, "client": s["client"], "kind": s["kind"], "role": s["role"], "addr": p.addr,
                   "up": s["up"], "down": s["down"], "arrive_s": s["arrive_s"], "leave_s": s["leave_s"],
                   "launched_t": None if p.launched_t is None else round(p.launched_t, 3),
                   "complete_t": p.complete_t if s["kind"] == "leecher" else None,
                   "left_t": None if p.left_t is None else round(p.left_t, 3), "error": p.error,
                   "uploaded": p.last_stats.get("uploaded"), "downloaded": p.last_stats.get("downloaded"),
                   "started_t": p.started_t, "first_byte_t": p.first_byte_t, "cpu_s": p.cpu_s}
            if s["kind"] == "leecher" and p.complete_t is not None and src_sha:
                f = os.path.join(p.workdir, "data", "data.bin")
                rec["sha256_ok"] = os.path.isfile(f) and sha256_of(f) == src_sha
            if p.driver_workdir and s["client"] == "spate":
                own = os.path.join(p.driver_workdir, "spate.jsonl")
                if os.path.isfile(own):
                    shutil.copyfile(own, os.path.join(self.out, "peers", "%s-spate.jsonl" % p.name))
                    rec["spate_complete"] = report.spate_complete(own)
                    rec.update(report.spate_bans(own))
            elif s["kind"] == "leecher":
                rec.update(p.bans)
            if s["kind"] == "leecher" and "peers_banned" in p.bans:
                rec["ban_t"] = p.ban_t
            if p.driver_workdir and s["client"] == "corrupter":
                own = os.path.join(p.driver_workdir, "corrupter.jsonl")
                if os.path.isfile(own):
                    shutil.copyfile(own, os.path.join(self.out, "peers", "%s-corrupter.jsonl" % p.name))
                    rec["corrupter"] = report.corrupter_summary(own)
            peers_out.append(rec)
        result["peers"] = peers_out
        if any(r.get("corrupter") for r in peers_out):
            capture = os.path.join(self.out, "tcp-closes.jsonl")
            tcp = closewatch.connections(capture) if os.path.isfile(capture) else None
            result["smart_ban"] = report.smart_ban(peers_out, result.get("t0_unix"), tcp)  # issue 14's must-show
        leechers = [r for r in peers_out if r["kind"] == "leecher"]
        done = [r["complete_t"] for r in leechers if r["complete_t"] is not None]
        result["time_to_last"] = max(done) if done and len(done) == len(leechers) else None
        honest = [r["complete_t"] for r in leechers if r["role"] == "honest" and r["complete_t"] is not None]
        result["time_to_last_honest"] = max(honest) if honest else None
        riders = [r for r in leechers if r["role"] == "free_rider"]
        if riders and honest:
            # issue 14's leech test: the free-riders' completion against the median honest leecher's
            median = statistics.median(honest)
            result["honest_median_complete_t"] = median
            result["free_riders"] = [{"peer": r["peer"], "complete_t": r["complete_t"],
                                      "vs_honest_median": None if r["complete_t"] is None
                                      else round(r["complete_t"] / median, 3)} for r in riders]
        if result["time_to_last"] is not None and ts:
            result["ratio"] = round(result["time_to_last"] / ts, 4)
        seeds = [r for r in peers_out if r["kind"] == "seed"]
        up = [r["uploaded"] for r in seeds if r["uploaded"] is not None]
        result["seed_uploaded"] = sum(up) if up and len(up) == len(seeds) else None
        result["seed_copies"] = None if result["seed_uploaded"] is None else round(result["seed_uploaded"] / fb, 3)
        must = [r for r in leechers if r["leave_s"] is None]
        result["all_identical"] = all(r.get("sha256_ok") for r in must) and bool(must)
        if result["namespaces_left"]:
            result["error"] = result["error"] or "namespaces left: %s" % result["namespaces_left"]
        result["ok"] = bool(result["ok"] and result["all_identical"] and not result["namespaces_left"]
                            and result["error"] is None)
        self.progress.flush()
        try:
            result["links"] = report.link_summary(self.out, result)
        except Exception as e:  # the link records are diagnosis; the run's verdict does not depend on them
            print("lab: link summary failed: %s" % e, file=sys.stderr)
        with open(os.path.join(self.out, "result.json"), "w") as f:
            json.dump(result, f, indent=1)
        try:
            report.chart(self.out, result)
        except Exception as e:  # a chart is a nicety; the numbers are in result.json
            print("lab: chart failed: %s" % e, file=sys.stderr)


def one_run(sc, out_root, keep=False, label=None):
    run = Run(sc, out_root, keep, label)
    print("lab: run %s -> %s" % (run.name, run.out), file=sys.stderr)
    result = run.execute()
    line = {k: result.get(k) for k in ("run", "run_id", "ok", "time_to_last", "t_star", "ratio", "seed_copies",
                                       "all_identical", "namespaces_left", "error")}
    leechers = [p for p in result.get("peers", []) if p["kind"] == "leecher"]
    line["leechers"] = len(leechers)
    line["leechers_complete"] = len([p for p in leechers if p["complete_t"] is not None])
    line["leechers_identical"] = len([p for p in leechers if p.get("sha256_ok")])
    if result.get("smart_ban"):
        line["smart_ban_must_show"] = result["smart_ban"]["must_show"]
    line["out"] = run.out
    line["work"] = run.work
    print(json.dumps(line), flush=True)
    return result


def require_root():
    if os.geteuid() != 0:
        sys.exit("lab.py: must run as root (ip netns, tc)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("scenario")
    r.add_argument("--client", choices=[c for c in scen.CLIENTS if c not in scen.SCENARIO_ONLY])
    r.add_argument("--runs", type=int, default=1)
    r.add_argument("--out", default=os.path.join(ROOT, "target", "swarm-lab"))
    r.add_argument("--keep", action="store_true", help="keep the work dir (/tmp/slab-RUNID: data, client logs)")
    r.add_argument("--label", help="a variant's name, for A/B runs (e.g. of SPATE_JAVA_OPTS): in the run's name and "
                   "result, and summaries group by client and label")
    b = sub.add_parser("bench")
    b.add_argument("scenario")
    b.add_argument("--clients", default="spate,libtorrent,aria2")
    b.add_argument("--rounds", type=int, default=3)
    b.add_argument("--out", default=os.path.join(ROOT, "target", "swarm-lab-bench"))
    b.add_argument("--spate-variant", action="append", default=[], metavar="LABEL=JAVA_OPTS",
                   help="also run Spate with SPATE_JAVA_OPTS=JAVA_OPTS, labelled LABEL, in every round (repeatable)")
    b.add_argument("--spate-env", action="append", default=[], metavar="LABEL:NAME=VALUE",
                   help="for the variant LABEL also set the environment variable NAME (e.g. SPATE_JAR=another "
                   "build's jar, SPATE_SEED_ARGS='--seed-choking fastest'); repeatable")
    s = sub.add_parser("summarize")
    s.add_argument("dir")
    c = sub.add_parser("clean")
    c.add_argument("run_id", nargs="?")
    args = ap.parse_args()

    if args.cmd == "summarize":
        report.summarize(args.dir, None)
        return 0
    require_root()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if args.cmd == "clean":
        names = netlab.clean(args.run_id)
        # and their work dirs (data, client logs), which only a killed run leaves
        for run_id in sorted({n[len(netlab.PREFIX):].split("-")[0] for n in names}):
            shutil.rmtree(os.path.join(os.environ.get("SWARM_LAB_WORK", "/tmp"), "slab-" + run_id), ignore_errors=True)
        print("removed: %s" % " ".join(names))
        return 0
    try:
        if args.cmd == "run":
            sc = scen.load(args.scenario, args.client)
            ok = True
            for _ in range(max(1, args.runs)):
                ok = one_run(sc, args.out, args.keep, args.label)["ok"] and ok
            return 0 if ok else 1
        clients = [c for c in args.clients.split(",") if c]
        for c in clients:
            if c not in scen.CLIENTS:
                sys.exit("unknown client %s" % c)
        os.makedirs(args.out, exist_ok=True)
        ok = True
        command = "/usr/bin/python3 tools/swarm-lab/lab.py " + shlex.join(sys.argv[1:])
        runs = [(c, None, None) for c in clients]
        for v in args.spate_variant:
            label, sep, opts = v.partition("=")
            if not sep or not label:
                sys.exit("--spate-variant wants LABEL=JAVA_OPTS, got %r" % v)
            runs.append(("spate", label, opts))
        variant_env = {}
        for v in args.spate_env:
            label, sep, assignment = v.partition(":")
            name, eq, value = assignment.partition("=")
            if not sep or not eq or not name or label not in [r[1] for r in runs]:
                sys.exit("--spate-env wants LABEL:NAME=VALUE for a --spate-variant LABEL, got %r" % v)
            variant_env.setdefault(label, {})[name] = value
        for label, env in variant_env.items():
            jar = env.get("SPATE_JAR")
            if jar is not None and not os.path.isfile(jar):
                sys.exit("--spate-env %s:SPATE_JAR=%s: no such file" % (label, jar))
        for rnd in range(args.rounds):
            for c, label, opts in runs:
                sc = scen.load(args.scenario, c)
                env = dict(variant_env.get(label, {}))
                if opts is not None:
                    env["SPATE_JAVA_OPTS"] = opts
                saved = {k: os.environ.get(k) for k in env}
                os.environ.update(env)
                try:
                    res = one_run(sc, args.out, label=label)
                finally:
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k, None)
                        else:
                            os.environ[k] = v
                res["round"] = rnd + 1
                with open(os.path.join(args.out, res["run"], "result.json"), "w") as f:
                    json.dump(res, f, indent=1)
                ok = res["ok"] and ok
                report.summarize(args.out, command)
        return 0 if ok else 1
    except Interrupted as e:
        print("lab: interrupted (%s); namespaces removed" % e, file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
