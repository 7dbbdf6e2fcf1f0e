"""Spate driver: `tools/spate seed|leech TORRENT --dir D --bind ADDR --port P --json`, the launcher that starts the
jar from the class-data sharing archive `mvn package` made beside it (plain `java -jar` when there is none, or with
SPATE_STARTUP=0): nine JVMs starting at once on two cores are what the swarm lab's Spate runs paid most for.

Spate's own JSON events (stdout, to spate.jsonl in the workdir) are read as they come and translated:
its "started" (bytes, have) and "progress" (percent) give the fraction, its "complete" gives completion (a seed
emits it once its data is checked), its "error" becomes a DriverError. Its "complete" fields (seconds since its own
start, downloaded) are passed on as spate_seconds / spate_downloaded. A leech runs without --exit-when-done, so it
seeds on until stopped like every other client. Spate seeds re-announce every 5 s while they have no peer, so a
Transmission leecher gets dialled without --reannounce-interval; that option has no effect here.
Environment: SPATE_JAR (default: engine/target/engine.jar of this repository), SPATE_JAVA_OPTS (default none: the
launcher sizes the JVM for seed and leech),
SPATE_THREADS (--threads N; default: Spate's own, the number of cores), SPATE_PROGRESS_INTERVAL (1 s),
SPATE_SEED_ARGS and SPATE_LEECH_ARGS (more flags for a seed or a leech, e.g. "--super-seed", "--sequential": how
the swarm lab runs a variant without a scenario of its own).
"""
import json
import os

from base import DriverError, check_alive, log_tail, spawn, stop_process, wait_until

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_JAR = os.path.join(_ROOT, "engine", "target", "engine.jar")
LAUNCHER = os.path.join(_ROOT, "tools", "spate")


class SpateDriver:
    """Runs one Spate JVM; completion is its own {"event":"complete"}."""

    poll_period = 0.05

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.torrent = torrent
        self.save_dir = save_dir
        self.events_path = os.path.join(workdir, "spate.jsonl")
        self.log_path = os.path.join(workdir, "spate.log")
        self.jar = os.environ.get("SPATE_JAR", DEFAULT_JAR)
        self.proc = None
        self.offset = 0
        self.partial = b""
        self.started = False
        self.complete = None
        self.fraction = None
        self.last_progress = {}  # the last "progress" event, for stats()
        self.downloading = False
        self.announced = None  # Spate has no "announced" event; warnings report failed announces

    def argv(self):
        command = "seed" if self.opts.role == "seed" else "leech"
        a = [LAUNCHER, command, self.opts.magnet or self.torrent, "--dir", self.save_dir,
              "--bind", self.opts.bind, "--port", str(self.opts.port), "--json",
              "--progress-interval", os.environ.get("SPATE_PROGRESS_INTERVAL", "1")]
        if self.opts.free_rider:
            a.append("--free-rider")
        a += os.environ.get("SPATE_SEED_ARGS" if command == "seed" else "SPATE_LEECH_ARGS", "").split()
        threads = os.environ.get("SPATE_THREADS")
        if threads:
            a += ["--threads", threads]
        return a

    def start(self):
        if not os.path.isfile(self.jar):
            raise DriverError("Spate jar not found: %s (build with mvn -o -DskipTests package)" % self.jar)
        # stdout (JSON events) and stderr go to separate files: spawn() writes both to one, so wrap in sh.
        argv = ["sh", "-c", 'exec "$@" > "%s"' % self.events_path, "spate"] + self.argv()
        env = dict(os.environ, SPATE_JAR=self.jar,
                   SPATE_JAVA_OPTS=os.environ.get("SPATE_JAVA_OPTS", ""))
        self.proc = spawn(argv, self.log_path, env=env)
        if not wait_until(self._started, 60.0, 0.05):
            check_alive(self.proc, "spate", self.log_path)
            raise DriverError("spate printed no started event in 60 s: %s" % log_tail(self.log_path))
        return {"pids": [self.proc.pid]}

    def _started(self):
        check_alive(self.proc, "spate", self.log_path)
        self._read_events()
        return self.started

    def _read_events(self):
        try:
            with open(self.events_path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            if line.startswith(b"{"):  # JVM messages (e.g. -XX:StartFlightRecording's) are not events
                self._handle(line)

    def _handle(self, line):
        try:
            event = json.loads(line)
        except ValueError:
            raise DriverError("spate printed a line that is not JSON: %r" % line[:200])
        kind = event.get("event")
        total = event.get("bytes") or self.meta["bytes"]
        if kind == "started":
            self.started = True
            if event.get("port") not in (None, self.opts.port):
                raise DriverError("spate listens on %s, not %d" % (event.get("port"), self.opts.port))
            self.fraction = event.get("have", 0) / total if total else 0.0
        elif kind == "progress":
            self.fraction = event.get("percent", 0.0) / 100.0
            self.last_progress = event
        elif kind == "complete":
            self.complete = event
            self.fraction = 1.0
        elif kind == "error":
            raise DriverError("spate: %s" % event.get("message"))
        elif kind == "stopped" and self.complete is None:
            raise DriverError("spate stopped before complete: %s" % line.decode("utf-8", "replace"))

    def poll(self):
        self._read_events()
        if self.complete is None:
            check_alive(self.proc, "spate", self.log_path)
        # Spate's "started" comes after its check of existing data: a seed short of data then is downloading.
        self.downloading = self.started and self.complete is None and (self.fraction or 0.0) < 1.0
        return self.fraction, self.complete is not None

    def completed(self):
        extra = {}
        if self.complete is not None:
            if "seconds" in self.complete:
                extra["spate_seconds"] = self.complete["seconds"]
            if "cpu_seconds" in self.complete:
                extra["spate_cpu_seconds"] = self.complete["cpu_seconds"]
            if "downloaded" in self.complete:
                extra["spate_downloaded"] = self.complete["downloaded"]
        return extra

    def stats(self):
        p = self.last_progress
        return {k: p[k] for k in ("uploaded", "downloaded", "upload_rate", "download_rate", "peers", "hash_failures",
                                  "peers_banned") if k in p}

    def reannounce(self):
        pass  # Spate re-announces on the tracker's interval, and every 5 s while it has no peer

    def stop(self):
        # SIGTERM goes to sh's exec'd java (same PID): it announces stopped, closes its files, exits 0.
        stop_process(self.proc, 15.0)
        self._read_events()
