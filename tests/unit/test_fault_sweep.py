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

"""Every REST call of every operation, failed in turn.

For each operation a clean run counts its calls. Then, for each call and
each kind of failure (HTTP 500, a dropped connection, a FAILED job), the
operation runs with that one call failing. Whenever the driver raises, it
must raise a Cinder exception with a message, leave nothing behind on the
array, and succeed when repeated.
"""

from cinder import exception as cinder_exception
import ddt

from tests.unit import base

CINDER_ERRORS = (cinder_exception.VolumeBackendAPIException,
                 cinder_exception.InvalidInput,
                 cinder_exception.VolumeIsBusy)


@ddt.ddt
class FaultSweepTest(base.DriverTestCase):

    def sweep(self, make, run, undo):
        """Fail each call of ``run`` in turn, with each kind of failure.

        :param make: builds fresh inputs for one run
        :param run: performs the operation on them, returns its result
        :param undo: returns the array to the state before a successful run
        """
        self.fault_sweep(make, run, lambda inputs, result: undo(result),
                         CINDER_ERRORS)

    def tearDown(self):
        # Every sweep ends by undoing what it set up: nothing may be left.
        self.assertClean()
        super().tearDown()

    def test_create_volume(self):
        def run(volume):
            volume.update(self.driver.create_volume(volume))
            return volume
        self.sweep(self.volume, run, self.driver.delete_volume)

    def test_create_volume_with_qos(self):
        vtype = self.volume_type(qos={'total_iops_sec': '1000'})

        def run(volume):
            volume.update(self.driver.create_volume(volume))
            return volume
        self.sweep(lambda: self.volume(vtype=vtype), run,
                   self.driver.delete_volume)

    def test_delete_volume(self):
        self.sweep(self.create, self.driver.delete_volume, lambda r: None)

    def test_extend_volume(self):
        volume = self.create(size=1)
        sizes = iter(range(2, 100))

        def run(new_size):
            self.driver.extend_volume(volume, new_size)
        self.sweep(lambda: next(sizes), run, lambda r: None)
        self.driver.delete_volume(volume)

    def test_create_snapshot(self):
        volume = self.create()

        def run(snap):
            snap.update(self.driver.create_snapshot(snap))
            return snap
        self.sweep(lambda: self.snapshot(volume), run,
                   self.driver.delete_snapshot)
        self.driver.delete_volume(volume)

    def test_delete_snapshot(self):
        volume = self.create()
        self.sweep(lambda: self.take_snapshot(volume),
                   self.driver.delete_snapshot, lambda r: None)
        self.driver.delete_volume(volume)

    def test_volume_from_snapshot(self):
        source = self.create()
        snap = self.take_snapshot(source)

        def run(volume):
            volume.update(self.driver.create_volume_from_snapshot(volume,
                                                                  snap))
            return volume
        self.sweep(self.volume, run, self.driver.delete_volume)
        self.driver.delete_snapshot(snap)
        self.driver.delete_volume(source)

    def test_clone(self):
        source = self.create()

        def run(volume):
            volume.update(self.driver.create_cloned_volume(volume, source))
            return volume
        self.sweep(self.volume, run, self.driver.delete_volume)
        self.driver.delete_volume(source)

    def test_revert(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        self.sweep(lambda: snap, lambda s: self.driver.revert_to_snapshot(
            self.ctx, volume, s), lambda r: None)
        self.driver.delete_snapshot(snap)
        self.driver.delete_volume(volume)
