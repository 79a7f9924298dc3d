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

"""Manage and unmanage volumes and snapshots; list manageable ones.

Devices are made on the fake array as an administrator would (a user
storage group, an identifier of their choosing); the tests assert the
array state after the driver took them over or let them go.
"""

from cinder import exception as cinder_exception
from cinder import objects
import ddt

from tests.unit import base
from tests.unit import test_attach

USER_SG = 'user_sg'
DIAMOND_SG = 'OS-SRP_1-Diamond-NONE-SG'
GB_CYL = 547


@ddt.ddt
class ManageVolumeTest(base.DriverTestCase):

    def device(self, identifier='appvol', cylinders=GB_CYL, group=USER_SG,
               slo='Gold'):
        """A device an administrator made outside OpenStack."""
        if group not in self.arr.storage_groups:
            self.arr.create_group(group, srp='SRP_1', slo=slo)
        return self.arr.create_volumes(group, 1, cylinders, identifier)[0]

    def test_manage_by_name_and_by_id(self):
        # The in-tree driver reads a source-name of 5 hexadecimal digits
        # as a device id ("cinder manage <host> 0021A" sends that).
        for ref_of in (lambda d: {'source-name': 'appvol'},
                       lambda d: {'source-id': d.lower()},
                       lambda d: {'source-name': d},
                       lambda d: {'source-name': d.lower()}):
            device = self.device()
            volume = self.volume(size=None)
            ref = ref_of(device)
            self.assertEqual(1, self.driver.manage_existing_get_size(
                volume, ref))
            volume.size = 1
            volume.update(self.driver.manage_existing(volume, ref))
            self.assertEqual(device, self.device_of(volume))
            self.assertEqual('OS-' + volume.id,
                             self.arr.volumes[device].identifier)
            self.assertEqual([DIAMOND_SG], self.arr.groups_of(device))
            self.driver.delete_volume(volume)
        self.assertEqual([], self.arr.members(USER_SG))

    def test_a_name_of_five_hex_digits_that_is_no_device_id(self):
        # No device has the id FFFFE: the name is an identifier then.
        device = self.device('FFFFE')
        self.assertNotEqual('FFFFE', device)
        volume = self.volume()
        volume.update(self.driver.manage_existing(
            volume, {'source-name': 'FFFFE'}))
        self.assertEqual(device, self.device_of(volume))
        self.assertEqual('OS-' + volume.id,
                         self.arr.volumes[device].identifier)

    def test_manage_applies_qos(self):
        self.device()
        volume = self.volume(vtype=self.volume_type(
            qos={'total_iops_sec': '300'}))
        volume.update(self.driver.manage_existing(
            volume, {'source-name': 'appvol'}))
        self.assertEqual('300', self.arr.storage_groups[
            DIAMOND_SG].host_io_limit['host_io_limit_io_sec'])

    def refused(self, ref, words, volume=None):
        before = self.fake.snapshot()
        volume = volume or self.volume()
        for call in (self.driver.manage_existing_get_size,
                     self.driver.manage_existing):
            error = self.assertRaises(
                cinder_exception.ManageExistingInvalidReference, call,
                volume, ref)
            for word in words:
                self.assertIn(word, str(error))
        self.assertEqual([], [p for p in self.fake.check(before) if not
                              test_attach.EMPTY_DEFAULT_SG.search(p)])

    @ddt.data(({'source-id': '12'}, ['5 hexadecimal']),
              ({'source-id': 'FFFFF'}, ['no such device']),
              ({'source-name': 'nothing'}, ['0 devices']),
              ({'other': 'x'}, ['source-name', 'source-id']))
    @ddt.unpack
    def test_bad_reference(self, ref, words):
        self.refused(ref, words)

    def test_prerequisites_named(self):
        cases = [
            (self.device('OS-other'), ['OS-other', 'starts with OS-']),
            (self.device('half', cylinders=GB_CYL + 200), ['whole']),
        ]
        twice = self.device('twice')
        self.arr.create_group('user_sg2')
        self.arr.add_volumes('user_sg2', [twice])
        cases.append((twice, ['2 storage groups']))
        for device, words in cases:
            self.refused({'source-id': device}, words)

    def test_masked_device_refused(self):
        volume = self.create()
        self.driver.initialize_connection(volume, test_attach.HOST_A)
        device = self.device_of(volume)
        self.arr.rename_volume(device, 'hostvol')
        self.refused({'source-id': device}, ['masking view'])

    def test_snapvx_target_refused(self):
        source = self.create()
        snap = self.take_snapshot(source)
        clone = self.driver.create_volume_from_snapshot(self.volume(), snap)
        del clone
        target = self.device('linked')
        self.arr.link_snapshot(
            self.arr.snapshots_of(self.device_of(source))[0].name,
            [(self.device_of(source), target)], 0, 0)
        self.refused({'source-id': target}, ['SnapVX'])

    def test_unmanage(self):
        volume = self.create()
        device = self.device_of(volume)
        self.driver.unmanage(volume)
        self.assertEqual(volume.id, self.arr.volumes[device].identifier)
        self.assertEqual([], self.arr.groups_of(device))
        self.assertNotIn(DIAMOND_SG, self.arr.storage_groups)
        # And back in again under its bare id.
        again = self.volume()
        again.update(self.driver.manage_existing(
            again, {'source-name': volume.id}))
        self.assertEqual(device, self.device_of(again))
        self.driver.delete_volume(again)
        self.assertClean()

    def test_unmanage_attached_refused(self):
        volume = self.create()
        self.driver.initialize_connection(volume, test_attach.HOST_A)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.unmanage, volume)
        self.assertEqual('OS-' + volume.id, self.arr.volumes[
            self.device_of(volume)].identifier)


