#!/usr/bin/python3
"""kill -9 x5: a leeching Spate daemon is killed with SIGKILL at random moments of its download and started again
on the same --state dir each time; at the end its file must be byte-identical to the source (SHA-256) and the bytes
it was sent in total must be at most the torrent's size plus one piece per kill.

  /usr/bin/python3 tools/service/kill9.py [--jar engine/target/engine.jar] [--seed 16] [--kills 5] [--size-mib 256]
      [--piece-kib 256] [--rate BYTES_PER_S] [--logs DIR] [--max-seconds 600] [--keep]

Setup, all on 127.0.0.1: a Spate tracker (the daemon cannot be given a peer directly: its torrents find peers
through their trackers), a random file of --size-mib MiB made into a torrent with --piece-kib pieces and that
tracker, a Spate `seed` with --max-upload-rate RATE (default: size/40 s, so the download lasts about 40 s) and
--json progress every 0.5 s, and the leeching `daemon` the torrent is added to over its API (POST /api/torrents).

The kill moments are drawn with random.Random(--seed): --kills times uniform in [1 s, 0.95 x size/rate], sorted,
on the download's own clock: the bytes the daemon has downloaded so far (all runs: the API's `downloaded`, polled
every 0.1 s) divided by the seed's rate, so JVM start and the check at each restart do not move the schedule, nor
does a loaded machine (a restarted daemon checks and resumes its torrents before its API answers, so a kill due
within the first seconds of a run happens at the first answer). Right before each SIGKILL the torrent's
detail is read (downloaded, verified, the verified-piece bitfield); after each restart the same at the first answer
of the API (the check is over by then; `downloaded_at_check_read` says what had arrived since), and any piece
verified before the kill that is not verified after the restart is reported (a re-download of verified data).

Bytes in total, counted on both sides and checked against the bound each:
- the daemon's own count: the sum over runs of the API's `downloaded` (payload blocks accepted by the agent; not
  blocks dropped as late or duplicate) read right before each SIGKILL (`read_to_kill_ms`: well under 1 ms), plus
  the last run's at completion. This is "what each run downloaded".
- the seed's count: its `uploaded` (TorrentStats.uploadedBytes: payload of every block it wrote to a socket; the
  seed has no other peer), read once the download ended. It also counts what was still in the sockets when a
  daemon died, or written before the seed saw the connection drop, so it is an upper bound. After each kill the
  script waits until the seed reports no peer and a still count, so each run's share (`seed_sent_this_run`) and
  its excess over the daemon's count (`seed_sent_minus_downloaded`) are exact to the byte.
`ss` is asked just before each kill how many bytes sit in the kernel between the two (`seed_send_q`,
`leech_recv_q`).

Stdout: JSON lines (`config`, `run`, `kill`, `result`); stderr: a log. Exit 0 when every check passes, 1 otherwise.
Every process it starts is ended by its PID at the end, also on failure or a signal; at most --max-seconds.
"""
import argparse
import base64
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import svc  # noqa: E402
from svc import Failure, log  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLL = 0.1
API_TIMEOUT = 60.0  # a restarted daemon's first answer can take seconds on a loaded machine: measured, not failed
CHECK_POLL = 0.02  # while a restarted daemon checks: catch the check's result before new data arrives


emit = svc.emit


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default=os.path.join(REPO, "engine/target/engine.jar"))
    p.add_argument("--java", default="java")
    p.add_argument("--seed", type=int, default=16, help="random seed of the kill moments (default 16)")
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--size-mib", type=int, default=256)
    p.add_argument("--piece-kib", type=int, default=256)
    p.add_argument("--rate", type=int, default=0,
                   help="the seed's --max-upload-rate in bytes/s (default: size / 40 s)")
    p.add_argument("--logs", help="directory for every process's stdout/stderr (default: under the work dir)")
    p.add_argument("--work", help="parent of the temporary work dir (default: /tmp)")
    p.add_argument("--max-seconds", type=float, default=600.0)
    p.add_argument("--keep", action="store_true", help="keep the work dir (data, state)")
    p.add_argument("--freeze-first", action="store_true",
                   help="diagnosis only: SIGSTOP the daemon right after the last read, ask `ss` for the bytes the "
                        "kernel holds for it (frozen_leech_recv_q: received, never read), then SIGKILL")
    return p.parse_args()


