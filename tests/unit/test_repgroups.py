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

"""Replication groups: group storage groups and SRDF on both arrays."""

import ast

from cinder import exception as cinder_exception
import ddt

from tests.unit import group_objects
from tests.unit import test_replication
from tests.unit import test_srdf_modes

TARGET = test_replication.TARGET
RE_SG = test_replication.RE_SG
REP_SPECS = {'consistent_group_replication_enabled': '<is> True'}
BOTH_SPECS = dict(REP_SPECS, **group_objects.CG_SPECS)


class RepGroupTestCase(group_objects.GroupTestMixin,
                       test_replication.ReplicationTestCase):
    """A backend with a replication device and replication groups."""

    def setUp(self):
        super().setUp()
        self.vtype = self.rep_type()

    def rep_group(self, name='rg', specs=None, **kwargs):
        group = self.group(name, specs=REP_SPECS if specs is None else specs,
                           **kwargs)
        self.assertEqual({'status': 'available',
                          'replication_status': 'enabled'},
                         self.driver.create_group(self.ctx, group))
        group.replication_status = 'enabled'
        return group

    def rem_devices(self, group):
        return sorted(self.rem.storage_groups[self.sg(group)].volumes)

    def states(self, volumes):
        return {self.arr.rdf[7].pairs[self.device_of(v)].state
                for v in volumes}

    def apply(self, volumes, updates):
        by_id = {v.id: v for v in volumes}
        for update in updates:
            update = dict(update)
            by_id[update.pop('id')].update(update)

    def delete_group(self, group, members):
        update, vol_updates = self.driver.delete_group(self.ctx, group,
                                                       members)
        self.assertEqual({'status': 'deleted'}, update)
        self.assertEqual(['deleted'] * len(members),
                         [u['status'] for u in vol_updates])


@ddt.ddt
class CreateUpdateDeleteTest(RepGroupTestCase):

    def test_group_on_both_arrays_with_r1s_and_r2s(self):
        group = self.rep_group()
        name = self.sg(group)
        for array in (self.arr, self.rem):
            self.assertIsNone(array.storage_groups[name].slo)
            self.assertEqual([], sorted(array.storage_groups[name].volumes))
        members = [self.member(group), self.member(group, size=2)]
        pairs = [self.assertPaired(v) for v in members]
        self.assertEqual(sorted(p[0] for p in pairs), self.sg_devices(group))
        self.assertEqual(sorted(p[1] for p in pairs),
                         self.rem_devices(group))
        self.delete_group(group, members)
        self.assertUnpaired()
        for array in (self.arr, self.rem):
            self.assertNotIn(name, array.storage_groups)
            self.assertNotIn(RE_SG, array.storage_groups)
        self.assertClean()

    def test_update_adds_and_removes_on_both_arrays(self):
        group = self.rep_group()
        first, second = self.create(1, self.vtype), self.create(1, self.vtype)
        r1a, r2a = self.assertPaired(first)
        r1b, r2b = self.assertPaired(second)
        self.assertEqual((None, None, None), self.driver.update_group(
            self.ctx, group, [first, second], []))
        self.assertEqual(sorted([r1a, r1b]), self.sg_devices(group))
        self.assertEqual(sorted([r2a, r2b]), self.rem_devices(group))
        self.driver.update_group(self.ctx, group, [], [first])
        self.assertEqual([r1b], self.sg_devices(group))
        self.assertEqual([r2b], self.rem_devices(group))
        # The removed volume stays replicated, in its default groups.
        self.assertPaired(first)
        self.delete_group(group, [second])
        self.driver.delete_volume(first)
        self.assertClean()

    def test_renamed_group_renamed_on_both_arrays(self):
        group = self.rep_group('old')
        members = [self.member(group)]
        old = self.sg(group)
        group.name = 'new'
        update, _vols = self.driver.failover_replication(
            self.ctx, group, members, None)
        self.assertEqual({'replication_status': 'failed-over'}, update)
        self.assertIn(self.sg(group), self.rem.storage_groups)
        self.assertNotIn(old, self.rem.storage_groups)
        self.driver.failover_replication(self.ctx, group, members,
                                         'default')
        self.driver.update_group(self.ctx, group, [], members)
        self.assertEqual([], self.sg_devices(group))
        self.assertEqual([], self.rem_devices(group))
        self.delete_group(group, members)
        self.assertClean()

    def test_snapshot_of_the_r1s(self):
        group = self.rep_group(specs=BOTH_SPECS)
        members = [self.member(group), self.member(group)]
        gsnap, snaps = self.take_group_snapshot(group, members)
        for volume, snap in zip(members, snaps):
            name = ast.literal_eval(snap.provider_location)['snap_name']
            self.assertEqual([name], [n for n, _id in self.names_on(
                self.device_of(volume))])
            self.assertFalse(self.rem.snapshots_of(self.r2_of(volume)))
        self.driver.delete_group_snapshot(self.ctx, gsnap, snaps)
        self.delete_group(group, members)
        self.assertClean()

    def test_pools_report_replication_groups(self):
        stats = self.driver.get_volume_stats(refresh=True)
        for pool in stats['pools']:
            self.assertTrue(pool['consistent_group_replication_enabled'])
            self.assertTrue(pool['group_replication_enabled'])

    def test_mixed_types_refused(self):
        group = self.group('mixed', specs=REP_SPECS,
                           vtypes=[self.vtype, self.volume_type()])
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_group, self.ctx, group)
        self.assertIn('replication_enabled', str(error))
        self.assertEqual([], self.fake.check(before))

    def test_replicated_type_in_a_plain_group_refused(self):
        group = self.group('plain', specs=group_objects.CG_SPECS)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.create_group, self.ctx, group)

    @ddt.data('plain', 'disabled')
    def test_add_refused_with_nothing_changed(self, case):
        group = self.rep_group()
        if case == 'plain':
            # A type the group lists, yet not replicated (an edited type).
            volume = self.create()
            group.volume_type_ids = [self.vtype.id, volume.volume_type_id]
        else:
            volume = self.create(1, self.vtype)
            group.replication_status = 'disabled'
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.update_group, self.ctx, group,
                                  [volume], [])
        self.assertIn('replication', str(error))
        self.assertEqual([], self.fake.check(before))
        self.driver.delete_volume(volume)
        self.delete_group(group, [])
        self.assertClean()

    def test_plain_volume_created_into_the_group_refused(self):
        group = self.rep_group()
        self.assertRaises(cinder_exception.InvalidInput, self.create,
                          vtype=self.volume_type(), group_id=group.id,
                          group=group)
        self.delete_group(group, [])
        self.assertClean()


