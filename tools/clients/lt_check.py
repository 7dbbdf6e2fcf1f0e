#!/usr/bin/python3
"""libtorrent's view of a .torrent, for Spate's compatibility tests.

  lt_check.py info TORRENT             -> one JSON line: v1 info-hash, pieces, piece length, total size, files
  lt_check.py check TORRENT SAVE_PATH  -> one JSON line: the above plus libtorrent's own hash check of the data
                                          under SAVE_PATH (seeding, pieces passed)

Run with Debian's /usr/bin/python3 (python3-libtorrent). Loopback only: the session listens on 127.0.0.1 with
DHT, LSD, UPnP and NAT-PMP off and no tracker contact (the torrent's trackers are removed before adding).
Exit 0 when it could answer, 1 when libtorrent rejects the torrent (the error on stderr), 2 on a usage error.
"""
import json
import sys
import time

import libtorrent as lt

CHECK_TIMEOUT_SECONDS = 120


def describe(ti):
    files = ti.files()
    return {
        "info_hash": str(ti.info_hashes().v1),
        "name": ti.name(),
        "num_pieces": ti.num_pieces(),
        "piece_length": ti.piece_length(),
        "total_size": ti.total_size(),
        "files": [{"path": files.file_path(i), "size": files.file_size(i)} for i in range(files.num_files())],
        "private": ti.priv(),
    }


def check(ti, save_path):
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    session = lt.session(settings, 0)
    ti = lt.torrent_info(ti)  # a copy we may change
    params = lt.add_torrent_params()
    params.ti = ti
    params.save_path = save_path
    params.trackers = []
    params.flags = params.flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
    handle = session.add_torrent(params)
    handle.replace_trackers([])  # nothing is contacted
    # without resume data libtorrent hash-checks whatever is on disk when the torrent is added; wait for its verdict
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    checked = False
    error = ""
    while not checked and time.monotonic() < deadline:
        session.wait_for_alert(500)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.torrent_checked_alert):
                checked = True
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                error = alert.message()
    status = handle.status()
    if not checked:
        error = error or "libtorrent did not finish checking in %d s" % CHECK_TIMEOUT_SECONDS
    have = list(status.pieces)
    result = describe(ti)
    result.update({
        "seeding": bool(status.is_seeding),
        "state": str(status.state),
        "pieces_passed": sum(1 for p in have if p),
        "pieces_failed": [i for i, p in enumerate(have) if not p],
        "checked": checked,
        "error": error or (status.errc.message() if status.errc.value() else ""),
    })
    session.remove_torrent(handle)
    return result


def main(argv):
    if len(argv) < 3 or argv[1] not in ("info", "check") or (argv[1] == "check" and len(argv) != 4):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        ti = lt.torrent_info(argv[2])
    except RuntimeError as ex:
        print("libtorrent rejects %s: %s" % (argv[2], ex), file=sys.stderr)
        return 1
    result = describe(ti) if argv[1] == "info" else check(ti, argv[3])
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
