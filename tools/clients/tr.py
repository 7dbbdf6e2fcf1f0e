"""transmission-cli 3.00 driver: a fresh -g config dir with settings.json; completion from its -f script.

Transmission refuses to dial peers on 127.0.0.0/8, so on loopback the other side must dial it. It does not
create the 0-byte files of a multi-file torrent: at completion this driver creates them and lists them in the
"complete" event as "created_empty_files". transmission-cli never exits by itself; it is ended by SIGTERM.
"""
import json
import os
import re
import signal

from base import (DriverError, check_alive, create_missing_empty_files, emit, log_head, log_tail, spawn,
                  stop_process)

_PROGRESS = re.compile(r"Progress: ([0-9.]+)%")
_VERIFYING = re.compile(r"Verifying local files \(([0-9.]+)%")


class TransmissionDriver:
    """Done when the -f script has written its marker file, or (a seed) when its status line says Seeding."""

    MAX_RESTARTS = 3

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.torrent = torrent
        self.save_dir = save_dir
        self.config_dir = os.path.join(workdir, "config")
        self.marker = os.path.join(workdir, "done.marker")
        self.script = os.path.join(workdir, "done.sh")
        self.log_path = os.path.join(workdir, "transmission.log")
        self.proc = None
        self.created = []
        self.downloading = False
        self.announced = False
        self.bind_checked = False
        self.restarts = 0

    def settings(self):
        return {
            "bind-address-ipv4": self.opts.bind,
            "bind-address-ipv6": "::1",
            "peer-port": self.opts.port,
            "peer-port-random-on-start": False,
            "dht-enabled": False,
            "lpd-enabled": False,
            "pex-enabled": False,
            "utp-enabled": False,
            "port-forwarding-enabled": False,
            "rpc-enabled": False,
            "blocklist-enabled": False,
            "encryption": 0 if self.opts.encryption == "plain" else 1,
            "speed-limit-down-enabled": False,
            "speed-limit-up-enabled": False,
            "alt-speed-enabled": False,
            "ratio-limit-enabled": False,
            "idle-seeding-limit-enabled": False,
            "incomplete-dir-enabled": False,
            "rename-partial-files": False,
            "start-added-torrents": True,
            "download-dir": self.save_dir,
            "peer-limit-global": 500,
            "peer-limit-per-torrent": 100,
            "message-level": 3,  # debug: its announce replies ("Got N peers from tracker") are logged
        }

    def start(self):
        os.makedirs(self.config_dir, exist_ok=True)
        with open(os.path.join(self.config_dir, "settings.json"), "w") as f:
            json.dump(self.settings(), f, indent=1)
        with open(self.script, "w") as f:
            f.write("#!/bin/sh\n: > '%s'\n" % self.marker)
        os.chmod(self.script, 0o755)
        self._launch()
        return {"pids": [self.proc.pid]}

    def _launch(self):
        """Start transmission-cli. It can still exit by itself (code 0) if it polls its torrent in the instant
        between the automatic verification and the start: poll() then launches it again, and the new one
        resumes from its resume file without verifying."""
        argv = ["transmission-cli", "-g", self.config_dir, "-w", self.save_dir, "-p", str(self.opts.port),
                "-D", "-U", "-M", "-B", "-f", self.script]
        argv.append("-et" if self.opts.encryption == "plain" else "-ep")
        # No -v for a seed: a new torrent is verified anyway, and -v queues a second verification that races
        # transmission-cli's main loop, which exits (code 0) when it sees the torrent stopped between the two.
        argv.append(self.torrent)
        env = dict(os.environ, HOME=os.path.dirname(self.config_dir))
        env.pop("TR_CURL_VERBOSE", None)
        self.proc = spawn(argv, self.log_path, env=env)

    def _status_line(self):
        """The newest status line (Progress/Seeding/Verifying) among the log's last lines."""
        for line in reversed(log_tail(self.log_path, 2000).split(" | ")):
            if line.startswith(("Progress:", "Seeding", "Verifying", "Error:")):
                return line
        return ""

    def poll(self):
        if self.proc.poll() == 0 and self.restarts < self.MAX_RESTARTS:
            self.restarts += 1
            with open(self.log_path, "a") as f:
                f.write("\n[driver] transmission-cli exited by itself (code 0): restart %d\n" % self.restarts)
            self._launch()
            emit("restarted", pids=[self.proc.pid], reason="transmission-cli exited by itself (code 0)")
        check_alive(self.proc, "transmission-cli", self.log_path)
        line = self._status_line()
        self.downloading = line.startswith("Progress:")
        if not self.announced:
            head = log_head(self.log_path, 1 << 20)
            self.announced = " from tracker" in head or "Announce response contained" in head
        if not self.bind_checked:  # it binds before loading the torrent, so before any status line
            if "Couldn't bind port" in log_head(self.log_path):
                raise DriverError("transmission-cli cannot listen on port %d" % self.opts.port)
            self.bind_checked = bool(line)
        done = os.path.exists(self.marker) or (self.opts.role == "seed" and line.startswith("Seeding"))
        if done:
            return 1.0, True
        m = _PROGRESS.search(line)
        if m:
            return float(m.group(1)) / 100.0, False
        if _VERIFYING.search(line):
            return 0.0, False
        if "Error:" in line:
            raise DriverError("transmission-cli: %s" % line)
        return None, False

    def completed(self):
        self.created = create_missing_empty_files(self.save_dir, self.meta["files"])
        return {"created_empty_files": self.created} if self.created else {}

    def reannounce(self):
        # SIGHUP asks transmission-cli for a manual announce; it honours the tracker's "min interval".
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGHUP)

    def stop(self):
        # SIGINT is its graceful stop (torrent stopped, "stopped" announced); SIGTERM would kill it outright.
        stop_process(self.proc, 10.0, signal.SIGINT)
