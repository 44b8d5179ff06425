# shellcheck shell=bash
# DevStack's functions, as the Valence plugin's tests stand them in: each
# records its call, one line of shell-quoted words, in $STUB_LOG, and does
# what the tests need of it. iniset writes real INI files, so the tests
# read the configuration the plugin wrote.
#
# Set by the tests: STUB_LOG, STUB_PYTHON (a Python 3 to run iniset),
# STUB_BIN (where the fake Valence commands are), STUB_ENABLED (the enabled
# services, separated by spaces) and STUB_OPENSTACK_FAILURES (how many
# "openstack" commands fail before they succeed).

function _record {
    printf '%q ' "$@" >> "$STUB_LOG"
    printf '\n' >> "$STUB_LOG"
}

function define_plugin { _record define_plugin "$@"; }
function plugin_requires { _record plugin_requires "$@"; }
function echo_summary { :; }

function enable_service {
    _record enable_service "$@"
    STUB_ENABLED="$STUB_ENABLED $*"
}

function is_service_enabled {
    local service
    for service in "$@"; do
        [[ " $STUB_ENABLED " == *" $service "* ]] && return 0
    done
    return 1
}

function die {
    _record die "$@"
    echo "die: $*" >&2
    exit 1
}

function iniset {
    _record iniset "$@"
    [[ "$1" == -sudo ]] && shift
    "$STUB_PYTHON" - "$@" <<'PYTHON'
import configparser
import sys

path, section, option, value = sys.argv[1:5]
config = configparser.RawConfigParser(strict=False)
config.optionxform = str
config.read(path)
if section != 'DEFAULT' and not config.has_section(section):
    config.add_section(section)
config.set(section, option, value)
with open(path, 'w') as f:
    config.write(f)
PYTHON
}

function get_python_exec_prefix { echo "$STUB_BIN"; }
function install_apache_uwsgi { _record install_apache_uwsgi "$@"; }
function setup_develop { _record setup_develop "$@"; }
function recreate_database { _record recreate_database "$@"; }

function database_connection_url {
    echo "mysql+pymysql://root:db-secret@127.0.0.1/$1?charset=utf8"
}

function rpc_backend_add_vhost {
    _record rpc_backend_add_vhost "$@"
    # As rabbitmqctl does: the output must not end up in a URL.
    echo "Adding vhost \"$1\" ..."
}

function get_transport_url {
    echo "rabbit://stackrabbit:rabbit-secret@127.0.0.1:5672/${1:-}"
}

function configure_keystone_authtoken_middleware {
    _record configure_keystone_authtoken_middleware "$@"
    local section=${3:-keystone_authtoken}
    iniset "$1" "$section" auth_type password
    iniset "$1" "$section" auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$1" "$section" username "$2"
    iniset "$1" "$section" password "$SERVICE_PASSWORD"
}

function create_service_user { _record create_service_user "$@"; }
function get_or_add_user_project_role {
    _record get_or_add_user_project_role "$@"
}

function get_or_create_service {
    _record get_or_create_service "$@"
    echo 5a1e7e5e0c3f4d0f9b2f0c2f6a7d1e11
}

function get_or_create_endpoint {
    _record get_or_create_endpoint "$@"
    echo 0e4b8c1d7f6a4e2b9c3d5f7a1b2c3d4e
}

function write_uwsgi_config {
    _record write_uwsgi_config "$@"
    printf '[uwsgi]\nmodule = %s\n' "$2" > "$1"
}

function remove_uwsgi_config { _record remove_uwsgi_config "$@"; }
function run_process { _record run_process "$@"; }
function stop_process { _record stop_process "$@"; }
function wait_for_service { _record wait_for_service "$@"; }
function sleep { _record sleep "$@"; }

function sudo {
    _record sudo "$@"
    "$@"
}

function openstack {
    _record openstack "$@"
    if ((STUB_OPENSTACK_FAILURES > 0)); then
        STUB_OPENSTACK_FAILURES=$((STUB_OPENSTACK_FAILURES - 1))
        echo "Service Unavailable (HTTP 503)" >&2
        return 1
    fi
    echo online
}
