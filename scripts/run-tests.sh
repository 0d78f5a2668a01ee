#!/usr/bin/env bash
# The habits (scripts/lint.sh), then the whole suite on SQLite, then on PostgreSQL: TTDN_TEST_DATABASE_URL, or a
# fresh database on the server at 127.0.0.1:5432 (dropped afterwards). All always run; the summary shows every
# result, and the exit status is non-zero if any failed (a missing PostgreSQL server counts as a failure).
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
pg_failed=0
if [ -z "${TTDN_TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null 2>&1 \
        && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    db="ttdn_test_$$_$(date +%s)"
    if psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db" >/dev/null 2>&1; then
        TTDN_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$db"
        drop_db() {
            for name in "$db" "test_$db"; do
                psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
            done
        }
        trap drop_db EXIT
    fi
fi
if [ -n "${TTDN_TEST_DATABASE_URL:-}" ]; then
    run postgresql TTDN_DATABASE_URL="$TTDN_TEST_DATABASE_URL"
    names+=(postgresql)
else
    echo "== postgresql: no server at 127.0.0.1:5432 and TTDN_TEST_DATABASE_URL is not set"
    pg_failed=1
fi
echo
echo "== results"
failed=0
if [ "$lint_status" = 0 ]; then printf '%-11s %s\n' lint passed; else printf '%-11s %s\n' lint "FAILED (see var/lint.log)"; failed=1; fi
if [ "$pg_failed" = 1 ]; then printf '%-11s %s\n' postgresql "FAILED (no PostgreSQL server)"; failed=1; fi
for name in "${names[@]}"; do
    if [ "${status[$name]}" = 0 ]; then word=passed; else word="FAILED (exit ${status[$name]})"; failed=1; fi
    printf '%-11s %s  %s\n' "$name" "$word" "${summary[$name]}"
done
exit $failed