class NoReplicationDeviceTest(group_objects.GroupTestMixin,
                              test_replication.ReplicationTestCase):

    rep = None

    def test_replication_group_refused(self):
        group = self.group('rg', specs=REP_SPECS)
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_group, self.ctx, group)
        self.assertIn('replication_device', str(error))
        self.assertEqual([], self.fake.check(before))


class ReplicationActionsTest(RepGroupTestCase):

    def test_disable_enable(self):
        group = self.rep_group()
        members = [self.member(group), self.member(group)]
        outside = self.create_rep()
        update, vol_updates = self.driver.disable_replication(
            self.ctx, group, members)
        self.assertEqual({'replication_status': 'disabled'}, update)
        self.assertEqual(['disabled'] * 2,
                         [u['replication_status'] for u in vol_updates])
        self.assertEqual({'Suspended'}, self.states(members))
        # Pairs kept; a volume outside the group goes on replicating.
        for volume in members:
            self.assertPaired(volume)
        self.assertNotEqual({'Suspended'}, self.states([outside]))
        # A repeat sends nothing.
        before = len(self.fake.requests)
        self.driver.disable_replication(self.ctx, group, members)
        self.assertFalse([r for r in self.fake.requests[before:]
                          if r.method != 'GET'])
        update, _vols = self.driver.enable_replication(self.ctx, group,
                                                       members)
        self.assertEqual({'replication_status': 'enabled'}, update)
        self.assertLessEqual(self.states(members),
                             {'SyncInProg', 'Synchronized'})
        self.delete_group(group, members)
        self.driver.delete_volume(outside)
        self.assertClean()

    def test_empty_group(self):
        group = self.rep_group()
        before = len(self.fake.requests)
        self.assertEqual(({'replication_status': 'disabled'}, []),
                         self.driver.disable_replication(self.ctx, group, []))
        self.assertEqual(before, len(self.fake.requests))
        self.delete_group(group, [])

    def test_failover_and_failback(self):
        group = self.rep_group()
        members = [self.member(group), self.member(group, size=2)]
        outside = self.create_rep()
        pairs = [self.assertPaired(v) for v in members]
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, None)
        self.assertEqual({'replication_status': 'failed-over'}, update)
        self.apply(members, vol_updates)
        for volume, (r1, r2) in zip(members, pairs):
            self.assertEqual('failed-over', volume.replication_status)
            self.assertEqual({'array': TARGET, 'device_id': r2},
                             ast.literal_eval(volume.provider_location))
            self.assertEqual({'array': self.array, 'device_id': r1},
                             ast.literal_eval(
                                 volume.replication_driver_data))
        self.assertEqual({'Failed Over'}, self.states(members))
        self.assertNotEqual({'Failed Over'}, self.states([outside]))
        group.replication_status = 'failed-over'
        # Changing or deleting a failed-over group is refused, unchanged.
        before = self.fake.snapshot()
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.update_group, self.ctx, group, [],
                          members[:1])
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.delete_group, self.ctx, group, members)
        self.assertEqual([], self.fake.check(before))
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, 'default')
        self.assertEqual({'replication_status': 'enabled'}, update)
        self.apply(members, vol_updates)
        group.replication_status = 'enabled'
        for volume, (r1, _r2) in zip(members, pairs):
            self.assertEqual(r1, self.device_of(volume))
        self.assertLessEqual(self.states(members),
                             {'SyncInProg', 'Synchronized'})
        self.delete_group(group, members)
        self.driver.delete_volume(outside)
        self.assertClean()

    def test_failover_with_the_primary_lost(self):
        group = self.rep_group()
        members = [self.member(group)]
        r1, r2 = self.assertPaired(members[0])
        self.fake.model.set_rdf_link(self.array, 7, False)
        self.fake.faults.add(path=self.array, count=None, status=503)
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, 'backend_id_legacy_rep')
        self.assertEqual({'replication_status': 'failed-over'}, update)
        self.apply(members, vol_updates)
        self.assertEqual('Failed Over', self.rem.rdf[7].pairs[r2].state)
        self.fake.faults.clear()
        self.fake.model.set_rdf_link(self.array, 7, True)
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, 'default')
        self.apply(members, vol_updates)
        group.replication_status = 'enabled'
        self.assertEqual(r1, self.device_of(members[0]))
        self.delete_group(group, members)
        self.assertClean()

    def test_failed_action_is_an_error_and_a_repeat_succeeds(self):
        group = self.rep_group()
        members = [self.member(group)]
        self.fake.faults.add(method='PUT', path='rdf_group', status=500)
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, None)
        self.assertEqual({'replication_status': 'error'}, update)
        self.assertEqual([{'id': members[0].id,
                           'replication_status': 'error'}], vol_updates)
        self.assertNotEqual({'Failed Over'}, self.states(members))
        self.fake.faults.clear()
        update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, None)
        self.assertEqual({'replication_status': 'failed-over'}, update)
        self.apply(members, vol_updates)
        self.driver.failover_replication(self.ctx, group, members,
                                         'default')

    def test_bad_secondary_id(self):
        group = self.rep_group()
        self.assertRaises(cinder_exception.InvalidReplicationTarget,
                          self.driver.failover_replication, self.ctx, group,
                          [], 'elsewhere')
        self.delete_group(group, [])

    def test_failover_host_reports_the_groups(self):
        group = self.rep_group()
        members = [self.member(group)]
        outside = self.create_rep()
        volumes = members + [outside]
        _backend, updates, groups = self.driver.failover_host(
            self.ctx, volumes, None, [group])
        self.assertEqual([{'group_id': group.id, 'updates': {
            'replication_status': 'failed-over'}}], groups)
        by_id = {u['volume_id']: u['updates'] for u in updates}
        for volume in volumes:
            volume.update(by_id[volume.id])
            self.assertEqual('failed-over', volume.replication_status)
        self.assertEqual({'Failed Over'}, self.states(volumes))
        _backend, updates, groups = self.driver.failover_host(
            self.ctx, volumes, 'default', [group])
        self.assertEqual('enabled',
                         groups[0]['updates']['replication_status'])
        by_id = {u['volume_id']: u['updates'] for u in updates}
        for volume in volumes:
            volume.update(by_id[volume.id])
        self.delete_group(group, members)
        self.driver.delete_volume(outside)
        self.assertClean()

    def test_failover_host_after_a_group_failover(self):
        group = self.rep_group()
        members = [self.member(group)]
        outside = self.create_rep()
        _update, vol_updates = self.driver.failover_replication(
            self.ctx, group, members, None)
        self.apply(members, vol_updates)
        r2 = self.r2_of(outside)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, members + [outside], None, [group])
        by_id = {u['volume_id']: u['updates'] for u in updates}
        # The group's volume is on the target already: not swapped back.
        self.assertEqual({'replication_status': 'failed-over'},
                         by_id[members[0].id])
        outside.update(by_id[outside.id])
        self.assertEqual(r2, self.device_of(outside))


