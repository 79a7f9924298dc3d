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

"""Manage, unmanage and migration under every fault, and with death.

They do not depend on the protocol: the Fibre Channel driver stands for
both, on a backend with a Synchronous replication device for the
replicated types.
"""

from tests.sweep import base
from tests.sweep import operations


class ManageFaultSweepTest(operations.ReplicatedBackendMixin,
                           operations.OperationsMixin, base.SweepTestCase):

    def test_manage(self):
        self.exercise(self.op_manage())

    def test_manage_from_no_group(self):
        self.exercise(self.op_manage(grouped=False))

    def test_manage_replicated(self):
        self.exercise(self.op_manage_replicated())

    def test_manage_replicated_from_no_group(self):
        self.exercise(self.op_manage_replicated(grouped=False))

    def test_unmanage(self):
        self.exercise(self.op_unmanage())

    def test_unmanage_replicated(self):
        self.exercise(self.op_unmanage_replicated())

    def test_manage_snapshot(self):
        self.exercise(self.op_manage_snapshot())

    def test_unmanage_snapshot(self):
        self.exercise(self.op_unmanage_snapshot())

    def test_migrate(self):
        self.exercise(self.op_migrate())

    def test_update_migrated_volume(self):
        self.exercise(self.op_update_migrated())


class ManageInterruptionTest(base.Interrupted, ManageFaultSweepTest):
    """The manage sweeps, the process dying at each call."""


class ManageOutageTest(base.Outage, ManageFaultSweepTest):
    """The manage sweeps, Unisphere down from each call on."""
