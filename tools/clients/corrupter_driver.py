"""Corrupter driver: runs tools/clients/corrupter.py (a seed that flips every byte of every Nth block it serves).

A seed only. Its JSON lines go to corrupter.jsonl in the workdir: "started" (data checked) makes it complete,
"announced" is passed on, its "stats" lines give uploaded/peers/blocks_served/blocks_corrupted, and at the stop its
"summary" (counters and every connection's record: who closed it, blocks and corrupted blocks served on it) is
passed on as {"event":"corrupter_summary",...}. --reannounce-interval N becomes its --announce-interval N.
Environment: CORRUPTER_OPTS, more corrupter.py options (e.g. "--corrupt-every 20 --announce-interval 5").
"""
import json
import os
import shlex
import sys

from base import DriverError, check_alive, emit, log_tail, spawn, stop_process, wait_until

CORRUPTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corrupter.py")


class CorrupterDriver:
    poll_period = 0.1

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.torrent = torrent
        self.save_dir = save_dir
        self.events_path = os.path.join(workdir, "corrupter.jsonl")
        self.log_path = os.path.join(workdir, "corrupter.log")
        self.proc = None
        self.offset = 0
        self.partial = b""
        self.started = False
        self.announced = False
        self.downloading = False
        self.last_stats = {}
        self.summary = None

    def argv(self):
        a = [sys.executable, CORRUPTER, "--torrent", self.torrent, "--dir", self.save_dir, "--bind", self.opts.bind,
             "--port", str(self.opts.port), "--stats-interval", "0.5"]
        if self.opts.reannounce_interval > 0:
            a += ["--announce-interval", str(self.opts.reannounce_interval)]
        return a + shlex.split(os.environ.get("CORRUPTER_OPTS", ""))

    def start(self):
        if self.opts.role != "seed":
            raise DriverError("the corrupter is a seed only")
        if self.opts.free_rider or self.opts.magnet:
            raise DriverError("--free-rider and --magnet are not for the corrupter")
        argv = ["sh", "-c", 'exec "$@" > "%s"' % self.events_path, "corrupter"] + self.argv()
        self.proc = spawn(argv, self.log_path)
        if not wait_until(self._started, 120.0, 0.05):
            check_alive(self.proc, "corrupter", self.log_path)
            raise DriverError("corrupter printed no started event in 120 s: %s" % log_tail(self.log_path))
        return {"pids": [self.proc.pid]}

    def _started(self):
        self._read_events()
        if not self.started:
            check_alive(self.proc, "corrupter", self.log_path)
        return self.started

    def _read_events(self):
        try:
            with open(self.events_path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return
        self.offset += len(data)
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            if not line.startswith(b"{"):
                continue
            try:
                event = json.loads(line)
            except ValueError:
                raise DriverError("corrupter printed a line that is not JSON: %r" % line[:200])
            kind = event.get("event")
            if kind == "started":
                self.started = True
            elif kind == "announced":
                self.announced = True
            elif kind == "stats":
                self.last_stats = event
            elif kind == "summary":
                self.summary = event
            elif kind == "error":
                raise DriverError("corrupter: %s" % event.get("message"))

    def poll(self):
        self._read_events()
        check_alive(self.proc, "corrupter", self.log_path)
        return (1.0 if self.started else 0.0), self.started

    def completed(self):
        return {}

    def stats(self):
        s = self.last_stats
        return {k: s[k] for k in ("uploaded", "peers", "blocks_served", "blocks_corrupted") if k in s}

    def reannounce(self):
        pass  # corrupter.py announces on its own schedule (--announce-interval)

    def stop(self):
        stop_process(self.proc, 15.0)
        self._read_events()
        if self.summary is not None:
            fields = {k: v for k, v in self.summary.items() if k != "event"}
            emit("corrupter_summary", **fields)
