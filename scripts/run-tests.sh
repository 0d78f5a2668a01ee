#!/usr/bin/env bash
# The habits (scripts/lint.sh), then the whole suite on SQLite, then on PostgreSQL when TTDN_TEST_DATABASE_URL
# is set. All always run; the summary shows every result, and the exit status is non-zero if any failed.
set -uo pipefail
BIN="${BIN:-.venv/bin}"
mkdir -p var
declare -A status summary
run() {
    local name="$1"; shift
    echo "== $name"
    env "$@" "$BIN/pytest" -q "${PYTEST_ARGS[@]}" 2>&1 | tee "var/test-$name.log"
    status[$name]=${PIPESTATUS[0]}
    summary[$name]="$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)|^=+ .*(passed|failed|error).* =+$|no tests ran' "var/test-$name.log" | tail -1)"
}
PYTEST_ARGS=("$@")
echo "== lint"
scripts/lint.sh 2>&1 | tee var/lint.log
lint_status=${PIPESTATUS[0]}
run sqlite TTDN_DATABASE_URL=
names=(sqlite)
if [ -n "${TTDN_TEST_DATABASE_URL:-}" ]; then
    run postgresql TTDN_DATABASE_URL="$TTDN_TEST_DATABASE_URL"
    names+=(postgresql)
else
    echo "== postgresql: not run (TTDN_TEST_DATABASE_URL is not set)"
fi
echo
echo "== results"
failed=0
if [ "$lint_status" = 0 ]; then printf '%-11s %s\n' lint passed; else printf '%-11s %s\n' lint "FAILED (see var/lint.log)"; failed=1; fi
for name in "${names[@]}"; do
    if [ "${status[$name]}" = 0 ]; then word=passed; else word="FAILED (exit ${status[$name]})"; failed=1; fi
    printf '%-11s %s  %s\n' "$name" "$word" "${summary[$name]}"
done
exit $failed
