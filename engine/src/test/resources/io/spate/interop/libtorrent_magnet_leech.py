"""Leeches a magnet link with libtorrent on 127.0.0.1 for MagnetInteropTest (metadata from peers, BEP 9).

usage: libtorrent_magnet_leech.py MAGNET SAVE_DIR
Prints "METADATA <info-hash hex> <metadata size>" once it has the metadata and "DONE" once seeding (the data
whole and checked), "FAILED <reason>" on an error or after 60 s; then runs until stdin closes.
"""
import select
import sys
import time

import libtorrent as lt

magnet, save_dir = sys.argv[1], sys.argv[2]
ses = lt.session({
    'listen_interfaces': '127.0.0.1:0',
    'outgoing_interfaces': '127.0.0.1',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True,
})  # default plugins: ut_metadata among them
atp = lt.parse_magnet_uri(magnet)
atp.save_path = save_dir
h = ses.add_torrent(atp)
deadline = time.time() + 60
said_metadata = False
while True:
    s = h.status()
    if not said_metadata and s.has_metadata:
        ti = h.torrent_file()
        print('METADATA %s %d' % (str(ti.info_hashes().v1), len(ti.info_section())), flush=True)
        said_metadata = True
    if s.is_seeding:
        print('DONE', flush=True)
        break
    if s.errc.value() != 0 or time.time() > deadline:
        print('FAILED %s (state %s, progress %.3f, peers %d)' % (s.errc.message(), s.state, s.progress,
                                                              s.num_peers), flush=True)
        break
    time.sleep(0.05)
end = time.time() + 60
while time.time() < end:
    readable, _, _ = select.select([sys.stdin], [], [], 0.5)
    if readable and not sys.stdin.read(1):
        break
