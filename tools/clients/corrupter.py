#!/usr/bin/python3
"""A hostile BitTorrent seed: it serves the torrent's data, but every Nth block it sends has every byte flipped.

  corrupter.py --torrent T --dir D [--bind ADDR] [--port P] [--corrupt-every N (50)] [--max-peers M (64)]
               [--announce-interval S (0: the tracker's, at least 5)] [--stats-interval S (0.5)] [--no-verify]

Python 3 standard library only. D is the save path, as for client.py: the file is D/<name> (single-file torrent) or
D/<name>/<path...> (multi-file). At start it checks every piece's SHA-1 (unless --no-verify), listens on ADDR:P,
announces to the torrent's HTTP tracker (left=0, event=started, compact=1; again at the tracker's interval, at least
5 s) and dials the peers the tracker returns that it is not connected to. Each connection (a thread; at most M):
the BEP 3 handshake with reserved bytes all zero (no extensions, no fast extension), a full BITFIELD, UNCHOKE once
the peer is INTERESTED, and a PIECE for each valid REQUEST (length 1..128 KiB inside one piece; a bad one closes
the connection). A global counter numbers the blocks served; every Nth (N, 2N, ...) is corrupted: each byte XOR
0xFF, so the piece it belongs to certainly fails its hash. Every other message is read and ignored (keep-alive,
choke, have and bitfield are only noted, cancel is ignored: the block is still sent).

JSON lines on stdout:
  {"event":"started","port":P,"infohash":H,"bytes":B,"pieces":n,"piece_length":L,"peer_id":..,"verified":bool}
  {"event":"announced","seconds":S,"peers":n,"interval":I}       each tracker reply ("announce_failed" on errors)
  {"event":"connection","peer":"ip:port","direction":"in|out","peer_id":..}   after a handshake
  {"event":"closed","peer":..,"closed_by":"remote|local|error",..}            a connection's record (as below)
  {"event":"stats","seconds":S,"uploaded":U,"blocks_served":n,"blocks_corrupted":c,"peers":p}  every stats interval
  {"event":"summary","blocks_served":n,"blocks_corrupted":c,"uploaded":U,"peers_connected":k,
   "closed_by_remote":[..],"connections":[{"peer","direction","peer_id","opened_s","closed_s","opened_unix",
   "closed_unix","closed_by","reason","blocks_served","blocks_corrupted","remote_pieces","remote_complete"}, ...]}
                                                                    when stopped (_s: since its start; _unix: epoch)
  {"event":"stopped"}
closed_by "remote": the peer closed the connection (EOF or reset); "local": this seed did (bad request, duplicate,
stop); "error": a socket error on our side. remote_pieces is what the peer had (BITFIELD + HAVEs) at the close.
Stops on SIGTERM/SIGINT (announces event=stopped, best effort). Exit 1 if the data is missing or wrong.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

BLOCK_MAX = 128 * 1024
PSTR = b"\x13BitTorrent protocol"
FLIP = bytes(255 - i for i in range(256))
HANDSHAKE_TIMEOUT = 20.0
IDLE_TIMEOUT = 300.0


# ---- bencode -------------------------------------------------------------------------------------------------------

def bdecode(data, i=0):
    """Decode the bencoded value at data[i:]; returns (value, end). Dict keys stay bytes."""
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i += 1
        out = []
        while data[i:i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i += 1
        out = {}
        while data[i:i + 1] != b"e":
            k, i = bdecode(data, i)
            v, i = bdecode(data, i)
            out[k] = v
        return out, i + 1
    if c.isdigit():
        colon = data.index(b":", i)
        n = int(data[i:colon])
        start = colon + 1
        if start + n > len(data):
            raise ValueError("string past the end at %d" % i)
        return data[start:start + n], start + n
    raise ValueError("bad bencode at %d: %r" % (i, c))


def info_span(data):
    """(start, end) of the raw bencoded value of the top-level "info" key."""
    if data[:1] != b"d":
        raise ValueError("a torrent is a dictionary")
    i = 1
    while data[i:i + 1] != b"e":
        k, i = bdecode(data, i)
        start = i
        _, i = bdecode(data, i)
        if k == b"info":
            return start, i
    raise ValueError("no info dictionary")


class Torrent:
    """The parts of a v1 .torrent a seed needs, and the files' byte ranges under the save path."""

    def __init__(self, path, save_dir):
        with open(path, "rb") as f:
            raw = f.read()
        meta, _ = bdecode(raw)
        start, end = info_span(raw)
        self.infohash = hashlib.sha1(raw[start:end]).digest()
        info = meta[b"info"]
        self.announce = meta.get(b"announce", b"").decode()
        self.piece_length = info[b"piece length"]
        pieces = info[b"pieces"]
        self.hashes = [pieces[i:i + 20] for i in range(0, len(pieces), 20)]
        self.name = info[b"name"].decode()
        root = os.path.join(save_dir, self.name)
        self.files = []  # (path, offset, length)
        offset = 0
        if b"files" in info:
            for fe in info[b"files"]:
                rel = [p.decode() for p in fe[b"path"]]
                self.files.append((os.path.join(root, *rel), offset, fe[b"length"]))
                offset += fe[b"length"]
        else:
            self.files.append((root, 0, info[b"length"]))
            offset = info[b"length"]
        self.total = offset
        if len(self.hashes) != (self.total + self.piece_length - 1) // self.piece_length:
            raise ValueError("%d piece hashes for %d bytes" % (len(self.hashes), self.total))
        self.fds = []

    def open(self):
        for path, _, length in self.files:
            if os.path.getsize(path) != length:
                raise ValueError("%s: %d bytes, the torrent says %d" % (path, os.path.getsize(path), length))
            self.fds.append(os.open(path, os.O_RDONLY))

    def piece_size(self, index):
        return min(self.piece_length, self.total - index * self.piece_length)

    def read(self, index, begin, length):
        """length bytes at begin of piece index, across files (os.pread: safe from several threads)."""
        pos = index * self.piece_length + begin
        out = []
        for fd, (_, off, flen) in zip(self.fds, self.files):
            if length == 0:
                break
            if pos >= off + flen or flen == 0:
                continue
            n = min(length, off + flen - pos)
            out.append(os.pread(fd, n, pos - off))
            pos += n
            length -= n
        return b"".join(out)

    def verify(self):
        """Indices of the pieces whose SHA-1 does not match."""
        return [i for i in range(len(self.hashes))
                if hashlib.sha1(self.read(i, 0, self.piece_size(i))).digest() != self.hashes[i]]


