#!/usr/bin/env python3
"""Where a small leech's time goes, launch to complete: one timeline (ms since the leecher's launch) per round.

    /usr/bin/python3 tools/startup/timeline.py [--rounds 3] [--size-mib 4] [--launcher tools/spate] [--java-opts ..]

Set-up as tools/pair.sh's: a fresh Spate tracker on loopback, a libtorrent seed (in this process, so its peer
log is read as it happens, not polled), the torrent announced and listed; then the leecher is launched
(`LAUNCHER leech T --dir D --bind 127.0.0.1 --port P --json --exit-when-done`, default tools/spate) under
`strace -f -ttt -e trace=connect,exit_group --seccomp-bpf` (only those calls stop it). All marks are on the epoch
clock: strace's for the leecher's connects (tracker, then the seed), -Xlog:class+load's `timemillis` for the first
load of classes that mark a step (Main, the leech command, Engine, the verify pipeline, the tracker client, the peer
connection), the seed's libtorrent peer log (incoming connection, handshake, bitfield, interested, unchoke, the
first and last request and piece), the leecher's JSON events as they are read (started, complete), and the exit.
Also printed: the leecher's CPU-s at complete (its own figure) and each mark's median over the rounds.
Bounded: 60 s per round. Results: perf-results/startup/.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import libtorrent as lt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "engine", "target", "engine.jar")
# class -> mark: the first load of each (-Xlog:class+load) says the JVM got that far
CLASS_MARKS = [
    ("io.spate.cli.Main", "Main loaded"),
    ("io.spate.cli.TorrentRunner", "leech command"),
    ("io.spate.Engine", "Engine class"),
    ("io.spate.metainfo.Metainfo", "metainfo parse"),
    ("io.spate.tracker.client.TorrentAnnouncer", "announcer"),
    ("io.spate.cli.Progress", "progress (engine up)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Seed:
    """A libtorrent seed whose alerts are stamped with time.time() as they are posted (1 ms waits)."""

    def __init__(self, torrent, data_dir, port):
        self.events = []
        self.session = lt.session({
            "listen_interfaces": "127.0.0.1:%d" % port, "outgoing_interfaces": "127.0.0.1",
            "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
            "enable_outgoing_utp": False, "enable_incoming_utp": False, "allow_multiple_connections_per_ip": True,
            "out_enc_policy": 2, "in_enc_policy": 1,  # plain, as tools/clients/lt.py
            "min_announce_interval": 1,
            "alert_mask": int(lt.alert.category_t.all_categories)}, 0)
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(torrent)
        atp.save_path = data_dir
        atp.flags &= ~lt.torrent_flags.auto_managed
        atp.flags &= ~lt.torrent_flags.paused
        self.handle = self.session.add_torrent(atp)
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            self.session.wait_for_alert(1)
            now = time.time()
            for a in self.session.pop_alerts():
                self.events.append((now, a.what(), a.message()))

    def seeding(self):
        return self.handle.status().is_seeding

    def close(self):
        self.stop = True
        self.thread.join(2)


SEED_MARKS = [  # (regex on "what: message", mark) - the first match after the launch
    (r"incoming_connection|peer_connect", "seed: connection in"),
    (r"<== HANDSHAKE", "seed: handshake in"),
    (r"==> BITFIELD|==> HAVE_ALL", "seed: bitfield out"),
    (r"<== INTERESTED", "seed: interested in"),
    (r"==> UNCHOKE", "seed: unchoke out"),
    (r"<== REQUEST", "seed: first request in"),
    (r"==> PIECE", "seed: first piece out"),
]


def wait(pred, seconds, what):
    deadline = time.monotonic() + seconds
    while not pred():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.01)


def one_round(args, work, data, jar):
    tracker_port, seed_port, leech_port = free_port(), free_port(), free_port()
    tracker = subprocess.Popen(["java", "-Xmx256m", "-jar", JAR, "tracker", "--bind", "127.0.0.1", "--port",
                                str(tracker_port), "--interval", "2", "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    seed = None
    leech = None
    try:
        line = tracker.stdout.readline()
        if b'"started"' not in line:
            raise RuntimeError("tracker did not start: %r" % line)
        seed_dir = os.path.join(work, "seed")
        os.makedirs(seed_dir, exist_ok=True)
        target = os.path.join(seed_dir, "data.bin")
        if not os.path.exists(target):
            os.link(data, target)
        torrent = os.path.join(work, "data.torrent")
        if os.path.exists(torrent):
            os.remove(torrent)
        subprocess.run(["mktorrent", "-a", "http://127.0.0.1:%d/announce" % tracker_port, "-l", "20", "-o", torrent,
                        target], check=True, stdout=subprocess.DEVNULL)
        seed = Seed(torrent, seed_dir, seed_port)
        wait(seed.seeding, 30, "the seed's check")
        wait(lambda: any(w == "tracker_reply" for _, w, _ in seed.events), 30, "the seed's announce")
        dl = os.path.join(work, "dl")
        shutil.rmtree(dl, ignore_errors=True)
        os.makedirs(dl)
        trace = os.path.join(work, "strace.txt")
        classes = os.path.join(work, "classes.txt")
        env = dict(os.environ, SPATE_JAVA_OPTS=" ".join(
            ["-Xlog:class+load=info:file=%s:timemillis" % classes] + args.java_opts.split()))
        if jar:
            env["SPATE_JAR"] = jar
        cmd = ["strace", "-f", "-ttt", "-qq", "--seccomp-bpf", "-e", "trace=connect,exit_group", "-e", "signal=none",
               "-o", trace, args.launcher, "leech", torrent, "--dir", dl, "--bind", "127.0.0.1", "--port",
               str(leech_port), "--json", "--exit-when-done"]
        t0 = time.time()
        leech = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        marks = {"launch": t0}
        complete = {}
        watchdog = threading.Timer(60, leech.kill)  # a leecher that hangs silent is killed: the round fails
        watchdog.start()
        deadline = time.monotonic() + 60
        for raw in leech.stdout:
            now = time.time()
            if raw.startswith(b"{"):
                event = json.loads(raw)
                kind = event.get("event")
                if kind in ("started", "complete") and kind not in marks:
                    marks[kind + " (read)"] = now
                if kind == "complete":
                    complete = event
            if time.monotonic() > deadline:
                raise RuntimeError("leecher not done in 60 s")
        leech.wait(30)
        watchdog.cancel()
        marks["exit (reaped)"] = time.time()
        if leech.returncode != 0:
            raise RuntimeError("leecher exit %d: %s" % (leech.returncode, leech.stderr.read()[-300:]))
        with open(trace) as f:
            connects = [l for l in f if " connect(" in l and "127.0.0.1" in l]
        for l in connects:
            m = re.search(r"sin6?_port=htons\((\d+)\)", l)
            if not m:
                continue
            port = int(m.group(1))
            name = {tracker_port: "connect: tracker", seed_port: "connect: seed"}.get(port)
            if name and name not in marks:
                marks[name] = float(l.split()[1])
        with open(trace) as f:
            for l in f:
                if "exit_group(" in l:
                    marks["exit_group"] = float(l.split()[1])
                    break
        with open(classes) as f:
            for l in f:
                m = re.match(r"\[(\d+)ms\]\s+(\S+)", l)
                if not m:
                    continue
                for cls, name in CLASS_MARKS:
                    if m.group(2) == cls and name not in marks:
                        marks[name] = int(m.group(1)) / 1000.0
        for t, what, msg in list(seed.events):
            if t < t0:
                continue
            text = "%s: %s" % (what, msg)
            for pattern, name in SEED_MARKS:
                if name not in marks and re.search(pattern, text):
                    marks[name] = t
        last_piece = [t for t, w, m in seed.events if t >= t0 and "==> PIECE" in m]
        if last_piece:
            marks["seed: last piece out"] = last_piece[-1]
        ms = {k: round((v - t0) * 1000) for k, v in marks.items()}
        return ms, complete
    finally:
        if leech and leech.poll() is None:
            leech.kill()
            leech.wait()
        if seed:
            seed.close()
            del seed
        tracker.terminate()
        tracker.wait(10)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--size-mib", type=int, default=4)
    p.add_argument("--launcher", default=os.path.join(ROOT, "tools", "spate"))
    p.add_argument("--java-opts", default="", help="more JVM options for the leecher (SPATE_JAVA_OPTS)")
    p.add_argument("--jar", action="append", default=[], metavar="NAME=JAR",
                   help="compare jars, rounds interleaved (each with its own archive: tools/startup/train.sh --jar); "
                        "default: this checkout's engine.jar")
    args = p.parse_args()
    jars = [j.split("=", 1) for j in args.jar] or [("this", None)]
    data_dir = "/tmp/spate-data"
    os.makedirs(data_dir, exist_ok=True)
    data = os.path.join(data_dir, "random-%dMiB.bin" % args.size_mib)
    if not os.path.exists(data) or os.path.getsize(data) != args.size_mib << 20:
        with open(data + ".tmp", "wb") as f:
            f.write(os.urandom(args.size_mib << 20))
        os.rename(data + ".tmp", data)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL).stdout.decode().strip()
    print("# %s, commit %s, load average %s, launcher %s, java opts %r, %d MiB" % (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), commit, " ".join("%.2f" % x for x in os.getloadavg()),
        args.launcher, args.java_opts, args.size_mib), flush=True)
    rows = {name: [] for name, _ in jars}
    for r in range(args.rounds):
        for name, jar in (jars if r % 2 == 0 else jars[::-1]):
            work = tempfile.mkdtemp(prefix="spate-timeline-")
            try:
                ms, complete = one_round(args, work, data, jar)
            finally:
                (shutil.rmtree(work, ignore_errors=True) if not os.environ.get("KEEP") else print("kept", work))
            ms["cpu at complete (ms)"] = round(1000 * (complete.get("cpu_seconds") or 0))
            rows[name].append(ms)
            print("round %d %s (load %.2f): complete %s s on its own clock, cpu %s s" % (
                r + 1, name, os.getloadavg()[0], complete.get("seconds"), complete.get("cpu_seconds")))
            for k, v in sorted(ms.items(), key=lambda kv: kv[1]):
                print("  %6d ms  %s" % (v, k))
            sys.stdout.flush()
    for name, _ in jars:
        names = sorted({k for row in rows[name] for k in row}, key=lambda k: statistics.median(
            [row[k] for row in rows[name] if k in row]))
        print("# %s: medians over %d rounds (ms since launch), load average now %s" % (
            name, len(rows[name]), " ".join("%.2f" % x for x in os.getloadavg())))
        for k in names:
            print("  %6d ms  %s" % (statistics.median([row[k] for row in rows[name] if k in row]), k))


if __name__ == "__main__":
    main()
