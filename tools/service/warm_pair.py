#!/usr/bin/python3
"""Warm pair (issue 16): two running Spate daemons, a torrent added to both, time to complete; beside libtorrent ->
libtorrent and the bare machine pipeline on the same data, interleaved in one run.

  /usr/bin/python3 tools/service/warm_pair.py [--jar engine/target/engine.jar] [--bench-jar bench/target/bench.jar]
      [--size-mib 1024] [--piece-kib 1024] [--rounds 3] [--warmup 1] [--read-kib 16] [--out FILE.jsonl] [--logs DIR]
      [--max-seconds 1800] [--keep]

Set-up (untimed): a random file, its torrent (1 MiB pieces), a Spate tracker on 127.0.0.1, and two daemons (seed and
leech, each its own state dir) that stay up for the whole run. The seed daemon is given the data and checks it once.
Then --warmup untimed Spate transfers (added, completed, removed: what a running service has done before) so the
timed rounds meet warm JVMs; they are recorded as `warmup` lines, outside the medians.

Each round, in this order:
- spate-warm: POST the torrent to the leech daemon with an empty data dir; timed from the POST to the first poll
  (every 50 ms) of GET /api/torrents/H showing every piece verified (and to the first poll showing bytes
  downloaded: the start-up of the torrent, announce and dial included). The leech daemon's CPU (utime + stime from
  /proc) over that interval. Then the file is checked (SHA-256 against the source) and the torrent removed from the
  leech daemon with its data (DELETE ?delete_data=true), ready for the next round.
- libtorrent: tools/clients/client.py --client libtorrent, a seed then a leech (python3-libtorrent, one session each,
  through the same tracker); the leech's `complete` event's seconds (from its session's start: libtorrent starts in
  well under 0.1 s and has no JIT, so this is its warm figure), the file checked the same way.
- bare: bench's BarePipeline on the same file (sendfile -> one loopback TCP connection -> --read-kib reads ->
  positional writes -> SHA-1 on a second thread; no protocol), its own timing (no JVM launch), --verify.

Stdout: JSON lines (`config`, one `round` per variant and round, `summary` with the medians and the ratios of medians).
Every process started is ended by its PID, also on failure; bounded by --max-seconds.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import svc  # noqa: E402
from svc import Failure, log  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENT = os.path.join(REPO, "tools/clients/client.py")
POLL_S = 0.05
CLK_TCK = os.sysconf("SC_CLK_TCK")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default=os.path.join(REPO, "engine/target/engine.jar"))
    p.add_argument("--bench-jar", default=os.path.join(REPO, "bench/target/bench.jar"))
    p.add_argument("--java", default="java")
    p.add_argument("--size-mib", type=int, default=1024)
    p.add_argument("--piece-kib", type=int, default=1024)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1, help="untimed Spate transfers before the rounds")
    p.add_argument("--read-kib", type=int, default=16)
    p.add_argument("--out", help="append the JSON lines to this file too")
    p.add_argument("--work", default=None, help="parent of the work dir (default: the system's temp dir)")
    p.add_argument("--logs")
    p.add_argument("--max-seconds", type=float, default=1800)
    p.add_argument("--keep", action="store_true")
    return p.parse_args()


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def record(out, kind, **fields):
    svc.emit(kind, **fields)
    if out:
        row = {"event": kind}
        row.update(fields)
        with open(out, "a") as f:
            f.write(json.dumps(row, separators=(",", ":")) + "\n")


def spate_round(api, pid, torrent, info_hash, size, work, source_sha, deadline):
    data_dir = os.path.join(work, "spate-leech-data")
    os.makedirs(data_dir, exist_ok=True)
    cpu0 = cpu_seconds(pid)
    t0 = time.monotonic()
    svc.add_torrent(api, torrent, data_dir)
    first_byte = None
    while True:
        status, d = svc.http(api + "/api/torrents/" + info_hash, timeout=10)
        if first_byte is None and status == 200 and d.get("downloaded", 0) > 0:
            first_byte = time.monotonic() - t0
        if status == 200 and d.get("verified") == size:
            break
        if status == 200 and d.get("error"):
            raise Failure("spate leech: " + str(d["error"]))
        if time.monotonic() > deadline:
            raise Failure("spate leech did not complete before the deadline")
        time.sleep(POLL_S)
    seconds = time.monotonic() - t0
    cpu = cpu_seconds(pid) - cpu0
    identical = svc.sha256(os.path.join(data_dir, "data.bin")) == source_sha
    status, reply = svc.http(api + "/api/torrents/" + info_hash + "?delete_data=true", method="DELETE")
    if status != 200:
        raise Failure("remove: HTTP %d %s" % (status, reply))
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"seconds": round(seconds, 3), "mb_per_s": round(size / seconds / 1e6, 1),
            "first_byte_s": None if first_byte is None else round(first_byte, 3),
            "leecher_cpu_s": round(cpu, 2), "identical": identical}


def libtorrent_round(procs, rnd, torrent, src_dir, size, work, logs, source_sha, deadline):
    leech_dir = os.path.join(work, "lt-leech-%d" % rnd)
    os.makedirs(leech_dir)
    common = ["--client", "libtorrent", "--torrent", torrent, "--workdir", logs, "--timeout", "900"]
    seed = procs.start("lt-seed-%d" % rnd, ["/usr/bin/python3", CLIENT, "--role", "seed", "--dir", src_dir,
                                            "--port", str(free_port())] + common)
    if seed.wait_event(lambda e: e.get("event") == "complete", 300) is None:
        raise Failure("libtorrent seed did not get ready: " + seed.stderr_tail())
    leech = procs.start("lt-leech-%d" % rnd, ["/usr/bin/python3", CLIENT, "--role", "leech", "--dir", leech_dir,
                                              "--port", str(free_port())] + common)
    done = leech.wait_event(lambda e: e.get("event") in ("complete", "error"),
                            max(1.0, deadline - time.monotonic()))
    if done is None or done[1].get("event") != "complete":
        raise Failure("libtorrent leech: %s %s" % (done and done[1], leech.stderr_tail()))
    seconds = float(done[1]["seconds"])
    identical = svc.sha256(os.path.join(leech_dir, "data.bin")) == source_sha
    leech.stop()
    seed.stop()
    shutil.rmtree(leech_dir, ignore_errors=True)
    return {"seconds": round(seconds, 3), "mb_per_s": round(size / seconds / 1e6, 1), "identical": identical}


def bare_round(args, source, work):
    out = os.path.join(work, "bare")
    argv = [args.java, "-cp", args.bench_jar, "io.spate.bench.BarePipeline", "--file", source,
            "--read-kib", str(args.read_kib), "--out", out, "--verify"]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    shutil.rmtree(out, ignore_errors=True)
    if r.returncode != 0 or not r.stdout.strip():
        raise Failure("BarePipeline (%d): %s" % (r.returncode, r.stderr[-800:]))
    bare = json.loads(r.stdout.strip().splitlines()[-1])
    return {"seconds": bare["seconds"], "mb_per_s": bare["mb_per_s"], "cpu_s": bare.get("cpu_seconds"),
            "identical": bool(bare.get("verified"))}


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, deadline, procs, work, logs):
    if not os.path.exists(args.bench_jar):
        raise Failure("no bench jar at %s (mvn -B -q -o -DskipTests package)" % args.bench_jar)
    size = args.size_mib << 20
    src_dir = os.path.join(work, "src")
    os.makedirs(src_dir)
    source = os.path.join(src_dir, "data.bin")
    svc.random_file(source, size)
    source_sha = svc.sha256(source)
    _, announce = svc.start_tracker(procs, args.java, args.jar, interval=60)
    torrent = os.path.join(work, "data.torrent")
    info_hash = svc.create_torrent(args.java, args.jar, source, torrent, announce, args.piece_kib << 10)
    seed, seed_api = svc.start_daemon(procs, "seed-daemon", args.java, args.jar, os.path.join(work, "seed-state"))
    leech, leech_api = svc.start_daemon(procs, "leech-daemon", args.java, args.jar,
                                        os.path.join(work, "leech-state"))
    svc.add_torrent(seed_api, torrent, src_dir)
    while True:  # the seed daemon checks the data once
        status, d = svc.http(seed_api + "/api/torrents/" + info_hash)
        if status == 200 and d.get("verified") == size:
            break
        if time.monotonic() > deadline:
            raise Failure("the seed daemon did not finish checking its data")
        time.sleep(0.2)
    record(args.out, "config", size_mib=args.size_mib, piece_kib=args.piece_kib, rounds=args.rounds, warmup=args.warmup,
           read_kib=args.read_kib, commit=git_head(), command=" ".join(sys.argv), loadavg=svc.loadavg())
    for w in range(1, args.warmup + 1):
        r = spate_round(leech_api, leech.pid, torrent, info_hash, size, work, source_sha, deadline)
        r.update(variant="spate-warm", warmup=w, load_before=svc.loadavg())
        record(args.out, "warmup", **r)
        log("warm-up %d: %.2f s, %.1f MB/s" % (w, r["seconds"], r["mb_per_s"]))
    rows = {"spate-warm": [], "libtorrent": [], "bare": []}
    for rnd in range(1, args.rounds + 1):
        for variant in rows:
            load_before = svc.loadavg()
            if variant == "spate-warm":
                r = spate_round(leech_api, leech.pid, torrent, info_hash, size, work, source_sha, deadline)
            elif variant == "libtorrent":
                r = libtorrent_round(procs, rnd, torrent, src_dir, size, work, logs, source_sha, deadline)
            else:
                r = bare_round(args, source, work)
            r.update(variant=variant, round=rnd, load_before=load_before, load_after=svc.loadavg())
            rows[variant].append(r)
            record(args.out, "round", **r)
            log("round %d %s: %.2f s, %.1f MB/s, identical %s" % (rnd, variant, r["seconds"], r["mb_per_s"],
                                                                  r["identical"]))
    medians = {v: statistics.median(x["mb_per_s"] for x in rs) for v, rs in rows.items()}
    ok = all(x["identical"] for rs in rows.values() for x in rs)
    record(args.out, "summary", median_mb_per_s=medians, all_identical=ok,
           spate_warm_vs_bare=round(medians["spate-warm"] / medians["bare"], 3),
           spate_warm_vs_libtorrent=round(medians["spate-warm"] / medians["libtorrent"], 3),
           libtorrent_vs_bare=round(medians["libtorrent"] / medians["bare"], 3),
           goal="spate-warm >= 0.85 x bare (issue 16)",
           met=medians["spate-warm"] >= 0.85 * medians["bare"])
    return 0 if ok else 1


def git_head():
    try:
        return subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def main():
    args = parse_args()
    return svc.main(args, run, "spate-warm-pair-")


if __name__ == "__main__":
    sys.exit(main())
