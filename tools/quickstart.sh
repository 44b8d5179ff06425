#!/usr/bin/env bash
# Start Valence on this machine with its embedded defaults: the all-in-one
# "valence" process (API and conductor), a SQLite database under
# ~/.valence, no message broker, the API on http://127.0.0.1:8181/.
# Arguments are passed to "valence" (for example --config-file FILE).
# shellcheck source=tools/setup-venv.sh
source "$(dirname "$0")/setup-venv.sh"
exec "$VENV/bin/valence" "$@"
