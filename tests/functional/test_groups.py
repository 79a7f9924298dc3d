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

"""Generic volume groups through the Cinder API, checked on the array.

The calls ``cinder group-type-create``, ``group-type-key``,
``group-create``, ``create --group-id``, ``group-update``,
``group-snapshot-create``, ``group-create-from-src`` and ``group-delete``
make, as the seed's "Generic volume group support" section runs them.
"""

from cinder_powermax import naming
from tests.functional import base
from tests.functional import test_openstack_cli

CG_SPECS = {'consistent_group_snapshot_enabled': '<is> True'}


def _id(shown):
    """The id in the openstack command's JSON (``id`` or ``ID``)."""
    return shown.get('id') or shown['ID']


class GroupTest(base.FunctionalTestCase):

    # Groups from a source need 3.14; everything here runs at that.
    _osapi_version = '3.42'

    def group_type(self, name, **specs):
        return self.api.api_post('/group_types', {'group_type': {
            'name': name, 'group_specs': specs}})['group_type']

    def wait_group(self, group_id, expected='available'):
        return self.wait(
            lambda gid: self.api.api_get('/groups/%s' % gid)['group'],
            group_id, ('creating', 'updating', 'deleting'), expected)

    def create_group(self, name, group_type, volume_types):
        group = self.api.api_post('/groups', {'group': {
            'name': name, 'group_type': group_type,
            'volume_types': volume_types}})['group']
        return self.wait_group(group['id'])

    def update_group(self, group_id, add=(), remove=()):
        self.api.api_put('/groups/%s' % group_id, {'group': {
            'add_volumes': ','.join(add), 'remove_volumes': ','.join(remove)}},
            check_response_status=[202])
        return self.wait_group(group_id)

    def group_snapshot(self, group_id, name):
        snap = self.api.api_post('/group_snapshots', {'group_snapshot': {
            'group_id': group_id, 'name': name}})['group_snapshot']
        return self.wait(
            lambda sid: self.api.api_get(
                '/group_snapshots/%s' % sid)['group_snapshot'],
            snap['id'], ('creating',), 'available')

    def from_source(self, name, **source):
        body = {'name': name}
        body.update(source)
        group = self.api.api_post('/groups/action', {
            'create-from-src': body})['group']
        return self.wait_group(group['id'])

    def delete_group(self, group_id):
        self.api.api_post('/groups/%s/action' % group_id, {
            'delete': {'delete-volumes': True}}, check_response_status=[202])
        self.assertGone(self.wait(
            lambda gid: self.api.api_get('/groups/%s' % gid)['group'],
            group_id, ('deleting',)))

    def assertGone(self, item):
        """Gone, or shown deleted (an admin reads deleted rows)."""
        if item is not None:
            self.assertEqual('deleted', item['status'], item)

    def group_volumes(self, group_id):
        return [v for v in self.api.get_volumes()
                if v.get('group_id') == group_id]

    def sg_devices(self, group):
        name = naming.group_sg_name(group['name'], group['id'])
        return sorted(self.arr.storage_groups[name].volumes)

    def test_group_life(self):
        self.volume_type('cg-diamond', pool_name=base.pool('Diamond'),
                         consistent_group_snapshot_enabled='<is> True')
        gtype = self.group_type('cg', **CG_SPECS)
        group = self.create_group('prod db', gtype['id'], ['cg-diamond'])
        self.assertEqual([], self.sg_devices(group))

        # Volumes created into the group, and one added afterwards.
        members = [self.create_volume(1, 'cg-diamond', name='m%d' % n,
                                      group_id=group['id'])
                   for n in range(2)]
        late = self.create_volume(1, 'cg-diamond', name='late')
        self.update_group(group['id'], add=[late['id']])
        members.append(late)
        devices = sorted(self.device(v) for v in members)
        self.assertEqual(devices, self.sg_devices(group))

        # One consistent SnapVX snapshot over the group.
        gsnap = self.group_snapshot(group['id'], 'nightly')
        name = naming.group_snapshot_name(gsnap['id'])
        sets = {s.snap_id for d in devices
                for s in self.arr.snapshots_of(d) if s.name == name}
        self.assertEqual(1, len(sets))

        # Groups from the group snapshot and from the group itself.
        copy = self.from_source('copy', group_snapshot_id=gsnap['id'])
        clone = self.from_source('clone', source_group_id=group['id'])
        for new in (copy, clone):
            volumes = self.group_volumes(new['id'])
            self.assertEqual(3, len(volumes))
            copies = sorted(self.device(v) for v in volumes)
            self.assertEqual(copies, self.sg_devices(new))
            for device in copies:
                self.assertFalse(self.arr.is_snapvx_target(device))

        # Removing a volume keeps it, out of the group's storage group.
        self.update_group(group['id'], remove=[late['id']])
        self.assertNotIn(self.device(late), self.sg_devices(group))

        self.api.api_delete('/group_snapshots/%s' % gsnap['id'])
        self.assertGone(self.wait(
            lambda sid: self.api.api_get(
                '/group_snapshots/%s' % sid)['group_snapshot'],
            gsnap['id'], ('deleting',)))
        self.assertEqual({}, self.arr.snapshots)
        for gone in (copy, clone, group):
            self.delete_group(gone['id'])
        self.delete_volume(late['id'])
        self.assertArrayClean()

    def test_type_without_consistent_snapshots_is_cinders(self):
        self.volume_type('plain', pool_name=base.pool('Diamond'))
        gtype = self.group_type('generic')
        group = self.create_group('generic', gtype['id'], ['plain'])
        volume = self.create_volume(1, 'plain', group_id=group['id'])
        self.assertEqual(['OS-SRP_1-Diamond-NONE-SG'],
                         self.arr.groups_of(self.device(volume)))
        self.delete_group(group['id'])
        self.assertArrayClean()


