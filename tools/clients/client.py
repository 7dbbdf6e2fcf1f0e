#!/usr/bin/python3
"""Run one third-party BitTorrent client as seeder or leecher on loopback and report JSON events on stdout.

  client.py --client {libtorrent,qbittorrent,transmission,aria2,spate,corrupter} --role {seed,leech} --torrent T --dir D
            --port P [--timeout SECONDS] [--workdir W] [--reannounce-interval N] [--encryption {plain,default}]
            [--bind ADDR] [--stats-interval SECONDS] [--free-rider]

--dir is the save path: the parent of the torrent's file (single-file) or of its top folder (multi-file).
Events, one JSON object a line:
  {"event":"started","client":..,"role":..,"port":P,"infohash":H,"bytes":B,"workdir":W,"pids":[..]}
  {"event":"progress","fraction":F}            when it changes, at most 2 a second
  {"event":"complete","seconds":S,"bytes":B}   data whole (a seed: checked and seeding); S since client start
  {"event":"announced","seconds":S}            first tracker reply received (not reported by aria2)
  {"event":"restarted","pids":[..],"reason":R} the client exited by itself and was started again (transmission)
  {"event":"error","message":M}                then stop, "stopped", exit 1
  {"event":"stopped"}                          after SIGTERM/SIGINT or --timeout; client processes ended
  {"event":"stats","fraction":F,"uploaded":U,..}  with --stats-interval S: every S seconds, what the client
                                               reports (uploaded/downloaded bytes, upload_rate/download_rate
                                               bytes/s, peers; a field the client does not report is left out)
--bind ADDR: the address the client listens on and dials from (default 127.0.0.1; the swarm lab gives each peer
its own address in its own network namespace). --free-rider: a peer that never uploads (spate: passes its
--free-rider flag; libtorrent: no regular unchoke slots, no allowed-fast pieces, upload capped at 16 KB/s, all
traffic; other clients refuse it).
A --timeout reached before "complete" is an error (exit 1); after it, a normal stop (exit 0).
corrupter (a seed only): tools/clients/corrupter.py, a hostile seed that flips every byte of every 50th block it
serves (corrupter_driver.py; CORRUPTER_OPTS passes more options); its counters come as "corrupter_summary" at the stop.
Run with /usr/bin/python3 (Debian's, which has the libtorrent module).
"""
import argparse
import os
import signal
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from base import DriverError, Output, emit, port_free, torrent_meta  # noqa: E402

PROGRESS_PERIOD = 0.5
SEED_MISSING_DATA_SECONDS = 3.0
POLL_PERIOD = 0.1


def driver_class(client):
    if client == "libtorrent":
        from lt import LibtorrentDriver
        return LibtorrentDriver
    if client == "qbittorrent":
        from qbt import QbittorrentDriver
        return QbittorrentDriver
    if client == "transmission":
        from tr import TransmissionDriver
        return TransmissionDriver
    if client == "spate":
        from spate import SpateDriver
        return SpateDriver
    if client == "corrupter":
        from corrupter_driver import CorrupterDriver
        return CorrupterDriver
    from a2 import Aria2Driver
    return Aria2Driver


class JsonArgumentParser(argparse.ArgumentParser):
    """Bad arguments are reported like every other error: an error event, "stopped", exit 1."""

    def error(self, message):
        self.print_usage(sys.stderr)
        emit("error", message="usage: " + message)
        emit("stopped")
        sys.exit(1)


def parse_args(argv):
    p = JsonArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--client", required=True, choices=["libtorrent", "qbittorrent", "transmission", "aria2", "spate",
                                                          "corrupter"])
    p.add_argument("--role", required=True, choices=["seed", "leech"])
    p.add_argument("--torrent", required=True)
    p.add_argument("--dir", required=True, help="save path (seed: holds the data; leech: receives it)")
    p.add_argument("--port", required=True, type=int, help="listen port on the --bind address")
    p.add_argument("--bind", default="127.0.0.1", help="address to listen on and dial from (default 127.0.0.1)")
    p.add_argument("--stats-interval", type=float, default=0.0,
                   help="emit a stats event every N seconds (0: never, the default)")
    p.add_argument("--free-rider", action="store_true",
                   help="never upload (spate: --free-rider; libtorrent: as good as never, see above)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds before stopping (default 3600)")
    p.add_argument("--workdir", help="a fresh profile/config dir is made under it (default: a new temp dir)")
    p.add_argument("--reannounce-interval", type=float, default=0.0,
                   help="re-announce to the tracker every N seconds (0: the client's own schedule)")
    p.add_argument("--magnet", help="leech: give the client this magnet link instead of the .torrent (spate, "
                   "libtorrent, qbittorrent, aria2), so it fetches the metadata from peers (BEP 9); --torrent still says what "
                   "to expect")
    p.add_argument("--encryption", choices=["plain", "default"], default="plain",
                   help="plain: plaintext handshakes preferred (default); default: the client's own policy")
    return p.parse_args(argv)


