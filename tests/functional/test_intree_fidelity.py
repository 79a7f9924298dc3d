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

"""The fake judged by a client written against real arrays.

The in-tree driver, unmodified and in a process of its own, runs its
replicated lifecycle in each SRDF mode (create, extend, snapshot, clone,
failover, failback, delete) and a consistent group's lifecycle against
the fake served over HTTPS. What it sends and what the fake answers is
judged by the API description as every exchange is; each run must pass,
carry the volumes' data where it belongs and leave both arrays as they
were.
"""

import ddt

from tests.bench import drivers
from tests.unit import base
from tests.unit import intree


@ddt.ddt
class InTreeFidelityTest(base.DriverTestCase):

    def run_intree(self, what):
        url, ca_path = self.fake.start_https()
        fc = dict(intree.sections(self, url, ca_path)[
            drivers.BACKENDS['FC']],
            # Jobs of the fake finish by the next poll: no waiting.
            interval=0, retries=200)
        sections = {drivers.BACKENDS['FC']: fc}
        for section, device in drivers.REP_BACKENDS.values():
            sections[section] = dict(fc, volume_backend_name=section,
                                     replication_device=device)
        error = intree.run(self, 'intree_lifecycle', sections, self.array,
                           url, what)['error']
        self.assertIsNone(error, error)

    @ddt.data(*drivers.REP_BACKENDS)
    def test_replicated_lifecycle(self, backend):
        baseline = self.fake.snapshot()
        self.run_intree(backend)
        self.assertEqual([], self.fake.check(baseline))

    def test_consistent_group_lifecycle(self):
        baseline = self.fake.snapshot()
        self.run_intree('group')
        self.assertEqual([], self.fake.check(baseline))
