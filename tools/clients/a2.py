"""aria2c 1.36 driver: peers on --bind (127.0.0.1), DHT/LPD/PEX off, status from its JSON-RPC on 127.0.0.1.

Both roles seed on after completion (--seed-ratio=0.0, no --seed-time) until stopped. A seed checks its
data first (--check-integrity=true --bt-seed-unverified=false); it is complete when RPC says it is a seeder
with every byte. A leech is complete when the --on-bt-download-complete hook has written its marker.
--auto-save-interval=0 keeps aria2 from leaving its <name>.aria2 control file beside the data while it seeds.
"""
import json
import os

from base import DriverError, check_alive, free_port, http, log_head, log_tail, spawn, stop_process, wait_until

_KEYS = ["gid", "status", "completedLength", "totalLength", "seeder", "verifiedLength",
         "verifyIntegrityPending", "errorCode", "errorMessage", "uploadLength", "uploadSpeed", "downloadSpeed",
         "connections"]


class Aria2Driver:
    """Seeds or leeches one torrent with aria2c; polls aria2.tellActive/tellStopped over RPC."""

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.torrent = torrent
        self.save_dir = save_dir
        self.marker = os.path.join(workdir, "done.marker")
        self.script = os.path.join(workdir, "done.sh")
        self.log_path = os.path.join(workdir, "aria2.log")
        self.control_file = os.path.join(save_dir, meta["name"] + ".aria2")
        self.rpc_port = free_port()
        self.proc = None
        self.rpc_id = 0
        self.downloading = False
        self.announced = None  # unknown: only aria2's info-level log (too verbose) tells
        self.listening = False
        self.detail_log = os.path.join(workdir, "aria2-detail.log")
        self.last = None  # the last tellActive entry, for stats()

    def argv(self):
        seed = self.opts.role == "seed"
        a = ["aria2c", "--no-conf", "--interface=" + self.opts.bind, "--disable-ipv6=true",
             "--listen-port=%d" % self.opts.port, "--dir=" + self.save_dir,
             "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
             "--file-allocation=none", "--auto-save-interval=0", "--seed-ratio=0.0", "--follow-torrent=false",
             "--bt-save-metadata=false",
             "--check-integrity=%s" % ("true" if seed else "false"), "--bt-seed-unverified=false",
             "--bt-hash-check-seed=true", "--auto-file-renaming=false", "--allow-overwrite=true",
             "--max-overall-download-limit=0", "--max-overall-upload-limit=0",
             "--on-bt-download-complete=" + self.script,
             "--enable-rpc=true", "--rpc-listen-all=false", "--rpc-listen-port=%d" % self.rpc_port,
             "--stop-with-process=%d" % os.getpid(),
             "--summary-interval=0", "--show-console-readout=false", "--console-log-level=warn",
             "--log=" + self.detail_log, "--log-level=notice"]
        if self.opts.encryption == "plain":
            a += ["--bt-require-crypto=false", "--bt-min-crypto-level=plain"]
        if self.opts.reannounce_interval > 0:
            a.append("--bt-tracker-interval=%d" % max(1, int(self.opts.reannounce_interval)))
        a.append(self.opts.magnet or self.torrent)  # a magnet: the metadata comes from peers (BEP 9)
        return a

    def start(self):
        with open(self.script, "w") as f:
            f.write("#!/bin/sh\n: > '%s'\n" % self.marker)
        os.chmod(self.script, 0o755)
        self.proc = spawn(self.argv(), self.log_path)
        if not wait_until(self._rpc_up, 15.0, 0.05):
            check_alive(self.proc, "aria2c", self.log_path)
            raise DriverError("aria2c RPC not up on port %d: %s" % (self.rpc_port, log_tail(self.log_path)))
        return {"pids": [self.proc.pid], "rpc_port": self.rpc_port}

    def _call(self, method, params):
        self.rpc_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": str(self.rpc_id), "method": method, "params": params})
        status, reply = http("http://127.0.0.1:%d/jsonrpc" % self.rpc_port, body.encode(),
                             {"Content-Type": "application/json"}, timeout=5.0)
        if status != 200:
            raise DriverError("aria2 RPC %s: HTTP %d %r" % (method, status, reply[:200]))
        return json.loads(reply)["result"]

    def _rpc_up(self):
        check_alive(self.proc, "aria2c", self.log_path)
        try:
            self._call("aria2.getVersion", [])
            return True
        except (OSError, DriverError, ValueError):
            return False

    def poll(self):
        check_alive(self.proc, "aria2c", self.log_path)
        try:
            active = self._call("aria2.tellActive", [_KEYS])
            if not active:
                stopped = self._call("aria2.tellStopped", [0, 10, _KEYS])
                for d in stopped:
                    if d.get("status") == "error":
                        raise DriverError("aria2c download error %s: %s"
                                          % (d.get("errorCode"), d.get("errorMessage")))
                return None, False
        except OSError as e:
            raise DriverError("aria2 RPC: %s" % e)
        if not self.listening:
            head = log_head(self.detail_log)
            if "BitTorrent: failed to bind TCP port" in head:
                raise DriverError("aria2c cannot listen on port %d" % self.opts.port)
            self.listening = "BitTorrent: listening on TCP port %d" % self.opts.port in head
        d = active[0]
        self.last = d
        total = int(d["totalLength"]) or self.meta["bytes"]
        checking = "verifiedLength" in d or "verifyIntegrityPending" in d
        fraction = 0.0 if checking else int(d["completedLength"]) / total if total else 0.0
        whole = not checking and int(d["completedLength"]) == int(d["totalLength"])
        self.downloading = not checking and d.get("seeder") != "true"
        if self.opts.role == "seed":
            done = self.listening and whole and d.get("seeder") == "true"
        else:
            done = os.path.exists(self.marker) or (whole and d.get("seeder") == "true")
            # and no <name>.aria2 control file left beside the data
            done = done and self.listening and not os.path.exists(self.control_file)
        return fraction, done

    def completed(self):
        return {}

    def stats(self):
        d = self.last
        if d is None:
            return {}
        return {"uploaded": int(d.get("uploadLength", 0)), "downloaded": int(d.get("completedLength", 0)),
                "upload_rate": int(d.get("uploadSpeed", 0)), "download_rate": int(d.get("downloadSpeed", 0)),
                "peers": int(d.get("connections", 0))}

    def reannounce(self):
        pass  # --bt-tracker-interval=N makes aria2c announce every N seconds itself

    def stop(self):
        stop_process(self.proc, 10.0)
