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

"""Retype, migration, manage and unmanage through Cinder and its CLI.

Cinder's API and volume manager decide what reaches the driver (retype
with its destination host, migrate_volume, manage with the type of the
request); the array must show the device where the operation put it.
"""

import time

from tests.functional import base
from tests.functional import test_attach
from tests.functional import test_openstack_cli

USER_SG = 'user_sg'
GB_CYL = 547
GOING = ('available', 'deleting', 'unmanaging')


class RetypeManageTest(base.FunctionalTestCase):

    # The helpers, not the tests, of the CLI and attach test cases.
    openstack = test_openstack_cli.OpenStackCLITest.openstack
    openstack_json = test_openstack_cli.OpenStackCLITest.openstack_json
    attach = test_attach.AttachTest.attach
    detach = test_attach.AttachTest.detach

    def wait_migration(self, volume_id):
        deadline = time.time() + base.TIMEOUT
        while time.time() < deadline:
            volume = self.api.get_volume(volume_id)
            if volume.get('migration_status') in ('success', 'error'):
                return volume
            time.sleep(0.1)
        self.fail('migration of %s did not end' % volume_id)

    def retype(self, volume_id, type_name, status):
        self.openstack('volume', 'set', '--type', type_name,
                       '--retype-policy', 'on-demand', volume_id)
        deadline = time.time() + base.TIMEOUT
        while time.time() < deadline:
            volume = self.api.get_volume(volume_id)
            if volume['volume_type'] == type_name and \
                    volume['status'] == status:
                return volume
            time.sleep(0.1)
        self.fail('retype of %s to %s did not finish' % (volume_id,
                                                         type_name))

    def test_retype_available_and_in_use(self):
        self.volume_type('fc', pool_name=base.pool(),
                         **{'storagetype:portgroupname': 'OS-fibre-PG'})
        gold = self.volume_type(
            'gold', pool_name=base.pool('Gold'),
            **{'storagetype:portgroupname': 'OS-fibre-PG'})
        qos = self.qos_specs('gold-qos', total_iops_sec='500')
        self.associate_qos(qos['id'], gold['id'])
        volume = self.create_volume(type_name='fc')
        device = self.device(volume)
        self.retype(volume['id'], 'gold', 'available')
        self.assertEqual([base.GOLD_SG], self.arr.groups_of(device))
        self.assertEqual(device, self.device(volume))
        self.retype(volume['id'], 'fc', 'available')
        self.assertEqual([base.DEFAULT_SG], self.arr.groups_of(device))

        _info, volume = self.attach(volume['id'], test_attach.FC_CONNECTOR)
        self.retype(volume['id'], 'gold', 'in-use')
        groups = self.arr.groups_of(device)
        self.assertEqual(['Gold'], [self.arr.storage_groups[g].slo
                                    for g in groups])
        self.assertEqual(1, len(self.arr.views_of_device(device)))
        self.detach(self.api.get_volume(volume['id']))
        self.assertEqual([base.GOLD_SG], self.arr.groups_of(device))
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_migrate_between_fc_and_iscsi_backends(self):
        self.api.api_post('/types', {'volume_type': {
            'name': 'any', 'extra_specs': {}}})
        volume = self.create_volume(type_name='any')
        device = self.device(volume)
        source = volume['os-vol-host-attr:host']
        other = base.ISCSI if '@%s#' % base.FC in source else base.FC
        destination = '%s@%s#%s' % (base.HOST, other, base.pool())
        self.action(volume['id'], 'os-migrate_volume', {
            'host': destination, 'force_host_copy': False})
        volume = self.wait_migration(volume['id'])
        self.assertEqual('success', volume['migration_status'])
        self.assertEqual(destination, volume['os-vol-host-attr:host'])
        self.assertEqual(device, self.device(volume))
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def user_device(self, identifier):
        with self.fake.model.lock:
            if USER_SG not in self.arr.storage_groups:
                self.arr.create_group(USER_SG, srp=base.SRP, slo='Gold')
            return self.arr.create_volumes(USER_SG, 1, GB_CYL,
                                           identifier)[0]

    def test_manage_unmanage_volume_and_snapshot(self):
        self.volume_type('fc', pool_name=base.pool())
        device = self.user_device('appvol')
        host = '%s@%s' % (base.HOST, base.FC)
        listed = self.openstack_json('block', 'storage', 'volume',
                                     'manageable', 'list', host)
        self.assertIn(device, str(listed))
        volume = self.api.api_post('/manageable_volumes', {'volume': {
            'host': '%s#%s' % (host, base.pool()), 'name': 'managed',
            'ref': {'source-name': 'appvol'}, 'volume_type': 'fc'}})
        volume = self.wait_volume(volume['volume']['id'], ('creating',),
                                  'available')
        self.assertEqual(device, self.device(volume))
        self.assertEqual([base.DEFAULT_SG], self.arr.groups_of(device))

        with self.fake.model.lock:
            self.arr.create_snapshot('appsnap', [device], 0)
        snap = self.api.api_post('/manageable_snapshots', {'snapshot': {
            'volume_id': volume['id'], 'name': 'managed-snap',
            'ref': {'source-name': 'appsnap'}}})['snapshot']
        self.wait_snapshot(snap['id'], ('creating',), 'available')
        self.assertEqual(['OS-appsnap'],
                         [s.name for s in self.arr.snapshots_of(device)])
        self.api.api_post('/snapshots/%s/action' % snap['id'],
                          {'os-unmanage': None})
        self.assertIsNone(self.wait_snapshot(snap['id'], GOING))
        self.assertEqual(['appsnap'],
                         [s.name for s in self.arr.snapshots_of(device)])
        with self.fake.model.lock:
            self.arr.delete_snapshot('appsnap', [device])

        self.action(volume['id'], 'os-unmanage', {})
        self.assertIsNone(self.wait_volume(volume['id'], GOING))
        self.assertEqual(volume['id'], self.arr.volumes[device].identifier)
        self.assertEqual([], self.arr.groups_of(device))
        self.assertNotIn(base.DEFAULT_SG, self.arr.storage_groups)
