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

"""SRDF Asynchronous and Metro modes, and several replication devices.

Each test asserts both arrays of the fake: the pairs and their mode and
state, the replicated default groups (``-RA``, ``-RM``) and the RDF
group's management group ``OS-<label>-<mode>-rdf-sg``, which must hold
exactly the RDF group's devices on each array.
"""

import ast

from cinder import exception as cinder_exception

from tests.unit import test_replication

TARGET = test_replication.TARGET
rep_device = test_replication.rep_device
LABELS = {7: '23_24_007', 8: '23_24_008', 9: '23_24_009'}
#: One device per mode, each named by its mode's short name.
THREE_DEVICES = [
    rep_device(backend_id='sync', rdf_group_label=LABELS[7]),
    rep_device(backend_id='async', mode='Asynchronous',
               rdf_group_label=LABELS[8]),
    rep_device(backend_id='metro', mode='Metro', rdf_group_label=LABELS[9])]


class ModeTestCase(test_replication.ReplicationTestCase):
    """A backend with one replication device of ``mode`` in group 8."""

    mode = 'Asynchronous'
    number = 8
    flags = {}

    @property
    def rep(self):
        return rep_device(mode=self.mode,
                          rdf_group_label=LABELS[self.number], **self.flags)

    @property
    def suffix(self):
        return {'Asynchronous': 'RA', 'Metro': 'RM'}[self.mode]

    @property
    def default_sg(self):
        return 'OS-SRP_1-Diamond-NONE-%s-SG' % self.suffix

    @property
    def management(self):
        return 'OS-%s-%s-rdf-sg' % (LABELS[self.number], self.mode)

    def pairs(self):
        return self.arr.rdf[self.number].pairs

    def assertManaged(self):
        """The management groups hold exactly the RDF group, both sides.

        :returns: the R1 devices
        """
        for array in (self.arr, self.rem):
            paired = sorted(array.rdf[self.number].pairs)
            if not paired:
                self.assertNotIn(self.management, array.storage_groups)
                continue
            self.assertEqual(paired, sorted(array.members(self.management)))
            self.assertIsNone(array.storage_groups[self.management].slo)
        return sorted(self.pairs())

    def assertModePaired(self, volume, states):
        r1, r2 = self.device_of(volume), self.r2_of(volume)
        pair = self.pairs()[r1]
        self.assertEqual((self.array, r1, TARGET, r2),
                         (pair.r1_sid, pair.r1_dev, pair.r2_sid, pair.r2_dev))
        self.assertEqual({'Asynchronous': 'Asynchronous',
                          'Metro': 'Active'}[self.mode], pair.mode)
        self.assertIn(pair.state, states)
        self.assertIn(r1, self.arr.members(self.default_sg))
        self.assertIn(r2, self.rem.members(self.default_sg))
        self.assertEqual('OS-' + volume.id, self.rem.volumes[r2].identifier)
        return r1, r2

    def states(self):
        return {p.state for p in self.pairs().values()}

    def two_default_groups(self, states):
        """A second default group joins the RDF group while it is active."""
        gold = self.rep_type(pool_name='Gold+SRP_1+%s' % self.array)
        volumes = [self.create_rep(), self.create(1, gold)]
        self.assertIn(self.device_of(volumes[1]), self.arr.members(
            self.default_sg.replace('Diamond', 'Gold')))
        self.assertEqual(2, len(self.assertManaged()))
        self.assertLessEqual(self.states(), set(states))
        for volume in volumes:
            self.driver.delete_volume(volume)
        self.assertClean()

    def sixteen_at_once(self, states):
        """16 concurrent creates, then deletes in two waves of 8."""
        vtype = self.rep_type()
        volumes = [self.volume(vtype=vtype) for _ in range(16)]
        self.assertEqual([], self.all_at_once(self.driver.create_volume,
                                              volumes))
        self.assertEqual(16, len(self.assertManaged()))
        for volume in volumes:
            self.assertModePaired(volume, states)
        self.assertEqual([], self.all_at_once(self.driver.delete_volume,
                                              volumes[:8]))
        self.assertEqual(8, len(self.assertManaged()))
        self.assertLessEqual(self.states(), set(states))
        self.assertEqual([], self.all_at_once(self.driver.delete_volume,
                                              volumes[8:]))
        self.assertManaged()
        self.assertClean()


