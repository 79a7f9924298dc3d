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

"""Cinder generic volume groups and group snapshots for driver tests."""

import uuid

from cinder import objects
import fixtures

from cinder_powermax import naming

CG_SPECS = {'consistent_group_snapshot_enabled': '<is> True'}


class GroupTestMixin:
    """Cinder group objects over group types held in a dict.

    The unit tests run without Cinder's database; the group type lookup
    is its one seam, answered from ``self.group_types``.
    """

    def setUp(self):
        super().setUp()
        self.group_types = {}
        self.useFixture(fixtures.MockPatch(
            'cinder.volume.group_types.get_group_type',
            side_effect=lambda ctxt, type_id, expected_fields=None: {
                'id': type_id, 'group_specs': self.group_types[type_id]}))
        self.vtype = self.volume_type()

    def group(self, name='grp', specs=None, vtypes=None, **fields):
        type_id = str(uuid.uuid4())
        self.group_types[type_id] = dict(CG_SPECS if specs is None
                                         else specs)
        vtypes = vtypes if vtypes is not None else [self.vtype]
        values = dict(context=self.ctx, id=str(uuid.uuid4()), name=name,
                      group_type_id=type_id, status='creating',
                      volume_type_ids=[t.id for t in vtypes],
                      volume_types=objects.VolumeTypeList(objects=vtypes))
        values.update(fields)
        return objects.Group(**values)

    def make_group(self, name='grp', **kwargs):
        group = self.group(name, **kwargs)
        self.assertEqual({'status': 'available'},
                         self.driver.create_group(self.ctx, group))
        return group

    def source_group(self, count=2):
        """A group of ``count`` members, deleted at the test's end."""
        group = self.make_group('src')
        members = [self.member(group) for _ in range(count)]
        self.addCleanup(self.driver.delete_group, self.ctx, group, members)
        return group, members

    def member(self, group, size=1, vtype=None):
        return self.create(size, vtype or self.vtype, group_id=group.id,
                           group=group)

    def sg(self, group):
        return naming.group_sg_name(group.name, group.id)

    def sg_devices(self, group):
        return sorted(self.arr.storage_groups[self.sg(group)].volumes)

    def group_snapshot(self, group, members):
        gsnap = objects.GroupSnapshot(
            context=self.ctx, id=str(uuid.uuid4()), group_id=group.id,
            group=group, group_type_id=group.group_type_id,
            status='creating')
        snaps = [self.snapshot(v, group_snapshot_id=gsnap.id)
                 for v in members]
        return gsnap, snaps

    def take_group_snapshot(self, group, members):
        gsnap, snaps = self.group_snapshot(group, members)
        update, snap_updates = self.driver.create_group_snapshot(
            self.ctx, gsnap, snaps)
        self.assertEqual({'status': 'available'}, update)
        for snap, snap_update in zip(snaps, snap_updates):
            self.assertEqual(snap.id, snap_update.pop('id'))
            snap.update(snap_update)
        return gsnap, snaps

    def names_on(self, device):
        return [(s.name, s.snap_id) for s in self.arr.snapshots_of(device)]