class FromSourceTest(RepGroupTestCase):

    def test_left_to_cinders_generic_copy(self):
        source = self.rep_group('src')
        members = [self.member(source)]
        target = self.group('copy', specs=REP_SPECS)
        before = self.fake.snapshot()
        self.assertRaises(NotImplementedError,
                          self.driver.create_group_from_src, self.ctx,
                          target, [self.volume(1, self.vtype)], None, None,
                          source, members)
        self.assertEqual([], self.fake.check(before))
        # Cinder then clones each volume into the new group.
        clone = self.volume(1, self.vtype, group_id=target.id, group=target)
        clone.update(self.driver.create_cloned_volume(clone, members[0]))
        self.assertPaired(clone)
        self.assertEqual([self.device_of(clone)], self.sg_devices(target))
        self.assertEqual([self.r2_of(clone)], self.rem_devices(target))
        self.delete_group(target, [clone])
        self.delete_group(source, members)
        self.assertClean()


class RepGroupFaultSweepTest(RepGroupTestCase):
    """Each REST call failed in turn.

    No debris on either array, and a repeat succeeds.
    """

    def test_update_group(self):
        group = self.rep_group()
        self.addCleanup(self.driver.delete_group, self.ctx, group, [])

        def failed(volume, baseline, where):
            self.assertEqual([], self.fake.check(baseline), where)
            self.assertEqual([], self.sg_devices(group), where)
            self.assertEqual([], self.rem_devices(group), where)

        def undo(volume, result):
            self.assertEqual([self.device_of(volume)],
                             self.sg_devices(group))
            self.assertEqual([self.r2_of(volume)], self.rem_devices(group))
            self.driver.update_group(self.ctx, group,
                                     remove_volumes=[volume])
            self.driver.delete_volume(volume)
        self.fault_sweep(lambda: self.create(1, self.vtype),
                         lambda v: self.driver.update_group(
                             self.ctx, group, add_volumes=[v]),
                         undo, (cinder_exception.CinderException,), failed)

    def test_create_group(self):
        self.fault_sweep(lambda: self.group('rg', specs=REP_SPECS),
                         lambda g: self.driver.create_group(self.ctx, g),
                         lambda g, r: self.delete_group(g, []),
                         (cinder_exception.CinderException,))
        self.assertClean()


