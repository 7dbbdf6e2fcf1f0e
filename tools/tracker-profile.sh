#!/usr/bin/env bash
# Where the Spate tracker's time goes under wrk load: a JFR recording of announce load with keep-alive and with
# "Connection: close", summarised per mode (Java samples of the event-loop thread by method, native samples by
# method). Writes perf-results/tracker/PROFILE.md. Needs engine/target/engine.jar, wrk, jfr (JDK).
#   tools/tracker-profile.sh        # 10 s per mode
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/engine/target/engine.jar
OUT=$ROOT/perf-results/tracker
LUA=$ROOT/tools/tracker-load/request.lua
DURATION=${DURATION:-10}
WORK=$(mktemp -d /tmp/tracker-profile.XXXXXX)
PID=""
cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
for i in $(seq 1 100); do printf 'spate-load-%d' "$i" | sha1sum | cut -c1-40; done > "$WORK/whitelist.txt"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
{
  echo "# Spate tracker profile (JFR) under wrk announce load"
  echo
  echo "Made by \`DURATION=$DURATION tools/tracker-profile.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ); load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg) before the run (the machine is shared). wrk -t2 -c50, ${DURATION}s per mode" \
    "after a 5 s warm-up."
} > "$WORK/PROFILE.md"
for mode in keepalive close; do
  java -Xmx512m -Xms512m -XX:StartFlightRecording=filename="$WORK/$mode.jfr",settings=profile -jar "$JAR" tracker \
    --bind 127.0.0.1 --port "$PORT" --whitelist "$WORK/whitelist.txt" > "$WORK/$mode.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 150); do grep -qs listening "$WORK/$mode.log" && break; sleep 0.2; done
  args=(announce "$WORK/whitelist.txt"); [[ $mode == close ]] && args+=(close)
  timeout 60 wrk -t2 -c50 -d5s -s "$LUA" "http://127.0.0.1:$PORT" -- "${args[@]}" > /dev/null
  rps=$(timeout 90 wrk -t2 -c50 -d"${DURATION}s" -s "$LUA" "http://127.0.0.1:$PORT" -- "${args[@]}" \
    | awk '/Requests\/sec/ {print $2}')
  kill -TERM "$PID"; for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done; PID=""
  jfr print --events jdk.ExecutionSample "$WORK/$mode.jfr" > "$WORK/$mode.exec.txt"
  jfr print --events jdk.NativeMethodSample "$WORK/$mode.jfr" > "$WORK/$mode.native.txt"
  python3 - "$mode" "$rps" "$WORK/$mode.exec.txt" "$WORK/$mode.native.txt" >> "$WORK/PROFILE.md" <<'PY'
import collections, re, sys
mode, rps, exec_path, native_path = sys.argv[1:5]
def samples(path):
    out = []
    for e in open(path).read().split("\njdk.")[0:]:
        m = re.search(r'sampledThread = "([^"]+)"', e)
        if m and m.group(1).startswith("spate-tracker"):
            out.append(re.findall(r'^\s+([\w.$<>]+)\(', e, re.M))
    return out
java = samples(exec_path)
native = samples(native_path)
print("\n## %s (%s req/s over the recording's measured part)\n" % (mode, rps))
print("Event-loop thread: %d Java samples (running), %d native samples (in a system call)." % (len(java), len(native)))
incl = collections.Counter(f for s in java for f in set(s))
groups = [("HTTP decode (Netty)", "HttpObjectDecoder.decode"), ("HTTP encode (Netty)", "HttpObjectEncoder.encode"),
          ("query parse", "AnnounceRequestParser.parseAnnounce"), ("registry", "SwarmRegistry.announce"),
          ("reply bencode", "ReplyEncoder.announce"), ("channel register/close", "AbstractUnsafe.register"),
          ("close", "AbstractUnsafe.close")]
print("\n| Java part | share of Java samples |\n|---|---|")
for name, frame in groups:
    n = sum(c for f, c in incl.items() if f.endswith(frame))
    print("| %s | %.0f%% |" % (name, 100.0 * n / max(1, len(java))))
top = collections.Counter(s[0] for s in native if s)
print("\n| system call (top native frame) | share of native samples |\n|---|---|")
for f, c in top.most_common(6):
    print("| %s | %.0f%% |" % (f.split(".")[-1], 100.0 * c / max(1, len(native))))
PY
done
mkdir -p "$OUT"
cp "$WORK/PROFILE.md" "$OUT/PROFILE.md"
cat "$OUT/PROFILE.md"
