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

"""Every call of every operation failed with every kind of fault."""

from cinder_powermax import iscsi
from tests.sweep import base
from tests.sweep import operations


class FCFaultSweepTest(operations.OperationsMixin, base.SweepTestCase):

    def test_create(self):
        self.assertGreater(self.sweep(self.op_create()), 0)

    def test_create_with_qos(self):
        vtype = self.volume_type(qos={'total_iops_sec': '1000'})
        self.sweep(self.op_create(vtype))

    def test_delete(self):
        self.sweep(self.op_delete())

    def test_extend(self):
        self.sweep(self.op_extend())

    def test_extend_in_use(self):
        self.sweep(self.op_extend(attached=True))

    def test_create_snapshot(self):
        self.sweep(self.op_create_snapshot())

    def test_delete_snapshot(self):
        self.sweep(self.op_delete_snapshot())

    def test_volume_from_snapshot(self):
        self.sweep(self.op_from_snapshot())

    def test_clone(self):
        self.sweep(self.op_clone())

    def test_revert(self):
        self.sweep(self.op_revert())

    def test_first_attach(self):
        self.sweep(self.op_attach())

    def test_further_attach(self):
        keeper = self.create()
        self.driver.initialize_connection(keeper, self.connector())
        self.addCleanup(self.cleanup_volume_on, keeper,
                        operations.HOST_A)
        self.sweep(self.op_attach())

    def test_multi_attach_second_host(self):
        self.sweep(self.op_attach(operations.HOST_B,
                                  others=(operations.HOST_A,)))

    def test_detach(self):
        self.sweep(self.op_detach(last=False))

    def test_last_detach(self):
        self.sweep(self.op_detach())

    def test_create_past_a_full_group(self):
        self.sweep(self.op_create_past_full_group())

    def test_detach_into_a_full_group(self):
        self.sweep(self.op_detach_into_full_group())

    def test_retype(self):
        self.sweep(self.op_retype())

    def test_retype_in_use(self):
        self.sweep(self.op_retype(attached=True))

    def test_stats(self):
        self.sweep(self.op_stats())

    def test_setup(self):
        self.sweep(self.op_setup())


class ISCSIFaultSweepTest(FCFaultSweepTest):

    driver_class = iscsi.PowerMaxISCSIDriver


class FCOutageTest(base.Outage, FCFaultSweepTest):
    """Unisphere goes down at each call and stays down until the recovery."""