class AsyncDeviceOnlyTest(NoReplicationDeviceTest):
    """Replication groups are Synchronous only (seed 001)."""

    rep = test_replication.rep_device(mode='Asynchronous',
                                      rdf_group_label='23_24_008')

    def test_replication_group_refused(self):
        super().test_replication_group_refused()
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.create_group,
            self.ctx, self.group('rg', specs=REP_SPECS,
                                 vtypes=[self.volume_type(
                                     {'replication_enabled': '<is> True'})]))
        self.assertIn('Synchronous', str(error))


class SeveralDevicesGroupTest(group_objects.GroupTestMixin,
                              test_replication.ReplicationTestCase):
    """With a device per mode, a replication group takes Sync types only."""

    rep = None

    def settings(self):
        return dict(super().settings(),
                    replication_device=test_srdf_modes.THREE_DEVICES)

    def test_an_async_type_is_refused(self):
        typed = test_srdf_modes.SeveralDevicesTest.typed
        before = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.create_group,
            self.ctx, self.group('rg', specs=REP_SPECS,
                                 vtypes=[typed(self, 'async')]))
        self.assertIn('Synchronous', str(error))
        self.assertEqual([], self.fake.check(before))
        group = self.group('rg', specs=REP_SPECS, vtypes=[typed(self, 'sync')])
        self.assertEqual({'status': 'available',
                          'replication_status': 'enabled'},
                         self.driver.create_group(self.ctx, group))
