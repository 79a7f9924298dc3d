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

"""Retype, driver-assisted migration and the end of a generic migration.

The real driver runs against the fake; the tests assert where the device
is (groups, views, identifiers, host I/O limits) and that nothing is left.
"""

from tests.fake_unisphere import data
from tests.unit import base
from tests.unit import test_attach

SID = data.POWERMAX_8000
DIAMOND_SG = 'OS-SRP_1-Diamond-NONE-SG'
GOLD_SG = 'OS-SRP_1-Gold-NONE-SG'
GOLD = 'Gold+SRP_1+%s' % SID
QOS = {'total_iops_sec': '500'}


def host(pool, serial=SID, srp='SRP_1'):
    """Cinder's destination host dict for a pool of a backend."""
    level = pool.split('+')[0]
    return {'host': 'host@other#%s' % pool,
            'capabilities': {'location_info': '%s#%s#%s#NONE' % (
                serial, srp, level)}}


class MigrationTestCase(base.DriverTestCase):
    """Helpers that play Cinder's part in a migration."""

    def generic_migration(self, volume, new_volume):
        """What Cinder's manager does once its copy is done.

        :returns: the record of the old device, as Cinder deletes it
        """
        update = self.driver.update_migrated_volume(
            self.ctx, volume, new_volume, 'available')
        old_location = volume.provider_location
        old_name_id = volume._name_id if volume.obj_attr_is_set(
            '_name_id') else None
        volume.update(update)
        new_volume.update({'provider_location': old_location,
                           '_name_id': old_name_id or volume.id,
                           'migration_status': 'deleting'})
        return new_volume


class GenericMigrationTest(MigrationTestCase):

    def test_migrated_device_taken_over_and_nothing_left(self):
        volume = self.create()
        old_device = self.device_of(volume)
        new_volume = self.create(vtype=self.volume_type({'pool_name': GOLD}))
        new_device = self.device_of(new_volume)
        before = len(self.fake.requests)
        source = self.generic_migration(volume, new_volume)
        # Nothing is renamed: the record takes the device by _name_id.
        self.assertEqual([], [r for r in self.fake.requests[before:]
                              if r.method != 'GET'])
        self.assertEqual(new_volume.id, volume._name_id)
        self.assertEqual(new_device, self.device_of(volume))
        self.assertEqual('OS-%s' % new_volume.id,
                         self.arr.volumes[new_device].identifier)
        self.assertEqual('OS-%s' % volume.id,
                         self.arr.volumes[old_device].identifier)
        self.driver.delete_volume(source)
        self.assertNotIn(old_device, self.arr.volumes)
        self.assertIn(new_device, self.arr.volumes)
        # A retried delete of the old record leaves the migrated one.
        self.driver.delete_volume(source)
        self.assertIn(new_device, self.arr.volumes)
        volume.volume_type = new_volume.volume_type
        volume.volume_type_id = new_volume.volume_type_id
        snap = self.take_snapshot(volume)
        self.driver.delete_snapshot(snap)
        self.driver.initialize_connection(volume, test_attach.HOST_A)
        self.driver.terminate_connection(volume, test_attach.HOST_A)
        self.driver.delete_volume(volume)
        self.assertClean()


