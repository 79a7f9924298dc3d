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

"""Foreign records under every fault, and the process dying.

Volume ``b``'s record names a device of volume ``a`` (see
identity_operations); at every fault point, and through Cinder's
recovery, ``a``'s devices stay as they were on both arrays.
"""

from tests.sweep import base
from tests.sweep import identity_operations
from tests.sweep import operations


class IdentityFaultSweepTest(identity_operations.ForeignRecordMixin,
                             operations.ReplicatedBackendMixin,
                             operations.OperationsMixin, base.SweepTestCase):

    def test_delete(self):
        self.exercise(self.op_foreign_delete())

    def test_delete_replicated(self):
        self.exercise(self.op_foreign_delete('replication_driver_data',
                                             replicated=True))

    def test_extend(self):
        self.exercise(self.op_foreign_extend())

    def test_extend_replicated(self):
        self.exercise(self.op_foreign_extend('replication_driver_data',
                                             replicated=True))

    def test_attach(self):
        self.exercise(self.op_foreign_attach())

    def test_retype(self):
        self.exercise(self.op_foreign_retype())

    def test_failover(self):
        self.exercise(self.op_foreign_failover())

    def test_failback(self):
        self.exercise(self.op_foreign_failback())


class IdentityInterruptionTest(base.Interrupted, IdentityFaultSweepTest):
    """The process dies at each call of each operation."""


class IdentityOutageTest(base.Outage, IdentityFaultSweepTest):
    """Unisphere goes down at each call, until Cinder's recovery."""
