"""Seeds one file with libtorrent on 127.0.0.1 for WireLibtorrentInteropTest.

usage: libtorrent_seed.py DATA_FILE PIECE_LENGTH
Prints one line "READY <port> <info-hash hex> <piece count> <metadata size>" once seeding, then runs until
its stdin closes (the test closes it, or dies) or 60 s pass.
"""
import os
import select
import sys
import time

import libtorrent as lt

data, piece_length = sys.argv[1], int(sys.argv[2])
fs = lt.file_storage()
lt.add_files(fs, data)
ct = lt.create_torrent(fs, piece_length, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(ct, os.path.dirname(data))
ti = lt.torrent_info(ct.generate())

ses = lt.session({
    'listen_interfaces': '127.0.0.1:0',
    'outgoing_interfaces': '127.0.0.1',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'allow_multiple_connections_per_ip': True,
})
h = ses.add_torrent({'ti': ti, 'save_path': os.path.dirname(data)})
deadline = time.time() + 20
while not h.status().is_seeding:
    if time.time() > deadline:
        sys.exit('libtorrent did not start seeding: ' + str(h.status().state))
    time.sleep(0.05)
print('READY %d %s %d %d' % (ses.listen_port(), str(ti.info_hashes().v1), ti.num_pieces(), len(ti.info_section())),
      flush=True)
end = time.time() + 60
while time.time() < end:
    readable, _, _ = select.select([sys.stdin], [], [], 0.5)
    if readable and not sys.stdin.read(1):
        break
