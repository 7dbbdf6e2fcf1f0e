#!/usr/bin/env bash
# Install what Spate's build, tests and scripts need on Debian 12, then check that each is runnable.
#   tools/install-deps.sh            installs only what is missing (apt-get update + apt-get install -y)
#   INSTALL_DEPS_ALWAYS=1 tools/install-deps.sh   runs apt-get update + install -y even if all is present
# Exits non-zero naming every program that is still missing or not runnable. Java and Maven are installed
# only when `java` / `mvn` are absent (the build machines have their own).
set -euo pipefail

PACKAGES=(python3-libtorrent qbittorrent-nox transmission-cli aria2 opentracker mktorrent wrk hyperfine procps
          python3-matplotlib)
command -v java > /dev/null 2>&1 || PACKAGES+=(openjdk-17-jdk-headless)
command -v mvn > /dev/null 2>&1 || PACKAGES+=(maven)

SUDO=()
if (( EUID != 0 )); then
    command -v sudo > /dev/null 2>&1 && SUDO=(sudo) || echo "install-deps: not root and no sudo; only checking" >&2
fi

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

mapfile -t TO_INSTALL < <(missing_packages)
if (( ${#TO_INSTALL[@]} > 0 )) || [[ ${INSTALL_DEPS_ALWAYS:-0} == 1 ]]; then
    if (( EUID == 0 )) || (( ${#SUDO[@]} > 0 )); then
        echo "install-deps: apt-get install ${TO_INSTALL[*]:-${PACKAGES[*]}}" >&2
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${PACKAGES[@]}"
    fi
else
    echo "install-deps: all packages present: ${PACKAGES[*]}" >&2
fi

# name|command that must succeed
CHECKS=(
    "java|java -version"
    "mvn|mvn -v"
    "python3-libtorrent|/usr/bin/python3 -c 'import libtorrent'"
    "qbittorrent-nox|qbittorrent-nox --version"
    "transmission-cli|transmission-cli --version"
    "aria2c|aria2c --version"
    "opentracker|opentracker -h"
    "mktorrent|mktorrent -h"
    "wrk|wrk -v 2>&1 | grep -q '^wrk '"
    "hyperfine|hyperfine --version"
    "procps|ps --version && pgrep --version"
    "python3-matplotlib|/usr/bin/python3 -c 'import matplotlib'"
)
FAILED=()
for check in "${CHECKS[@]}"; do
    name=${check%%|*}
    if ! bash -c "${check#*|}" > /dev/null 2>&1; then
        FAILED+=("$name")
    fi
done
if (( ${#FAILED[@]} > 0 )); then
    echo "install-deps: missing or not runnable: ${FAILED[*]}" >&2
    exit 1
fi
echo "install-deps: ok (java, mvn, libtorrent, qbittorrent-nox, transmission-cli, aria2c, opentracker," \
     "mktorrent, wrk, hyperfine, procps, python3-matplotlib)" >&2
