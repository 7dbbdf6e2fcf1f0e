#!/usr/bin/env bash
# Shared by tools/bench-pair.sh and tools/bench-interop.sh: run tools/pair.sh and append its JSON line, with the run
# id, a timestamp, the command, the commit, the machine and the load average, to a results.jsonl.
# Source it after setting ROOT.

BENCH_MACHINE="$(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1 | tr -d '"')"
BENCH_COMMIT="commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_settings DEFAULT_ROUNDS RESULTS_SUBDIR: SIZE_MIB (1024), PIECE_KIB (1024), ROUNDS and OUT
# (perf-results/RESULTS_SUBDIR) from the environment or these defaults; OUT created; RUN = a UTC timestamp id.
bench_settings() {
    SIZE_MIB=${SIZE_MIB:-1024}
    PIECE_KIB=${PIECE_KIB:-1024}
    ROUNDS=${ROUNDS:-$1}
    OUT=${OUT:-$ROOT/perf-results/$2}
    mkdir -p "$OUT"
    RUN=$(date -u +%Y%m%dT%H%M%SZ)
}

# bench_pair RESULTS RUN_ID BENCH_COMMAND ROUND SEEDER LEECHER SIZE_MIB PIECE_KIB: one pair.sh run, one line appended.
bench_pair() {
    local results=$1 run=$2 bench_command=$3 round=$4 seeder=$5 leecher=$6 size=$7 piece=$8
    local before line after
    before=$(load_avg)
    # Work dirs of their own, away from /tmp/spate-swarm.* that other jobs on this machine create and clean up.
    line=$(WORK_ROOT=${WORK_ROOT:-/tmp/spate-bench-work} "$ROOT/tools/pair.sh" "$seeder" "$leecher" "$size" "$piece" \
        2> >(tail -c 2000 >&2)) || true
    after=$(load_avg)
    if [[ -z $line ]]; then
        line=$(printf '{"seeder":"%s","leecher":"%s","bytes":%d,"ok":false,"error":"pair.sh printed nothing"}' \
            "$seeder" "$leecher" $(( size * 1048576 )))
    fi
    "$SPATE_PYTHON" - "$results" "$line" "$run" "$bench_command" "$round" "$before" "$after" \
        "tools/pair.sh $seeder $leecher $size $piece" "$BENCH_MACHINE" "$BENCH_COMMIT" <<'PY' \
        || echo "bench-lib: could not record the line of $seeder -> $leecher: $line" >&2
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
}

# bench_bare RESULTS RUN_ID BENCH_COMMAND ROUND SIZE_MIB: one run of the bare machine pipeline (bench's BarePipeline:
# sendfile -> one loopback TCP connection -> READ_KIB reads (16) -> positional writes -> SHA-1 on a second thread, no
# protocol) on the pairs' data file, appended as a row with seeder and leecher "bare" (its "seconds" are the transfer
# only: no JVM launch). Needs bench/target/bench.jar and the data made by a pair.sh run of the same size.
bench_bare() {
    local results=$1 run=$2 bench_command=$3 round=$4 size=$5
    local data=${DATA_DIR:-/tmp/spate-data}/random-${size}MiB.bin
    local command="java -cp bench/target/bench.jar io.spate.bench.BarePipeline --file $data --read-kib ${READ_KIB:-16}"
    command+=" --out ${WORK_ROOT:-/tmp/spate-bench-work}/bare --verify"
    local before line after
    before=$(load_avg)
    # shellcheck disable=SC2086
    line=$(cd "$ROOT" && timeout 300 $command 2> >(tail -c 2000 >&2)) || true
    after=$(load_avg)
    if [[ -z $line ]]; then
        line=$(printf '{"bytes":%d,"ok":false,"error":"BarePipeline printed nothing"}' $(( size * 1048576 )))
    fi
    "$SPATE_PYTHON" - "$results" "$line" "$run" "$bench_command" "$round" "$before" "$after" \
        "$command" "$BENCH_MACHINE" "$BENCH_COMMIT" <<'PY' \
        || echo "bench-lib: could not record the bare pipeline's line: $line" >&2
import datetime, json, sys
path, line, run, bench_command, rnd, before, after, command, machine, commit = sys.argv[1:]
row = {"run": run, "ts": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "round": int(rnd),
       "command": command, "bench_command": bench_command, "load_before": before, "load_after": after,
       "machine": machine, "commit": commit, "seeder": "bare", "leecher": "bare"}
bare = json.loads(line)
bare.pop("round", None)
row.update(bare)
row.setdefault("ok", "mb_per_s" in bare)
row.setdefault("identical", bool(bare.get("verified")))
row["piece_kib"] = bare.get("piece_kib", 0)
row["error"] = bare.get("error")
with open(path, "a") as f:
    f.write(json.dumps(row, separators=(",", ":")) + "\n")
print(json.dumps(row, separators=(",", ":")))
PY
}
