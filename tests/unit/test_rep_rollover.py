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

"""Replicated creates past a full group: numbered -RE groups on both arrays.

Both fake arrays hold at most ``LIMIT`` devices per storage group, so the
4,096-device rollover shows with a handful of volumes.
"""

import ast

from cinder import exception as cinder_exception

from tests.unit import test_replication as rep

LIMIT = 2
FIRST = rep.RE_SG
SECOND = 'OS-SRP_1-Diamond-NONE-RE-2-SG'
THIRD = 'OS-SRP_1-Diamond-NONE-RE-3-SG'
PLAIN = rep.PLAIN_SG


class ReplicatedRolloverTest(rep.ReplicationTestCase):

    rep = rep.rep_device(allow_extend='True')

    def setUp(self):
        super().setUp()
        self.arr.max_sg_devices = LIMIT
        self.rem.max_sg_devices = LIMIT

    def fill(self, count):
        vtype = self.rep_type()
        return [self.create(vtype=vtype) for _ in range(count)]

    def r1_r2(self, volume):
        return self.device_of(volume), self.r2_of(volume)

    def assertHome(self, volume, group):
        """R1 and R2 paired, each in the group of that name on its array."""
        r1, r2 = self.r1_r2(volume)
        pair = self.arr.rdf[7].pairs[r1]
        self.assertEqual((rep.TARGET, r2), (pair.r2_sid, pair.r2_dev))
        self.assertEqual([group], self.arr.groups_of(r1))
        self.assertEqual([group], self.rem.groups_of(r2))
        self.assertEqual('OS-' + volume.id, self.rem.volumes[r2].identifier)

    def assertProtected(self, group):
        self.assertEqual([7], self.arr.sg_rdf_groups(group))
        self.assertEqual([7], self.rem.sg_rdf_groups(group))

    def delete_all(self, volumes):
        for volume in volumes:
            self.driver.delete_volume(volume)
        self.assertUnpaired()
        for group in (FIRST, SECOND, THIRD):
            self.assertNotIn(group, self.arr.storage_groups)
            self.assertNotIn(group, self.rem.storage_groups)
        self.assertClean()

    def edits(self, since):
        return [(r.method, r.path.rsplit('/', 1)[-1])
                for r in self.fake.requests[since:]
                if r.method in ('PUT', 'POST', 'DELETE')]

    def test_creates_roll_over_on_both_arrays(self):
        volumes = self.fill(LIMIT * 2 + 1)
        for volume, group in zip(volumes, [FIRST] * 2 + [SECOND] * 2 +
                                 [THIRD]):
            self.assertHome(volume, group)
        for group in (FIRST, SECOND, THIRD):
            self.assertProtected(group)
        self.assertEqual(5, len(self.arr.rdf[7].pairs))
        self.assertEqual(5, len(self.rem.rdf[7].pairs))
        # A later create joins the numbered group with its R2 in one
        # edit (and the R2's rename): the full groups are not tried again.
        volumes.append(self.volume(vtype=self.rep_type()))
        before = len(self.fake.requests)
        volumes[-1].update(self.driver.create_volume(volumes[-1]))
        self.assertEqual([('PUT', THIRD), ('PUT', self.r2_of(volumes[-1]))],
                         self.edits(before))
        self.assertHome(volumes[-1], THIRD)
        # Emptied numbered groups go on both arrays, the others stay.
        for volume in volumes[2:4]:
            self.driver.delete_volume(volume)
        self.assertNotIn(SECOND, self.arr.storage_groups)
        self.assertNotIn(SECOND, self.rem.storage_groups)
        self.assertHome(volumes[0], FIRST)
        self.delete_all(volumes[:2] + volumes[4:])

    def test_extend_attach_detach_in_a_numbered_group(self):
        volumes = self.fill(LIMIT + 1)
        volume = volumes[-1]
        self.assertHome(volume, SECOND)
        r1, r2 = self.r1_r2(volume)
        self.driver.extend_volume(volume, 2)
        self.assertEqual((2.0, 2.0), (self.arr.volumes[r1].cap_gb,
                                      self.rem.volumes[r2].cap_gb))
        connector = self.connector()
        self.driver.initialize_connection(volume, connector)
        self.assertEqual(['OS-RepHost-SRP_1-DiamodNONE-OS-fibre-PG-RE'],
                         self.arr.groups_of(r1))
        self.driver.terminate_connection(volume, connector)
        self.assertHome(volume, SECOND)
        self.delete_all(volumes)

    def test_detach_goes_home_to_the_partners_number(self):
        volumes = self.fill(LIMIT * 2 + 1)
        volume = volumes[0]
        connector = self.connector()
        self.driver.initialize_connection(volume, connector)
        # The driver fills the third group now; the volume's R2 is in the
        # first group of the target, so the R1 goes back to the first.
        self.driver.terminate_connection(volume, connector)
        self.assertHome(volume, FIRST)
        # Which keeps later creates into the first group's pair working.
        self.assertEqual(LIMIT, len(self.arr.members(FIRST)))
        self.delete_all(volumes)

    def test_retype_and_manage_into_a_full_replicated_group(self):
        volumes = self.fill(LIMIT)
        plain = self.create()
        device = self.device_of(plain)
        host = {'host': 'host@other#Diamond+SRP_1+%s' % self.array,
                'capabilities': {'location_info': '%s#SRP_1#Diamond#NONE' %
                                 self.array}}
        rtype = self.rep_type()
        done = self.driver.retype(self.ctx, plain, rtype, {}, host)
        plain.update(done[1])
        plain.volume_type, plain.volume_type_id = rtype, rtype.id
        self.assertEqual(device, self.device_of(plain))
        self.assertHome(plain, SECOND)
        self.assertProtected(SECOND)
        self.assertNotIn(PLAIN, self.arr.storage_groups)
        # Managed into the replicated type: the next place, in SECOND.
        self.arr.create_group('user_sg', srp='SRP_1', slo='Gold')
        found = self.arr.create_volumes('user_sg', 1, 547, 'appvol')[0]
        managed = self.volume(vtype=self.rep_type())
        managed.update(self.driver.manage_existing(managed,
                                                   {'source-id': found}))
        self.assertEqual(found, self.device_of(managed))
        self.assertHome(managed, SECOND)
        self.assertEqual([], self.arr.members('user_sg'))
        self.arr.delete_group('user_sg')  # the user's, the driver keeps it
        # Retyped back out: unpaired, the R2 gone, in the plain group.
        r2 = self.r2_of(plain)
        unrep = self.volume_type()
        self.assertTrue(self.driver.retype(self.ctx, plain, unrep, {},
                                           host))
        self.assertIsNone(self.arr.pair_of(device))
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual([PLAIN], self.arr.groups_of(device))
        self.driver.delete_volume(plain)
        self.delete_all(volumes + [managed])

    def test_failover_and_failback_of_numbered_groups(self):
        volumes = self.fill(LIMIT + 1)
        pairs = [self.r1_r2(v) for v in volumes]
        before = len(self.fake.requests)
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, None)
        # Three pairs do not fit one storage group here: the action is
        # split in two halves, not run pair by pair.
        self.assertEqual(2, len([
            r for r in self.fake.requests[before:] if r.method == 'PUT'
            and r.path.endswith('temp-rdf-sg/rdf_group/7')]))
        by_id = {v.id: v for v in volumes}
        for update in updates:
            by_id[update['volume_id']].update(update['updates'])
        for volume, (r1, r2) in zip(volumes, pairs):
            self.assertEqual('failed-over', volume.replication_status)
            self.assertEqual({'array': rep.TARGET, 'device_id': r2},
                             ast.literal_eval(volume.provider_location))
            self.assertEqual('Failed Over', self.arr.rdf[7].pairs[r1].state)
        # Attached on the target from its numbered group, and back.
        connector = self.connector()
        self.driver.initialize_connection(volumes[-1], connector)
        self.assertTrue(self.rem.views_of_device(pairs[-1][1]))
        self.driver.terminate_connection(volumes[-1], connector)
        self.assertEqual([SECOND], self.rem.groups_of(pairs[-1][1]))
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, 'default')
        self.assertEqual('default', backend)
        for update in updates:
            by_id[update['volume_id']].update(update['updates'])
        for volume, (r1, r2) in zip(volumes, pairs):
            self.assertEqual('enabled', volume.replication_status)
            self.assertEqual(r1, self.device_of(volume))
        self.assertHome(volumes[-1], SECOND)
        self.delete_all(volumes)

    def test_failed_protection_of_the_next_group_leaves_nothing(self):
        volumes = self.fill(LIMIT)
        baseline = self.fake.snapshot()
        rule = self.fake.faults.add(
            method='POST', path='/storagegroup/%s/rdf_group' % SECOND,
            status=500)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.create_rep)
        self.assertEqual(1, rule.hits)
        # Neither array keeps a device, a pair or a numbered group.
        self.assertClean(baseline)
        self.assertNotIn(SECOND, self.arr.storage_groups)
        self.assertNotIn(SECOND, self.rem.storage_groups)
        volume = self.create_rep()
        self.assertHome(volume, SECOND)
        self.assertProtected(SECOND)
        self.delete_all(volumes + [volume])

    def test_failed_create_in_the_next_group_leaves_nothing(self):
        volumes = self.fill(LIMIT + 1)
        baseline = self.fake.snapshot()
        self.fake.faults.add(method='PUT', path='/storagegroup/%s$' % SECOND,
                             action='fail_job_applied',
                             message='Injected failure')
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.create_rep)
        self.assertClean(baseline)
        volume = self.create_rep()
        self.assertHome(volume, SECOND)
        self.delete_all(volumes + [volume])

    def test_manage_past_full_plain_and_replicated_groups(self):
        volumes = self.fill(LIMIT)
        plains = [self.create() for _ in range(LIMIT)]
        self.arr.create_group('user_sg', srp='SRP_1', slo='Gold')
        found = self.arr.create_volumes('user_sg', 1, 547, 'appvol')[0]
        managed = self.volume(vtype=self.rep_type())
        managed.update(self.driver.manage_existing(managed,
                                                   {'source-id': found}))
        self.assertHome(managed, SECOND)
        # The plain group it passed through on the way is not left behind.
        self.assertNotIn('OS-SRP_1-Diamond-NONE-2-SG',
                         self.arr.storage_groups)
        self.arr.delete_group('user_sg')
        for plain in plains:
            self.driver.delete_volume(plain)
        self.delete_all(volumes + [managed])

    def test_retype_from_a_numbered_plain_group(self):
        plains = [self.create() for _ in range(LIMIT + 1)]
        volume = plains[-1]
        self.assertEqual(['OS-SRP_1-Diamond-NONE-2-SG'],
                         self.arr.groups_of(self.device_of(volume)))
        host = {'host': 'host@other#Diamond+SRP_1+%s' % self.array,
                'capabilities': {'location_info': '%s#SRP_1#Diamond#NONE' %
                                 self.array}}
        rtype = self.rep_type()
        done = self.driver.retype(self.ctx, volume, rtype, {}, host)
        volume.update(done[1])
        volume.volume_type, volume.volume_type_id = rtype, rtype.id
        self.assertHome(volume, FIRST)
        self.assertNotIn('OS-SRP_1-Diamond-NONE-2-SG',
                         self.arr.storage_groups)
        for plain in plains[:-1]:
            self.driver.delete_volume(plain)
        self.delete_all([volume])

    def test_concurrent_creates_and_deletes_across_groups(self):
        for array in (self.arr, self.rem):
            array.max_sg_devices = 4
        vtype = self.rep_type()
        volumes = [self.volume(vtype=vtype) for _ in range(12)]
        self.assertEqual([], self.all_at_once(self.driver.create_volume,
                                              volumes))
        for group in (FIRST, SECOND, THIRD):
            self.assertEqual(4, len(self.arr.members(group)))
            self.assertEqual(4, len(self.rem.members(group)))
            self.assertProtected(group)
        for volume in volumes:
            r1, r2 = self.r1_r2(volume)
            self.assertEqual(self.arr.groups_of(r1), self.rem.groups_of(r2))
        self.assertEqual([], self.all_at_once(self.driver.delete_volume,
                                              volumes))
        self.delete_all([])
