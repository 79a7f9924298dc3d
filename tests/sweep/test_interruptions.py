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

"""cinder-volume dies at each REST call; a new one finishes the work.

A process that dies runs no ``except`` or ``finally`` block. Whatever it
had done stays on the array; the repeat of the operation by a new driver
(as Cinder re-drives it, or an operator retries), then its undo (delete,
detach), must leave the array as it was.
"""

from cinder_powermax import iscsi
from tests.sweep import base
from tests.sweep import operations


class FCInterruptionTest(operations.OperationsMixin, base.SweepTestCase):

    def test_create(self):
        self.interruption_sweep(self.op_create())

    def test_create_past_a_full_group(self):
        self.interruption_sweep(self.op_create_past_full_group())

    def test_detach_into_a_full_group(self):
        self.interruption_sweep(self.op_detach_into_full_group())

    def test_create_snapshot(self):
        self.interruption_sweep(self.op_create_snapshot())

    def test_clone(self):
        self.interruption_sweep(self.op_clone())

    def test_volume_from_snapshot(self):
        self.interruption_sweep(self.op_from_snapshot())

    def test_delete(self):
        self.interruption_sweep(self.op_delete())

    def test_first_attach(self):
        self.interruption_sweep(self.op_attach())

    def test_multi_attach_second_host(self):
        self.interruption_sweep(self.op_attach(
            operations.HOST_B, others=(operations.HOST_A,)))

    def test_last_detach(self):
        self.interruption_sweep(self.op_detach())

    def test_retype(self):
        self.interruption_sweep(self.op_retype())

    def test_retype_in_use(self):
        self.interruption_sweep(self.op_retype(attached=True))


class ISCSIInterruptionTest(FCInterruptionTest):

    driver_class = iscsi.PowerMaxISCSIDriver
