#!/usr/bin/env python3
"""Anonymous memory and CPU of every client in a tools/swarm.sh run: one JSON line out.

    tools/swarm-memory.py [--nmt DIR] SEEDER LEECHER1,LEECHER2,... SIZE_MIB [PIECE_KIB]

Runs tools/swarm.sh with the same arguments and environment and, every 0.2 s, reads RssAnon (anonymous resident
memory, /proc/PID/status) and user+system CPU (/proc/PID/stat) of each client: the process the client driver
(tools/clients/client.py --role seed|leech) started (the Spate JVM, aria2c), or the driver itself when the client
runs inside it (libtorrent's session lives in client.py's Python). RssAnon, not RSS: libtorrent maps the files it
serves and fetches, so its RSS counts the file's pages (/work/shared/CLIENTS.md). Memory is the peak over the run
(start-up, the seed's check, the transfer, until swarm.sh stops the clients); CPU the last reading.
--nmt DIR: every 4 s, the seed's and the first leecher's anonymous memory by NMT category (tools/jvm_anon.py) when
they are JVMs started with -XX:NativeMemoryTracking=detail (in SPATE_JAVA_OPTS), one JSON line each appended to
DIR/nmt.jsonl; jcmd costs a JVM start, so throughput from an --nmt run is not a figure.
Output: swarm.sh's JSON line with "memory": {"seed": {"anon_peak_mib", "cpu_s"}, "leechers": [...],
"leecher_anon_peak_mib_median"}. Only processes under this run's own swarm.sh are read. Bounded by swarm.sh's own
timeout. Exit code: swarm.sh's.
"""
import json
import os
import statistics
import subprocess
import sys
import time

import jvm_anon

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")
NMT_PERIOD = 4.0
IN_DRIVER = (b"libtorrent",)  # clients whose session runs inside client.py (tools/clients/lt.py)


def children_map():
    """ppid -> [pid] for every process now."""
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def descendants(pid, kids):
    out = []
    for child in kids.get(pid, []):
        out.append(child)
        out.extend(descendants(child, kids))
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def rss_anon_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def clients(swarm_pid):
    """{driver pid: (role, client pid)}: the driver's first child process, or the driver for an in-driver client."""
    kids = children_map()
    found = {}
    for pid in descendants(swarm_pid, kids):
        argv = cmdline(pid)
        if not any(a.endswith(b"client.py") for a in argv) or b"--role" not in argv:
            continue
        role = argv[argv.index(b"--role") + 1].decode()
        if argv[argv.index(b"--client") + 1] in IN_DRIVER:
            found[pid] = (role, pid)
            continue
        own = sorted(kids.get(pid, []))  # the client first; aria2's completion hook may run beside it
        if own:
            found[pid] = (role, own[0])
    return found


def nmt_snapshot(out_dir, label, pid, seq):
    try:
        found = jvm_anon.breakdown(pid)
    except (OSError, SystemExit, subprocess.SubprocessError):
        return  # it exited, or is not tracking
    found["label"], found["time"] = label, time.strftime("%H:%M:%S")
    with open(os.path.join(out_dir, "nmt.jsonl"), "a") as f:
        f.write(json.dumps(found) + "\n")


def main(argv):
    nmt_dir = None
    if argv[:1] == ["--nmt"]:
        nmt_dir = argv[1]
        os.makedirs(nmt_dir, exist_ok=True)
        argv = argv[2:]
    if not 3 <= len(argv) <= 4:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    swarm = subprocess.Popen([os.path.join(ROOT, "tools", "swarm.sh")] + argv, stdout=subprocess.PIPE)
    peak = {}    # client pid -> KiB
    cpu = {}     # client pid -> ticks
    roles = {}   # client pid -> role
    order = []   # leecher client pids in the order first seen
    next_nmt = time.monotonic() + NMT_PERIOD
    seq = 0
    while swarm.poll() is None:
        for role, pid in clients(swarm.pid).values():
            anon, ticks = rss_anon_kib(pid), cpu_ticks(pid)
            if anon is None:
                continue
            if pid not in roles:
                roles[pid] = role
                if role == "leech":
                    order.append(pid)
            peak[pid] = max(peak.get(pid, 0), anon)
            if ticks is not None:
                cpu[pid] = ticks
        if nmt_dir and time.monotonic() >= next_nmt:
            seq += 1
            seed = [p for p, r in roles.items() if r == "seed"]
            for label, pids in (("seed", seed), ("leech", order[:1])):
                if pids and b"java" in os.path.basename(cmdline(pids[0])[0] if cmdline(pids[0]) else b""):
                    nmt_snapshot(nmt_dir, label, pids[0], seq)
            next_nmt = time.monotonic() + NMT_PERIOD
        time.sleep(0.2)
    out = swarm.stdout.read().decode().strip().splitlines()
    line = json.loads(out[-1]) if out and out[-1].startswith("{") else {"ok": False, "error": "no result"}

    def entry(pid):
        return {"anon_peak_mib": round(peak[pid] / 1024, 1), "cpu_s": round(cpu.get(pid, 0) / TICKS, 2)}

    seeds = [p for p, r in roles.items() if r == "seed"]
    leechers = [entry(p) for p in order]
    line["memory"] = {
        "seed": entry(seeds[0]) if seeds else None,
        "leechers": leechers,
        "leecher_anon_peak_mib_median": round(statistics.median(l["anon_peak_mib"] for l in leechers), 1)
        if leechers else None,
    }
    print(json.dumps(line))
    return swarm.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
