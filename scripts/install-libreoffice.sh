#!/usr/bin/env bash
# Installs LibreOffice (Writer, no GUI) and poppler's pdftoppm when missing: the screenshots of the
# generated .docx annexes go .docx -> PDF (soffice --headless) -> PNG (pdftoppm).
# Another apt or dpkg process (an unattended upgrade, a second job) may hold the package lock:
# apt waits for it (DPkg::Lock::Timeout) and the whole step is retried while a lock is held.
set -uo pipefail
# Liberation Serif 2 stands in for Times New Roman with the same widths, Vietnamese letters included
# (version 1 lacks ơ and ư, which LibreOffice would then take from another font).
have() {
    command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
        && [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]
}
have && exit 0
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
PACKAGES=(libreoffice-writer-nogui poppler-utils fonts-liberation2)
for attempt in $(seq 1 30); do
    if $SUDO apt-get "${APT[@]}" update -qq \
        && $SUDO apt-get "${APT[@]}" install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
        have && exit 0
    fi
    echo "apt is busy or failed (attempt $attempt/30); waiting for the package lock..." >&2
    sleep 10
done
echo "could not install LibreOffice and poppler-utils" >&2
exit 1
