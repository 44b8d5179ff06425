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

"""valence-emulator: pod managers to compose against, good days and bad.

It mirrors the pods, not Valence's drivers, and imports nothing of the
service. The modules:

``pod``         one pod as a WSGI application: auth, routing, ETags, faults,
                state file, control endpoint (the core)
``personality`` the interface a personality implements (read this first)
``redfish``     what Redfish personalities share: errors, sessions,
                collections with $expand/$top/$skip
``rsd``, ``rsd_inventory``, ``rsd_nodes``
                the Intel RSD 2.x pod manager
``expether``    the NEC ExpEther manager (EEM) REST API
``faults``      latency and fault injection
``control``     the /_emulator control endpoint
``server``      cheroot serving, several pods per process, TLS
``cli``         the command line
"""
