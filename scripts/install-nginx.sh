#!/usr/bin/env bash
# Installs Debian's nginx for tests/test_behind_proxy.py when it is missing (the test starts its own nginx as
# the current user, on a free port of 127.0.0.1, with a configuration in a temporary folder; the package's own
# service is not needed). Another apt or dpkg process may hold the package lock: apt waits for it
# (DPkg::Lock::Timeout) and the whole step is retried while a lock is held.
set -uo pipefail
NGINX="${1:-/usr/sbin/nginx}"
[ -x "$NGINX" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get is missing: install nginx by hand for tests/test_behind_proxy.py" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
for attempt in $(seq 1 30); do
    if $SUDO apt-get "${APT[@]}" update -qq && $SUDO apt-get "${APT[@]}" install -y -qq nginx >/dev/null; then
        [ -x "$NGINX" ] && exit 0
    fi
    echo "apt is busy or failed (attempt $attempt/30); waiting for the package lock..." >&2
    sleep 10
done
echo "could not install nginx" >&2
exit 1
