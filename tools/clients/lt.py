"""libtorrent (python3-libtorrent 2.0) driver: an in-process session bound to --bind (127.0.0.1), TCP only.

Plugins: ut_metadata and smart_ban, as in a default session (ut_pex is left out). stats() also reports
hash_failures (hash_failed_alert) and peers_banned: the distinct addresses libtorrent banned, from peer_ban_alert (a
failed piece with one sender, or too many failures) and from peer_disconnected_alert with the error "peer banned"
(smart_ban's bans post no peer_ban_alert).
"""
import os
import time

import libtorrent as lt

from base import DriverError

_PE_ENABLED = 1
FREE_RIDER_UPLOAD = 16000  # bytes/s, all traffic: room for a --free-rider's requests (~8.7 KB/s at 8 MB/s down)
_PE_DISABLED = 2


class LibtorrentDriver:
    """Seeds or leeches one torrent in a session of this process; completion is status().is_seeding."""

    poll_period = 0.02  # in-process status() is cheap: see completion within 20 ms

    def __init__(self, opts, meta, torrent, save_dir, workdir):
        self.opts = opts
        self.meta = meta
        self.save_dir = save_dir
        self.log_path = os.path.join(workdir, "libtorrent.log")
        self.session = None
        self.handle = None
        self.downloading = False
        self.announced = False
        self.hash_failures = 0
        self.banned = set()

    def settings(self):
        s = {
            "listen_interfaces": "%s:%d" % (self.opts.bind, self.opts.port),
            "outgoing_interfaces": self.opts.bind,
            "enable_dht": False,
            "enable_lsd": False,
            "enable_upnp": False,
            "enable_natpmp": False,
            "enable_outgoing_utp": False,
            "enable_incoming_utp": False,
            "enable_outgoing_tcp": True,
            "enable_incoming_tcp": True,
            "allow_multiple_connections_per_ip": True,
            "max_retry_port_bind": 0,
            "listen_system_port_fallback": False,
            "ssrf_mitigation": False,
            "announce_to_all_trackers": True,
            "announce_to_all_tiers": True,
            "alert_mask": int(lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                              | lt.alert.category_t.tracker_notification | lt.alert.category_t.peer_notification
                              | lt.alert.category_t.connect_notification),
        }
        if self.opts.encryption == "plain":
            s["out_enc_policy"] = _PE_DISABLED
            s["in_enc_policy"] = _PE_ENABLED
        if self.opts.free_rider:
            # no regular unchoke slots and no allowed-fast pieces (BEP 6); libtorrent still keeps one optimistic
            # slot (0 means "auto", at least 1), so start() also caps the torrent's upload at FREE_RIDER_UPLOAD:
            # room for its own requests (~17 bytes per 16 KiB block) and almost nothing else
            s["unchoke_slots_limit"] = 0
            s["allowed_fast_set_size"] = 0
            s["rate_limit_ip_overhead"] = False  # or the ACKs of its download would eat the cap and stall its requests
        if self.opts.reannounce_interval > 0:
            s["min_announce_interval"] = max(1, int(self.opts.reannounce_interval))
        return s

    def start(self):
        self.session = lt.session(self.settings(), 0)  # flags 0: no default plugins (ut_pex, ut_metadata)
        listening = self._wait_listen(5.0)
        if not listening:
            raise DriverError("libtorrent did not listen on %s:%d" % (self.opts.bind, self.opts.port))
        # BEP 9, as in a default libtorrent session: a seed serves the metadata, a magnet leecher fetches it
        self.session.add_extension("ut_metadata")
        # as in a default session: on a failed piece with several senders, ban the one whose block differs
        self.session.add_extension("smart_ban")
        if self.opts.magnet:
            atp = lt.parse_magnet_uri(self.opts.magnet)
        else:
            atp = lt.add_torrent_params()
            atp.ti = self.meta["ti"]
        atp.save_path = self.save_dir
        atp.flags &= ~lt.torrent_flags.auto_managed
        atp.flags &= ~lt.torrent_flags.paused
        self.handle = self.session.add_torrent(atp)
        if self.opts.free_rider:
            self.handle.set_upload_limit(FREE_RIDER_UPLOAD)
        return {"pids": [os.getpid()]}

    def _wait_listen(self, timeout_seconds):
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            self.session.wait_for_alert(100)
            for a in self.session.pop_alerts():
                self._log(a)
                if isinstance(a, lt.listen_failed_alert):
                    raise DriverError("libtorrent listen failed: %s" % a.message())
                if isinstance(a, lt.listen_succeeded_alert) and a.socket_type == lt.socket_type_t.tcp:
                    if a.port != self.opts.port:
                        raise DriverError("libtorrent listens on %d, not %d" % (a.port, self.opts.port))
                    return True
        return False

    def _log(self, alert):
        with open(self.log_path, "a") as f:
            f.write("%.3f %s: %s\n" % (time.time(), alert.what(), alert.message()))

    def poll(self):
        for a in self.session.pop_alerts():
            self._log(a)
            if isinstance(a, lt.tracker_reply_alert):
                self.announced = True
            elif isinstance(a, lt.hash_failed_alert):
                self.hash_failures += 1
            elif isinstance(a, lt.peer_ban_alert):
                self.banned.add(a.ip[0])
            elif isinstance(a, lt.peer_disconnected_alert) and "banned" in a.error.message():
                self.banned.add(a.ip[0])
            if isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                raise DriverError("libtorrent: %s" % a.message())
        st = self.handle.status()
        self.downloading = st.state == lt.torrent_status.states.downloading
        return st.progress, st.is_seeding

    def completed(self):
        return {}

    def stats(self):
        st = self.handle.status()
        return {"uploaded": st.total_payload_upload, "downloaded": st.total_payload_download,
                "upload_rate": st.upload_payload_rate, "download_rate": st.download_payload_rate,
                "peers": st.num_peers, "hash_failures": self.hash_failures,
                "peers_banned": len(self.banned)}

    def reannounce(self):
        self.handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)

    def stop(self):
        if self.session is not None:
            self.session.pause()
            if self.handle is not None:
                self.session.remove_torrent(self.handle)
            self.session = None
