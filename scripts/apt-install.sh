#!/usr/bin/env bash
# scripts/apt-install.sh [--no-recommends] NEED... -- PACKAGE...: installs the Debian packages unless every NEED (a
# path, or a command name on the PATH) is already there; succeeds when every NEED is there afterwards.
# Another apt or dpkg process (an unattended upgrade, a second job) may hold the package lock: apt waits for it
# (DPkg::Lock::Timeout) and the whole step is retried while a lock is held.
set -uo pipefail
extra=()
if [ "${1:-}" = --no-recommends ]; then extra=(--no-install-recommends); shift; fi
needs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do needs+=("$1"); shift; done
shift
packages=("$@")
have() {
    local need
    for need in "${needs[@]}"; do
        if [[ "$need" == /* ]]; then [ -e "$need" ] || return 1; else command -v "$need" >/dev/null 2>&1 || return 1; fi
    done
}
have && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get is missing: install ${packages[*]} by hand" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
for attempt in $(seq 1 30); do
    if $SUDO apt-get "${APT[@]}" update -qq \
        && $SUDO apt-get "${APT[@]}" install -y -qq "${extra[@]}" "${packages[@]}" >/dev/null; then
        have && exit 0
    fi
    echo "apt is busy or failed (attempt $attempt/30); waiting for the package lock..." >&2
    sleep 10
done
echo "could not install ${packages[*]}" >&2
exit 1
