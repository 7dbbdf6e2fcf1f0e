#!/usr/bin/env bash
# One seed and N leechers of the same client (tools/swarm.sh), clients interleaved round by round; JSON lines to
# perf-results/swarm/swarm-results.jsonl (with run id, timestamp, command, commit, load average) and the median time to
# the last leecher's completion per client to perf-results/swarm/SUMMARY.md. Drawn by tools/charts.py (swarm.png).
#
#   tools/bench-swarm.sh                                   # 1 GiB, 8 leechers, spate aria2 libtorrent, 1 round
#   ROUNDS=3 CLIENTS="spate aria2" LEECHERS=8 SIZE_MIB=1024 tools/bench-swarm.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tools/common.sh"
. "$ROOT/tools/bench-lib.sh"
bench_settings 1 swarm
CLIENTS=${CLIENTS:-spate aria2 libtorrent}
LEECHERS=${LEECHERS:-8}
COMMAND="ROUNDS=$ROUNDS CLIENTS=\"$CLIENTS\" LEECHERS=$LEECHERS SIZE_MIB=$SIZE_MIB PIECE_KIB=$PIECE_KIB tools/bench-swarm.sh"
RESULTS=$OUT/swarm-results.jsonl
for round in $(seq 1 "$ROUNDS"); do
    for client in $CLIENTS; do
        list=$(printf "$client,%.0s" $(seq 1 "$LEECHERS")); list=${list%,}
        before=$(load_avg)
        line=$(WORK_ROOT=${WORK_ROOT:-/tmp/spate-bench-work} "$ROOT/tools/swarm.sh" "$client" "$list" "$SIZE_MIB" \
            "$PIECE_KIB" 2> >(tail -c 2000 >&2)) || true
        after=$(load_avg)
        [[ -n $line ]] || line='{"ok":false,"error":"swarm.sh printed nothing"}'
        "$SPATE_PYTHON" - "$RESULTS" "$line" "$RUN" "$COMMAND" "$round" "$before" "$after" \
            "tools/swarm.sh $client $list $SIZE_MIB $PIECE_KIB" "$BENCH_MACHINE" "$BENCH_COMMIT" <<'PY'
import datetime, json, sys
path, line, run, bench_command, rnd, before, after, command, machine, commit = sys.argv[1:]
row = {"run": run, "ts": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "round": int(rnd),
       "command": command, "bench_command": bench_command, "load_before": before, "load_after": after,
       "machine": machine, "commit": commit}
row.update(json.loads(line))
with open(path, "a") as f:
    f.write(json.dumps(row, separators=(",", ":")) + "\n")
print(json.dumps(row, separators=(",", ":")))
PY
    done
done
"$SPATE_PYTHON" - "$RESULTS" "$RUN" "$OUT/SUMMARY.md" <<'PY'
import json, statistics, sys
path, run, out = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
rows = [r for r in rows if r.get("run") == run]
groups = {}
for r in rows:
    groups.setdefault(r.get("seeder", "?"), []).append(r)
first = rows[0]
lines = ["# Swarm: one seed and N leechers of one client, time to the last leecher", "",
         "Run `%s`, %s, recorded in `swarm-results.jsonl`. Command: `%s`" % (run, first.get("commit"),
                                                                          first.get("bench_command")), "",
         "Machine: %s; load average before: %s, after: %s (shared 2-core box)." % (first.get("machine"),
             first.get("load_before"), rows[-1].get("load_after")), "",
         "| client | leechers | size MiB | rounds | seconds to the last (per round) | median s | median aggregate MB/s |"
         " identical | failures |", "|---|---|---|---|---|---|---|---|---|"]
for client, rs in groups.items():
    ok = [r for r in rs if r.get("ok")]
    secs = [r["wall_seconds"] for r in ok]
    agg = [r["aggregate_mb_per_s"] for r in ok]
    lines.append("| %s | %s | %s | %d | %s | %s | %s | %s | %s |" % (
        client, len(rs[0].get("leechers") or []), (rs[0].get("bytes") or 0) >> 20, len(rs),
        ", ".join("%.1f" % s for s in secs) or "-", "%.1f" % statistics.median(secs) if secs else "-",
        "%.1f" % statistics.median(agg) if agg else "-", "yes" if all(r.get("identical") for r in rs) else "NO",
        "; ".join(str(r.get("error")) for r in rs if not r.get("ok")) or "0"))
lines += ["", "seconds: tools/swarm.sh's wall_seconds, from the leechers' launch (all at once, processes) to the last "
          "leecher's complete event; aggregate MB/s = bytes x leechers / that time (10^6 bytes/s).", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
