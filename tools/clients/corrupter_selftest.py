#!/usr/bin/python3
"""Self-test of corrupter.py on loopback, standard library only, a few seconds, no namespaces, no other client.

  python3 tools/clients/corrupter_selftest.py      (exit 0 and "corrupter selftest: ok" when every check passes)

A multi-file torrent (files of odd sizes, a 0-byte one, a folder; 64 KiB pieces) and a single-file one, a tiny
HTTP tracker that lists this test's own listener, and a hand-written peer: the corrupter must announce
(left=0, event=started, compact=1, the info-hash being SHA-1 of the raw info dict), dial the listed peer, do a
BEP 3 handshake with zero reserved bytes, send a full BITFIELD (spare bits zero), UNCHOKE on INTERESTED, serve
every block, flipping exactly the Nth, 2Nth, ... (--corrupt-every 7), close on a bad REQUEST, and on SIGTERM
print a summary with the right counters and who closed what, and announce event=stopped. A data dir without the
files must give an "error" event and exit 1.
"""
import hashlib
import http.server
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CORRUPTER = os.path.join(HERE, "corrupter.py")
PIECE = 65536
BLOCK = 16384
EVERY = 7


def benc(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(benc(x) for x in v) + b"e"
    return b"d" + b"".join(benc(k) + benc(v[k]) for k in sorted(v)) + b"e"


def make_torrent(work, announce, multi):
    save = os.path.join(work, "multi" if multi else "single")
    if multi:
        files = [(["a", "b", "first.bin"], 100000 + 123), (["empty.dat"], 0), (["second.bin"], 3 * PIECE + 7),
                 (["c", "third.bin"], 50001)]
        name = "tree"
    else:
        files = [(None, 5 * PIECE + 999)]
        name = "data.bin"
    blob = b""
    for rel, size in files:
        data = os.urandom(size)
        path = os.path.join(save, name, *rel) if rel else os.path.join(save, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        blob += data
    pieces = b"".join(hashlib.sha1(blob[i:i + PIECE]).digest() for i in range(0, len(blob), PIECE))
    info = {"name": name, "piece length": PIECE, "pieces": pieces}
    if multi:
        info["files"] = [{"length": size, "path": rel} for rel, size in files]
    else:
        info["length"] = len(blob)
    torrent = os.path.join(work, name + ".torrent")
    with open(torrent, "wb") as f:
        f.write(benc({"announce": announce, "info": info}))
    return torrent, save, blob, hashlib.sha1(benc(info)).digest()


class Tracker(http.server.BaseHTTPRequestHandler):
    announces = []
    peers = b""

    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True,
                                  encoding="latin-1")
        Tracker.announces.append({k: v[0].encode("latin-1") for k, v in q.items()})
        body = benc({"interval": 5, "peers": Tracker.peers})
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        if not c:
            raise EOFError("closed after %d of %d bytes" % (len(buf), n))
        buf += c
    return buf


def read_msg(s):
    (n,) = struct.unpack(">I", recv_exact(s, 4))
    return recv_exact(s, n) if n else b""


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def run_case(work, multi):
    tracker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    threading.Thread(target=tracker.serve_forever, daemon=True).start()
    announce = "http://127.0.0.1:%d/announce" % tracker.server_address[1]
    torrent, save, blob, infohash = make_torrent(work, announce, multi)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(20)
    Tracker.announces = []
    Tracker.peers = socket.inet_aton("127.0.0.1") + struct.pack(">H", listener.getsockname()[1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, CORRUPTER, "--torrent", torrent, "--dir", save, "--port", str(port),
                             "--corrupt-every", str(EVERY), "--stats-interval", "0"], stdout=subprocess.PIPE)
    try:
        started = json.loads(proc.stdout.readline())
        check(started["event"] == "started" and started["infohash"] == infohash.hex(), "started: %s" % started)
        npieces = (len(blob) + PIECE - 1) // PIECE

        # 1. it dials the peer the tracker listed; a whole download over that connection
        conn, _ = listener.accept()
        conn.settimeout(20)
        hs = recv_exact(conn, 68)
        check(hs[:20] == b"\x13BitTorrent protocol" and hs[20:28] == bytes(8) and hs[28:48] == infohash,
              "handshake %r" % hs[:48])
        conn.sendall(hs[:28] + infohash + b"-TE0001-selftest0001")
        bf = read_msg(conn)
        want = bytearray(b"\xff" * (npieces // 8))
        if npieces % 8:
            want.append((0xFF << (8 - npieces % 8)) & 0xFF)
        check(bf == b"\x05" + bytes(want), "bitfield %r" % bf)
        conn.sendall(struct.pack(">IB", 1, 2))
        check(read_msg(conn) == b"\x01", "no unchoke after interested")
        requests = []
        for p in range(npieces):
            size = min(PIECE, len(blob) - p * PIECE)
            requests += [(p, b, min(BLOCK, size - b)) for b in range(0, size, BLOCK)]
        conn.sendall(b"".join(struct.pack(">IBIII", 13, 6, p, b, n) for p, b, n in requests))
        conn.sendall(struct.pack(">I", 0) + struct.pack(">IBI", 5, 4, 0) + struct.pack(">IBIII", 13, 8, 0, 0, BLOCK))
        flipped = []
        for i, (p, b, n) in enumerate(requests, 1):
            m = read_msg(conn)
            check(m[:9] == struct.pack(">BII", 7, p, b) and len(m) == 9 + n, "piece header for %d/%d" % (p, b))
            good = blob[p * PIECE + b:p * PIECE + b + n]
            if m[9:] != good:
                check(m[9:] == bytes(255 - x for x in good), "block %d/%d altered but not flipped" % (p, b))
                flipped.append(i)
        check(flipped == list(range(EVERY, len(requests) + 1, EVERY)), "flipped %s of %d" % (flipped, len(requests)))
        conn.close()

        # 2. an incoming connection with a bad request is closed by the corrupter
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        s.sendall(b"\x13BitTorrent protocol" + bytes(8) + infohash + b"-TE0001-selftest0002")
        recv_exact(s, 68)
        read_msg(s)
        s.sendall(struct.pack(">IB", 1, 2))
        read_msg(s)
        s.sendall(struct.pack(">IBIII", 13, 6, 0, 0, 200000))
        try:
            check(s.recv(100) == b"", "no close after a bad request")
        except ConnectionResetError:
            pass
        s.close()
        time.sleep(0.3)

        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        events = [json.loads(line) for line in out.splitlines() if line.startswith(b"{")]
        summary = next(e for e in events if e["event"] == "summary")
        check(events[-1]["event"] == "stopped", "last event %s" % events[-1])
        check(summary["blocks_served"] == len(requests), "blocks_served %s" % summary["blocks_served"])
        check(summary["blocks_corrupted"] == len(requests) // EVERY, "blocks_corrupted %s" % summary)
        check(summary["uploaded"] == len(blob), "uploaded %s" % summary["uploaded"])
        check(summary["peers_connected"] == 2, "peers_connected %s" % summary["peers_connected"])
        by = {c["direction"]: c for c in summary["connections"]}
        check(by["out"]["closed_by"] == "remote" and by["out"]["blocks_corrupted"] == len(requests) // EVERY
              and by["out"]["remote_pieces"] == 1, "out connection %s" % by["out"])
        check(by["in"]["closed_by"] == "local" and "bad request" in by["in"]["reason"], "in connection %s" % by["in"])
        first, last = Tracker.announces[0], Tracker.announces[-1]
        check(first["info_hash"] == infohash and first["left"] == b"0" and first["event"] == b"started"
              and first["compact"] == b"1" and first["port"] == str(port).encode(), "announce %s" % first)
        check(last.get("event") == b"stopped", "no stopped announce: %s" % last)
        return len(requests)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        tracker.shutdown()
        listener.close()


def main():
    with tempfile.TemporaryDirectory(prefix="corrupter-selftest-") as work:
        blocks = [run_case(os.path.join(work, kind), kind == "multi") for kind in ("single", "multi")]
        # no data: an error event, exit 1
        torrent = os.path.join(work, "single", "data.bin.torrent")
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        p = subprocess.run([sys.executable, CORRUPTER, "--torrent", torrent, "--dir", empty, "--port", "0"],
                           capture_output=True, timeout=20)
        check(p.returncode == 1 and b'"event": "error"' in p.stdout, "missing data: %r" % p.stdout)
    print("corrupter selftest: ok (single-file %d blocks, multi-file %d blocks, every %dth flipped)"
          % (blocks[0], blocks[1], EVERY))
    return 0


if __name__ == "__main__":
    sys.exit(main())