class AsyncTest(ModeTestCase):

    flags = {'allow_extend': 'True'}
    synced = ('SyncInProg', 'Consistent')

    def test_first_and_later_volumes(self):
        first, second = self.create_rep(), self.create_rep(size=2)
        self.assertModePaired(first, self.synced)
        self.assertModePaired(second, self.synced)
        self.assertEqual(2, len(self.assertManaged()))
        self.assertEqual('Asynchronous', first.metadata['ReplicationMode'])
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual((1, ['async']), (stats['replication_count'],
                                          stats['replication_type']))
        # Replication groups are Synchronous only: not offered.
        self.assertNotIn('consistent_group_replication_enabled', stats)

    def test_a_pair_leaves_while_the_others_replicate(self):
        volumes = [self.create_rep() for _ in range(3)]
        kept = [self.assertModePaired(v, self.synced)[0] for v in volumes[1:]]
        self.driver.delete_volume(volumes[0])
        # Only the deleted pair was suspended (consistency exempt).
        self.assertEqual(kept, self.assertManaged())
        self.assertEqual({'Consistent'}, self.states())
        for volume in volumes[1:]:
            self.driver.delete_volume(volume)
        self.assertManaged()
        self.assertNotIn(self.management, self.arr.storage_groups)
        self.assertNotIn(self.management, self.rem.storage_groups)
        self.assertClean()

    def test_extend_online(self):
        volumes = [self.create_rep(), self.create_rep()]
        r1, r2 = self.assertModePaired(volumes[0], self.synced)
        self.driver.extend_volume(volumes[0], 3)
        self.assertEqual(3.0, self.arr.volumes[r1].cap_gb)
        self.assertEqual(3.0, self.rem.volumes[r2].cap_gb)
        self.assertLessEqual(self.states(), set(self.synced))
        self.assertManaged()

    def test_failover_and_failback_of_the_group(self):
        volumes = [self.create_rep(), self.create_rep()]
        pairs = [self.assertModePaired(v, self.synced) for v in volumes]
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, None)
        for update in updates:
            self.assertEqual('failed-over',
                             update['updates']['replication_status'])
        self.assertEqual({'Failed Over'}, self.states())
        self.assertNotIn('OS-%s-temp-rdf-sg' % LABELS[self.number],
                         self.rem.storage_groups)
        self.assertManaged()
        for volume, update in zip(volumes, updates):
            volume.update(update['updates'])
        self.driver.failover_host(self.ctx, volumes, 'default')
        self.assertLessEqual(self.states(), set(self.synced))
        self.assertEqual(sorted(r1 for r1, _r2 in pairs),
                         self.assertManaged())

    def test_a_management_group_left_wrong_is_mended(self):
        volumes = [self.create_rep(), self.create_rep()]
        _r1, r2 = self.assertModePaired(volumes[0], self.synced)
        # An interrupted operation left a device outside the group: the
        # array refuses the group's failover until it is mended.
        self.rem.remove_volumes(self.management, [r2])
        self.driver.failover_host(self.ctx, volumes, None)
        self.assertEqual({'Failed Over'}, self.states())
        self.assertManaged()

    def test_a_second_default_group(self):
        self.two_default_groups(self.synced)

    def test_sixteen_concurrent_creates_and_deletes(self):
        self.sixteen_at_once(self.synced)


class LegacyAsyncExtendTest(ModeTestCase):
    """The target on HyperMax OS 5977: the whole group is suspended."""

    flags = {'allow_extend': 'True'}

    def settings(self):
        # Before the driver learns the arrays.
        self.rem.ucode = '5977.1125.1125'
        return super().settings()

    def test_extend_suspends_and_resumes_the_whole_group(self):
        volumes = [self.create_rep(), self.create_rep()]
        r1, r2 = self.assertModePaired(volumes[0], AsyncTest.synced)
        start = len(self.fake.requests)
        self.driver.extend_volume(volumes[0], 3)
        self.assertEqual(3.0, self.arr.volumes[r1].cap_gb)
        self.assertEqual(3.0, self.rem.volumes[r2].cap_gb)
        actions = [r.path for r in self.fake.requests[start:]
                   if r.method == 'PUT' and '/rdf_group/' in r.path]
        self.assertEqual(2, len(actions))
        for path in actions:
            self.assertIn(self.management, path)
        self.assertLessEqual(self.states(), set(AsyncTest.synced))
        self.assertManaged()