class Stopper:
    """Turns SIGTERM/SIGINT into a flag the loop reads."""

    def __init__(self):
        self.requested = False
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, frame):
        self.requested = True


def run(args):
    stopper = Stopper()
    torrent = os.path.abspath(args.torrent)
    save_dir = os.path.abspath(args.dir)
    meta = torrent_meta(torrent)
    if args.magnet and (args.role != "leech" or args.client == "transmission"):
        raise DriverError("--magnet is for a spate, libtorrent, qbittorrent or aria2 leecher")
    if args.free_rider and args.client not in ("spate", "libtorrent"):
        raise DriverError("--free-rider is for a spate or libtorrent peer")
    if not port_free(args.port, args.bind):
        raise DriverError("port %d on %s is in use" % (args.port, args.bind))
    os.makedirs(save_dir, exist_ok=True)
    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="%s-%s-%d-" % (args.client, args.role, args.port), dir=args.workdir)
    driver = driver_class(args.client)(args, meta, torrent, save_dir, workdir)
    failure = None
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    try:
        started = driver.start()
        emit("started", client=args.client, role=args.role, port=args.port, infohash=meta["infohash"],
             bytes=meta["bytes"], workdir=workdir, **started)
        failure = loop(args, driver, meta, stopper, t0, deadline)
    except DriverError as e:
        failure = str(e)
    except Exception as e:  # a driver bug must still stop the client and say so
        traceback.print_exc()
        failure = "%s: %s" % (type(e).__name__, e)
    if failure:
        emit("error", message=failure)
    try:
        driver.stop()
    except Exception as e:
        emit("error", message="stop: %s" % e)
        failure = failure or "stop failed"
    emit("stopped")
    return 1 if failure else 0


def loop(args, driver, meta, stopper, t0, deadline):
    """Poll until stopped; returns an error message or None."""
    complete = False
    last_fraction = None
    last_progress = 0.0
    next_reannounce = t0 + args.reannounce_interval if args.reannounce_interval > 0 else None
    next_stats = t0 if args.stats_interval > 0 else None
    downloading_since = None
    announced = False
    while not stopper.requested and not Output.broken:
        now = time.monotonic()
        if now >= deadline:
            return None if complete else "timeout after %.0f s before complete" % args.timeout
        fraction, done = driver.poll()
        now = time.monotonic()
        if fraction is not None and fraction != last_fraction and now - last_progress >= PROGRESS_PERIOD:
            emit("progress", fraction=round(fraction, 4))
            last_fraction = fraction
            last_progress = now
        if not announced and driver.announced:
            announced = True
            emit("announced", seconds=round(now - t0, 3))
        if args.role == "seed" and not done and driver.downloading:
            # A seed that has checked its data and still wants pieces lacks data: fail now, not at --timeout.
            downloading_since = downloading_since or now
            if now - downloading_since >= SEED_MISSING_DATA_SECONDS:
                return "seed data incomplete in %s (progress %s)" % (driver.save_dir, fraction)
        else:
            downloading_since = None
        if done and not complete:
            complete = True
            emit("complete", seconds=round(now - t0, 3), bytes=meta["bytes"], **driver.completed())
        if next_stats is not None and now >= next_stats:
            stats = driver.stats() if hasattr(driver, "stats") else {}
            emit("stats", seconds=round(now - t0, 3), fraction=None if fraction is None else round(fraction, 5),
                 **stats)
            next_stats = max(next_stats + args.stats_interval, now)
        if next_reannounce is not None and now >= next_reannounce:
            driver.reannounce()
            next_reannounce = now + args.reannounce_interval
        time.sleep(getattr(driver, "poll_period", POLL_PERIOD))
    return None


def main():
    args = parse_args(sys.argv[1:])
    try:
        code = run(args)
    except DriverError as e:
        emit("error", message=str(e))
        emit("stopped")
        code = 1
    except Exception as e:
        traceback.print_exc()
        emit("error", message="%s: %s" % (type(e).__name__, e))
        emit("stopped")
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    main()
