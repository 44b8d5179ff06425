#!/usr/bin/env bash
# Valence's quick start: a walk-through of the main job with the embedded
# defaults, on this machine, with no hardware.
#
# It sets up .venv, starts the all-in-one "valence" process (REST API and
# conductor, SQLite, no message broker) and emulated pods of each kind
# (RSD, DMTF composition service, NEC ExpEther), then drives them with the
# "openstack valence" CLI: register the pods, sync their inventory, create
# a flavor, compose a node from it, attach a GPU, power the node on,
# register it in Ironic if an Ironic answers, detach the GPU and
# decompose the node. Everything it started is stopped at the end.
#
#   tools/quickstart.sh          the walk-through
#   tools/quickstart.sh --keep   the same, then keep Valence and the pods
#                                running until Ctrl-C, to try more
#
# VALENCE_QUICKSTART_DIR is where the database, configuration and logs go
# (emptied first; default ~/.valence/quickstart); IRONIC_URL is the Ironic
# to register the node in (default http://127.0.0.1:6385, a standalone
# Ironic without authentication).
set -euo pipefail

keep=false
case "${1:-}" in
    --keep) keep=true ;;
    "") ;;
    *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
VENV=${VALENCE_VENV:-.venv}
PY=$VENV/bin/python
STATE=${VALENCE_QUICKSTART_DIR:-$HOME/.valence/quickstart}
IRONIC_URL=${IRONIC_URL:-http://127.0.0.1:6385}
rm -rf "$STATE"
mkdir -p "$STATE"

echo "== Setting up .venv (the first time takes a few minutes)"
# pip's own chatter goes to a log, shown only if something went wrong.
if ! tools/setup-venv.sh > "$STATE/setup.log" 2>&1; then
    tail -n 40 "$STATE/setup.log"
    echo "Setting up .venv failed; the whole log is $STATE/setup.log." >&2
    exit 1
fi

pids=()
steps=()
current="starting"
finished=false

# shellcheck disable=SC2317  # called by the trap
finish() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    echo
    echo "== Summary"
    local step
    for step in "${steps[@]}"; do
        echo "  $step"
    done
    if [ "$finished" = true ]; then
        status=0
    elif [ "$status" -ne 0 ]; then
        echo "  FAILED:  $current"
        echo "  The logs are in $STATE (valence.log, emulator.log)."
    fi
    echo "Valence and the emulated pods are stopped; the database and logs"
    echo "are in $STATE."
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

step() {
    current=$1
    echo
    echo "== $1"
}

done_step() {
    steps+=("done:    $current")
}

# Each CLI command is shown as a user would type it against a standalone
# Valence (the authentication options are the same for all of them).
cli() {
    local arg line="\$ openstack valence"
    for arg in "$@"; do
        # Quoted as a shell needs it, so the line can be pasted.
        if [[ "$arg" =~ [^A-Za-z0-9_./:=,@%+-] ]]; then
            arg="'$arg'"
        fi
        line+=" $arg"
    done
    echo "$line" >&2
    "$VENV/bin/openstack" --os-auth-type none --valence-api-url "$API" \
        valence "$@"
}

# Wait until a URL answers HTTP at all (any status), or fail after some
# seconds (60 by default).
wait_for_http() {
    "$PY" - "$1" "$2" "${3:-60}" <<'PYTHON'
import sys
import time
import urllib.error
import urllib.request

url, what, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + seconds
while True:
    try:
        urllib.request.urlopen(url, timeout=2)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit('%s did not answer at %s' % (what, url))
        time.sleep(0.2)
PYTHON
}

free_port() {
    "$PY" - "$1" <<'PYTHON'
import socket
import sys

with socket.socket() as sock:
    try:
        sock.bind(('127.0.0.1', int(sys.argv[1])))
    except OSError:
        sock.bind(('127.0.0.1', 0))
    print(sock.getsockname()[1])
PYTHON
}

step "Start three emulated pods: RSD, DMTF composition service, ExpEther"
"$VENV/bin/valence-emulator" --pod rsd:0 --pod dmtf:0 --pod expether:0 \
    --profile rack --ready-file "$STATE/emulator-ready.json" \
    > "$STATE/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do
    [ -s "$STATE/emulator-ready.json" ] && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$STATE/emulator.log"; exit 1; }
    sleep 0.1
done
mapfile -t POD_URLS < <("$PY" -c 'import json, sys
for pod in json.load(open(sys.argv[1]))["pods"]:
    print(pod["url"])' "$STATE/emulator-ready.json")
printf '  %s\n' "rsd      ${POD_URLS[0]}" "dmtf     ${POD_URLS[1]}" \
    "expether ${POD_URLS[2]}"
done_step

step "Start the all-in-one valence (SQLite in $STATE, no broker)"
PORT=$(free_port 8181)
API=http://127.0.0.1:$PORT
cat > "$STATE/valence.conf" <<EOF
[DEFAULT]
state_path = $STATE

[api]
port = $PORT
EOF
if wait_for_http "$IRONIC_URL" Ironic 2 2>/dev/null; then
    IRONIC=true
    # A standalone Ironic, as in Ironic's own quick start.
    cat >> "$STATE/valence.conf" <<EOF

[ironic]
auth_type = none
endpoint_override = $IRONIC_URL
EOF
else
    IRONIC=false
fi
"$VENV/bin/valence" --config-file "$STATE/valence.conf" \
    --log-file "$STATE/valence.log" > /dev/null 2>&1 &
pids+=($!)
wait_for_http "$API/v1" "Valence"
echo "  the API: $API/"
done_step

step "Register the pods' managers"
cli podmanager create rsd "${POD_URLS[0]}" --driver redfishv1 \
    --username admin --password password -c name -c driver -c status
cli podmanager create dmtf "${POD_URLS[1]}" --driver redfishv2 \
    --username admin --password password -c name -c driver -c status
cli podmanager create expether "${POD_URLS[2]}/eem" --driver expether \
    --username admin --password password -c name -c driver -c status
done_step

step "Read the pods' inventory"
cli device sync
# The sync runs in the background: wait until every pod has been read.
for podm in rsd dmtf expether; do
    for _ in $(seq 300); do
        synced=$("$VENV/bin/openstack" --os-auth-type none \
            --valence-api-url "$API" valence podmanager show "$podm" \
            -f value -c last_sync_at)
        [ "$synced" != None ] && [ -n "$synced" ] && break
        sleep 0.2
    done
done
cli podmanager list
cli device list --type GPU --state free --limit 5
done_step

step "Create a flavor: 8 cores, 16 GiB"
cli flavor create small --description "8 cores, 16 GiB" \
    --processor total_cores=8 --memory capacity_mib=16384 \
    -c name -c properties
done_step

step "Compose a node from the flavor on the RSD pod"
cli node compose node-1 --flavor small --podm rsd --wait \
    -c name -c state -c resource_uri -c power_state
done_step

step "Attach a free GPU of the same pod to the node"
GPU=$(cli device list --podm rsd --type GPU --state free --limit 1 \
    -f value -c uuid)
echo "$GPU"
cli node attach node-1 "$GPU" --wait -c name -c state
cli node device list node-1 -c uuid -c type -c state
done_step

step "Power the node on"
cli node power node-1 On
cli node show node-1 -c name -c state -c power_state
done_step

step "Register the node in Ironic"
if [ "$IRONIC" = true ]; then
    cli node register node-1 --wait \
        -c name -c state -c ironic_node_uuid
    done_step
else
    echo "  No Ironic answers at $IRONIC_URL: skipped. Set IRONIC_URL to a"
    echo "  standalone Ironic (no authentication) to include this step."
    steps+=("skipped: $current (no Ironic at $IRONIC_URL)")
fi

step "Detach the GPU"
cli node detach node-1 "$GPU" --wait -c name -c state
done_step

step "Decompose the node"
cli node delete node-1 --wait
done_step
finished=true

if [ "$keep" = true ]; then
    echo
    echo "Valence is at $API/ and the pods at ${POD_URLS[*]}. For example:"
    echo "  .venv/bin/openstack --os-auth-type none --valence-api-url $API valence device list"
    echo "Press Ctrl-C to stop them."
    wait "${pids[@]}"
fi
