#!/usr/bin/env bash
# Debian's nginx for tests/test_behind_proxy.py, when it is missing (the test starts its own nginx as the current
# user, on a free port of 127.0.0.1, with a configuration in a temporary folder; the package's service is not needed).
exec "$(dirname "$0")/apt-install.sh" "${1:-/usr/sbin/nginx}" -- nginx
