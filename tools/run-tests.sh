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
for script in $(find devstack tools .ci -type f \( -name '*.sh' -o -name run \) 2>/dev/null); do
    bash -n "$script" || status=1
done

echo "== unit tests"
"$VENV/bin/stestr" --test-path valence/tests/unit run "$@" || status=1

echo "== Ironic for the functional tests"
# Installed once, from PyPI, in a virtualenv of its own (see
# valence/tests/fixtures/ironic.py); the tests say so if this failed.
"$VENV/bin/python" -m valence.tests.fixtures.ironic

echo "== functional tests"
"$VENV/bin/stestr" --test-path valence/tests/functional run "$@" || status=1

missing=$("$VENV/bin/python" -m valence.tests.fixtures.services)
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
