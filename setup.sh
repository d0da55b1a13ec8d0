#!/bin/sh
# Installs what building and testing Stasis needs on Debian (run as root; a no-op
# when everything is already there). The project itself is built by Maven.
set -eu

packages="gcc make libc6-dev liblz4-dev lz4 openjdk-17-jdk-headless maven util-linux procps python3 bash perl"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "setup.sh: missing packages:$missing; run this script as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q $missing
fi
echo "setup.sh: build dependencies present"
