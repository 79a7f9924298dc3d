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

"""A delete touches only what belongs to the volume; one 404 is not gone.

``provider_location`` can be stale or name another volume's object, and a
single answer from Unisphere can be wrong. These tests give the driver
such locations and answers and check, on the fake array, that it acts on
the volume's own device and snapshots and on nothing else.
"""

import ast

from cinder import exception as cinder_exception

from cinder_powermax import naming
from tests.unit import base


class VolumeOwnershipTest(base.DriverTestCase):

    def location_of(self, device):
        return str({'array': self.array, 'device_id': device})

    def test_stale_location_deletes_own_device_only(self):
        other = self.create()
        mine = self.create()
        own = self.device_of(mine)
        mine.provider_location = self.location_of(self.device_of(other))
        self.driver.delete_volume(mine)
        self.assertNotIn(own, self.arr.volumes)
        self.assertIn(self.device_of(other), self.arr.volumes)
        self.driver.delete_volume(other)
        self.assertClean()

    def test_location_of_unnamed_device_not_trusted(self):
        mine = self.create()
        stray = self.create()
        self.arr.volumes[self.device_of(stray)].identifier = ''
        mine_device = self.device_of(mine)
        mine.provider_location = self.location_of(self.device_of(stray))
        self.driver.delete_volume(mine)
        self.assertNotIn(mine_device, self.arr.volumes)
        self.assertIn(self.device_of(stray), self.arr.volumes)

    def test_no_location_found_by_name(self):
        volume = self.create()
        device = self.device_of(volume)
        volume.provider_location = None
        self.driver.delete_volume(volume)
        self.assertNotIn(device, self.arr.volumes)
        self.assertClean()

    def test_one_404_is_not_gone(self):
        volume = self.create()
        device = self.device_of(volume)
        self.fake.faults.add(method='GET', path='/volume/%s$' % device,
                             status=404, message='Cannot find volume')
        self.driver.delete_volume(volume)
        self.assertNotIn(device, self.arr.volumes)
        self.assertClean()

    def test_two_404s_on_the_location_fall_back_to_the_name(self):
        volume = self.create()
        device = self.device_of(volume)
        self.fake.faults.add(method='GET', path='/volume/%s$' % device,
                             status=404, count=2)
        self.driver.delete_volume(volume)
        self.assertNotIn(device, self.arr.volumes)
        self.assertClean()

    def test_one_404_does_not_fake_a_detach(self):
        volume = self.create()
        connector = {'host': 'HostX', 'wwpns': ['10000090fa0b0001'],
                     'initiator': 'iqn.1993-08.org.debian:01:hostx'}
        self.log_in(connector)
        self.driver.initialize_connection(volume, connector)
        device = self.device_of(volume)
        self.fake.faults.add(method='GET', path='/volume/%s$' % device,
                             status=404)
        self.driver.terminate_connection(volume, connector)
        self.assertEqual([], self.arr.views_of_device(device))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_several_devices_with_one_identifier_refused(self):
        volume = self.create()
        device = self.device_of(volume)
        twin = self.create()
        self.arr.volumes[self.device_of(twin)].identifier = \
            naming.volume_identifier(volume.id)
        volume.provider_location = None
        error = self.assertRaises(cinder_exception.VolumeBackendAPIException,
                                  self.driver.delete_volume, volume)
        self.assertIn(device, str(error))
        self.assertIn(device, self.arr.volumes)

    def test_extend_to_the_size_it_has(self):
        volume = self.create(size=2)
        self.driver.extend_volume(volume, 3)
        self.driver.extend_volume(volume, 3)
        self.assertEqual(3.0, self.arr.volumes[self.device_of(volume)].cap_gb)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.extend_volume, volume, 2)


class SnapshotOwnershipTest(base.DriverTestCase):

    def names_on(self, device):
        return [snap.name for snap in self.arr.snapshots_of(device)]

    def test_foreign_snapshot_location_not_deleted(self):
        theirs = self.create()
        their_snap = self.take_snapshot(theirs)
        mine = self.create()
        my_snap = self.take_snapshot(mine)
        my_snap.provider_location = their_snap.provider_location
        self.driver.delete_snapshot(my_snap)
        self.assertEqual([naming.snapshot_name(their_snap.id)],
                         self.names_on(self.device_of(theirs)))
        self.assertEqual([], self.names_on(self.device_of(mine)))

    def test_snapshot_without_location_found_by_name(self):
        volume = self.create()
        snap = self.snapshot(volume)
        # The array made the snapshot; the answer never reached Cinder.
        self.driver.create_snapshot(snap)
        self.assertIsNone(snap.provider_location)
        self.driver.delete_snapshot(snap)
        self.assertEqual([], self.names_on(self.device_of(volume)))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_location_names_own_device_and_name(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        location = ast.literal_eval(snap.provider_location)
        self.assertEqual({'source_id': self.device_of(volume),
                          'snap_name': naming.snapshot_name(snap.id)},
                         location)
        before = len(self.fake.requests)
        self.driver.delete_snapshot(snap)
        # Trusted without reading the device: one read, one delete.
        self.assertEqual(['GET', 'DELETE'],
                         [r.method for r in self.fake.requests[before:]])