def bits(b64, count):
    raw = base64.b64decode(b64) if b64 else b""
    return {i for i in range(count) if i // 8 < len(raw) and raw[i // 8] & (0x80 >> (i % 8))}


def seed_settled(seed, since, timeout):
    """The seed's `uploaded` from two progress reports after `since` that show no peer and the same count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports = [e for (ts, e) in seed.events_of("progress") if ts > since]
        if len(reports) >= 2 and reports[-1].get("peers") == 0 and reports[-2].get("peers") == 0 \
                and reports[-1].get("uploaded") == reports[-2].get("uploaded"):
            return reports[-1].get("uploaded")
        time.sleep(0.1)
    return None


def socket_queues(seed_port):
    """From `ss -ti`: bytes queued in the kernel on the seed's connections (Send-Q: written by the seed, not yet acked)
    and on the leecher's (Recv-Q: acked, not yet read by the daemon): both are counted in the seed's `uploaded` and
    never `downloaded` by the daemon if it dies now. Also the leecher side's tcp_info bytes_received (everything the
    kernel took in on that connection); minus its Recv-Q, that is what the daemon process has read."""
    try:
        out = subprocess.run(["ss", "-tinH", "state", "established"], capture_output=True, text=True,
                             timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    seed_send, leech_recv, leech_received, conns = 0, 0, 0, 0
    addr = "127.0.0.1:%d" % seed_port
    side = None
    for line in out.splitlines():
        if line[:1].isspace():  # the info line of the socket above
            if side == "leech":
                for field in line.split():
                    if field.startswith("bytes_received:"):
                        leech_received += int(field.split(":", 1)[1])
            side = None
            continue
        f = line.split()
        side = None
        if len(f) >= 4 and not f[0].isdigit():
            f = f[1:]
        if len(f) < 4 or not (f[0].isdigit() and f[1].isdigit()):
            continue
        local, peer = f[2].replace("[::ffff:", "").replace("]", ""), f[3].replace("[::ffff:", "").replace("]", "")
        if local == addr:
            seed_send += int(f[1])
            conns += 1
        elif peer == addr:
            leech_recv += int(f[0])
            side = "leech"
    return {"seed_send_q": seed_send, "leech_recv_q": leech_recv, "seed_connections": conns,
            "leech_bytes_received": leech_received}


def payload_estimate(stream_bytes):
    """Payload in a seed's byte stream to a leecher: each block travels as a 13-byte PIECE header plus 16 KiB. The
    rest (handshake, extension handshake, bitfield, unchoke, allowed-fast: under 1 KiB) is left in, so this errs
    high by less than 1 KiB a run."""
    return stream_bytes - 13 * (stream_bytes // (16384 + 13) + 1)


class Leech:
    """The daemon's view of the one torrent."""

    def __init__(self, api, info_hash):
        self.api = api
        self.info_hash = info_hash

    def summary(self):
        status, reply = svc.http(self.api + "/api/torrents", timeout=API_TIMEOUT)
        if status != 200 or not isinstance(reply, list):
            raise Failure("GET /api/torrents: HTTP %d %s" % (status, reply))
        return reply

    def detail(self):
        status, reply = svc.http(self.api + "/api/torrents/" + self.info_hash, timeout=API_TIMEOUT)
        if status != 200:
            raise Failure("GET /api/torrents/H: HTTP %d %s" % (status, reply))
        return reply


