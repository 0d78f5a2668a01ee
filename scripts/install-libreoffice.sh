#!/usr/bin/env bash
# LibreOffice (Writer, no GUI) and poppler's pdftoppm, when missing: the screenshots of the generated .docx annexes
# go .docx -> PDF (soffice --headless) -> PNG (pdftoppm). Liberation Serif 2 stands in for Times New Roman with the
# same widths, Vietnamese letters included (version 1 lacks ơ and ư, which LibreOffice would then take elsewhere).
exec "$(dirname "$0")/apt-install.sh" --no-recommends soffice pdftoppm /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf \
    -- libreoffice-writer-nogui poppler-utils fonts-liberation2