# ---- the seed ------------------------------------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.blocks_served = 0
        self.blocks_corrupted = 0
        self.uploaded = 0


class Conn:
    """One peer connection: its thread reads messages and answers requests."""

    def __init__(self, seed, sock, addr, direction):
        self.seed = seed
        self.sock = sock
        self.addr = addr
        self.direction = direction
        self.peer = "%s:%d" % addr
        self.peer_id = None
        self.opened = time.monotonic()
        self.opened_unix = time.time()
        self.closed = None
        self.closed_unix = None
        self.blocks_served = 0
        self.blocks_corrupted = 0
        self.remote_have = bytearray((len(seed.t.hashes) + 7) // 8)
        self.unchoked = False
        self.closed_by = None
        self.reason = None

    def recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("peer closed")
            buf += chunk
        return bytes(buf)

    def run(self):
        try:
            self.sock.settimeout(HANDSHAKE_TIMEOUT)
            self.sock.sendall(PSTR + bytes(8) + self.seed.t.infohash + self.seed.peer_id)
            hs = self.recv_exact(68)
            if hs[:20] != PSTR or hs[28:48] != self.seed.t.infohash:
                return self.close("local", "bad handshake")
            self.peer_id = hs[48:68]
            if self.peer_id == self.seed.peer_id:
                return self.close("local", "connected to itself")
            if not self.seed.register(self):
                return self.close("local", "duplicate peer id")
            self.seed.emit("connection", peer=self.peer, direction=self.direction, peer_id=self.pid())
            self.sock.sendall(struct.pack(">IB", 1 + len(self.seed.bitfield), 5) + self.seed.bitfield)
            self.sock.settimeout(IDLE_TIMEOUT)
            while not self.seed.stopping:
                (length,) = struct.unpack(">I", self.recv_exact(4))
                if length == 0:
                    continue
                if length > BLOCK_MAX + 13:
                    return self.close("local", "message of %d bytes" % length)
                msg = self.recv_exact(length)
                if not self.handle(msg[0], msg[1:]):
                    return
            self.close("local", "stopping")
        except (EOFError, ConnectionResetError, BrokenPipeError) as e:
            self.close("remote", type(e).__name__)
        except socket.timeout:
            self.close("local", "timeout")
        except OSError as e:
            self.close("error", str(e))

    def handle(self, kind, payload):
        t = self.seed.t
        if kind == 2:  # interested
            if not self.unchoked:
                self.unchoked = True
                self.sock.sendall(struct.pack(">IB", 1, 1))
        elif kind == 4 and len(payload) == 4:  # have
            (index,) = struct.unpack(">I", payload)
            if index < len(t.hashes):
                self.remote_have[index >> 3] |= 0x80 >> (index & 7)
        elif kind == 5:  # bitfield
            self.remote_have[:] = payload[:len(self.remote_have)].ljust(len(self.remote_have), b"\0")
        elif kind == 6:  # request
            if len(payload) != 12:
                self.close("local", "request of %d bytes" % len(payload))
                return False
            index, begin, length = struct.unpack(">III", payload)
            if (index >= len(t.hashes) or length == 0 or length > BLOCK_MAX
                    or begin + length > t.piece_size(index)):
                self.close("local", "bad request %d/%d/%d" % (index, begin, length))
                return False
            if not self.unchoked:
                return True  # a request while choked is dropped
            data = t.read(index, begin, length)
            corrupt = self.seed.count_block(length)
            if corrupt:
                data = data.translate(FLIP)
                self.blocks_corrupted += 1
            self.blocks_served += 1
            self.sock.sendall(struct.pack(">IBII", 9 + length, 7, index, begin) + data)
        # choke, unchoke, not interested, piece, cancel, port, extension messages: ignored
        return True

    def pid(self):
        if self.peer_id is None:
            return None
        return self.peer_id.decode("latin-1").encode("unicode_escape").decode("ascii")[:40]

    def remote_pieces(self):
        return sum(bin(b).count("1") for b in self.remote_have)

    def close(self, by, reason):
        if self.closed_by is None:
            self.closed_by = by
            self.reason = reason
            self.closed = time.monotonic()
            self.closed_unix = time.time()
        try:
            self.sock.close()
        except OSError:
            pass

    def record(self):
        n = len(self.seed.t.hashes)
        pieces = self.remote_pieces()
        closed, closed_unix = (self.closed, self.closed_unix) if self.closed else (time.monotonic(), time.time())
        return {"peer": self.peer, "direction": self.direction, "peer_id": self.pid(),
                "opened_s": round(self.opened - self.seed.t0, 3), "closed_s": round(closed - self.seed.t0, 3),
                "opened_unix": round(self.opened_unix, 3), "closed_unix": round(closed_unix, 3),
                "closed_by": self.closed_by,
                "reason": self.reason, "blocks_served": self.blocks_served,
                "blocks_corrupted": self.blocks_corrupted, "remote_pieces": pieces, "remote_complete": pieces == n}


class Seed:
    def __init__(self, args, torrent):
        self.args = args
        self.t = torrent
        self.peer_id = b"-SC0001-" + bytes(random.choice(b"0123456789abcdef") for _ in range(12))
        n = len(torrent.hashes)
        bits = bytearray(b"\xff" * (n // 8))
        if n % 8:
            bits.append((0xFF << (8 - n % 8)) & 0xFF)
        self.bitfield = bytes(bits)
        self.stats = Stats()
        self.lock = threading.Lock()
        self.out_lock = threading.Lock()
        self.active = set()  # Conn, connected (handshake done)
        self.dialling = set()  # (ip, port) being dialled
        self.slots = threading.BoundedSemaphore(args.max_peers)
        self.records = []
        self.peers_connected = 0
        self.stopping = False
        self.t0 = time.monotonic()
        self.announce_count = 0

    def emit(self, event, **fields):
        rec = {"event": event}
        rec.update(fields)
        with self.out_lock:
            try:
                sys.stdout.write(json.dumps(rec, separators=(",", ":")) + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass

    def count_block(self, length):
        """Number the block just served; True if it is the one to corrupt."""
        with self.stats.lock:
            self.stats.blocks_served += 1
            self.stats.uploaded += length
            corrupt = self.args.corrupt_every > 0 and self.stats.blocks_served % self.args.corrupt_every == 0
            if corrupt:
                self.stats.blocks_corrupted += 1
            return corrupt

    def register(self, conn):
        with self.lock:
            if any(c.peer_id == conn.peer_id for c in self.active):
                return False
            self.active.add(conn)
            self.peers_connected += 1
            return True

    def serve(self, sock, addr, direction):
        conn = Conn(self, sock, addr, direction)
        try:
            conn.run()
        finally:
            conn.close("local", "ended")
            with self.lock:
                registered = conn in self.active
                self.active.discard(conn)
                if registered:
                    self.records.append(conn)
            self.slots.release()
            if registered:
                self.emit("closed", **conn.record())

    def start_thread(self, sock, addr, direction):
        if not self.slots.acquire(blocking=False):
            sock.close()
            return False
        threading.Thread(target=self.serve, args=(sock, addr, direction), daemon=True).start()
        return True

    def listen(self):
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((self.args.bind, self.args.port))
        srv.listen(64)
        srv.settimeout(0.5)
        self.server = srv
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopping:
            try:
                sock, addr = self.server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.start_thread(sock, addr, "in")

    def dial(self, ip, port):
        key = (ip, port)
        with self.lock:
            if key in self.dialling:
                return
            if any(c.addr == key or (c.addr[0] == ip and ip != self.args.bind) for c in self.active):
                return  # already connected (in the lab every peer has its own address)
            self.dialling.add(key)

        def go():
            try:
                sock = socket.create_connection(key, timeout=10, source_address=(self.args.bind, 0))
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.start_thread(sock, key, "out")
            except OSError:
                pass
            finally:
                with self.lock:
                    self.dialling.discard(key)
        threading.Thread(target=go, daemon=True).start()

    def announce(self, event=None):
        """One HTTP announce; returns (interval, [(ip, port)]). Raises on failure."""
        u = urllib.parse.urlsplit(self.t.announce)
        if u.scheme != "http":
            raise ValueError("not an HTTP tracker: %s" % self.t.announce)
        q = {"info_hash": self.t.infohash, "peer_id": self.peer_id, "port": self.args.port,
             "uploaded": self.stats.uploaded, "downloaded": 0, "left": 0, "compact": 1, "numwant": 80}
        if event:
            q["event"] = event
        path = (u.path or "/") + ("?" + u.query + "&" if u.query else "?") + urllib.parse.urlencode(q)
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=5,
                                          source_address=(self.args.bind, 0))
        try:
            conn.request("GET", path, headers={"User-Agent": "corrupter/1"})
            r = conn.getresponse()
            body = r.read()
        finally:
            conn.close()
        if r.status != 200:
            raise ValueError("HTTP %d" % r.status)
        resp, _ = bdecode(body)
        if b"failure reason" in resp:
            raise ValueError(resp[b"failure reason"].decode(errors="replace"))
        peers = []
        raw = resp.get(b"peers", b"")
        if isinstance(raw, bytes):
            for i in range(0, len(raw) - 5, 6):
                peers.append((socket.inet_ntoa(raw[i:i + 4]), struct.unpack(">H", raw[i + 4:i + 6])[0]))
        else:
            for p in raw:
                peers.append((p[b"ip"].decode(), p[b"port"]))
        return resp.get(b"interval", 1800), peers

    def announcer(self):
        event = "started"
        while not self.stopping:
            wait = 5.0
            try:
                interval, peers = self.announce(event)
                event = None
                self.emit("announced", seconds=round(time.monotonic() - self.t0, 3), peers=len(peers),
                          interval=interval)
                for ip, port in peers:
                    if (ip, port) != (self.args.bind, self.args.port):
                        self.dial(ip, port)
                wait = self.args.announce_interval or max(5.0, float(interval))
            except (OSError, ValueError, http.client.HTTPException) as e:
                self.emit("announce_failed", message=str(e))
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.2)

    def counters(self):
        with self.stats.lock:
            return {"uploaded": self.stats.uploaded, "blocks_served": self.stats.blocks_served,
                    "blocks_corrupted": self.stats.blocks_corrupted}

    def stop(self):
        self.stopping = True
        try:
            self.server.close()
        except (OSError, AttributeError):
            pass
        with self.lock:
            live = list(self.active)
        for c in live:
            c.close("local", "stopping")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            with self.lock:
                if not self.active:
                    break
            time.sleep(0.05)
        try:
            self.announce("stopped")
        except (OSError, ValueError, http.client.HTTPException):
            pass
        with self.lock:
            records = [c.record() for c in self.records] + [c.record() for c in self.active]
            connected = self.peers_connected
        self.emit("summary", peers_connected=connected,
                  closed_by_remote=sorted({r["peer"] for r in records if r["closed_by"] == "remote"}),
                  connections=records, **self.counters())


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--torrent", required=True)
    p.add_argument("--dir", required=True, help="save path: the parent of the torrent's file or top folder")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=6881)
    p.add_argument("--corrupt-every", type=int, default=50, help="corrupt every Nth block served (0: never)")
    p.add_argument("--max-peers", type=int, default=64)
    p.add_argument("--announce-interval", type=float, default=0.0,
                   help="seconds between announces (0: the tracker's interval, at least 5 s)")
    p.add_argument("--stats-interval", type=float, default=0.5, help="0: no stats lines")
    p.add_argument("--no-verify", action="store_true", help="do not check the data's piece hashes at start")
    return p.parse_args(argv)


def main():
    args = parse_args(sys.argv[1:])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda s, f: stop.set())
    signal.signal(signal.SIGINT, lambda s, f: stop.set())
    try:
        t = Torrent(args.torrent, args.dir)
        t.open()
        bad = [] if args.no_verify else t.verify()
        if bad:
            raise ValueError("%d pieces fail their hash (first: %d)" % (len(bad), bad[0]))
    except (OSError, ValueError, KeyError) as e:
        print(json.dumps({"event": "error", "message": "data: %s" % e}), flush=True)
        print(json.dumps({"event": "stopped"}), flush=True)
        return 1
    seed = Seed(args, t)
    try:
        seed.listen()
    except OSError as e:
        seed.emit("error", message="listen on %s:%d: %s" % (args.bind, args.port, e))
        seed.emit("stopped")
        return 1
    seed.emit("started", port=args.port, infohash=t.infohash.hex(), bytes=t.total, pieces=len(t.hashes),
              piece_length=t.piece_length, peer_id=seed.peer_id.decode(), verified=not args.no_verify,
              corrupt_every=args.corrupt_every)
    threading.Thread(target=seed.announcer, daemon=True).start()
    while not stop.wait(args.stats_interval or 1.0):
        if args.stats_interval:
            with seed.lock:
                peers = len(seed.active)
            seed.emit("stats", seconds=round(time.monotonic() - seed.t0, 3), peers=peers, **seed.counters())
    seed.stop()
    seed.emit("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
