#!/usr/bin/python3
"""libtorrent's DHT node for the DHT interop test: bootstrap from given nodes, announce and look up info-hashes.

Usage: lt_dht.py --port P --bootstrap HOST:PORT [--bootstrap ...] [--announce HEX40 ...] [--find HEX40 ...]
                 --save-path DIR [--timeout SECONDS]

Binds 127.0.0.1:P (libtorrent's DHT shares the listen port, UDP). libtorrent's defaults refuse what a loopback
test needs, so these are off: dht_restrict_routing_ips and dht_restrict_search_ips (one node per IP: every node
here is 127.0.0.1), dht_prefer_verified_node_ids and dht_enforce_node_id (BEP 42 ids derive from the public IP),
dht_ignore_dark_internet; dht_block_ratelimit is raised (it counts per IP). An --announce info-hash is added as a
torrent without metadata (as a magnet link is), which libtorrent announces to the DHT with its listen port every
dht_announce_interval (set to 2 s); the Python binding's session.dht_announce cannot be called (its flags argument
has no Python type in 2.0.8). Every 2 s it looks the --find info-hashes up (dht_get_peers).
One JSON line an event on stdout:
    {"event":"started","port":P}
    {"event":"nodes","count":N}                          routing table size, when it changes
    {"event":"peers","infohash":HEX,"peers":["IP:PORT",...]}   a get_peers lookup's reply
    {"event":"stopped"}
The DHT log goes to stderr. Exits 0 on SIGTERM/SIGINT or at the timeout. Run with /usr/bin/python3.
"""
import argparse
import json
import signal
import sys
import time

import libtorrent as lt


def emit(**event):
    print(json.dumps(event), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bootstrap", action="append", default=[])
    parser.add_argument("--announce", action="append", default=[])
    parser.add_argument("--find", action="append", default=[])
    parser.add_argument("--save-path", required=True)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    settings = {
        "listen_interfaces": "127.0.0.1:%d" % args.port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": True,
        "dht_bootstrap_nodes": ",".join(args.bootstrap),
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_enforce_node_id": False,
        "dht_ignore_dark_internet": False,
        # libtorrent bans an IP sending more than 5 packets a second (dht_block_ratelimit); every node here is
        # 127.0.0.1, so a few Spate nodes together would be banned for dht_block_timeout (5 minutes)
        "dht_block_ratelimit": 1000000,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "dht_announce_interval": 2,
        "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification | lt.alert.category_t.dht_log_notification,
    }
    session = lt.session(settings, 0)
    for node in args.bootstrap:
        host, port = node.rsplit(":", 1)
        session.add_dht_node((host, int(port)))
    for hexhash in args.announce:
        params = lt.add_torrent_params()
        params.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(hexhash)))
        params.save_path = args.save_path
        session.add_torrent(params)
    finds = [lt.sha1_hash(bytes.fromhex(h)) for h in args.find]
    emit(event="started", port=args.port)

    deadline = time.monotonic() + args.timeout
    next_round = time.monotonic() + 1.0
    last_nodes = -1
    while not stop and time.monotonic() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert):
                emit(event="peers", infohash=str(alert.info_hash),
                     peers=["%s:%d" % (ip, port) for ip, port in alert.peers()])
            elif isinstance(alert, lt.dht_stats_alert):
                count = sum(b["num_nodes"] for b in alert.routing_table)
                if count != last_nodes:
                    last_nodes = count
                    emit(event="nodes", count=count)
            else:
                print(alert.message(), file=sys.stderr, flush=True)
        now = time.monotonic()
        if now >= next_round:
            next_round = now + 2.0
            session.post_dht_stats()
            for info_hash in finds:
                session.dht_get_peers(info_hash)
        time.sleep(0.05)
    emit(event="stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
