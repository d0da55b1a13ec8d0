#!/bin/sh
# Installs what building and testing Stasis needs on Debian (run as root; a no-op
# when everything is already there). The project itself is built by Maven.
# The Slurm packages are for SlurmTest, which starts its own single-node Slurm: without
# root they cannot be installed, and that test is skipped, loudly (CI runs as root).
set -eu

packages="gcc make libc6-dev liblz4-dev lz4 openjdk-17-jdk-headless maven util-linux procps python3 bash perl"
slurm="slurmctld slurmd slurm-client munge"

missing_of() {
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf ' %s' "$p"
    done
}

# shellcheck disable=SC2086
missing=$(missing_of $packages)
# shellcheck disable=SC2086
missing_slurm=$(missing_of $slurm)
if [ "$(id -u)" != 0 ]; then
    if [ -n "$missing" ]; then
        echo "setup.sh: missing packages:$missing; run this script as root" >&2
        exit 1
    fi
    if [ -n "$missing_slurm" ]; then
        echo "setup.sh: warning: missing$missing_slurm: SlurmTest will be skipped (run this script as root)" >&2
    fi
    missing_slurm=""
fi
if [ -n "$missing$missing_slurm" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q $missing $missing_slurm
fi
echo "setup.sh: build dependencies present"
