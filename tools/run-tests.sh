#!/usr/bin/env bash
# Run Valence's whole test suite: lint, unit tests (which include the
# database tests on SQLite, MariaDB and PostgreSQL) and functional tests
# (real processes, RabbitMQ, emulator pods).
#
# The first run creates .venv with everything the tests need, from the
# project's own requirement files. With CI=true every suite must run: a
# missing service fails the run. Otherwise the suites that need a missing
# service are skipped and named at the end with the Debian package that
# provides it.
set -uo pipefail

# shellcheck source=tools/setup-venv.sh
source "$(dirname "$0")/setup-venv.sh"

export OS_STDOUT_CAPTURE=1 OS_STDERR_CAPTURE=1 OS_LOG_CAPTURE=1
export PYTHONDONTWRITEBYTECODE=1
status=0

echo "== lint"
"$VENV/bin/ruff" check valence benchmarks || status=1
# The shell scripts: the tools, the CI entry point and the DevStack plugin
# (whose files have no suffix).
mapfile -t scripts < <(find tools .ci devstack -type f \
    \( -name '*.sh' -o -name run -o -path 'devstack/*' \) 2>/dev/null | sort)
for script in "${scripts[@]}"; do
    bash -n "$script" || status=1
done
if [ "${CI:-}" = "true" ] && ! command -v shellcheck >/dev/null; then
    # CI machines start clean; elsewhere installing is left to the user.
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    $sudo apt-get install -y -q shellcheck >/dev/null ||
        { $sudo apt-get update -q >/dev/null &&
          $sudo apt-get install -y -q shellcheck >/dev/null; } ||
        echo "Could not install shellcheck"
fi
lint_missing=""
if command -v shellcheck >/dev/null; then
    shellcheck -x "${scripts[@]}" || status=1
else
    lint_missing="shellcheck: not run: the lint of the shell scripts (install shellcheck)"
fi

echo "== unit tests"
"$VENV/bin/stestr" --test-path valence/tests/unit run "$@" || status=1

echo "== Ironic for the functional tests"
# Installed once, from PyPI, in a virtualenv of its own (see
# valence/tests/fixtures/ironic.py); the tests say so if this failed.
"$VENV/bin/python" -m valence.tests.fixtures.ironic

echo "== functional tests"
"$VENV/bin/stestr" --test-path valence/tests/functional run "$@" || status=1

missing=$("$VENV/bin/python" -m valence.tests.fixtures.services)
missing=$(printf '%s\n%s' "$lint_missing" "$missing" | sed '/^$/d')
if [ -n "$missing" ]; then
    echo
    echo "Some suites could not run for want of a service:"
    echo "$missing"
    if [ "${CI:-}" = "true" ]; then
        status=1
    fi
fi

if [ $status -eq 0 ]; then
    echo "All tests passed."
else
    echo "Some tests failed."
fi
exit $status