class MetroTest(ModeTestCase):

    mode = 'Metro'
    number = 9
    flags = {'allow_delete_metro': 'True', 'allow_extend': 'True'}
    active = ('SyncInProg', 'ActiveBias', 'ActiveActive')

    def test_create_and_delete(self):
        volumes = [self.create_rep() for _ in range(3)]
        for volume in volumes:
            self.assertModePaired(volume, self.active)
        self.assertEqual(3, len(self.assertManaged()))
        self.driver.delete_volume(volumes[0])
        # The group was suspended whole and is established again.
        self.assertEqual(2, len(self.assertManaged()))
        self.assertLessEqual(self.states(), set(self.active))
        for volume in volumes[1:]:
            self.driver.delete_volume(volume)
        self.assertManaged()
        self.assertClean()

    def test_a_delete_failing_after_the_unpairing_is_repeated(self):
        volumes = [self.create_rep(), self.create_rep()]
        r1, r2 = self.assertModePaired(volumes[0], self.active)
        # The R2 will not go: the pair is gone, both devices stay.
        rule = self.fake.faults.add(method='DELETE',
                                    path='/volume/%s$' % r2, count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.delete_volume, volumes[0])
        self.fake.faults.remove(rule)
        self.assertNotIn(r1, self.pairs())
        # The other Metro pair serves again meanwhile.
        self.assertLessEqual(self.states(), set(self.active))
        self.driver.delete_volume(volumes[0])
        self.assertNotIn(r1, self.arr.volumes)
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual([self.device_of(volumes[1])], self.assertManaged())
        self.driver.delete_volume(volumes[1])
        self.assertClean()

    def test_a_delete_that_cannot_establish_the_others_raises(self):
        """Symptom: it said deleted, and the other pairs stayed suspended.

        Unisphere goes down after the devices went, before the others
        are established again: the delete is not done, and its repeat
        establishes them.
        """
        volumes = [self.create_rep(), self.create_rep()]
        r1, r2 = self.assertModePaired(volumes[0], self.active)
        # The second SRDF action of the delete: the establish.
        self.fake.faults.add(method='PUT', path='rdf_group/9$', nth=2,
                             status=503, count=None)
        error = self.assertRaises(cinder_exception.VolumeBackendAPIException,
                                  self.driver.delete_volume, volumes[0])
        self.fake.faults.clear()
        self.assertIn('established again', str(error))
        self.assertNotIn(r1, self.arr.volumes)
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual({'Suspended'}, self.states())
        self.driver.delete_volume(volumes[0])
        self.assertLessEqual(self.states(), set(self.active))
        self.assertEqual([self.device_of(volumes[1])], self.assertManaged())
        self.driver.delete_volume(volumes[1])
        self.assertClean()

    def test_extend_refused(self):
        volume = self.create_rep()
        r1, r2 = self.assertModePaired(volume, self.active)
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.extend_volume, volume, 2)
        self.assertIn('clone', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual(1.0, self.arr.volumes[r1].cap_gb)

    def test_a_larger_clone_instead_of_an_extend(self):
        source = self.create_rep()
        clone = self.volume(size=3, vtype=self.rep_type())
        clone.update(self.driver.create_cloned_volume(clone, source))
        r1, r2 = self.assertModePaired(clone, self.active)
        self.assertEqual((3.0, 3.0), (self.arr.volumes[r1].cap_gb,
                                      self.rem.volumes[r2].cap_gb))
        self.assertEqual(2, len(self.assertManaged()))
        for volume in (clone, source):
            self.driver.delete_volume(volume)
        self.assertClean()

    def test_failover_refused(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidReplicationTarget,
                                  self.driver.failover_host, self.ctx,
                                  [volume], None)
        self.assertIn('Metro', str(error))
        self.assertEqual([], self.fake.check(before))

    def test_a_second_default_group(self):
        self.two_default_groups(self.active)

    def test_sixteen_concurrent_creates_and_deletes(self):
        self.sixteen_at_once(self.active)


class MetroWithoutDeleteTest(ModeTestCase):

    mode = 'Metro'
    number = 9
    flags = {'metro_use_bias': 'True'}

    def test_delete_refused_without_allow_delete_metro(self):
        volume = self.create_rep()
        r1, _r2 = self.assertModePaired(volume, ('SyncInProg', 'ActiveBias'))
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.delete_volume, volume)
        self.assertIn('allow_delete_metro', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertIn(r1, self.pairs())


class SeveralDevicesTest(test_replication.ReplicationTestCase):
    """Three devices, one per mode, picked by the type's extra spec."""

    rep = None

    def settings(self):
        return dict(super().settings(), replication_device=THREE_DEVICES)

    def typed(self, backend_id):
        return self.rep_type(**{
            'storagetype:replication_device_backend_id': backend_id})

    def test_each_type_replicates_over_its_device(self):
        volumes = {m: self.create(1, self.typed(m))
                   for m in ('sync', 'async', 'metro')}
        for mode, number, suffix in (('sync', 7, 'RE'), ('async', 8, 'RA'),
                                     ('metro', 9, 'RM')):
            r1 = self.device_of(volumes[mode])
            self.assertIn(r1, self.arr.rdf[number].pairs)
            self.assertIn(r1, self.arr.members(
                'OS-SRP_1-Diamond-NONE-%s-SG' % suffix))
        self.assertNotIn('OS-%s-Synchronous-rdf-sg' % LABELS[7],
                         self.arr.storage_groups)
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual((3, ['sync', 'async', 'metro']),
                         (stats['replication_count'],
                          stats['replication_type']))
        self.assertTrue(stats['consistent_group_replication_enabled'])

    def test_a_type_must_name_its_device(self):
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.create, 1, self.rep_type())
        self.assertIn('sync, async, metro', str(error))
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.create, 1, self.typed('dr'))
        self.assertIn("'dr'", str(error))
        self.assertEqual([], self.fake.check(before))

    def test_failover_moves_sync_and_async_pairs(self):
        volumes = [self.create(1, self.typed(m))
                   for m in ('sync', 'async', 'metro')]
        devices = [self.device_of(v) for v in volumes]
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, 'sync')
        self.assertEqual('sync', backend)
        by_id = {u['volume_id']: u['updates'] for u in updates}
        for volume, device, number in zip(volumes, devices, (7, 8, 9)):
            update = by_id[volume.id]
            self.assertEqual('failed-over', update['replication_status'])
            self.assertEqual(TARGET, ast.literal_eval(
                update['provider_location'])['array'])
        self.assertEqual('Failed Over', self.arr.rdf[7].pairs[
            devices[0]].state)
        self.assertEqual('Failed Over', self.arr.rdf[8].pairs[
            devices[1]].state)
        # No SRDF action for Metro: both arrays serve it already.
        self.assertIn(self.arr.rdf[9].pairs[devices[2]].state,
                      ('SyncInProg', 'ActiveBias', 'ActiveActive'))


