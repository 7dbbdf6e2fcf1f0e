#!/usr/bin/python3
"""Markdown tables from the raw outputs of kill9.py and upload_limit.py.

  /usr/bin/python3 tools/service/summarize.py kill9 perf-results/service/kill9/*/kill9.out
  /usr/bin/python3 tools/service/summarize.py upload perf-results/service/upload-limit/*/upload_limit.out
"""
import json
import sys

PIECE = 262144


def events(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def load(uptime):
    return uptime.split("load average:")[1].strip() if uptime and "load average:" in uptime else "?"


def kill9(paths):
    freeze = any("socket_read_sum" in (next((e for e in events(p) if e["event"] == "result"), {}) or {})
                 for p in paths)
    print("| seed | kill moments drawn (download clock, s) | progress at each kill | SHA-256 | daemon's count over size "
          "| %sseed's count over size | bound (5 pieces) daemon / %sseed | pieces lost on restart | load at start -> end |"
          % (("bytes the daemon read from its socket, over size | ", "socket / ") if freeze else ("", "")))
    print("|---|---|---|---|---|---|---|---|---|" + ("---|" if freeze else ""))
    for path in paths:
        ev = events(path)
        cfg = ev[0]
        res = next((e for e in ev if e["event"] == "result"), None)
        kills = [e for e in ev if e["event"] == "kill"]
        if res is None or not res["checks"].get("kills_done", True):
            print("| %s | %s | %s | %s | %d kills done |" % (
                cfg["seed"], cfg.get("kill_at_download_clock", cfg.get("kill_at_download_seconds")),
                [k["progress"] for k in kills], "error: %s" % next((e for e in ev if e["event"] == "error"),
                                                                   {}).get("message") if res is None else "",
                len(kills)))
        if res is None:
            err = next((e for e in ev if e["event"] == "error"), {})
            print("| %s | %s | %s | error: %s | | | | | |" % (cfg["seed"], cfg.get("kill_at_download_clock", cfg.get("kill_at_download_seconds")),
                                                           [k["progress"] for k in kills], err.get("message")))
            continue
        c = res["checks"]
        leech_over = res["leech_downloaded_sum_over_size"]
        seed_over = res["seed_uploaded_over_size"]
        sock = res.get("socket_read_sum_over_size")
        print("| %d | %s | %s | %s | %s B (%.2f pieces) | %s%s B (%.2f pieces) | %s / %s%s | %d | %s -> %s |" % (
            cfg["seed"], ", ".join("%.2f" % x for x in cfg.get("kill_at_download_clock",
                                                                 cfg.get("kill_at_download_seconds"))),
            ", ".join("%.3f" % k["progress"] for k in kills), "identical" if c["sha256_identical"] else "DIFFERENT",
            "{:,}".format(leech_over), leech_over / PIECE,
            ("%s B (%.2f pieces) | " % ("{:,}".format(sock), sock / PIECE)) if freeze and sock is not None else
            ("- | " if freeze else ""),
            "{:,}".format(seed_over), seed_over / PIECE,
            "yes" if c["leech_downloaded_within_bound"] else "NO",
            ("yes / " if c.get("socket_read_within_bound") else "NO / ") if freeze else "",
            "yes" if c["seed_uploaded_within_bound"] else "NO",
            res["verified_pieces_lost_on_restart"], load(cfg["uptime"]), load(res["uptime"])))
    print()
    print("Per killed run: the daemon's `downloaded` read just before the SIGKILL, what it did not keep (received, "
          "not in a verified piece: lost with the process), and what the seed sent beyond the daemon's count.")
    print()
    print("| seed | run | read to kill (ms) | downloaded | not kept | seed sent minus downloaded | kernel queues at ss "
          "(seed Send-Q / daemon Recv-Q) | next start: resume; API up (s); its first answer (ms); downloaded by then |")
    print("|---|---|---|---|---|---|---|---|")
    frozen = []
    for path in paths:
        ev = events(path)
        cfg = ev[0]
        runs = {e["run"]: e for e in ev if e["event"] == "run"}
        res = next((e for e in ev if e["event"] == "result"), None)
        per_run = {p["run"]: p for p in (res or {}).get("per_run", [])}
        for r, e in sorted(runs.items()):
            p = per_run.get(r, {})
            nxt = runs.get(r + 1, {})
            if freeze and e.get("frozen_daemon_read_payload") is not None:
                frozen.append("| %d | %d | %s | %s | %s | %s | %s |" % (
                    cfg["seed"], r, "{:,}".format(e["downloaded"]), "{:,}".format(e["frozen_daemon_read_payload"]),
                    "{:,}".format(e["frozen_daemon_read_payload"] - e["downloaded"]),
                    "{:,}".format(e["frozen_leech_recv_q"]), "{:,}".format(e["seed_sent_this_run"] -
                                                                         e["frozen_daemon_read_payload"])
                    if e.get("seed_sent_this_run") is not None else ""))
            print("| %d | %d%s | %s | %s | %s | %s | %s / %s | %s; %s; %s; %s |" % (
                cfg["seed"], r, " (last)" if e.get("end") == "complete" else "", e.get("read_to_kill_ms", ""),
                "{:,}".format(e["downloaded"]) if e.get("downloaded") is not None else "",
                "{:,}".format(p["not_kept"]) if "not_kept" in p else "",
                "{:,}".format(e["seed_sent_minus_downloaded"]) if e.get("seed_sent_minus_downloaded") is not None
                else "", e.get("seed_send_q", ""), e.get("leech_recv_q", ""),
                nxt.get("resume", "") if nxt else "-", nxt.get("api_up_s", "") if nxt else "",
                nxt.get("first_answer_ms", "?") if nxt else "",
                "{:,}".format(nxt["downloaded_at_check_read"]) if nxt.get("downloaded_at_check_read") is not None
                else ""))
    if frozen:
        print()
        print("--freeze-first: per killed run, the daemon's count (API, read just before the SIGSTOP), the payload it "
              "had read from its socket when stopped (tcp_info bytes_received - Recv-Q, less 13 B per block), their "
              "difference, the bytes left unread in its socket, and what the seed sent beyond what the daemon read.")
        print()
        print("| seed | run | API downloaded | read from socket (payload) | socket - API | unread in socket (Recv-Q) "
              "| seed sent - read from socket |")
        print("|---|---|---|---|---|---|---|")
        for line in frozen:
            print(line)


def upload(paths):
    print("| run | phase | target (B/s) | 10 s windows (B/s, deviation) | max abs deviation | sliding 10 s windows: "
          "min..max (max abs dev) | leechers complete (s) | load before -> after |")
    print("|---|---|---|---|---|---|---|---|")
    for path in paths:
        ev = events(path)
        name = path.split("/")[-2]
        for e in ev:
            if e["event"] == "error":
                print("| %s | error | | %s | | | | |" % (name, e["message"]))
            if e["event"] != "phase":
                continue
            parts = [("seed", e)] if e["phase"] == "seed" else [("daemon, before `limit`", e["before_change"]),
                                                                 ("daemon, after `limit`", e["after_change"])]
            for label, part in parts:
                ws = part.get("windows", [])
                sl = part.get("sliding", {})
                print("| %s | %s | %s | %s | %s | %s | %s | %s -> %s |" % (
                    name, label, "{:,}".format(part["target"]),
                    "; ".join("%s-%s s: %s (%+.2f %%)" % (w["from_s"], w["to_s"], "{:,}".format(w["bytes_per_s"]),
                                                           w["deviation_pct"]) for w in ws) or "none",
                    ("%.2f %%" % part["max_abs_deviation_pct"]) if "max_abs_deviation_pct" in part else "-",
                    ("%s..%s (%.2f %%)" % ("{:,}".format(sl["min_bytes_per_s"]), "{:,}".format(sl["max_bytes_per_s"]),
                                          sl["max_abs_deviation_pct"])) if sl else "-",
                    e["leecher_complete_s"], e["load_before"], e["load_after"]))
            if e["phase"] == "daemon":
                lc = e["limit_command"]
                print("| %s | `limit` | | command %.2f s -> %.2f s after the upload began (exit %s, reply %s); first "
                      "0.5 s sample at the new rate %s s after the command started; settings at start %s, at end %s "
                      "| | | | |" % (name, lc["started_s"], lc["returned_s"], lc["exit"], json.dumps(lc.get("reply")),
                                     e["first_sample_at_new_rate_after_command_start_s"],
                                     json.dumps(e["settings_at_start"]), json.dumps(e["settings_at_end"])))


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("kill9", "upload"):
        sys.stderr.write(__doc__)
        sys.exit(2)
    (kill9 if sys.argv[1] == "kill9" else upload)(sys.argv[2:])