class RetypeTest(MigrationTestCase, test_attach.AttachTestMixin):

    def retype(self, volume, vtype, to=GOLD, diff=None):
        done = self.driver.retype(self.ctx, volume, vtype, diff or {},
                                  host(to))
        if done:
            volume.volume_type, volume.volume_type_id = vtype, vtype.id
        return done

    def test_available_level_and_qos(self):
        volume = self.create(vtype=self.volume_type(qos=QOS))
        gold = self.volume_type({'pool_name': GOLD})
        self.assertTrue(self.retype(volume, gold))
        device = self.device_of(volume)
        self.assertEqual([GOLD_SG], self.arr.groups_of(device))
        self.assertNotIn(DIAMOND_SG, self.arr.storage_groups)
        self.assertFalse(any(v != 'NOLIMIT' for k, v in (
            self.arr.storage_groups[GOLD_SG].host_io_limit or {}).items()
            if k.startswith('host_io_limit')))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_qos_replaced_on_the_target_group(self):
        volume = self.create()
        gold = self.volume_type({'pool_name': GOLD}, qos=QOS)
        self.assertTrue(self.retype(volume, gold))
        limits = self.arr.storage_groups[GOLD_SG].host_io_limit
        self.assertEqual('500', limits['host_io_limit_io_sec'])

    def test_compression_alone_moves(self):
        volume = self.create()
        vtype = self.volume_type({'storagetype:disablecompression': 'True'})
        self.assertTrue(self.retype(volume, vtype, to='Diamond+SRP_1+' + SID))
        self.assertEqual(['OS-SRP_1-Diamond-NONE-CD-SG'],
                         self.arr.groups_of(self.device_of(volume)))

    def test_same_groups_is_done_without_changes(self):
        volume = self.create()
        before = self.fake.snapshot()
        vtype = self.volume_type({'multiattach': '<is> True'})
        self.assertTrue(self.retype(volume, vtype, to='Diamond+SRP_1+' + SID))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual([DIAMOND_SG],
                         self.arr.groups_of(self.device_of(volume)))

    def test_other_array_or_replicated_left_to_cinder(self):
        volume = self.create()
        before = self.fake.snapshot()
        gold = self.volume_type({'pool_name': GOLD})
        self.assertFalse(self.driver.retype(
            self.ctx, volume, gold, {}, host(GOLD, serial='000197800999')))
        self.assertFalse(self.driver.retype(
            self.ctx, volume, gold, {}, host(GOLD, srp='SRP_2')))
        rep = self.volume_type({'pool_name': GOLD,
                                'replication_enabled': '<is> True'})
        self.assertFalse(self.retype(volume, rep))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual([DIAMOND_SG],
                         self.arr.groups_of(self.device_of(volume)))

    def test_in_use_stays_masked(self):
        volume = self.create()
        device = self.device_of(volume)
        self.driver.initialize_connection(volume, test_attach.HOST_A)
        old = test_attach.names('HostA')
        new = test_attach.names('HostA', level='Gold')
        self.assertTrue(self.retype(volume, self.volume_type(
            {'pool_name': GOLD}, qos=QOS)))
        self.assertEqual([new.child], self.arr.groups_of(device))
        self.assertEqual([new.mv], self.arr.views_of_device(device))
        self.assertNotIn(old.child, self.arr.storage_groups)
        self.assertEqual('500', self.arr.storage_groups[
            new.child].host_io_limit['host_io_limit_io_sec'])
        self.driver.terminate_connection(volume, test_attach.HOST_A)
        self.assertEqual([GOLD_SG], self.arr.groups_of(device))
        self.assertNothingFor('HostA')
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_in_use_on_two_hosts(self):
        volume = self.create()
        device = self.device_of(volume)
        for connector in (test_attach.HOST_A, test_attach.HOST_B):
            self.driver.initialize_connection(volume, connector)
        self.assertTrue(self.retype(volume, self.volume_type(
            {'pool_name': GOLD})))
        self.assertEqual(1, len(self.fast_groups_of(device)))
        self.assertEqual('Gold', self.arr.storage_groups[
            self.fast_groups_of(device)[0]].slo)
        self.assertEqual(2, len(self.arr.views_of_device(device)))
        for connector in (test_attach.HOST_A, test_attach.HOST_B):
            self.driver.terminate_connection(volume, connector)
        self.assertEqual([GOLD_SG], self.arr.groups_of(device))
        self.driver.delete_volume(volume)
        self.assertClean()


class MigrateVolumeTest(MigrationTestCase):

    def assertMovedToGold(self, volume):
        device = self.device_of(volume)
        moved, update = self.driver.migrate_volume(self.ctx, volume,
                                                   host(GOLD))
        self.assertTrue(moved)
        self.assertIsNone(update)
        self.assertEqual([GOLD_SG], self.arr.groups_of(device))
        self.assertNotIn(DIAMOND_SG, self.arr.storage_groups)

    def test_same_array_moves_groups_only(self):
        self.assertMovedToGold(self.create(status='available'))

    def test_retype_with_migration_moves_an_available_volume(self):
        # A retype to another backend's type hands the volume over in
        # 'retyping', with the status it had in previous_status.
        self.assertMovedToGold(self.create(status='retyping',
                                           previous_status='available'))

    def test_retype_with_migration_of_an_attached_volume_refused(self):
        volume = self.create(status='retyping', previous_status='in-use')
        before = self.fake.snapshot()
        self.assertEqual((False, None), self.driver.migrate_volume(
            self.ctx, volume, host(GOLD)))
        self.assertEqual([], self.fake.check(before))

    def test_other_array_or_in_use_refused(self):
        volume = self.create(status='available')
        before = self.fake.snapshot()
        self.assertEqual((False, None), self.driver.migrate_volume(
            self.ctx, volume, host(GOLD, serial='000197800999')))
        volume.status = 'in-use'
        self.assertEqual((False, None), self.driver.migrate_volume(
            self.ctx, volume, host(GOLD)))
        self.assertEqual([], self.fake.check(before))