class ModeRetypeManageTest(ModeTestCase):
    """Retype and manage into Async and Metro types, in place."""

    mode = 'Metro'
    number = 9
    flags = {'allow_delete_metro': 'True'}
    synced = MetroTest.active

    retype = test_replication.RetypeManageTest.retype
    host = test_replication.RetypeManageTest.host

    def test_to_metro_and_back(self):
        keeper = self.create_rep()
        volume = self.create()
        device = self.device_of(volume)
        self.assertTrue(self.retype(volume, self.rep_type()))
        self.assertEqual(device, self.assertModePaired(
            volume, MetroTest.active)[0])
        self.assertEqual(2, len(self.assertManaged()))
        r2 = self.r2_of(volume)
        self.assertTrue(self.retype(volume, self.volume_type()))
        self.assertEqual('disabled', volume.replication_status)
        self.assertIsNone(self.arr.pair_of(device))
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual([self.device_of(keeper)], self.assertManaged())
        self.assertLessEqual(self.states(), set(MetroTest.active))
        for item in (volume, keeper):
            self.driver.delete_volume(item)
        self.assertClean()

    def test_into_metro_refused_while_attached(self):
        volume = self.create()
        connector = self.connector()
        self.driver.initialize_connection(volume, connector)
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.retype, volume, self.rep_type())
        self.assertIn('detach', str(error))
        self.assertEqual(before, self.fake.snapshot())
        self.driver.terminate_connection(volume, connector)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_manage_into_a_metro_type(self):
        self.arr.create_group('user_sg', srp='SRP_1', slo='Gold')
        device = self.arr.create_volumes('user_sg', 1, 547, 'appvol')[0]
        volume = self.volume(vtype=self.rep_type())
        volume.update(self.driver.manage_existing(volume,
                                                  {'source-id': device}))
        self.assertEqual(device, self.assertModePaired(
            volume, self.synced)[0])
        self.assertEqual([device], self.assertManaged())
        self.driver.delete_volume(volume)
        self.assertManaged()


class AsyncRetypeTest(ModeRetypeManageTest):

    mode = 'Asynchronous'
    number = 8
    flags = {}
    synced = AsyncTest.synced
    test_into_metro_refused_while_attached = None
    test_to_metro_and_back = None

    def test_to_async_and_back(self):
        volume = self.create()
        self.assertTrue(self.retype(volume, self.rep_type()))
        self.assertModePaired(volume, AsyncTest.synced)
        self.assertEqual(1, len(self.assertManaged()))
        self.assertTrue(self.retype(volume, self.volume_type()))
        self.assertManaged()
        self.driver.delete_volume(volume)
        self.assertClean()
