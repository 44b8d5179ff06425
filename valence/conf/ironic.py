# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""The [ironic] group: how Valence reaches Ironic to register nodes.

Besides Valence's own options the group holds keystoneauth's usual ones:
the auth plugin (``auth_type`` with its options: ``auth_url``,
``username``...), the HTTP session (``cafile``, ``timeout``...) and the
endpoint (``endpoint_override``, ``valid_interfaces``, ``region_name``...).
With ``auth_type = none`` and ``endpoint_override`` Valence talks to a
standalone Ironic without Keystone.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = cfg.OptGroup(
    'ironic', title='Ironic options',
    help='How Valence reaches OpenStack Ironic to register composed nodes. '
         'Use "auth_type = password" with the Keystone options, or '
         '"auth_type = none" with "endpoint_override" for a standalone '
         'Ironic.')

opts = [
    cfg.IntOpt('api_max_retries',
               default=3,
               min=0,
               help='How many times a request to Ironic is retried when '
                    'Ironic cannot be reached, answers 503, or answers 409 '
                    '(its node is locked by one of its conductors).'),
    cfg.FloatOpt('api_retry_interval',
                 default=2.0,
                 min=0,
                 help='Seconds between two attempts of a request to '
                      'Ironic.'),
    cfg.IntOpt('state_change_timeout',
               default=300,
               min=1,
               help='Seconds to wait for an Ironic node to reach the '
                    'provision state Valence asked for (manageable, then '
                    'available when a registration asks to "provide" the '
                    'node; manageable before unregistering an available '
                    'node). A registration that waited this long returns '
                    'with the state the node has reached, for instance '
                    'while Ironic is still cleaning it.'),
]

# keystoneauth's defaults are for any service; these suit Ironic's
# endpoint in the catalog. A finite timeout keeps a hung Ironic from
# holding a conductor thread for ever.
_KEYSTONEAUTH_DEFAULTS = {
    'service_type': 'baremetal',
    'valid_interfaces': ['internal', 'public'],
    'timeout': 60,
}


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(opts, group=GROUP)
    ks_loading.register_auth_conf_options(conf, GROUP.name)
    registered = (
        ks_loading.register_session_conf_options(conf, GROUP.name) +
        ks_loading.register_adapter_conf_options(conf, GROUP.name,
                                                 include_deprecated=False))
    # On the options themselves: a default set with conf.set_default would
    # be undone by CONF.reset().
    cfg.set_defaults(registered, **_KEYSTONEAUTH_DEFAULTS)


def list_opts():
    """Every option of the group for the sample configuration.

    keystoneauth registers the options of the chosen auth plugin only when
    it loads it; the sample shows those of the ``password`` plugin, the
    one used with Keystone.
    """
    listed = list(opts) + ks_loading.get_auth_common_conf_options()
    names = {opt.dest for opt in listed}
    for extra in (ks_loading.get_auth_plugin_conf_options('password'),
                  ks_loading.get_session_conf_options(),
                  ks_loading.get_adapter_conf_options(
                      include_deprecated=False)):
        for opt in extra:
            if opt.dest not in names:
                names.add(opt.dest)
                listed.append(opt)
    # keystoneauth returns new option objects on every call: changing
    # their defaults here changes nothing that is registered.
    cfg.set_defaults(listed, **_KEYSTONEAUTH_DEFAULTS)
    return sorted(listed, key=lambda opt: opt.name)