class ManageSnapshotTest(base.DriverTestCase):

    def array_snapshot(self, volume, name='appsnap'):
        self.arr.create_snapshot(name, [self.device_of(volume)], 0)

    def test_manage_and_unmanage(self):
        volume = self.create()
        self.array_snapshot(volume)
        snap = self.snapshot(volume)
        ref = {'source-name': 'appsnap'}
        self.assertEqual(1, self.driver.manage_existing_snapshot_get_size(
            snap, ref))
        snap.update(self.driver.manage_existing_snapshot(snap, ref))
        names = [s.name for s in self.arr.snapshots_of(
            self.device_of(volume))]
        self.assertEqual(['OS-appsnap'], names)
        self.driver.unmanage_snapshot(snap)
        self.assertEqual(['appsnap'], [s.name for s in self.arr.snapshots_of(
            self.device_of(volume))])
        snap = self.snapshot(volume)
        snap.update(self.driver.manage_existing_snapshot(snap, ref))
        self.driver.delete_snapshot(snap)
        self.assertEqual([], self.arr.snapshots_of(self.device_of(volume)))

    def test_bad_snapshot_refused(self):
        volume = self.create()
        self.array_snapshot(volume, 'OS-x')
        self.array_snapshot(volume, 'twin')
        self.array_snapshot(volume, 'twin')
        for name, word in (('OS-x', 'OS-'), ('twin', '2 snapshots'),
                           ('absent', '0 snapshots'), ('y' * 30, 'at most')):
            error = self.assertRaises(
                cinder_exception.ManageExistingInvalidReference,
                self.driver.manage_existing_snapshot, self.snapshot(volume),
                {'source-name': name})
            self.assertIn(word, str(error))


