"""Shared plumbing for tools/service/*.py: child processes ended by PID, JSON-line readers, the daemon's API.

Python 3 standard library only. Every process started through Procs is in Procs.children and is ended by its PID
in Procs.close() (SIGTERM, then SIGKILL after a grace period); each child also gets PR_SET_PDEATHSIG=SIGKILL, so it
does not outlive this script even if the script itself is killed.
"""
import ctypes
import shutil
import tempfile
import traceback
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


class Failure(Exception):
    """Something the measurement cannot go on without; reported, then every child is ended."""


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def log(msg):
    sys.stderr.write("[%s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        with open("/proc/loadavg") as f:
            return "loadavg " + f.read().strip()


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Child:
    """A process whose stdout lines are read on a thread: kept in a log file and, when JSON, as (time, event)."""

    def __init__(self, name, argv, log_dir):
        self.name = name
        self.argv = argv
        self.out_path = os.path.join(log_dir, name + ".out")
        self.err_path = os.path.join(log_dir, name + ".err")
        self.events = []  # (time.monotonic() at receipt, dict)
        self.cond = threading.Condition()
        self._err = open(self.err_path, "ab")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._err,
                                     preexec_fn=_die_with_parent, close_fds=True)
        self.pid = self.proc.pid
        self._out = open(self.out_path, "ab")
        self._thread = threading.Thread(target=self._read, name=name, daemon=True)
        self._thread.start()

    def _read(self):
        for raw in self.proc.stdout:
            now = time.monotonic()
            self._out.write(b"%.3f " % now + raw)
            self._out.flush()
            try:
                event = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(event, dict):
                with self.cond:
                    self.events.append((now, event))
                    self.cond.notify_all()

    def wait_event(self, predicate, timeout):
        """The first event (time, dict) matching predicate, waiting at most timeout seconds; None if none came."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for item in self.events:
                    if predicate(item[1]):
                        return item
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and not self._thread.is_alive():
                    return None
                self.cond.wait(min(left, 0.2))

    def last_event(self, kind):
        with self.cond:
            for item in reversed(self.events):
                if item[1].get("event") == kind:
                    return item
        return None

    def events_of(self, kind):
        with self.cond:
            return [item for item in self.events if item[1].get("event") == kind]

    def alive(self):
        return self.proc.poll() is None

    def stderr_tail(self, limit=800):
        try:
            with open(self.err_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - limit))
                return f.read().decode("utf-8", "replace").strip().replace("\n", " | ")
        except OSError:
            return ""

    def kill9(self):
        """SIGKILL by PID; returns the exit code. self.killed_at: time.monotonic() when the signal went."""
        self.killed_at = time.monotonic()
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        code = self.proc.wait(30)
        self.finish()
        return code

    def stop(self, grace=15.0):
        """SIGTERM by PID, SIGKILL after grace seconds; returns the exit code (negative: the signal)."""
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                log("%s (pid %d) did not stop in %.0f s: SIGKILL" % (self.name, self.pid, grace))
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(30)
        self.finish()
        return self.proc.returncode

    def finish(self):
        self._thread.join(5)
        for f in (self._out, self._err):
            try:
                f.close()
            except OSError:
                pass


class Procs:
    """Every child this script started; close() ends the ones still running, by PID."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.children = []

    def start(self, name, argv):
        child = Child(name, argv, self.log_dir)
        self.children.append(child)
        log("started %s pid %d: %s" % (name, child.pid, " ".join(argv)))
        return child

    def close(self):
        for child in reversed(self.children):
            if child.alive():
                code = child.stop(grace=10.0)
                log("ended %s pid %d (exit %s)" % (child.name, child.pid, code))


def install_signal_handlers():
    """SIGTERM/SIGINT/SIGHUP become a Failure, so the finally blocks end the children."""
    def handler(signum, frame):
        raise Failure("interrupted by signal %d" % signum)
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, handler)


def http(url, data=None, headers=None, method=None, timeout=10.0):
    """One request on loopback, no proxy; returns (status, parsed JSON or text)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    text = body.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def random_file(path, size):
    """size random bytes (os.urandom) at path, written in 4 MiB chunks."""
    chunk = 4 << 20
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(chunk, left)
            f.write(os.urandom(n))
            left -= n


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(4 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


def start_tracker(procs, java, jar, interval=60):
    """A Spate tracker on 127.0.0.1, a free port; returns (child, announce URL)."""
    tracker = procs.start("tracker", [java, "-jar", jar, "tracker", "--bind", "127.0.0.1", "--port", "0",
                                      "--interval", str(interval), "--json"])
    started = tracker.wait_event(lambda e: e.get("event") == "started", 60)
    if started is None:
        raise Failure("the tracker did not start: " + tracker.stderr_tail())
    return tracker, "http://127.0.0.1:%d/announce" % started[1]["port"]


def create_torrent(java, jar, path, out, tracker_url, piece_length=None):
    argv = [java, "-jar", jar, "create", path, "-o", out, "--tracker", tracker_url]
    if piece_length:
        argv += ["--piece-length", str(piece_length)]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise Failure("create failed (%d): %s" % (r.returncode, r.stderr.strip()))
    return r.stdout.split()[0]  # the info-hash


def start_daemon(procs, name, java, jar, state, extra=()):
    """A daemon on 127.0.0.1 (peers and API on free ports); returns (child, API base URL without the slash)."""
    daemon = procs.start(name, [java, "-jar", jar, "daemon", "--state", state, "--port", "0", "--bind", "127.0.0.1",
                                "--api", "127.0.0.1:0", "--json"] + list(extra))
    started = daemon.wait_event(lambda e: e.get("event") == "started", 90)
    if started is None:
        raise Failure("daemon %s did not start (exit %s): %s" % (name, daemon.proc.poll(), daemon.stderr_tail()))
    return daemon, started[1]["api"].rstrip("/")


def add_torrent(api, torrent_path, data_dir):
    with open(torrent_path, "rb") as f:
        body = f.read()
    status, reply = http(api + "/api/torrents?dir=" + urllib.request.quote(data_dir), data=body,
                         headers={"Content-Type": "application/x-bittorrent"}, method="POST")
    if status != 201:
        raise Failure("add: HTTP %d %s" % (status, reply))
    return reply


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def emit(kind, **fields):
    """One JSON line on stdout: {"event": kind, ...fields}."""
    record = {"event": kind}
    record.update(fields)
    sys.stdout.write(json.dumps(record, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def main(args, run, prefix):
    """A measurement's frame: a work dir and logs, run(args, deadline, procs, work, logs) bounded by
    --max-seconds, every process it started ended by PID whatever happens, the work dir removed unless --keep."""
    start = time.monotonic()
    deadline = start + args.max_seconds
    install_signal_handlers()
    if not os.path.exists(args.jar):
        sys.stderr.write("no jar at %s (build: mvn -B -q -o -DskipTests package -pl engine -am)\n" % args.jar)
        return 1
    work = tempfile.mkdtemp(prefix=prefix, dir=args.work)
    logs = args.logs or os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    procs = Procs(logs)
    code = 1
    try:
        code = run(args, deadline, procs, work, logs)
    except Failure as e:
        emit("error", message=str(e))
        log("FAILED: %s" % e)
    except Exception as e:  # a bug here must still end the children
        traceback.print_exc()
        emit("error", message="%s: %s" % (type(e).__name__, e))
    finally:
        procs.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        log("done in %.1f s (exit %d)" % (time.monotonic() - start, code))
    return code
