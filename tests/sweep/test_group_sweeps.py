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

"""Group operations under every fault, and with the process dying.

Groups do not depend on the protocol, so the Fibre Channel driver stands
for both.
"""

from tests.sweep import base
from tests.sweep import group_operations


class GroupFaultSweepTest(group_operations.GroupOperationsMixin,
                          base.SweepTestCase):

    def test_create_group(self):
        self.assertGreater(self.sweep(self.op_create_group()), 0)

    def test_update_group(self):
        self.sweep(self.op_update_group())

    def test_group_snapshot(self):
        self.sweep(self.op_group_snapshot())

    def test_delete_group_snapshot(self):
        self.sweep(self.op_delete_group_snapshot())

    def test_group_from_group_snapshot(self):
        self.sweep(self.op_group_from_source(from_snapshot=True))

    def test_group_from_source_group(self):
        self.sweep(self.op_group_from_source())

    def test_delete_group(self):
        self.sweep(self.op_delete_group())


class GroupInterruptionTest(group_operations.GroupOperationsMixin,
                            base.SweepTestCase):

    def test_create_group(self):
        self.interruption_sweep(self.op_create_group())

    def test_update_group(self):
        self.interruption_sweep(self.op_update_group())

    def test_group_snapshot(self):
        self.interruption_sweep(self.op_group_snapshot())

    def test_delete_group_snapshot(self):
        self.interruption_sweep(self.op_delete_group_snapshot())

    def test_group_from_group_snapshot(self):
        self.interruption_sweep(self.op_group_from_source(
            from_snapshot=True))

    def test_group_from_source_group(self):
        self.interruption_sweep(self.op_group_from_source())

    def test_delete_group(self):
        self.interruption_sweep(self.op_delete_group())


class GroupOutageTest(base.Outage, GroupFaultSweepTest):
    """Unisphere goes down at each call and stays down until the recovery."""