class GroupCLITest(test_openstack_cli.OpenStackCLIMixin, GroupTest):
    """The same through the ``openstack volume group`` commands."""

    # GroupTest's scenarios run once, in GroupTest.
    test_group_life = None
    test_type_without_consistent_snapshots_is_cinders = None

    def test_group_commands(self):
        self.openstack('volume', 'type', 'create', 'cg-gold',
                       '--property', 'volume_backend_name=%s' % base.FC,
                       '--property', 'pool_name=%s' % base.pool('Gold'),
                       '--property',
                       'consistent_group_snapshot_enabled=<is> True')
        self.openstack('volume', 'group', 'type', 'create', 'cg')
        self.openstack('volume', 'group', 'type', 'set', '--property',
                       'consistent_group_snapshot_enabled=<is> True', 'cg')
        made = self.openstack_json('volume', 'group', 'create',
                                   '--volume-group-type', 'cg',
                                   '--volume-type', 'cg-gold',
                                   '--name', 'cli-group')
        group = self.wait_group(_id(made))
        volume = self.create_volume(1, 'cg-gold', name='cli-member')
        self.openstack('volume', 'group', 'add', 'volume', 'cli-group',
                       volume['id'])
        self.wait_group(group['id'])
        self.assertEqual([self.device(volume)], self.sg_devices(group))

        snap = self.openstack_json('volume', 'group', 'snapshot', 'create',
                                   'cli-group', '--name', 'cli-gsnap')
        self.wait(lambda sid: self.api.api_get(
            '/group_snapshots/%s' % sid)['group_snapshot'], _id(snap),
            ('creating',), 'available')
        # "openstack volume group create --group-snapshot" sends
        # source_group_id null, which Cinder's schema refuses (400): the
        # client's request is made directly.
        copy = self.from_source('cli-copy', group_snapshot_id=_id(snap))
        copies = [self.device(v) for v in self.group_volumes(copy['id'])]
        self.assertEqual(sorted(copies), self.sg_devices(copy))

        self.openstack('volume', 'group', 'snapshot', 'delete', 'cli-gsnap')
        self.assertGone(self.wait(lambda sid: self.api.api_get(
            '/group_snapshots/%s' % sid)['group_snapshot'], _id(snap),
            ('deleting',)))
        for name, gid in (('cli-copy', copy['id']),
                          ('cli-group', group['id'])):
            self.openstack('volume', 'group', 'delete', '--force', name)
            self.assertGone(self.wait(
                lambda i: self.api.api_get('/groups/%s' % i)['group'], gid,
                ('deleting',)))
        self.assertArrayClean()
