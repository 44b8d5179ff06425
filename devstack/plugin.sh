#!/usr/bin/env bash
# DevStack plugin of Valence: DevStack sources this file at each phase of
# stack.sh, unstack.sh and clean.sh, with the phase as arguments.

# shellcheck source=devstack/lib/valence
source "$VALENCE_DEVSTACK_DIR/lib/valence"

if is_service_enabled valence-api valence-conductor; then
    case "$1/${2:-}" in
        stack/install)
            echo_summary "Installing Valence"
            install_valence
            ;;
        stack/post-config)
            echo_summary "Configuring Valence"
            configure_valence
            create_valence_accounts
            init_valence
            ;;
        stack/extra)
            echo_summary "Starting Valence"
            start_valence
            register_valence_pod_managers
            ;;
    esac
    case "$1" in
        unstack)
            stop_valence
            ;;
        clean)
            cleanup_valence
            ;;
    esac
fi
