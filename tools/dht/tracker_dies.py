#!/usr/bin/python3
"""Issue 15's must-show "The tracker dies", as processes on 127.0.0.1.

A Spate tracker, one Spate seed and 4 Spate leechers, all on the Mainline DHT (--dht-port) and bootstrapped from the
seed's DHT node. When every leecher holds 30 % (its --json progress events) the tracker is killed (SIGKILL, by PID);
all 4 must complete. Then a fifth leecher, started after the tracker died and given only --dht-bootstrap (a magnet
link without tr=, or with --late torrent the same .torrent whose announce URL is now dead), must find the swarm
through the DHT and complete. Every file is compared with the source by SHA-256.

    /usr/bin/python3 tools/dht/tracker_dies.py [--size-mib 64] [--rate 4M] [--late magnet|torrent] [--keep]

Bounded: --timeout seconds in all (default 300); every process started here is ended by its PID (SIGTERM, then
SIGKILL), also on failure. Exit 0 when every check passed, 1 otherwise. Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def log(message):
    print("[%7.2f s] %s" % (now(), message), flush=True)


class Proc:
    """A Spate process whose stdout JSON events are collected by a reader thread (and copied to NAME.out)."""

    def __init__(self, name, java, jar, args, workdir):
        self.name = name
        self.events = []
        self.lock = threading.Lock()
        self.out_path = os.path.join(workdir, name + ".out")
        self.err = open(os.path.join(workdir, name + ".err"), "wb")
        cmd = [java, "-Xmx256m", "-jar", jar] + args
        self.cmdline = " ".join(cmd[3:])
        self.popen = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.err, cwd=workdir)
        self.pid = self.popen.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        with open(self.out_path, "wb") as copy:
            for raw in self.popen.stdout:
                copy.write(raw)
                copy.flush()
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    event["_t"] = now()
                    with self.lock:
                        self.events.append(event)

    def find(self, kind):
        with self.lock:
            for e in self.events:
                if e.get("event") == kind:
                    return e
        return None

    def last(self, kind):
        with self.lock:
            for e in reversed(self.events):
                if e.get("event") == kind:
                    return e
        return None

    def percent(self):
        if self.find("complete"):
            return 100.0
        p = self.last("progress")
        return p["percent"] if p else 0.0

    def alive(self):
        return self.popen.poll() is None

    def stderr_tail(self, lines=5):
        self.err.flush()
        try:
            with open(self.err.name, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def end(self):
        """SIGTERM by PID, then SIGKILL after 15 s; returns the exit code."""
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait(10)
        self.reader.join(5)
        self.err.close()
        return self.popen.returncode


def wait_for(condition, deadline, what, procs=()):
    while time.monotonic() < deadline:
        if condition():
            return
        for p in procs:
            if not p.alive() and not p.find("complete"):
                raise RuntimeError("%s exited (code %s) before %s: %s" % (p.name, p.popen.returncode, what,
                                                                          p.stderr_tail()))
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for " + what)


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tcp_refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except OSError:
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", default=os.path.join(ROOT, "engine", "target", "engine.jar"))
    parser.add_argument("--java", default=shutil.which("java") or "java")
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--rate", default="4M", help="the seed's --max-upload-rate (default 4M)")
    parser.add_argument("--leechers", type=int, default=4)
    parser.add_argument("--kill-at", type=float, default=30.0, help="percent every leecher holds when the tracker "
                        "is killed (default 30)")
    parser.add_argument("--late", choices=("magnet", "torrent"), default="magnet",
                        help="what the fifth leecher is given besides --dht-bootstrap (default: a magnet link "
                        "without tr=)")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--workdir", help="default: a new temporary directory (removed unless --keep or failure)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit("tracker_dies: %s is missing: build it (mvn -B -q -o -DskipTests package -pl engine -am)" % args.jar)

    def terminated(signum, frame):
        raise SystemExit(128 + signum)  # unwinds through the finally below, which ends every process

    signal.signal(signal.SIGTERM, terminated)
    deadline = time.monotonic() + args.timeout
    workdir = args.workdir or tempfile.mkdtemp(prefix="spate-tracker-dies-")
    os.makedirs(workdir, exist_ok=True)
    procs = []
    ok = False
    summary = {"size_mib": args.size_mib, "seed_rate": args.rate, "leechers": args.leechers, "late": args.late}

    def start(name, cli_args):
        p = Proc(name, args.java, args.jar, cli_args, workdir)
        procs.append(p)
        log("started %s (pid %d): %s" % (name, p.pid, p.cmdline))
        return p

    try:
        log("work dir %s" % workdir)
        src = os.path.join(workdir, "seed")
        os.makedirs(src)
        data = os.path.join(src, "tracker-dies.bin")
        with open(data, "wb") as f:
            for _ in range(args.size_mib):
                f.write(os.urandom(1 << 20))
        source_hash = sha256(data)
        log("source %s: %d MiB, sha256 %s" % (data, args.size_mib, source_hash))

        tracker = start("tracker", ["tracker", "--bind", "127.0.0.1", "--port", "0", "--interval", "15", "--json"])
        wait_for(lambda: tracker.find("started"), deadline, "the tracker's started event", [tracker])
        tracker_port = tracker.find("started")["port"]
        announce = "http://127.0.0.1:%d/announce" % tracker_port
        torrent = os.path.join(workdir, "tracker-dies.torrent")
        subprocess.run([args.java, "-jar", args.jar, "create", data, "-o", torrent, "--tracker", announce],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=max(1, deadline - time.monotonic()))
        log("created %s announcing to %s" % (os.path.basename(torrent), announce))

        dht_port = free_udp_port()
        bootstrap = "127.0.0.1:%d" % dht_port
        seed = start("seed", ["seed", torrent, "--dir", src, "--port", "0", "--bind", "127.0.0.1",
                              "--dht-port", str(dht_port), "--max-upload-rate", args.rate, "--json",
                              "--progress-interval", "0.5"])
        wait_for(lambda: seed.find("started"), deadline, "the seed's started event", [seed])
        info_hash = seed.find("started")["info_hash"]
        log("seed up: info-hash %s, peers on TCP %d, DHT node on UDP %d (the bootstrap node)"
            % (info_hash, seed.find("started")["port"], dht_port))

        leechers = []
        for i in range(1, args.leechers + 1):
            leechers.append(start("leech%d" % i, [
                "leech", torrent, "--dir", os.path.join(workdir, "leech%d" % i), "--port", "0",
                "--bind", "127.0.0.1", "--dht-port", "0", "--dht-bootstrap", bootstrap, "--json",
                "--progress-interval", "0.5"]))

        wait_for(lambda: all(p.percent() >= args.kill_at for p in leechers), deadline,
                 "every leecher at %.0f %%" % args.kill_at, leechers + [seed])
        held = [round(p.percent(), 1) for p in leechers]
        os.kill(tracker.pid, signal.SIGKILL)
        tracker.popen.wait(10)
        killed_at = now()
        refused = tcp_refused(tracker_port)
        log("tracker killed (SIGKILL, pid %d, exit %s) with the leechers at %s %%; its port %d refuses "
            "connections: %s" % (tracker.pid, tracker.popen.returncode, held, tracker_port, refused))
        summary.update(tracker_killed_at_s=round(killed_at, 2), leechers_percent_at_kill=held,
                       tracker_port_refused=refused)
        if not refused:
            raise RuntimeError("the tracker's port still accepts connections")

        late_dir = os.path.join(workdir, "leech%d" % (args.leechers + 1))
        name = os.path.basename(data)
        late_source = torrent if args.late == "torrent" else "magnet:?xt=urn:btih:%s&dn=%s" % (info_hash, name)
        late = start("leech%d" % (args.leechers + 1), [
            "leech", late_source, "--dir", late_dir, "--port", "0", "--bind", "127.0.0.1", "--dht-port", "0",
            "--dht-bootstrap", bootstrap, "--json", "--progress-interval", "0.5", "--exit-when-done"])
        late_started = now()

        everyone = leechers + [late]
        wait_for(lambda: all(p.find("complete") for p in everyone), deadline, "every leecher's complete event",
                 everyone + [seed])
        for p in everyone:
            log("%s complete at %.2f s (%s)" % (p.name, p.find("complete")["_t"],
                                                  "after the tracker died" if p.find("complete")["_t"] > killed_at
                                                  else "before the tracker died"))
        late_code = late.popen.wait(max(1, deadline - time.monotonic()))
        first_peer = next((e["_t"] for e in list(late.events) if e.get("event") == "progress" and e.get("peers")),
                          None)
        summary.update(late_started_at_s=round(late_started, 2),
                       late_metadata_s=round(late.find("started")["_t"] - late_started, 2),
                       late_first_peer_s=None if first_peer is None else round(first_peer - late_started, 2),
                       late_complete_s=round(late.find("complete")["_t"] - late_started, 2),
                       late_exit=late_code,
                       complete_at_s={p.name: round(p.find("complete")["_t"], 2) for p in everyone})
        log("%s (%s, no tracker reachable): started (metadata in hand) %.2f s after launch, first peer %s, "
            "complete %.2f s after launch, exit %s"
            % (late.name, args.late, summary["late_metadata_s"],
               "n/a" if first_peer is None else "%.2f s" % summary["late_first_peer_s"], summary["late_complete_s"],
               late_code))

        # what the dead tracker did to them: the warnings each leecher printed after the kill (failed announces)
        for p in everyone:
            with p.lock:
                warnings = [e.get("message", "") for e in p.events if e.get("event") == "warning"
                            and e["_t"] > killed_at]
            if warnings:
                log("%s: %d warnings after the kill, first: %s" % (p.name, len(warnings), warnings[0]))
            summary.setdefault("warnings_after_kill", {})[p.name] = len(warnings)

        hashes = {}
        for p in everyone:
            path = os.path.join(workdir, p.name, name)
            hashes[p.name] = sha256(path)
            log("%s: sha256 %s %s" % (p.name, hashes[p.name], "== source" if hashes[p.name] == source_hash
                                      else "DIFFERS from the source"))
        summary["identical"] = all(h == source_hash for h in hashes.values())
        ok = summary["identical"] and late_code == 0
    except Exception as e:  # noqa: BLE001 - any failure is reported with the processes' output, then cleaned up
        log("FAILED: %s" % e)
        for p in procs:
            log("  %s (pid %d): alive %s, %.1f %%, stderr: %s" % (p.name, p.pid, p.alive(), p.percent(),
                                                                   p.stderr_tail(3).replace("\n", " | ")))
    finally:
        for p in reversed(procs):
            code = p.end()
            log("ended %s (pid %d): exit %s" % (p.name, p.pid, code))
        summary["ok"] = ok
        summary["total_s"] = round(now(), 2)
        print("SUMMARY " + json.dumps(summary, sort_keys=True), flush=True)
        if ok and not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not ok:
            log("kept %s for inspection" % workdir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
