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

"""Concurrent creates into one default group share storage-group edits.

Creates run in threads against the fake; a first create whose job is held
running (a stuck-job fault) lets the others queue behind it, so which
edit carries which volume is known. Each volume must get its own device,
found by its identifier, whatever happened to the shared edit.
"""

from concurrent import futures
import json
import time

from cinder import exception as cinder_exception

from tests.unit import base

BASE = 'OS-SRP_1-Diamond-NONE-SG'
TOO_BIG = 70000  # GB: more than the array's largest device


class CoalescedCreateTest(base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type()
        self.pool = futures.ThreadPoolExecutor(max_workers=16)
        self.addCleanup(self.pool.shutdown, wait=True)
        # The default group exists: the creates measured go into it.
        self.keeper = self.create(vtype=self.vtype)

    def edits(self, since=0):
        """The volumeAttributes of each volume-creating edit, in order."""
        found = []
        for request in self.fake.requests[since:]:
            body = request.body if isinstance(request.body, dict) else (
                json.loads(request.body or '{}'))
            add = body.get('editStorageGroupActionParam', {}).get(
                'expandStorageGroupParam', {}).get('addVolumeParam')
            if request.method == 'PUT' and add:
                found.append((request.path.rsplit('/', 1)[1],
                              add['volumeAttributes']))
        return found

    def queued(self, count, group=BASE):
        """Wait until ``count`` creates wait behind the running edit."""
        creates = self.driver.common._array().groups.creates
        for _ in range(500):
            with creates._lock:
                if len(creates._queues.get(group, ())) >= count:
                    return
            time.sleep(0.01)
        self.fail('%d creates never queued' % count)

    def start(self, sizes):
        volumes = [self.volume(size=size, vtype=self.vtype)
                   for size in sizes]
        return volumes, [self.pool.submit(self.driver.create_volume, v)
                         for v in volumes]

    def held_first(self):
        """A first create whose edit stays running until released."""
        rule = self.fake.faults.add(method='PUT', path='/storagegroup/%s$' %
                                    BASE, action='stuck_job')
        volumes, jobs = self.start([1])
        for _ in range(500):
            if rule.hits:
                break
            time.sleep(0.01)
        return rule, volumes, jobs

    def held_batch(self, sizes, fault=None):
        """Creates of ``sizes`` queued behind a held edit, then released.

        :param fault: a fault rule (keyword arguments) for the shared edit
        :returns: each create's outcome, the held first one's first
        """
        rule, first, first_jobs = self.held_first()
        volumes, jobs = self.start(sizes)
        self.queued(len(sizes))
        if fault:
            self.fake.faults.add(method='PUT', path='/storagegroup/%s$' %
                                 BASE, **fault)
        self.fake.faults.remove(rule)
        return self.finish(first + volumes, first_jobs + jobs)

    def finish(self, volumes, jobs):
        """Each create's outcome: its volume updated, or the error."""
        outcomes = []
        for volume, job in zip(volumes, jobs):
            try:
                volume.update(job.result(timeout=60))
                outcomes.append(volume)
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    def delete_all(self, volumes):
        for volume in volumes + [self.keeper]:
            self.driver.delete_volume(volume)
        self.assertClean()

    def assertOwnDevices(self, volumes):
        for volume in volumes:
            found = [d for d, v in self.arr.volumes.items()
                     if v.identifier == 'OS-' + volume.id]
            self.assertEqual([self.device_of(volume)], found)
            self.assertEqual(volume.size,
                             self.arr.volumes[found[0]].cap_gb)

    def test_creates_queued_behind_an_edit_share_the_next(self):
        before = len(self.fake.requests)
        done = self.held_batch([1, 2, 3, 1, 2, 3, 1])
        self.assertOwnDevices(done)
        edits = self.edits(before)
        self.assertEqual([1, 7], [len(attrs) for _, attrs in edits])
        self.assertEqual(sorted(self.device_of(v)
                                for v in done + [self.keeper]),
                         sorted(self.arr.members(BASE)))
        self.delete_all(done)

    def test_serialized_jobs_64_creates_in_few_edits(self):
        # The array runs one job at a time, as it serializes changes.
        self.fake.latency.job_duration = 0.2
        self.fake.latency.job_concurrency = 1
        self.fake.latency.request_delay = 0.002
        before = len(self.fake.requests)
        pool = futures.ThreadPoolExecutor(max_workers=64)
        self.addCleanup(pool.shutdown, wait=True)
        volumes = [self.volume(vtype=self.vtype) for _ in range(64)]
        jobs = [pool.submit(self.driver.create_volume, v) for v in volumes]
        done = self.finish(volumes, jobs)
        self.assertOwnDevices(done)
        edits = self.edits(before)
        self.assertEqual(64, sum(len(attrs) for _, attrs in edits))
        # Without coalescing: 64 edits, one after another.
        self.assertLessEqual(len(edits), 4, [len(a) for _, a in edits])
        self.delete_all(done)

    def test_one_bad_volume_splits_the_edit(self):
        before = len(self.fake.requests)
        done = self.held_batch([1, 2, TOO_BIG, 1])
        bad = done.pop(3)
        self.assertIsInstance(bad, cinder_exception.VolumeBackendAPIException)
        self.assertIn('maximum device size', str(bad))
        self.assertOwnDevices(done)
        sizes = [[int(a['volume_size']) for a in attrs]
                 for _, attrs in self.edits(before)]
        # The shared edit was refused as a whole; each went again alone.
        self.assertEqual([1], sizes[0])
        self.assertEqual([1, 1, 2, TOO_BIG], sorted(sizes[1]))
        self.assertEqual(sorted([[1], [2], [TOO_BIG], [1]]),
                         sorted(sizes[2:]))
        self.assertEqual(5, len(self.arr.members(BASE)))
        self.delete_all(done)

    def test_edit_failed_after_making_the_devices(self):
        before = len(self.fake.requests)
        # The shared edit makes its devices, then reports FAILED: each
        # create finds its device by identifier and keeps it.
        done = self.held_batch([1, 1, 1], {'action': 'fail_job_applied'})
        self.assertOwnDevices(done)
        self.assertEqual([1, 3], [len(a) for _, a in self.edits(before)])
        self.delete_all(done)

    def test_edit_failed_without_a_change_goes_again_alone(self):
        before = len(self.fake.requests)
        done = self.held_batch([1, 1, 1], {'action': 'fail_job',
                                           'message': 'Injected failure'})
        self.assertOwnDevices(done)
        self.assertEqual([1, 3, 1, 1, 1],
                         [len(a) for _, a in self.edits(before)])
        self.delete_all(done)

    def test_unknown_outcome_undone_per_volume(self):
        # The answer to the shared edit is lost on the way back; the
        # edit was made. Each create looks for its device, finds it and
        # keeps it: nothing is made twice, nothing is left half-made.
        done = self.held_batch([1, 1], {'action': 'truncate'})
        self.assertOwnDevices(done)
        self.delete_all(done)

    def test_batched_creates_roll_over_a_full_group(self):
        self.arr.max_sg_devices = 3
        driver = self.make_driver(powermax_create_batch_size=3)
        driver.do_setup(self.ctx)
        self.driver = driver
        done = self.held_batch([1] * 7)
        self.assertOwnDevices(done)
        defaults = {name: len(group.volumes) for name, group in
                    self.arr.storage_groups.items()}
        self.assertEqual(9, sum(defaults.values()), defaults)
        self.assertTrue(all(0 < n <= 3 for n in defaults.values()),
                        defaults)
        self.delete_all(done)

    def test_creates_waiting_too_long_give_up_cleanly(self):
        creates = self.driver.common._array().groups.creates
        self.patch(creates, 'deadline', 0.2)
        rule, first, first_jobs = self.held_first()
        volumes, jobs = self.start([1, 1])
        # Past their deadline they give up; their clean-up waits for the
        # group's lock, which the held edit keeps until it ends.
        time.sleep(1.0)
        self.fake.faults.remove(rule)
        outcomes = self.finish(volumes, jobs)
        for outcome in outcomes:
            self.assertIsInstance(
                outcome, cinder_exception.VolumeBackendAPIException)
            self.assertIn('waited', str(outcome))
        done = self.finish(first, first_jobs)
        self.assertOwnDevices(done)
        for volume in volumes:
            self.assertEqual([], [d for d, v in self.arr.volumes.items()
                                  if v.identifier == 'OS-' + volume.id])
        self.delete_all(done)
