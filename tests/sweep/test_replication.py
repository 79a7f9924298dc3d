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

"""Replicated operations, each call faulted, and the process dying.

The fake's leak check covers both arrays: pairs, R2 devices and the
replicated groups on the target are debris like anything else.
"""

from tests.sweep import base
from tests.sweep import operations


class ReplicationFaultSweepTest(operations.ReplicatedBackendMixin,
                                operations.OperationsMixin,
                                base.SweepTestCase):

    def test_create(self):
        self.exercise(self.op_create_replicated())

    def test_create_later_volume(self):
        keeper = self.create(vtype=self.rep_type())
        self.addCleanup(self.driver.delete_volume, keeper)
        self.exercise(self.op_create_replicated())

    def test_delete(self):
        self.exercise(self.op_delete_replicated())

    def test_extend(self):
        self.exercise(self.op_extend_replicated())

    def test_failover(self):
        self.exercise(self.op_failover())

    def test_retype_to_replicated(self):
        self.exercise(self.op_retype_to_replicated())

    def test_retype_from_replicated(self):
        self.exercise(self.op_retype_from_replicated())


class ReplicationInterruptionTest(base.Interrupted, ReplicationFaultSweepTest):
    """The process dies at each call; a new driver recovers."""


class ReplicationOutageTest(base.Outage, ReplicationFaultSweepTest):
    """Unisphere goes down at each call and stays down until the recovery."""
