#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every test (`mvn -B verify`).
#   bash tools/test.sh [MAVEN ARGS...]
# Needs root, and says so rather than half-running: apt-get installs the third-party clients the interop tests
# drive (tools/install-deps.sh), DiskFullTest mounts a small tmpfs to fill, and the swarm lab's test creates network
# namespaces. `.ci/run` calls this script.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if (( EUID != 0 )); then
    echo "tools/test.sh: must run as root (apt-get install of the test clients, a tmpfs mount, network namespaces)" >&2
    exit 2
fi
tools/install-deps.sh
mvn -B verify "$@"
