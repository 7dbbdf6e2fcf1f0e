#!/usr/bin/python3
"""Who opened and who closed each TCP connection of a swarm-lab run: a packet watch in the hub namespace.

  closewatch.py capture OUT.jsonl     (run inside the hub namespace: ip netns exec slab-RUNID-hub closewatch.py ...)

A raw AF_PACKET socket on every interface of the namespace (the hub's veth ends), with a classic BPF filter in the
kernel that passes only IPv4 TCP segments with SYN, FIN or RST set, and only as they enter the hub (each segment is
seen once). One JSON line per segment: {"unix": epoch seconds, "src": "ip:port", "dst": "ip:port",
"flags": "S", "SA", "AF", "AR"...}.
Until SIGTERM/SIGINT. Standard library only; needs root (CAP_NET_RAW).

connections(path) turns such a file into one record per connection: who dialled (SYN), when, and who sent the first
FIN or RST (the side that closed it) and when. The swarm lab starts a capture when a scenario has a corrupter seed,
so report.smart_ban can tell which connections each leecher closed, and to whom.
"""
import ctypes
import json
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SO_ATTACH_FILTER = 26
PACKET_OUTGOING = 4

# ldh [12]; jeq IPv4; ldb [23]; jeq TCP; ldh [20]; jset fragment -> drop; ldxb 4*([14]&0xf); ldb [x+27] (TCP flags);
# jset SYN|FIN|RST -> accept 128 bytes; else drop
_BPF = [
    (0x28, 0, 0, 12),
    (0x15, 0, 8, 0x0800),
    (0x30, 0, 0, 23),
    (0x15, 0, 6, 6),
    (0x28, 0, 0, 20),
    (0x45, 4, 0, 0x1FFF),
    (0xB1, 0, 0, 14),
    (0x50, 0, 0, 27),
    (0x45, 0, 1, 0x07),
    (0x06, 0, 0, 128),
    (0x06, 0, 0, 0),
]


def _attach_filter(sock):
    prog = b"".join(struct.pack("HBBI", *ins) for ins in _BPF)
    buf = ctypes.create_string_buffer(prog)
    fprog = struct.pack("@HP", len(_BPF), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    return buf  # keep the program alive while the socket lives


def _flags(b):
    return "".join(name for bit, name in ((0x02, "S"), (0x10, "A"), (0x01, "F"), (0x04, "R")) if b & bit)


def capture(out_path):
    stop = []
    signal.signal(signal.SIGTERM, lambda s, f: stop.append(s))
    signal.signal(signal.SIGINT, lambda s, f: stop.append(s))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep = _attach_filter(sock)
    sock.settimeout(0.5)
    with open(out_path, "w") as out:
        out.write(json.dumps({"event": "capturing", "unix": round(time.time(), 6)}) + "\n")
        out.flush()
        while not stop:
            try:
                frame, addr = sock.recvfrom(256)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            if addr[2] == PACKET_OUTGOING or len(frame) < 34:
                continue
            ihl = (frame[14] & 0x0F) * 4
            tcp = 14 + ihl
            if len(frame) < tcp + 14:
                continue
            src = socket.inet_ntoa(frame[26:30])
            dst = socket.inet_ntoa(frame[30:34])
            sport, dport = struct.unpack(">HH", frame[tcp:tcp + 4])
            out.write(json.dumps({"unix": round(time.time(), 6), "src": "%s:%d" % (src, sport),
                                  "dst": "%s:%d" % (dst, dport), "flags": _flags(frame[tcp + 13])}) + "\n")
            out.flush()
    del keep
    return 0


def connections(path):
    """One record per TCP connection seen: {"dialer","listener","opened_unix","closer","closed_unix","how"}.
    closer: the endpoint ("ip:port") that sent the first FIN or RST; None if still open when the capture ended."""
    conns = {}
    ordered = []
    with open(path) as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if "src" not in ev:
                continue
            key = frozenset((ev["src"], ev["dst"]))
            flags = ev["flags"]
            c = conns.get(key)
            if "S" in flags and "A" not in flags:
                if c is None or c["closer"] is not None:  # a new connection (or the 4-tuple reused)
                    c = {"dialer": ev["src"], "listener": ev["dst"], "opened_unix": ev["unix"], "closer": None,
                         "closed_unix": None, "how": None}
                    conns[key] = c
                    ordered.append(c)
                continue
            if c is None or c["closer"] is not None:
                continue
            if "F" in flags or "R" in flags:
                c["closer"] = ev["src"]
                c["closed_unix"] = ev["unix"]
                c["how"] = "RST" if "R" in flags else "FIN"
    return ordered


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "capture":
        return capture(sys.argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
