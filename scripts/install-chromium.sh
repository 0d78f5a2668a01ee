#!/usr/bin/env bash
# Debian's chromium for the browser tests, when it is missing.
exec "$(dirname "$0")/apt-install.sh" "${1:-/usr/bin/chromium}" -- chromium
