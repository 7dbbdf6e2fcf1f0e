"""transmission-cli 3.00 driver: a fresh -g config dir with settings.json; completion from its -f script.

Transmission refuses to dial peers on 127.0.0.0/8, so on loopback the other side must dial it. It does not
create the 0-byte files of a multi-file torrent: at completion this driver creates them and lists them in the
"complete" event as "created_empty_files". transmission-cli never exits by itself; it is ended by SIGTERM.
"""
import json
import os
import re

from base import DriverError, check_alive, create_missing_empty_files, log_head, log_tail, spawn, stop_process

_PROGRESS = re.compile(r"Progress: ([0-9.]+)%")
_VERIFYING = re.compile(r"Verifying local files \(([0-9.]+)%")


class TransmissionDriver:
    """Done when the -f script has written its marker file, or (a seed) when its status line says Seeding."""

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

    def settings(self):
        return {
            "bind-address-ipv4": "127.0.0.1",
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
        argv = ["transmission-cli", "-g", self.config_dir, "-w", self.save_dir, "-p", str(self.opts.port),
                "-D", "-U", "-M", "-B", "-f", self.script]
        argv.append("-et" if self.opts.encryption == "plain" else "-ep")
        if self.opts.role == "seed":
            argv.append("-v")
        argv.append(self.torrent)
        env = dict(os.environ, HOME=os.path.dirname(self.config_dir))
        env.pop("TR_CURL_VERBOSE", None)
        self.proc = spawn(argv, self.log_path, env=env)
        return {"pids": [self.proc.pid]}

    def _status_line(self):
        """The newest status line (Progress/Seeding/Verifying) among the log's last lines."""
        for line in reversed(log_tail(self.log_path, 2000).split(" | ")):
            if line.startswith(("Progress:", "Seeding", "Verifying", "Error:")):
                return line
        return ""

    def poll(self):
        check_alive(self.proc, "transmission-cli", self.log_path)
        line = self._status_line()
        self.downloading = line.startswith("Progress:")
        if not self.announced:
            head = log_head(self.log_path, 1 << 20)
            self.announced = " from tracker" in head or "Announce response contained" in head
        if "Couldn't bind port" in log_head(self.log_path):
            raise DriverError("transmission-cli cannot listen on port %d" % self.opts.port)
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
        pass  # transmission-cli has no control channel (rpc off); it announces on the tracker's interval

    def stop(self):
        stop_process(self.proc, 10.0)
