#!/usr/bin/env bash
# Create (once) and update the virtual environment .venv with Valence and
# everything its tests need, from the project's own requirement files.
# Sourced by the other tools; VALENCE_VENV and PYTHON override the defaults.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
VENV=${VALENCE_VENV:-.venv}
PYTHON=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV"; then
        echo "Cannot create a virtual environment with $PYTHON;" \
             "on Debian: apt install python3-venv" >&2
        exit 1
    fi
fi
"$VENV/bin/python" -m pip install -q --upgrade pip || exit 1
"$VENV/bin/python" -m pip install -q -c upper-constraints.txt \
    -r requirements.txt -r test-requirements.txt -e . || exit 1
