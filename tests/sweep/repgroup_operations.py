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

"""Replication group operations as the sweeps see them.

Each ``verify`` checks both arrays against what the driver returned: the
group's storage group with the R1s on the primary and the R2s on the
target, and the state of the group's pairs. An SRDF action the driver
reports as ``replication_status = error`` fails the operation, as
Cinder's manager fails it.
"""

import ast

from cinder import exception as cinder_exception

from tests.sweep import base
from tests.sweep import group_operations
from tests.sweep import operations

REP_SPECS = {'consistent_group_replication_enabled': '<is> True'}
TARGET = operations.REP_DEVICE['target_device_id']
FLOWING = {'SyncInProg', 'Synchronized'}


def _checked(result):
    """Raise as Cinder's manager does on an error status."""
    if result[0].get('replication_status') == 'error':
        raise cinder_exception.VolumeDriverException(
            message='replication group action ended in error')
    return result


class RepGroupOperationsMixin(operations.ReplicatedBackendMixin,
                              group_operations.GroupOperationsMixin):
    """Replication group operations on ``self.driver``, both arrays."""

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type({'replication_enabled': '<is> True'})

    @property
    def rem(self):
        return self.fake.model.arrays[TARGET]

    def rem_devices(self, group):
        return sorted(self.rem.storage_groups[self.sg(group)].volumes)

    def r2_of(self, volume):
        return ast.literal_eval(volume.replication_driver_data)['device_id']

    def rep_group(self):
        group = self.group('rg', specs=REP_SPECS)
        self.driver.create_group(self.ctx, group)
        group.replication_status = 'enabled'
        return group

    def rep_group_with_members(self, count=2):
        group = self.rep_group()
        members = [self.member(group) for _ in range(count)]
        self.addCleanup(self.driver.delete_group, self.ctx, group, members)
        return group, members

    def states(self, volumes):
        return {self.arr.rdf[7].pairs[self.device_of(v)].state
                for v in volumes}

    def op_create_rep_group(self):
        def verify(group, update, where=''):
            self.assertEqual('enabled', update['replication_status'], where)
            self.assertEqual([], self.sg_devices(group), where)
            self.assertEqual([], self.rem_devices(group), where)
        return base.Operation(
            lambda: self.group('rg', specs=REP_SPECS),
            lambda g: self.driver.create_group(self.ctx, g), verify,
            lambda g, r: self.driver.delete_group(self.ctx, g, []),
            cleanup=lambda g: self.delete_errored_group(g, []))

    def op_create_into_rep_group(self):
        group = self.rep_group()
        self.addCleanup(self.driver.delete_group, self.ctx, group, [])

        def run(volume):
            volume.update(self.driver.create_volume(volume))
            return volume

        def verify(volume, result, where=''):
            self.assertEqual([self.device_of(volume)],
                             self.sg_devices(group), where)
            self.assertEqual([self.r2_of(volume)], self.rem_devices(group),
                             where)
        return base.Operation(
            lambda: self.volume(1, self.vtype, group_id=group.id,
                                group=group),
            run, verify, lambda v, r: self.driver.delete_volume(v),
            cleanup=lambda v: self.driver.delete_volume(base.errored(v)))

    def op_update_rep_group(self):
        group = self.rep_group()

        def r2_filed(volume, where):
            self.assertEqual([self.r2_of(volume)], self.rem_devices(group),
                             where)
        return self.op_update_group(group, r2_filed)

    def op_disable_replication(self):
        group, members = self.rep_group_with_members()

        def verify(inputs, result, where=''):
            self.assertEqual({'Suspended'}, self.states(members), where)

        return base.Operation(
            lambda: None,
            lambda inputs: _checked(self.driver.disable_replication(
                self.ctx, group, members)), verify,
            lambda inputs, r: self.driver.enable_replication(
                self.ctx, group, members), owners=lambda inputs: members)

    def op_enable_replication(self):
        group, members = self.rep_group_with_members()

        def make():
            self.driver.disable_replication(self.ctx, group, members)

        def verify(inputs, result, where=''):
            self.assertLessEqual(self.states(members), FLOWING, where)

        return base.Operation(
            make, lambda inputs: _checked(self.driver.enable_replication(
                self.ctx, group, members)), verify, lambda inputs, r: None,
            owners=lambda inputs: members)

    def fail_over_group(self, group, members, secondary=None):
        """Fail the group over (or back); the members take the updates."""
        result = _checked(self.driver.failover_replication(
            self.ctx, group, members, secondary))
        for volume, update in zip(members, result[1]):
            volume.update({k: v for k, v in update.items() if k != 'id'})
        return result

    def op_failover_replication(self, back=False):
        """Fail a group of two over, or (``back``) a failed-over one back."""
        group, members = self.rep_group_with_members()
        secondary, states = ('default', FLOWING) if back else (
            None, {'Failed Over'})

        def make():
            records = [base.record(v) for v in members]
            if back:
                self.fail_over_group(group, records)
            return records

        def run(records):
            return self.fail_over_group(group, records, secondary)

        def verify(records, result, where=''):
            self.assertLessEqual(self.states(members), states, where)
            for volume in records:
                self.assertOwnLocation(volume, volume.provider_location,
                                       where)
                self.assertEqual(self.array if back else TARGET,
                                 ast.literal_eval(volume.provider_location)[
                                     'array'], where)

        def undo(records, result):
            if not back:
                self.fail_over_group(group, records, 'default')
        return base.Operation(make, run, verify, undo,
                              owners=lambda records: members)

    def op_delete_rep_group(self):
        def make():
            group = self.rep_group()
            return group, [self.member(group) for _ in range(2)]

        def verify(inputs, result, where=''):
            group, _volumes = inputs
            for array in (self.arr, self.rem):
                self.assertNotIn(self.sg(group), array.storage_groups, where)
            self.assertEqual({}, self.arr.rdf[7].pairs, where)
        return base.Operation(make, self.run_delete_group, verify,
                              lambda inputs, r: None, removes=True)
