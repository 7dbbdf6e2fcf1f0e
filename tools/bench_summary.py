#!/usr/bin/python3
"""Write a SUMMARY.md from the JSON lines of one benchmark run (tools/bench-pair.sh, tools/bench-interop.sh).

  bench_summary.py RESULTS.jsonl RUN_ID OUT.md TITLE [--ratio A_SEEDER:A_LEECHER/B_SEEDER:B_LEECHER ...]
                   [--goal TEXT ...] [--note TEXT ...]

Only the lines whose "run" is RUN_ID are used. Per (seeder, leecher): the rounds' MB/s, their median, the median
seconds, and whether every round's bytes were identical. Each --ratio prints median(A) / median(B). Every figure is
computed from the file; nothing is typed by hand.
"""
import json
import statistics
import sys

BARE = ("bare", "bare")  # rows of bench's BarePipeline (tools/bench-lib.sh bench_bare)


def load(path, run_id):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                row = json.loads(line)
                if row.get("run") == run_id:
                    rows.append(row)
    return rows


def main(argv):
    path, run_id, out, title = argv[:4]
    ratios, goals, notes = [], [], []
    rest = argv[4:]
    for flag, value in zip(rest[::2], rest[1::2]):
        {"--ratio": ratios, "--goal": goals, "--note": notes}[flag].append(value)
    rows = load(path, run_id)
    if not rows:
        sys.exit("no rows with run %s in %s" % (run_id, path))
    groups = {}
    for r in rows:
        groups.setdefault((r["seeder"], r["leecher"]), []).append(r)
    medians = {}
    own_medians = {}
    lines = ["# %s" % title, "", "Run `%s` (%s to %s UTC), recorded in `%s` (lines with `\"run\":\"%s\"`)."
             % (run_id, rows[0]["ts"], rows[-1]["ts"], path.split("/")[-1], run_id), ""]
    first = rows[0]
    lines += ["Command: `%s`" % first.get("bench_command", "?"), "",
              "Machine: %s; load average before the run: %s, after: %s. Size %d MiB, %d KiB pieces, %s."
              % (first.get("machine", "?"), first.get("load_before", "?"), rows[-1].get("load_after", "?"),
                 first["bytes"] // 1048576, first.get("piece_kib", 0), first.get("commit", "?")), "",
              "| seeder → leecher | rounds | MB/s per round | median MB/s | median s | Spate leecher's own s |"
              " Spate leecher's CPU s | identical | failures |",
              "|---|---|---|---|---|---|---|---|---|"]
    for (seeder, leecher), rs in groups.items():
        ok = [r for r in rs if r.get("ok") and r.get("mb_per_s") is not None]
        rates = [r["mb_per_s"] for r in ok]
        secs = [r["seconds"] for r in ok]
        med = statistics.median(rates) if rates else None
        medians[(seeder, leecher)] = med
        failures = "; ".join(str(r.get("error")) for r in rs if not r.get("ok")) or "0"
        own = [r["leecher_own_seconds"] for r in ok if r.get("leecher_own_seconds") is not None]
        if own:
            own_medians[(seeder, leecher)] = statistics.median([r["bytes"] / 1e6 / x for r, x in zip(ok, own)])
        cpu = [r.get("leecher_own_cpu_seconds", r.get("cpu_seconds")) for r in ok]
        cpu = [x for x in cpu if x is not None]
        lines.append("| %s → %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            seeder, leecher, len(rs), ", ".join("%.1f" % x for x in rates) or "-",
            "%.1f" % med if med is not None else "-",
            "%.2f" % statistics.median(secs) if secs else "-",
            "%.2f" % statistics.median(own) if own else "-",
            "%.2f" % statistics.median(cpu) if cpu else "-",
            "yes" if rs and all(r.get("identical") for r in rs) else "NO", failures))
    if ratios:
        lines += ["", "Ratios of medians (same run):", ""]
        for ratio in ratios:
            a, b = ratio.split("/")
            ka, kb = tuple(a.split(":")), tuple(b.split(":"))
            if ka not in groups or kb not in groups:
                continue  # a pair this run did not include (PAIRS picked others)
            ma, mb = medians.get(ka), medians.get(kb)
            value = "%.2f" % (ma / mb) if ma and mb else "n/a (a pair failed)"
            if kb == BARE:  # a share of what the machine moves with no protocol: said as a percentage
                value = "%.0f %% of the bare pipeline" % (100 * ma / mb) if ma and mb else "n/a (a run failed)"
                lines.append("- %s → %s / the bare machine pipeline: **%s**" % (ka[0], ka[1], value))
            else:
                lines.append("- %s → %s / %s → %s: **%s**" % (ka[0], ka[1], kb[0], kb[1], value))
            oa = own_medians.get(ka)
            if oa and mb:
                lines.append("  - the same on the Spate leecher's own clock (without its JVM launch and boot): %s"
                             % ("%.0f %%" % (100 * oa / mb) if kb == BARE else "%.2f" % (oa / mb)))
    if goals:
        lines += ["", "Goals (from the issue):", ""] + ["- %s" % g for g in goals]
    if notes:
        lines += ["", "Notes:", ""] + ["- %s" % n for n in notes]
    lines += ["", "MB/s = 10^6 bytes / second. seconds: from the leecher client's start (process launch; a JVM start "
              "for Spate) to its \"complete\" event (data whole and verified), per tools/pair.sh. "
              "Spate leecher's own s: the same on Spate's "
              "own clock (the seconds of its complete event: from its command's start inside the JVM, so without "
              "the JVM's launch and boot). Spate leecher's CPU s: the CPU its JVM had used by then, every thread "
              "(the JIT's too), from its complete event.", ""]
    if BARE in groups:
        cpu = [r["cpu_seconds"] for r in groups[BARE] if r.get("cpu_seconds") is not None]
        lines[-1:-1] = ["bare → bare: bench's BarePipeline on the same data file in the same rounds (one process, no "
                        "protocol: sendfile into one loopback TCP connection, %s KiB socket reads, positional writes, "
                        "SHA-1 of each piece on a second thread; command `%s`). Its seconds are the transfer alone "
                        "(no JVM launch): from the first sendfile to the last piece hashed and written; its CPU, all "
                        "threads, median %s s. So Spate's figure from launch against it is the stricter comparison, "
                        "the own-clock one the closer."
                        % (groups[BARE][0].get("read_kib", "?"), groups[BARE][0].get("command", "?"),
                           "%.2f" % statistics.median(cpu) if cpu else "-")]
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
