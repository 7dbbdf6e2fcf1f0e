#!/usr/bin/env bash
# Makes engine.jar's start-up archive for one JVM from a training run of the jar's own commands on loopback.
#
#   tools/startup/train.sh [--java JAVA] [--jar JAR] [--train-mib N]
#                          (defaults: $JAVA_HOME/bin/java or java; engine/target/engine.jar; 4)
#
# JDK 17-24: an AppCDS archive (a static one: the class lists of the training's create, info, seed and leech merged,
# then -Xshare:dump), so each of those commands starts from it. The tracker (Netty: ~1,100 classes more) is left
# out: the JVM relocates the whole archive at every start (ASLR), and those classes made a leecher's start ~60 ms
# longer (23 MiB to relocate instead of 16). JDK 25 and later: an ahead-of-time cache (JEP 483/514,
# -XX:AOTCacheOutput) of the training leecher, which also holds its classes linked and its early profiles.
# Out, beside the jar: startup/KEY.jsa or startup/KEY.aot and startup/KEY.stamp, KEY being the JDK's directory name
# (e.g. java-17-openjdk-amd64). The stamp names the jar (its real path; the stamp's mtime is the jar's) and the JVM
# (java's real path, its release file's JAVA_RUNTIME_VERSION) the archive was made for: tools/spate uses the archive
# only while both still match.
# (Handed a static archive made for another jar, Java 17 says nothing and starts with no class sharing at all, not
# even the JDK's own: slower than plain java -jar.)
# --train-mib N trains on an N MiB torrent (1 MiB pieces above 4) instead: for a JDK 25 cache, whose profiles then
# come from a leecher that ran its data path long enough for C2 (an experiment, perf-results/startup/SUMMARY.md).
# Training: a tracker, `create` of a 4 MiB two-file torrent and `info` side by side, then a seed and a leecher
# (--exit-when-done, plain output) on 127.0.0.1, every port picked by the kernel: ~7 CPU-s, 6-10 s on an idle 2-core
# box. It never fails the build: on any failure it prints a WARNING saying why, removes partial output and exits 0
# (the jar runs as before, without an archive). Only the processes started here are stopped, by PID.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/java}
JAVA=${JAVA:-java}
JAR=$ROOT/engine/target/engine.jar
TRAIN_MIB=4
while (( $# )); do
    case $1 in
        --java) JAVA=$2; shift 2 ;;
        --jar) JAR=$2; shift 2 ;;
        --train-mib) TRAIN_MIB=$2; shift 2 ;;
        *) echo "usage: tools/startup/train.sh [--java JAVA] [--jar JAR] [--train-mib N]" >&2; exit 2 ;;
    esac
done
[[ $TRAIN_MIB =~ ^[0-9]+$ ]] && (( TRAIN_MIB >= 4 && TRAIN_MIB <= 4096 )) \
    || { echo "train.sh: --train-mib wants a whole number of MiB from 4 to 4096, got '$TRAIN_MIB'" >&2; exit 2; }

