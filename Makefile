# TTĐN: make run (demo server on http://127.0.0.1:8000) and make test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test lint test-sqlite test-postgres browser nginx wrk libreoffice screenshots bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: install
	$(BIN)/ttdn setup --demo
	$(BIN)/ttdn serve --host 127.0.0.1 --port 8000

# Debian's chromium drives the browser tests; installed when missing, waiting for the package lock.
browser:
	@scripts/install-chromium.sh $(CHROMIUM)

# Debian's nginx for tests/test_behind_proxy.py (the test starts its own, as the current user, on a free port).
nginx:
	@scripts/install-nginx.sh

# Debian's wrk, the load generator of bench/pages.py (which falls back to its httpx client without it).
wrk:
	@scripts/apt-install.sh wrk -- wrk

# The habits (lint, format, import contracts, types of the engines), then both databases: all always
# run, all results are shown, and the target fails if any failed.
test: install browser nginx
	@BIN=$(BIN) scripts/run-tests.sh

lint: install
	@BIN=$(BIN) scripts/lint.sh

# LibreOffice (headless) and pdftoppm turn the generated .docx annexes into PNGs; installed when missing.
libreoffice:
	@scripts/install-libreoffice.sh

screenshots: install browser libreoffice
	$(BIN)/python scripts/screenshots.py

bench: install
	$(BIN)/python bench/orgs_bench.py
	$(BIN)/python bench/documents.py --docs 20000
	$(BIN)/python bench/reporting.py
	$(BIN)/python bench/tasks.py

# Regenerate translations (needs GNU gettext; the compiled .mo files are committed).
messages: install
	cd src/ttdn && ../../$(BIN)/ttdn makemessages -l en --no-obsolete && ../../$(BIN)/ttdn compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