def run(args, deadline, procs, work, logs):
    def left():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failure("out of time (--max-seconds %.0f)" % args.max_seconds)
        return remaining

    size = args.size_mib << 20
    piece = args.piece_kib << 10
    rate = args.rate or size // 40
    expected = size / rate
    rng = random.Random(args.seed)
    kill_at = sorted(round(rng.uniform(1.0, 0.95 * expected), 2) for _ in range(args.kills))
    emit("config", seed=args.seed, kills=args.kills, size=size, piece_length=piece, rate=rate,
         expected_seconds=round(expected, 1), kill_at_download_clock=kill_at, jar=args.jar, work=work,
         uptime=svc.uptime())
    log("kill moments (seconds on the download clock, random seed %d): %s" % (args.seed, kill_at))

    src_dir = os.path.join(work, "src")
    leech_dir = os.path.join(work, "leech")
    state = os.path.join(work, "state")
    os.makedirs(src_dir)
    os.makedirs(leech_dir)
    src = os.path.join(src_dir, "kill9.bin")
    svc.random_file(src, size)
    src_sha = svc.sha256(src)

    _, announce = svc.start_tracker(procs, args.java, args.jar)
    torrent = os.path.join(work, "kill9.torrent")
    info_hash = svc.create_torrent(args.java, args.jar, src, torrent, announce, piece)
    pieces = (size + piece - 1) // piece
    seed = procs.start("seed", [args.java, "-jar", args.jar, "seed", torrent, "--dir", src_dir, "--port", "0",
                                "--bind", "127.0.0.1", "--json", "--progress-interval", "0.5",
                                "--max-upload-rate", str(rate)])
    if seed.wait_event(lambda e: e.get("event") == "complete", min(120, left())) is None:
        raise Failure("the seed did not become ready: " + seed.stderr_tail())
    seed_port = seed.wait_event(lambda e: e.get("event") == "started", 1)[1]["port"]

    runs = []
    socket_read_sum = 0  # --freeze-first: payload the daemon read from its socket, summed over the killed runs
    seed_before = 0
    download_seconds = 0.0
    before_kill_bits = None
    leech_sum = 0
    final = None
    for r in range(args.kills + 1):
        launched = time.monotonic()
        daemon, api = svc.start_daemon(procs, "daemon-%d" % r, args.java, args.jar, state)
        leech = Leech(api, info_hash)
        rec = {"run": r, "pid": daemon.pid, "api_up_s": round(time.monotonic() - launched, 2)}
        if r == 0:
            svc.add_torrent(api, torrent, leech_dir)
        else:
            asked = time.monotonic()
            listed = leech.summary()
            rec["first_answer_ms"] = round((time.monotonic() - asked) * 1000, 1)  # the first request's wait
            rec["listed_at_start"] = [(t.get("info_hash"), t.get("state")) for t in listed]
            if len(listed) != 1 or listed[0].get("info_hash") != info_hash:
                rec["state_loads"] = False
                runs.append(rec)
                emit("run", **rec)
                raise Failure("run %d: the state did not load: %s" % (r, listed))
            rec["state_loads"] = True
        checked = False
        last_state = None
        last_t = time.monotonic()
        killed = False
        while True:
            left()
            t = leech.summary()
            if len(t) != 1:
                raise Failure("run %d: %d torrents listed" % (r, len(t)))
            t = t[0]
            now = time.monotonic()
            st = t.get("state")
            if st == "error":
                raise Failure("run %d: torrent in error: %s" % (r, t.get("error")))
            if last_state == "downloading":
                download_seconds += now - last_t
            last_state, last_t = st, now
            if not checked and st not in ("checking", "metadata"):
                checked = True
                d = leech.detail()
                after = bits(d["pieces"]["bitfield"], pieces)
                # the daemon checks and starts its torrents before its API answers, so this first read may come after
                # the download went on (downloaded_at_check_read > 0): verified_after_check is the check's result
                # plus what arrived since
                rec.update(check_done_s=round(now - launched, 2), resume=d.get("resume"),
                           rehashed_pieces=d.get("rehashed_pieces"), spot_checked_pieces=d.get("spot_checked_pieces"),
                           verified_after_check=d.get("verified"), pieces_after_check=len(after),
                           downloaded_at_check_read=d.get("downloaded"))
                if before_kill_bits is not None:
                    lost = sorted(before_kill_bits - after)
                    rec["verified_before_kill_lost"] = len(lost)
                    rec["lost_pieces"] = lost[:50]
                log("run %d: %s, resume=%s, rehashed %s, %d pieces verified (%s lost of those verified before the "
                    "kill)" % (r, st, d.get("resume"), d.get("rehashed_pieces"), len(after),
                               rec.get("verified_before_kill_lost", "-")))
            if st == "seeding":
                d = leech.detail()
                rec.update(end="complete", downloaded=d.get("downloaded"), verified=d.get("verified"),
                           hash_failures=d.get("hash_failures"), download_seconds_total=round(download_seconds, 2))
                leech_sum += d.get("downloaded") or 0
                if r < args.kills:
                    rec["note"] = "completed before kill #%d was due (at %.2f s on the download clock)" % (r + 1,
                                                                                                   kill_at[r])
                final = daemon
                break
            # the download's clock: bytes downloaded so far (all runs) at the capped rate
            clock = (leech_sum + (t.get("downloaded") or 0)) / rate
            if r < args.kills and st == "downloading" and clock >= kill_at[r]:
                d = leech.detail()  # the verified pieces (a subset of those verified at the kill)
                queues = socket_queues(seed_port)  # bytes in the kernel between seed and leecher
                d.update(leech.summary()[0])  # downloaded, verified: read last, right before the SIGKILL
                read_at = time.monotonic()
                if args.freeze_first:
                    # diagnosis: stop the daemon where it is, see what the kernel holds for it, then kill it
                    os.kill(daemon.pid, signal.SIGSTOP)
                    frozen = socket_queues(seed_port)
                    rec.update({"frozen_" + k: v for k, v in frozen.items()})
                    if frozen.get("leech_bytes_received"):
                        read = frozen["leech_bytes_received"] - frozen["leech_recv_q"]
                        rec["frozen_daemon_read_bytes"] = read  # from the kernel, by the frozen process
                        rec["frozen_daemon_read_payload"] = payload_estimate(read)
                        socket_read_sum += payload_estimate(read)
                code = daemon.kill9()
                killed_at = daemon.killed_at
                before_kill_bits = bits(d["pieces"]["bitfield"], pieces)
                seed_up = seed.last_event("progress")
                rec.update(end="SIGKILL", exit_code=code, download_clock=round(clock, 2),
                           download_seconds=round(download_seconds, 2),
                           downloaded=d.get("downloaded"), verified=d.get("verified"),
                           pieces_verified=len(before_kill_bits), progress=d.get("progress"),
                           hash_failures=d.get("hash_failures"),
                           seed_uploaded_last_report=seed_up[1].get("uploaded") if seed_up else None,
                           seconds_alive=round(killed_at - launched, 2),
                           read_to_kill_ms=round((killed_at - read_at) * 1000, 1), **queues)
                leech_sum += d.get("downloaded") or 0
                # the seed's count once its connection to the dead daemon is gone (a report with no peer, twice
                # alike): what the seed sent this run is the difference from the previous run's
                closed = seed_settled(seed, killed_at, 8.0)
                rec["seed_uploaded_at_close"] = closed
                if closed is not None and seed_before is not None:
                    rec["seed_sent_this_run"] = closed - seed_before
                    rec["seed_sent_minus_downloaded"] = closed - seed_before - (d.get("downloaded") or 0)
                seed_before = closed
                emit("kill", n=r + 1, at_download_clock=round(clock, 2), due_at=kill_at[r], progress=d.get("progress"),
                     verified=d.get("verified"), downloaded_this_run=d.get("downloaded"), exit_code=code)
                log("kill -9 #%d at %.2f s on the download clock (due %.2f): progress %.4f, run downloaded %d" %
                    (r + 1, clock, kill_at[r], d.get("progress") or 0, d.get("downloaded") or 0))
                killed = True
                break
            time.sleep(POLL if checked else CHECK_POLL)
        runs.append(rec)
        emit("run", **rec)
        if not killed:
            break

    # the seed's count, once it has stopped moving (two reports in a row alike, after the completion)
    done_at = time.monotonic()
    seed_uploaded = None
    while time.monotonic() < done_at + 10:
        reports = [e for (ts, e) in seed.events_of("progress") if ts > done_at]
        if len(reports) >= 2 and reports[-1].get("uploaded") == reports[-2].get("uploaded"):
            seed_uploaded = reports[-1].get("uploaded")
            break
        time.sleep(0.2)
    if seed_uploaded is None:
        last = seed.last_event("progress")
        seed_uploaded = last[1].get("uploaded") if last else None

    if runs and runs[-1].get("end") == "complete" and seed_uploaded is not None and seed_before is not None:
        last = runs[-1]
        last["seed_sent_this_run"] = seed_uploaded - seed_before
        last["seed_sent_minus_downloaded"] = seed_uploaded - seed_before - (last.get("downloaded") or 0)
    stop_code = final.stop(grace=30.0) if final is not None else None
    leech_file = os.path.join(leech_dir, "kill9.bin")
    leech_sha = svc.sha256(leech_file) if os.path.exists(leech_file) else None
    kills_done = sum(1 for x in runs if x.get("end") == "SIGKILL")
    bound = size + kills_done * piece
    lost_total = sum(x.get("verified_before_kill_lost", 0) for x in runs)
    # per run: what it downloaded (read just before its kill) minus what the verified set grew by since the read
    # before the previous kill (the last run: up to the whole file). These add up to leech_downloaded_sum - size.
    per_run = []
    previous = 0
    for x in runs:
        end = size if x.get("end") == "complete" else x.get("verified")
        if end is None or x.get("downloaded") is None:
            break
        per_run.append({"run": x["run"], "end": x.get("end"), "downloaded": x["downloaded"],
                        "verified_growth": end - previous, "not_kept": x["downloaded"] - (end - previous),
                        "seed_sent": x.get("seed_sent_this_run"),
                        "seed_sent_minus_downloaded": x.get("seed_sent_minus_downloaded")})
        previous = end
    socket_read_total = None
    if args.freeze_first and runs and runs[-1].get("end") == "complete":
        socket_read_total = socket_read_sum + (runs[-1].get("downloaded") or 0)
    checks = {
        "sha256_identical": leech_sha == src_sha,
        "leech_downloaded_within_bound": leech_sum <= bound,
        **({"socket_read_within_bound": socket_read_total is not None and socket_read_total <= bound}
           if args.freeze_first else {}),
        "seed_uploaded_within_bound": seed_uploaded is not None and seed_uploaded <= bound,
        "every_state_loaded": all(x.get("state_loads", True) for x in runs),
        "no_verified_piece_lost": lost_total == 0,
        "kills_done": kills_done == args.kills,
        "daemon_sigterm_exit_0": stop_code == 0,
    }
    result = dict(ok=all(checks.values()), checks=checks, source_sha256=src_sha, leech_sha256=leech_sha,
                  size=size, piece_length=piece, kills=kills_done, bound=bound, seed_uploaded=seed_uploaded,
                  seed_uploaded_over_size=None if seed_uploaded is None else seed_uploaded - size,
                  seed_uploaded_over_size_pieces=None if seed_uploaded is None else round((seed_uploaded - size) /
                                                                                         piece, 2),
                  leech_downloaded_sum=leech_sum, leech_downloaded_sum_over_size=leech_sum - size,
                  **({"socket_read_sum": socket_read_total,
                      "socket_read_sum_over_size": None if socket_read_total is None else socket_read_total - size}
                     if args.freeze_first else {}),
                  verified_pieces_lost_on_restart=lost_total, per_run=per_run, download_seconds=round(download_seconds, 2),
                  final_daemon_exit=stop_code, uptime=svc.uptime())
    emit("result", **result)
    return 0 if result["ok"] else 1


def main():
    return svc.main(parse_args(), run, "spate-kill9-")


if __name__ == "__main__":
    sys.exit(main())