PIDS=()
WORK=""
START_NS=$(date +%s%N)
cleanup_processes() {  # SIGTERM: the seed and the tracker stop as a user's would; each is waited for
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    PIDS=()
}
cleanup() {
    cleanup_processes
    [[ -n $WORK ]] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

STEPS=""
step() { STEPS+="${STEPS:+, }$1 $(( ($(date +%s%N) - START_NS) / 1000000 ))"; }

give_up() {
    echo "[WARNING] spate start-up archive not made: $1. engine.jar runs as before, without one" \
        "(tools/spate then runs plain java -jar)." >&2
    [[ -n ${TMP_OUT:-} ]] && rm -f "$TMP_OUT"
    exit 0
}

# wait_match SECONDS FILE REGEX PID: until a line of FILE matches (extended regex), while PID lives; prints the match.
wait_match() {
    local deadline=$(( $(date +%s) + $1 ))
    until grep -m1 -E "$3" "$2" 2>/dev/null; do
        (( $(date +%s) < deadline )) && kill -0 "$4" 2>/dev/null || return 1
        sleep 0.05
    done
}

JAVA_BIN=$(command -v "$JAVA") || give_up "no java at '$JAVA'"
JAVA_BIN=$(readlink -f "$JAVA_BIN")
JAVA_HOME_DIR=${JAVA_BIN%/bin/java}
KEY=${JAVA_HOME_DIR##*/}
[[ -f $JAR ]] || give_up "no jar at $JAR"
JAR=$(readlink -f "$JAR")
RUNTIME=""
while IFS='=' read -r key value; do  # as tools/spate reads it
    [[ $key == JAVA_RUNTIME_VERSION ]] && RUNTIME=${value//\"/}
done < "$JAVA_HOME_DIR/release" 2>/dev/null
FEATURE=${RUNTIME%%[.+-]*}
[[ $FEATURE =~ ^[0-9]+$ ]] || give_up "cannot read the version of $JAVA_HOME_DIR (its release file)"
(( FEATURE >= 17 )) || give_up "$RUNTIME is older than Java 17"
OUT=$(dirname "$JAR")/startup
mkdir -p "$OUT" || give_up "cannot make $OUT"
rm -f "$OUT/$KEY".*
WORK=$(mktemp -d "$OUT/train.XXXXXX") || give_up "cannot make a work directory in $OUT"

if (( FEATURE >= 25 )); then KIND=aot; else KIND=jsa; fi
TMP_OUT=$OUT/$KEY.$KIND.tmp
UNSAFE=""  # as tools/spate runs JDK 24+
(( FEATURE >= 24 )) && UNSAFE=--sun-misc-unsafe-memory-access=allow
# train NAME: the JVM options for one training process (word-split where used: no spaces in the paths)
train() {
    echo "$UNSAFE"
    # seed and leech as tools/spate runs them on x86_64: C1 only, native SHA-1 also for the small training torrent
    # (so its classes come from the archive when a large one loads it)
    [[ ($1 == seed || $1 == leech) && $(cat /proc/sys/kernel/arch 2>/dev/null) == x86_64 ]] \
        && echo "-XX:TieredStopAtLevel=1 -Dspate.sha1=native -Dspate.sha1.native.min.bytes=0" \
        && [[ -f $OUT/native/$ACCP_LIB ]] \
        && echo "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true -Djava.library.path=$OUT/native"
    if [[ $KIND == jsa && $1 != tracker ]]; then
        echo "-XX:DumpLoadedClassList=$WORK/$1.classlist"
    elif [[ $1 == leech ]]; then
        echo "-XX:AOTCacheOutput=$TMP_OUT -Xlog:aot=warning:file=$WORK/aot.log -Xlog:cds=warning:file=$WORK/cds.log"
    fi
}

# The native SHA-1's library (io.spate.metainfo.PieceSha1) out of this jar, once: tools/spate points seed and leech
# at it, which saves each of them writing an 8 MB copy to a temporary directory to load it from. Without the JDK's
# jar tool it is left in the jar, where the library finds it itself.
ACCP_LIB=libamazonCorrettoCryptoProvider.so
JAR_TOOL=$(dirname "$JAVA_BIN")/jar
rm -rf "$OUT/native"
if [[ -x $JAR_TOOL ]] && mkdir -p "$OUT/native.tmp" \
    && (cd "$OUT/native.tmp" && "$JAR_TOOL" xf "$JAR" "com/amazon/corretto/crypto/provider/$ACCP_LIB") \
    && [[ -f $OUT/native.tmp/com/amazon/corretto/crypto/provider/$ACCP_LIB ]]; then
    mkdir -p "$OUT/native" && mv "$OUT/native.tmp/com/amazon/corretto/crypto/provider/$ACCP_LIB" "$OUT/native/"
fi
rm -rf "$OUT/native.tmp"

mkdir -p "$WORK/data/content" "$WORK/dl"
PIECE=256K
(( TRAIN_MIB > 4 )) && PIECE=1M
head -c $(( (TRAIN_MIB - 1) * 1048576 )) /dev/urandom > "$WORK/data/content/a.bin"
head -c 1048576 /dev/urandom > "$WORK/data/content/b.bin"

# The tracker, create and info side by side; the seed and the leecher are told the tracker with --tracker.
"$JAVA_BIN" $(train tracker) -jar "$JAR" tracker --bind 127.0.0.1 --port 0 --interval 2 --json \
    > "$WORK/tracker.out" 2> "$WORK/tracker.err" &
TRACKER_PID=$!
PIDS+=("$TRACKER_PID")
timeout 60 "$JAVA_BIN" $(train create) -jar "$JAR" create "$WORK/data/content" -o "$WORK/t.torrent" -p "$PIECE" \
    > "$WORK/create.out" 2>&1 || give_up "create failed: $(tail -c 300 "$WORK/create.out")"
step create
"$JAVA_BIN" $(train info) -jar "$JAR" info "$WORK/t.torrent" > "$WORK/info.out" 2>&1 &
INFO_PID=$!
PIDS+=("$INFO_PID")
line=$(wait_match 60 "$WORK/tracker.out" '"port":[0-9]+' "$TRACKER_PID") \
    || give_up "the training tracker did not start: $(tail -c 300 "$WORK/tracker.err")"
step tracker
TRACKER="http://127.0.0.1:$(sed 's/.*"port":\([0-9]*\).*/\1/' <<< "$line")/announce"

"$JAVA_BIN" $(train seed) -jar "$JAR" seed "$WORK/t.torrent" --dir "$WORK/data" --bind 127.0.0.1 --port 0 \
    --tracker "$TRACKER" --json > "$WORK/seed.out" 2> "$WORK/seed.err" &
SEED_PID=$!
PIDS+=("$SEED_PID")
line=$(wait_match 60 "$WORK/seed.out" '"event":"started".*"port":[0-9]+' "$SEED_PID") \
    || give_up "the training seed did not start: $(tail -c 300 "$WORK/seed.err")"
step seed
SEED_PORT=$(sed 's/.*"port":\([0-9]*\).*/\1/' <<< "$line")

# The leecher finds the seed through the tracker and directly, prints plain lines (as a user sees when not on a
# terminal) and exits once complete.
timeout 90 "$JAVA_BIN" $(train leech) -jar "$JAR" leech "$WORK/t.torrent" --dir "$WORK/dl" --bind 127.0.0.1 \
    --port 0 --tracker "$TRACKER" --peer "127.0.0.1:$SEED_PORT" --exit-when-done > "$WORK/leech.out" 2>&1 \
    || give_up "the training leecher failed: $(tail -c 300 "$WORK/leech.out")"
cmp -s "$WORK/data/content/a.bin" "$WORK/dl/content/a.bin" \
    && cmp -s "$WORK/data/content/b.bin" "$WORK/dl/content/b.bin" \
    || give_up "the training leecher's data differs from the seed's"
step leech
wait "$INFO_PID" || give_up "info failed: $(tail -c 300 "$WORK/info.out")"
cleanup_processes
step stop

if [[ $KIND == jsa ]]; then
    # One list from every process, first-seen order (a class's supertypes come before it).
    awk '!/^#/ && !seen[$0]++' "$WORK"/*.classlist > "$WORK/all.classlist"
    "$JAVA_BIN" $UNSAFE -Xshare:dump -XX:SharedClassListFile="$WORK/all.classlist" -XX:SharedArchiveFile="$TMP_OUT" \
        -cp "$JAR" > "$WORK/dump.out" 2>&1 || give_up "-Xshare:dump failed: $(tail -c 300 "$WORK/dump.out")"
fi
step dump
[[ -s $TMP_OUT ]] \
    || give_up "the JVM wrote no archive ($(cat "$WORK"/aot.log "$WORK"/cds.log 2>/dev/null | tail -c 300))"

# The stamp tools/spate checks: the jar's and java's real paths and the JDK's version, one a line; its mtime is the
# jar's.
mv "$TMP_OUT" "$OUT/$KEY.$KIND" && printf '%s\n%s\n%s\n' "$JAR" "$JAVA_BIN" "$RUNTIME" > "$OUT/$KEY.stamp" \
    && touch -r "$JAR" "$OUT/$KEY.stamp" || give_up "cannot write $OUT/$KEY.$KIND"
TMP_OUT=""
if [[ $KIND == jsa ]]; then WHAT="AppCDS, $(grep -c . "$WORK/all.classlist") classes"; else WHAT="AOT cache"; fi
echo "spate start-up archive: $OUT/$KEY.$KIND ($WHAT, $(( $(stat -c %s "$OUT/$KEY.$KIND") / 1048576 )) MiB)" \
    "made in $(( ($(date +%s%N) - START_NS) / 1000000 )) ms (ms since start: $STEPS)"
