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

"""Generic volume group operations as the sweeps see them.

Each ``verify`` checks the array against what the driver returned: the
group's storage group and its members, one snapshot set over the group,
copies that no longer depend on their source.
"""

import ast

from cinder import exception as cinder_exception

from cinder_powermax import naming
from tests.sweep import base
from tests.unit import group_objects


def _location(update):
    return ast.literal_eval(update['provider_location'])


class GroupOperationsMixin(group_objects.GroupTestMixin):
    """Group operations, against ``self.driver`` and ``self.arr``."""

    def op_create_group(self):
        def verify(group, update, where=''):
            self.assertEqual({'status': 'available'}, update, where)
            self.assertEqual([], self.sg_devices(group), where)
        return base.Operation(
            self.group, lambda g: self.driver.create_group(self.ctx, g),
            verify, lambda g, r: self.driver.delete_group(self.ctx, g, []),
            cleanup=lambda g: self.delete_errored_group(g, []))

    def delete_errored_group(self, group, volumes):
        """Cinder deletes a group a failed create left in error.

        Its volumes are in error too, without the locations the failed
        call did not return.
        """
        self.run_delete_group((base.record(group, status='deleting'),
                               [base.errored(v) for v in volumes]))

    def op_update_group(self, group=None, verify_more=None):
        """Add a volume to a group.

        :param group: the group (a new consistent-snapshot group if None)
        :param verify_more: ``verify_more(volume, where)`` checks more
        """
        group = group or self.make_group()
        self.addCleanup(self.driver.delete_group, self.ctx, group, [])

        def run(volume):
            return self.driver.update_group(self.ctx, group,
                                            add_volumes=[volume])

        def verify(volume, result, where=''):
            self.assertEqual([self.device_of(volume)],
                             self.sg_devices(group), where)
            if verify_more is not None:
                verify_more(volume, where)

        def undo(volume, result):
            self.driver.update_group(self.ctx, group,
                                     remove_volumes=[volume])
            self.driver.delete_volume(volume)
        return base.Operation(lambda: self.create(vtype=self.vtype), run,
                              verify, undo)

    def op_group_snapshot(self):
        group, members = self.source_group()

        def run(inputs):
            return self.driver.create_group_snapshot(self.ctx, *inputs)

        def verify(inputs, result, where=''):
            gsnap, _snaps = inputs
            name = naming.group_snapshot_name(gsnap.id)
            sets = set()
            for update in result[1]:
                device = _location(update)['source_id']
                sets |= {s.snap_id for s in self.arr.snapshots_of(device)
                         if s.name == name}
            self.assertEqual(1, len(sets), where)
        return base.Operation(
            lambda: self.group_snapshot(group, members), run, verify,
            lambda inputs, r: self.driver.delete_group_snapshot(
                self.ctx, *inputs),
            cleanup=self.delete_errored_group_snapshot)

    def delete_errored_group_snapshot(self, inputs):
        """Cinder deletes a group snapshot a failed create left in error."""
        gsnap, snaps = inputs
        update, _snaps = self.driver.delete_group_snapshot(
            self.ctx, base.record(gsnap, status='deleting'),
            [base.record(s, status='deleting', provider_location=None)
             for s in snaps])
        if update['status'] != 'deleted':
            # Cinder's manager fails the delete on that status.
            raise cinder_exception.VolumeDriverException(
                message='group snapshot delete ended %s' % update['status'])

    def op_delete_group_snapshot(self):
        group, members = self.source_group()

        def verify(inputs, result, where=''):
            self.assertEqual({}, self.arr.snapshots, where)
        return base.Operation(
            lambda: self.take_group_snapshot(group, members),
            lambda inputs: self.driver.delete_group_snapshot(self.ctx,
                                                             *inputs),
            verify, lambda inputs, r: None, removes=True)

    def op_group_from_source(self, from_snapshot=False):
        """A new group copied from a group snapshot or a source group."""
        group, members = self.source_group(1)
        source = {'source_group': group, 'source_vols': members}
        # What the new group's record says it comes from.
        origin = {'source_group_id': group.id}
        if from_snapshot:
            gsnap, snaps = self.take_group_snapshot(group, members)
            self.addCleanup(self.driver.delete_group_snapshot, self.ctx,
                            gsnap, snaps)
            source = {'group_snapshot': gsnap, 'snapshots': snaps}
            origin = {'group_snapshot_id': gsnap.id}

        def make():
            new = self.group('copy', **origin)
            return new, [self.volume(group_id=new.id, group=new)]

        def run(inputs):
            return self.driver.create_group_from_src(self.ctx, *inputs,
                                                     **source)

        def verify(inputs, result, where=''):
            new, volumes = inputs
            devices = [_location(u)['device_id'] for u in result[1]]
            self.assertEqual(sorted(devices), self.sg_devices(new), where)
            for device in devices:
                self.assertFalse(self.arr.is_snapvx_target(device), where)

        def undo(inputs, result):
            new, volumes = inputs
            for volume, update in zip(volumes, result[1]):
                volume.provider_location = update['provider_location']
            self.run_delete_group((new, volumes))
        return base.Operation(
            make, run, verify, undo,
            owners=lambda inputs: inputs[1] + members,
            cleanup=lambda inputs: self.delete_errored_group(*inputs))

    def op_delete_group(self):
        def make():
            group = self.make_group()
            return group, [self.member(group) for _ in range(2)]

        def verify(inputs, result, where=''):
            group, _volumes = inputs
            self.assertNotIn(self.sg(group), self.arr.storage_groups, where)
        return base.Operation(make, self.run_delete_group, verify,
                              lambda inputs, r: None, removes=True)

    def run_delete_group(self, inputs):
        """Delete a group and its volumes; fail as Cinder's manager does."""
        update = self.driver.delete_group(self.ctx, *inputs)
        if update[0]['status'] != 'deleted':
            # Cinder's manager fails the delete on that status.
            raise cinder_exception.VolumeDriverException(
                message='group delete ended %s' % update[0]['status'])
        return update
