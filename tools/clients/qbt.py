"""qbittorrent-nox 4.5 driver: a fresh profile with a written qBittorrent.conf, driven through its Web API."""
import json
import os

from base import DriverError, check_alive, free_port, http, log_tail, multipart, spawn, stop_process, wait_until

_SEEDING_STATES = ("uploading", "stalledUP", "forcedUP", "queuedUP")
_ERROR_STATES = ("error", "missingFiles")

CONF = """[LegalNotice]
Accepted=true

[Network]
PortForwardingEnabled=false

[BitTorrent]
Session\\InterfaceAddress={bind}
Session\\Port={port}
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\BTProtocol=TCP
Session\\MultiConnectionsPerIp=true
Session\\QueueingSystemEnabled=false
Session\\Encryption={encryption}
Session\\SSRFMitigation=false
Session\\AnnounceToAllTrackers=true
Session\\AnnounceToAllTiers=true
Session\\Preallocation=false
Session\\TempPathEnabled=false
Session\\AddExtensionToIncompleteFiles=false
Session\\DefaultSavePath={save_dir}
Session\\GlobalMaxRatio=-1
Session\\RefreshInterval={refresh_ms}

[Preferences]
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port={webui_port}
WebUI\\LocalHostAuth=false
WebUI\\CSRFProtection=false
WebUI\\HostHeaderValidation=false
WebUI\\ClickjackingProtection=false
WebUI\\UseUPnP=false
Connection\\ResolvePeerCountries=false
Connection\\UPnP=false
General\\Locale=en
"""


class QbittorrentDriver:
    """Completion: the Web API reports progress == 1 in a seeding state (it refreshes every refresh_ms)."""

    REFRESH_MS = 250

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.torrent = torrent
        self.save_dir = save_dir
        self.profile = os.path.join(workdir, "profile")
        self.log_path = os.path.join(workdir, "qbittorrent.log")
        self.webui_port = free_port()
        self.base = "http://127.0.0.1:%d/api/v2" % self.webui_port
        self.proc = None
        self.downloading = False
        self.announced = False
        self.qbt_log = os.path.join(self.profile, "qBittorrent", "data", "logs", "qbittorrent.log")
        self.last = None  # the last /torrents/info entry, for stats()

    def write_conf(self):
        conf_dir = os.path.join(self.profile, "qBittorrent", "config")
        os.makedirs(conf_dir, exist_ok=True)
        # Session\Encryption: 0 prefer encryption (qBittorrent's default), 2 disabled (plaintext only).
        encryption = 2 if self.opts.encryption == "plain" else 0
        text = CONF.format(port=self.opts.port, bind=self.opts.bind, encryption=encryption, save_dir=self.save_dir,
                           refresh_ms=self.REFRESH_MS, webui_port=self.webui_port)
        with open(os.path.join(conf_dir, "qBittorrent.conf"), "w") as f:
            f.write(text)

    def start(self):
        self.write_conf()
        env = dict(os.environ, HOME=self.profile, XDG_CONFIG_HOME=self.profile, XDG_DATA_HOME=self.profile,
                   XDG_CACHE_HOME=self.profile, QT_QPA_PLATFORM="offscreen")
        self.proc = spawn(["qbittorrent-nox", "--profile=" + self.profile, "--webui-port=%d" % self.webui_port,
                           "--torrenting-port=%d" % self.opts.port], self.log_path, env=env)
        if not wait_until(self._listening, 30.0, 0.1):
            raise DriverError("qbittorrent-nox did not report listening on %s:%d" % (self.opts.bind, self.opts.port))
        if not wait_until(self._api_up, 30.0, 0.1):
            check_alive(self.proc, "qbittorrent-nox", self.log_path)
            raise DriverError("qbittorrent-nox Web API not up on port %d: %s"
                              % (self.webui_port, log_tail(self.log_path)))
        fields = {"savepath": self.save_dir, "paused": "false", "skip_checking": "false", "autoTMM": "false",
                  "contentLayout": "Original"}
        if self.opts.magnet:
            fields["urls"] = self.opts.magnet  # the metadata comes from peers (BEP 9)
            files = {}
        else:
            with open(self.torrent, "rb") as f:
                files = {"torrents": (os.path.basename(self.torrent), f.read())}
        body, ctype = multipart(fields, files)
        status, reply = http(self.base + "/torrents/add", body, {"Content-Type": ctype})
        if status != 200 or reply.strip() != b"Ok.":
            raise DriverError("qbittorrent add failed: HTTP %d %r" % (status, reply[:200]))
        return {"pids": [self.proc.pid], "webui_port": self.webui_port}

    def _listening(self):
        """True once its log says it listens on the port; DriverError if it says it failed to."""
        check_alive(self.proc, "qbittorrent-nox", self.log_path)
        try:
            with open(self.qbt_log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return False
        if "Failed to listen on IP" in text:
            raise DriverError("qbittorrent-nox cannot listen on port %d: %s" % (self.opts.port, log_tail(self.qbt_log)))
        return 'Successfully listening on IP. IP: "%s". Port: "TCP/%d"' % (self.opts.bind, self.opts.port) in text

    def _api_up(self):
        check_alive(self.proc, "qbittorrent-nox", self.log_path)
        try:
            status, _ = http(self.base + "/app/version", timeout=1.0)
            return status == 200
        except OSError:
            return False

    def poll(self):
        check_alive(self.proc, "qbittorrent-nox", self.log_path)
        try:
            status, body = http(self.base + "/torrents/info?hashes=" + self.meta["infohash"], timeout=5.0)
        except OSError as e:
            raise DriverError("qbittorrent Web API: %s" % e)
        if status != 200:
            raise DriverError("qbittorrent Web API: HTTP %d" % status)
        torrents = json.loads(body)
        if not torrents:
            return None, False
        t = torrents[0]
        self.last = t
        if not self.announced:
            self.announced = self._tracker_working()
        self.downloading = t["state"] in ("downloading", "stalledDL", "forcedDL")
        if t["state"] in _ERROR_STATES:
            raise DriverError("qbittorrent torrent state %s" % t["state"])
        return t["progress"], t["progress"] >= 1.0 and t["state"] in _SEEDING_STATES

    def _tracker_working(self):
        """True once a real tracker (not the DHT/PeX/LSD pseudo entries) has status 2, "working"."""
        status, body = http(self.base + "/torrents/trackers?hash=" + self.meta["infohash"], timeout=5.0)
        if status != 200:
            return False
        return any(t["url"].startswith(("http", "udp")) and t["status"] == 2 for t in json.loads(body))

    def completed(self):
        return {}

    def stats(self):
        t = self.last
        if t is None:
            return {}
        return {"uploaded": t.get("uploaded", 0), "downloaded": t.get("downloaded", 0),
                "upload_rate": t.get("upspeed", 0), "download_rate": t.get("dlspeed", 0),
                "peers": t.get("num_seeds", 0) + t.get("num_leechs", 0)}

    def reannounce(self):
        try:
            http(self.base + "/torrents/reannounce", ("hashes=" + self.meta["infohash"]).encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"})
        except OSError:
            pass  # a slow Web API only delays the next announce; poll() reports a dead one

    def stop(self):
        stop_process(self.proc, 15.0)
