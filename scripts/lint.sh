#!/usr/bin/env bash
# The repository's habits: ruff (lint and format), the import contracts (pyproject.toml), mypy on the engines.
# Every check runs; the exit status is non-zero if any failed.
set -uo pipefail
BIN="${BIN:-.venv/bin}"
failed=0
check() {
    local name="$1"; shift
    if "$@"; then echo "== $name: ok"; else echo "== $name: FAILED"; failed=1; fi
}
check "ruff check" "$BIN/ruff" check --quiet .
check "ruff format" "$BIN/ruff" format --check --quiet .
check "import contracts" "$BIN/lint-imports" --no-cache
check "mypy (engines)" "$BIN/mypy" --no-incremental
exit $failed
