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

"""Replication group operations under every fault, and the process dying.

The fake's leak check covers both arrays: a group storage group, a pair
or an R2 left on either side is debris.
"""

from tests.sweep import base
from tests.sweep import repgroup_operations


class RepGroupFaultSweepTest(repgroup_operations.RepGroupOperationsMixin,
                             base.SweepTestCase):

    def test_create_group(self):
        self.exercise(self.op_create_rep_group())

    def test_create_into_group(self):
        self.exercise(self.op_create_into_rep_group())

    def test_update_group(self):
        self.exercise(self.op_update_rep_group())

    def test_disable_replication(self):
        self.exercise(self.op_disable_replication())

    def test_enable_replication(self):
        self.exercise(self.op_enable_replication())

    def test_failover_replication(self):
        self.exercise(self.op_failover_replication())

    def test_failback_replication(self):
        self.exercise(self.op_failover_replication(back=True))

    def test_delete_group(self):
        self.exercise(self.op_delete_rep_group())


class RepGroupInterruptionTest(base.Interrupted, RepGroupFaultSweepTest):
    """The process dies at each call of each operation."""


class RepGroupOutageTest(base.Outage, RepGroupFaultSweepTest):
    """Unisphere goes down at each call, until Cinder's recovery."""