class ManageableListTest(base.DriverTestCase):

    def test_volumes_paged_with_reasons(self):
        mine = self.create()
        self.arr.create_group(USER_SG, srp='SRP_1', slo='Gold')
        free = self.arr.create_volumes(USER_SG, 5, GB_CYL, 'free')
        odd = self.arr.create_volumes(USER_SG, 1, GB_CYL + 9, 'odd')[0]
        listed = self.driver.get_manageable_volumes(
            [mine], None, 100, 0, ['reference'], ['asc'])
        # What Cinder's volume manager makes of them.
        objects.ManageableVolumeList.from_primitives(self.ctx, listed)
        by_dev = {e['reference']['source-id']: e for e in listed}
        self.assertEqual(mine.id, by_dev[self.device_of(mine)]['cinder_id'])
        self.assertFalse(by_dev[odd]['safe_to_manage'])
        self.assertIn('whole', by_dev[odd]['reason_not_safe'])
        self.assertTrue(all(by_dev[d]['safe_to_manage'] for d in free))
        pages, marker = [], None
        while True:
            page = self.driver.get_manageable_volumes(
                [mine], marker, 3, 0, ['reference'], ['asc'])
            if not page:
                break
            pages.extend(page)
            marker = page[-1]['reference']
        self.assertEqual(listed, pages)
        by_size = self.driver.get_manageable_volumes(
            [mine], None, 2, 1, ['size'], ['desc'])
        self.assertEqual(2, len(by_size))

    def test_listing_does_not_read_each_device(self):
        self.arr.create_group(USER_SG, srp='SRP_1', slo='Gold')
        self.arr.create_volumes(USER_SG, 300, GB_CYL, 'many')
        before = len(self.fake.requests)
        listed = self.driver.get_manageable_volumes(
            [], None, 1000, 0, ['reference'], ['asc'])
        self.assertEqual(300, len(listed))
        self.assertLess(len(self.fake.requests) - before, 10)

    def test_snapshots(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        self.arr.create_snapshot('appsnap', [self.device_of(volume)], 0)
        listed = self.driver.get_manageable_snapshots(
            [snap], None, 10, 0, ['reference'], ['asc'])
        objects.ManageableSnapshotList.from_primitives(self.ctx, listed)
        by_name = {e['reference']['source-name']: e for e in listed}
        self.assertTrue(by_name['appsnap']['safe_to_manage'])
        self.assertEqual({'source-id': self.device_of(volume)},
                         by_name['appsnap']['source_reference'])
        own = [e for e in listed if e['cinder_id']]
        self.assertEqual([snap.id], [e['cinder_id'] for e in own])


@ddt.ddt
class DeviceStateTest(base.DriverTestCase):
    """Each seed manage rule, on a device the fake holds in that state."""

    device = ManageVolumeTest.device
    refused = ManageVolumeTest.refused

    @ddt.data(({'config': 'BCV+TDEV'}, ['BCV+TDEV', 'thin devices']),
              ({'emulation': 'CKD-3390'}, ['CKD-3390', 'FBA']),
              ({'status': 'Not Ready'}, ['Not Ready']),
              ({'service_state': 'Failed'}, ['Failed', 'Ready/Normal']),
              ({'private': True}, ['internal', 'private']),
              ({'system_resource': True}, ['internal', 'system_resource']),
              ({'encapsulated': True}, ['internal', 'encapsulated']),
              ({'reserved': True}, ['reserved']))
    @ddt.unpack
    def test_rule_named(self, state, words):
        device = self.device()
        self.arr.set_device_state(device, **state)
        self.refused({'source-id': device}, words)
        self.assertEqual('appvol', self.arr.volumes[device].identifier)

    def test_safe_device_listed_as_such(self):
        device = self.device()
        listed = self.driver.get_manageable_volumes([], None, 10, 0,
                                                    ['size'], ['asc'])
        entry = [e for e in listed
                 if e['reference']['source-id'] == device][0]
        self.assertTrue(entry['safe_to_manage'], entry)
        self.arr.set_device_state(device, reserved=True)
        listed = self.driver.get_manageable_volumes([], None, 10, 0,
                                                    ['size'], ['asc'])
        entry = [e for e in listed
                 if e['reference']['source-id'] == device][0]
        self.assertIn('reserved', entry['reason_not_safe'])

    def test_srdf_device_refused(self):
        device = self.device()
        pair = self.arr.create_pairs(7, [device], 'Synchronous', True,
                                     False, 0, 0)[0]
        remote = self.fake.model.arrays[pair.r2_sid]
        remote.create_group('r2_sg')
        remote.add_volumes('r2_sg', [pair.r2_dev])
        self.refused({'source-id': device}, ['RDF1+TDEV', 'SRDF device'])

    def test_device_of_another_srp_refused(self):
        # Told from the storage group's srp, a public field (the private
        # view's volumeHeader.SRP is read by no client of real arrays).
        self.arr.add_srp('SRP_2')
        device = self.device()
        self.arr.create_group('srp2_fast', srp='SRP_2', slo='Gold')
        self.arr.move_volumes(USER_SG, 'srp2_fast', [device], True)
        self.refused({'source-id': device}, ['SRP SRP_2'])

    def test_srp_of_a_groupless_device(self):
        # In no group: the array's only SRP; with several, it cannot be
        # told and the device is refused rather than guessed at.
        device = self.device()
        self.arr.remove_volumes(USER_SG, [device])
        volume = self.volume()
        volume.update(self.driver.manage_existing(
            volume, {'source-id': device}))
        self.assertEqual([DIAMOND_SG], self.arr.groups_of(device))
        self.driver.unmanage(volume)
        self.arr.add_srp('SRP_2')
        error = self.assertRaises(
            cinder_exception.ManageExistingInvalidReference,
            self.driver.manage_existing, self.volume(),
            {'source-id': device})
        self.assertIn('cannot be told', str(error))
        self.assertEqual([], self.arr.groups_of(device))
        self.assertEqual(volume.id, self.arr.volumes[device].identifier)
