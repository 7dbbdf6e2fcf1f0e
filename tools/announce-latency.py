#!/usr/bin/env python3
"""Time from launching `java -jar JAR leech` to its first announce reaching a tracker, for one or more jars.

    /usr/bin/python3 tools/announce-latency.py [--rounds 6] JAR [JAR ...]

A socket on 127.0.0.1 stands in for the tracker: it accepts the first HTTP request, answers an empty peer list,
and the clock stops when the request has arrived. Jars alternate round by round; prints the median per jar.
The torrent (1 MiB of random data) and the download directory live in a temporary directory that is removed.
Each leecher is stopped (SIGTERM, then SIGKILL after 10 s) before the next starts.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time


def one_run(jar, torrent, workdir):
    download = os.path.join(workdir, "dl")
    shutil.rmtree(download, ignore_errors=True)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(60)
    port = server.getsockname()[1]
    start = time.monotonic()
    proc = subprocess.Popen(["java", "-jar", jar, "leech", torrent, "--dir", download, "--bind", "127.0.0.1",
                             "--port", "0", "--tracker", "http://127.0.0.1:%d/announce" % port, "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn, _ = server.accept()
        conn.settimeout(10)
        conn.recv(4096)
        elapsed = time.monotonic() - start
        body = b"d8:intervali60e5:peers0:e"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        conn.close()
        return elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        server.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("jars", nargs="+")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="spate-announce-")
    try:
        data = os.path.join(workdir, "seed", "data.bin")
        os.makedirs(os.path.dirname(data))
        with open(data, "wb") as f:
            f.write(os.urandom(1 << 20))
        torrent = os.path.join(workdir, "t.torrent")
        subprocess.run(["java", "-jar", args.jars[0], "create", "-o", torrent, "-t", "http://127.0.0.1:1/announce",
                        data], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = {jar: [] for jar in args.jars}
        for _ in range(args.rounds):
            for jar in args.jars:
                times[jar].append(one_run(jar, torrent, workdir))
        for jar in args.jars:
            print("%s: median launch -> first announce %.3f s over %d rounds (%s)" % (
                jar, statistics.median(times[jar]), args.rounds, ", ".join("%.3f" % t for t in times[jar])))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
