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

"""SnapVX snapshots, volumes from snapshots, clones and revert."""

import ast

from cinder import exception as cinder_exception

from cinder_powermax import naming
from tests.fake_unisphere import data
from tests.unit import base


class SnapshotTestMixin:

    def names_on(self, device):
        return [snap.name for snap in self.arr.snapshots_of(device)]

    def links_of(self, device):
        return [link for snap in self.arr.snapshots_of(device)
                for link in snap.links]


class SnapshotTest(SnapshotTestMixin, base.DriverTestCase):

    def test_create_and_delete_snapshot(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        device = self.device_of(volume)
        location = ast.literal_eval(snap.provider_location)
        name = naming.snapshot_name(snap.id)
        self.assertEqual({'source_id': device, 'snap_name': name}, location)
        self.assertEqual([name], self.names_on(device))
        self.driver.delete_snapshot(snap)
        self.assertEqual([], self.names_on(device))

    def test_delete_snapshot_twice(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        self.driver.delete_snapshot(snap)
        self.driver.delete_snapshot(snap)
        self.assertEqual([], self.names_on(self.device_of(volume)))

    def test_volume_with_snapshot_cannot_be_deleted(self):
        volume = self.create()
        self.take_snapshot(volume)
        self.assertRaises(cinder_exception.VolumeIsBusy,
                          self.driver.delete_volume, volume)
        self.assertIn(self.device_of(volume), self.arr.volumes)

    def test_snapshot_of_missing_device_refused(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        snap = self.snapshot(volume)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.create_snapshot, snap)
        self.assertClean()

    def test_extend_snapshot_source_on_5978(self):
        volume = self.create(size=1)
        self.take_snapshot(volume)
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2.0, self.arr.volumes[self.device_of(volume)].cap_gb)


class VolumeFromSnapshotTest(SnapshotTestMixin, base.DriverTestCase):

    def test_independent_copy(self):
        source = self.create(size=1)
        snap = self.take_snapshot(source)
        volume = self.volume(size=2)
        volume.update(self.driver.create_volume_from_snapshot(volume, snap))
        target = self.device_of(volume)
        self.assertEqual(2.0, self.arr.volumes[target].cap_gb)
        self.assertEqual([], self.links_of(self.device_of(source)))
        self.assertEqual('OS-%s' % volume.id,
                         self.arr.volumes[target].identifier)
        # Independent: the snapshot and its source can go first.
        self.driver.delete_snapshot(snap)
        self.driver.delete_volume(source)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_smaller_target_refused(self):
        source = self.create(size=3)
        snap = self.take_snapshot(source)
        baseline = self.fake.snapshot()
        volume = self.volume(size=1)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.create_volume_from_snapshot, volume,
                          snap)
        self.assertClean(baseline)

    def test_unreadable_location_found_by_name(self):
        source = self.create()
        snap = self.take_snapshot(source)
        snap.provider_location = 'garbage'
        volume = self.volume()
        volume.update(self.driver.create_volume_from_snapshot(volume, snap))
        self.assertIn(self.device_of(volume), self.arr.volumes)
        self.driver.delete_volume(volume)
        self.driver.delete_snapshot(snap)
        self.assertEqual([], self.names_on(self.device_of(source)))

    def test_unreadable_location_without_snapshot_refused(self):
        source = self.create()
        baseline = self.fake.snapshot()
        snap = self.snapshot(source, provider_location='garbage')
        error = self.assertRaises(
            cinder_exception.VolumeBackendAPIException,
            self.driver.create_volume_from_snapshot, self.volume(), snap)
        self.assertIn(naming.snapshot_name(snap.id), str(error))
        self.assertClean(baseline)

    def test_missing_snapshot_refused(self):
        source = self.create()
        baseline = self.fake.snapshot()
        snap = self.snapshot(source, provider_location=str(
            {'source_id': self.device_of(source), 'snap_name': 'OS-nothere'}))
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.create_volume_from_snapshot,
                          self.volume(), snap)
        self.assertClean(baseline)


class CloneTest(SnapshotTestMixin, base.DriverTestCase):

    def test_clone_leaves_no_temporary_snapshot(self):
        source = self.create(size=2)
        clone = self.volume(size=2)
        clone.update(self.driver.create_cloned_volume(clone, source))
        self.assertEqual([], self.names_on(self.device_of(source)))
        self.assertEqual(2.0, self.arr.volumes[self.device_of(clone)].cap_gb)
        self.driver.delete_volume(source)
        self.driver.delete_volume(clone)
        self.assertClean()

    def test_unlink_symforce_when_configured(self):
        for symforce in (False, True):
            driver = self.make_driver(snapvx_unlink_symforce=symforce)
            driver.do_setup(self.ctx)
            source = self.create()
            before = len(self.fake.requests)
            clone = self.volume()
            clone.update(driver.create_cloned_volume(clone, source))
            unlinks = [r.body for r in self.fake.requests[before:]
                       if isinstance(r.body, dict) and
                       r.body.get('action') == 'Unlink']
            self.assertEqual(1, len(unlinks))
            self.assertEqual(str(symforce).lower(), unlinks[0]['symforce'])
            driver.delete_volume(clone)
            driver.delete_volume(source)
        self.assertClean()

    def test_clone_of_missing_source_refused(self):
        source = self.create()
        self.driver.delete_volume(source)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.create_cloned_volume, self.volume(),
                          source)
        self.assertClean()


class RevertTest(SnapshotTestMixin, base.DriverTestCase):

    def test_revert_restores_and_ends_session(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        self.driver.revert_to_snapshot(self.ctx, volume, snap)
        device = self.device_of(volume)
        self.assertEqual([naming.snapshot_name(snap.id)],
                         self.names_on(device))
        self.assertEqual([], self.links_of(device))
        self.assertTrue(any(r.method == 'PUT' and r.body and
                            r.body.get('action') == 'Restore'
                            for r in self.fake.requests))

    def test_revert_to_other_volumes_snapshot_refused(self):
        one = self.create()
        two = self.create()
        snap = self.take_snapshot(one)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.revert_to_snapshot, self.ctx, two, snap)


class GenerationArrayTest(SnapshotTestMixin, base.DriverTestCase):
    """VMAX All Flash 5977 addresses snapshots by generation."""

    array = data.VMAX_AFA

    def test_snapshot_clone_and_delete(self):
        source = self.create()
        snap = self.take_snapshot(source)
        volume = self.volume()
        volume.update(self.driver.create_volume_from_snapshot(volume, snap))
        self.driver.delete_snapshot(snap)
        self.assertFalse(any('snap_id' in (r.body or {})
                             for r in self.fake.requests))

    def test_extend_snapshot_source_refused_before_5978(self):
        volume = self.create(size=1)
        self.take_snapshot(volume)
        error = self.assertRaises(cinder_exception.VolumeBackendAPIException,
                                  self.driver.extend_volume, volume, 2)
        self.assertIn('5978', str(error))
        self.assertEqual(1.0, self.arr.volumes[self.device_of(volume)].cap_gb)
