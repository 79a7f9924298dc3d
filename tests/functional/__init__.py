# Copyright (c) 2026 cinder_powermax developers
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Functional tests: real Cinder services in-process on this driver.

Cinder's API, scheduler and volume services run in-process on SQLite, as
in Cinder's own functional tests; the volume service loads the FC and the
iSCSI driver from ``volume_driver`` and talks HTTPS to the fake Unisphere
served on loopback. Run them with ``tox -e functional``.
"""

# Cinder's services run on eventlet; patch before anything imports
# requests or urllib3, as cinder.tests.unit does for Cinder's own tests.
from cinder import monkey_patch  # noqa: E402
monkey_patch.patch()
