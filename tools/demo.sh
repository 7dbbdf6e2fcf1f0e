#!/usr/bin/env bash
# Spate's main job for now: build the engine, generate a folder of data (nested folders, a 0-byte file, random
# content), make a .torrent of it with `create` (hashing on all cores) and print it with `info`.
# Usage: bash tools/demo.sh            (DEMO_MB=512 bash tools/demo.sh for more data; KEEP=1 keeps the files)
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_MB="${DEMO_MB:-128}"
mvn -q -DskipTests package

work="$(mktemp -d /tmp/spate-demo.XXXXXX)"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

data="$work/demo"
mkdir -p "$data/videos/2024" "$data/docs" "$data/empty-folder-with-file"
head -c "$((DEMO_MB * 1024 * 1024))" /dev/urandom > "$data/videos/2024/big.bin"
head -c 1000000 /dev/urandom > "$data/videos/small.bin"
printf 'Spate demo data\n' > "$data/docs/README.txt"
: > "$data/empty-folder-with-file/zero-bytes"

jar=engine/target/engine.jar
echo "== create ($DEMO_MB MiB in $data)"
java -jar "$jar" create "$data" -o "$work/demo.torrent" \
    --tracker http://127.0.0.1:6969/announce --comment "Spate demo"
echo "== info"
java -jar "$jar" info "$work/demo.torrent"
echo "== info --json"
java -jar "$jar" info --json "$work/demo.torrent"
if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $work"; fi
