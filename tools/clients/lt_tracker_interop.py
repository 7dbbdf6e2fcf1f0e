#!/usr/bin/python3
"""libtorrent peer for the tracker interop test: seed or leech one torrent on loopback.

Usage: lt_tracker_interop.py seed|leech --torrent FILE --dir DIR --port PORT [--timeout SECONDS]

Loopback only (127.0.0.1), TCP only, no DHT/LSD/UPnP/NAT-PMP/uTP, several connections per IP allowed. Peers come
from the torrent's tracker alone. Prints one line per state change ("seeding", "complete", "tracker ...") and exits
0 when a leech completes; a seed runs until killed or the timeout. Exit 1 on timeout or error.
Run with Debian's /usr/bin/python3 (python3-libtorrent).
"""
import argparse
import sys
import time

import libtorrent as lt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["seed", "leech"])
    parser.add_argument("--torrent", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    settings = {
        "listen_interfaces": "127.0.0.1:%d" % args.port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.status_notification,
    }
    session = lt.session(settings, 0)
    info = lt.torrent_info(args.torrent)
    handle = session.add_torrent({"ti": info, "save_path": args.dir})

    deadline = time.monotonic() + args.timeout
    seeding_reported = False
    while time.monotonic() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, (lt.tracker_reply_alert, lt.tracker_error_alert, lt.tracker_warning_alert)):
                print("tracker %s: %s" % (type(alert).__name__, alert.message()), flush=True)
            elif alert.category() & lt.alert.category_t.error_notification:
                print("error: %s" % alert.message(), flush=True)
        status = handle.status()
        if status.is_seeding and not seeding_reported:
            seeding_reported = True
            if args.mode == "leech":
                print("complete %d bytes" % status.total_wanted_done, flush=True)
                return 0
            print("seeding", flush=True)
        time.sleep(0.05)
    if args.mode == "seed" and seeding_reported:
        return 0
    print("timeout: progress %.3f, peers %d" % (handle.status().progress, handle.status().num_peers), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
