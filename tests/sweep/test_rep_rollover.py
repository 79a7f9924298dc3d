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

"""Replicated operations past a full -RE group, each call faulted.

Both arrays hold one device per storage group here: the type's -RE group
is full with a keeper, so every volume goes to the numbered group
``...-RE-2-SG``, made and protected (on both arrays) by the first create
into it and removed by the last delete. The leak check covers both.
"""

from tests.sweep import base
from tests.sweep import operations

SECOND = 'OS-SRP_1-Diamond-NONE-RE-2-SG'


class ReplicatedRolloverSweepTest(operations.ReplicatedBackendMixin,
                                  operations.OperationsMixin,
                                  base.SweepTestCase):

    def setUp(self):
        super().setUp()
        self.fill_first(1)

    def fill_first(self, limit):
        """Groups of ``limit`` devices; the first -RE group full."""
        for array in (self.arr, self.rem):
            array.max_sg_devices = limit
        vtype = self.rep_type()
        while operations.RE_SG not in self.arr.storage_groups or len(
                self.arr.members(operations.RE_SG)) < limit:
            keeper = self.create(vtype=vtype)
            self.addCleanup(self.driver_call('delete_volume'), keeper)

    def assertInSecond(self, volume, where=''):
        """Paired, the R1 and R2 each in the second -RE group."""
        r1 = self.assertDevice(volume, where)
        r2 = operations.naming_location(volume.replication_driver_data)
        pair = self.arr.rdf[7].pairs.get(r1)
        self.assertIsNotNone(pair, where)
        self.assertEqual(r2, pair.r2_dev, where)
        self.assertEqual([SECOND], self.arr.groups_of(r1), where)
        self.assertEqual([SECOND], self.rem.groups_of(r2), where)
        self.assertEqual([7], self.arr.sg_rdf_groups(SECOND), where)

    def test_create_into_the_next_group(self):
        self.exercise(self.op_create(self.rep_type(), self.assertInSecond))

    def test_delete_from_the_next_group(self):
        self.exercise(self.op_delete_replicated())

    def test_retype_into_the_next_group(self):
        self.exercise(self._retype_op(
            self.create, self.rep_type(),
            lambda volume, result, where='': self.assertInSecond(result,
                                                                 where)))

    def test_failover_of_numbered_groups(self):
        # Two pairs in the second -RE group of two devices.
        self.fill_first(2)
        self.exercise(self.op_failover())

    def test_manage_into_the_next_group(self):
        # The user's group holds a keeper and the device to manage.
        self.fill_first(2)
        op = self.op_manage_replicated()
        self.exercise(op._replace(
            verify=lambda inputs, volume, where='': self.assertInSecond(
                volume, where)))


class ReplicatedRolloverInterruptionTest(ReplicatedRolloverSweepTest):

    def exercise(self, op):
        """The process dies at each call; a new driver finishes.

        The new driver meets the full group afresh.
        """
        self.interruption_sweep(op)
