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

"""Generic volume groups, group snapshots and groups from a source."""

import ast
import uuid

from cinder import exception as cinder_exception
import ddt

from cinder_powermax import naming
from tests import base as tests_base
from tests.fake_unisphere import data
from tests.unit import base
from tests.unit import group_objects
from tests.unit import test_attach
from tests.unit import test_retype

CG_SPECS = group_objects.CG_SPECS
GroupTestMixin = group_objects.GroupTestMixin


@ddt.ddt
class GroupNamingTest(base.InvalidSpecMixin, tests_base.TestCase):

    GID = '0f8c3e2a-1b2c-4d5e-8f90-123456789abc'

    @ddt.data(('db', 'db_' + GID), (None, GID), (GID, GID),
              ('a b/c', 'a_b_c_' + GID),
              ('x' * 30, 'x' * 26 + '_' + GID))
    @ddt.unpack
    def test_group_sg_name(self, name, expected):
        self.assertEqual(expected, naming.group_sg_name(name, self.GID))
        self.assertTrue(naming.is_group_sg_name(expected))

    @ddt.data('OS-SRP_1-Diamond-NONE-SG', 'OS-h1-SRP_1-Diamond-OS-fibre-PG',
              'OS-no_SLO-SG', 'user_sg')
    def test_other_groups_are_not_group_sgs(self, name):
        self.assertFalse(naming.is_group_sg_name(name))

    def test_snapshot_names(self):
        self.assertEqual('0f8c3e2a-456789abc',
                         naming.group_snapshot_name(self.GID))
        temp = naming.temp_group_snapshot_name(self.GID)
        self.assertTrue(naming.is_temp_snapshot_name(temp))
        self.assertLessEqual(len(temp), naming.SNAPSHOT_NAME_MAX)

    def test_group_id_without_uuid_refused(self):
        self.assertInvalid('group_id', naming.group_sg_name, 'db', 'nope')


@ddt.ddt
class GroupTest(GroupTestMixin, base.DriverTestCase):

    def test_create_group_makes_a_non_fast_group(self):
        group = self.make_group('my group!')
        name = '_'.join(['my_group_', group.id])
        self.assertEqual(name, self.sg(group))
        made = self.arr.storage_groups[name]
        self.assertIsNone(made.slo)
        self.assertIsNone(made.srp)

    @ddt.data(None, '')
    def test_unnamed_group_is_its_uuid(self, name):
        group = self.make_group(name)
        self.assertIn(group.id, self.arr.storage_groups)

    def test_long_name_is_cut_head_and_tail(self):
        group = self.make_group('a' * 20 + 'b' * 20)
        self.assertIn('a' * 13 + 'b' * 13 + '_' + group.id,
                      self.arr.storage_groups)

    def test_type_without_consistent_snapshots_is_cinders(self):
        group = self.group(specs={})
        self.assertRaises(NotImplementedError, self.driver.create_group,
                          self.ctx, group)
        self.assertClean()

    def test_snapshots_of_a_group_cinder_runs_are_single_snapshots(self):
        # Cinder runs a group without consistent snapshots itself: its
        # group snapshot is one create_snapshot per member, each with its
        # own name although it carries the group snapshot's id.
        group = self.group(specs={})
        members = [self.member(group) for _ in range(2)]
        gsnap, snaps = self.group_snapshot(group, members)
        self.assertRaises(NotImplementedError,
                          self.driver.create_group_snapshot, self.ctx,
                          gsnap, snaps)
        for snap in snaps:
            snap.update(self.driver.create_snapshot(snap))
            self.assertEqual([naming.snapshot_name(snap.id)],
                             [n for n, _i in self.names_on(
                                 self.device_of(snap.volume))])
        copy = self.volume()
        copy.update(self.driver.create_volume_from_snapshot(copy, snaps[0]))
        self.assertFalse(self.arr.links_to(self.device_of(copy)))
        for snap in snaps:
            self.driver.delete_snapshot(snap)
        for volume in members + [copy]:
            self.driver.delete_volume(volume)
        self.assertClean()

    @ddt.data('consistent_group_replication_enabled',
              'group_replication_enabled')
    def test_replication_group_types_refused(self, key):
        specs = dict(CG_SPECS, **{key: '<is> True'})
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_group, self.ctx,
                                  self.group(specs=specs))
        self.assertIn(key, str(error))
        self.assertClean()

    @ddt.data(({'replication_enabled': '<is> True'}, 'replication_enabled'),
              ({'volume_backend_name': 'other'}, 'volume_backend_name'),
              ({'pool_name': 'Diamond+NONE+SRP_1+000197800999'},
               'pool_name'))
    @ddt.unpack
    def test_bad_volume_types_refused(self, extra, key):
        bad = self.volume_type(extra)
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.create_group,
            self.ctx, self.group(vtypes=[self.vtype, bad]))
        self.assertIn(key, str(error))
        self.assertClean()

    def test_volumes_created_into_the_group(self):
        group = self.make_group()
        members = [self.member(group) for _ in range(2)]
        devices = sorted(self.device_of(v) for v in members)
        self.assertEqual(devices, self.sg_devices(group))
        for device in devices:
            self.assertEqual(2, len(self.arr.groups_of(device)))

    def test_update_adds_and_removes(self):
        group = self.make_group()
        first, second = (self.create(vtype=self.vtype),
                         self.create(vtype=self.vtype))
        self.assertEqual((None, None, None), self.driver.update_group(
            self.ctx, group, add_volumes=[first, second]))
        self.assertEqual(sorted([self.device_of(first),
                                 self.device_of(second)]),
                         self.sg_devices(group))
        self.driver.update_group(self.ctx, group, add_volumes=[first],
                                 remove_volumes=[second])
        self.assertEqual([self.device_of(first)], self.sg_devices(group))
        # The volume keeps its default group.
        self.assertEqual(1, len(self.arr.groups_of(self.device_of(second))))

    def test_update_refuses_a_replicated_or_foreign_type(self):
        group = self.make_group()
        kept = self.member(group)
        replicated = self.volume_type({'replication_enabled': '<is> True'})
        group.volume_type_ids = [self.vtype.id, replicated.id]
        foreign = self.create()
        foreign.volume_type_id = str(uuid.uuid4())
        for volume, key in ((foreign, 'volume_type'),
                            (self.volume(vtype=replicated,
                                         provider_location=None),
                             'replication_enabled')):
            error = self.assertRaises(
                cinder_exception.InvalidInput, self.driver.update_group,
                self.ctx, group, add_volumes=[volume],
                remove_volumes=[kept])
            self.assertIn(key, str(error))
        self.assertEqual([self.device_of(kept)], self.sg_devices(group))

    def test_renamed_group_is_found_by_its_uuid(self):
        group = self.make_group('before')
        old = self.sg(group)
        group.name = 'after'
        volume = self.member(group)
        self.assertNotIn(old, self.arr.storage_groups)
        self.assertEqual([self.device_of(volume)], self.sg_devices(group))

    def test_delete_group_deletes_members_and_group(self):
        baseline = self.fake.snapshot()
        group = self.make_group()
        members = [self.member(group) for _ in range(2)]
        update, volumes = self.driver.delete_group(self.ctx, group, members)
        self.assertEqual({'status': 'deleted'}, update)
        self.assertEqual([{'id': v.id, 'status': 'deleted'}
                          for v in members], volumes)
        self.assertClean(baseline)

    def test_delete_group_refused_while_a_member_has_snapshots(self):
        group = self.make_group()
        members = [self.member(group) for _ in range(2)]
        self.take_snapshot(members[1])
        baseline = self.fake.snapshot()
        update, volumes = self.driver.delete_group(self.ctx, group, members)
        self.assertEqual({'status': 'error'}, update)
        self.assertEqual({'available'}, {v['status'] for v in volumes})
        self.assertClean(baseline)
        self.assertEqual(2, len(self.sg_devices(group)))

    def test_attach_and_detach_keep_the_group(self):
        group = self.make_group()
        volume = self.member(group)
        device = self.device_of(volume)
        connector = test_attach.fc_connector('grouphost',
                                             ['10000090fa0c0a01'])
        self.log_in(connector)
        self.driver.initialize_connection(volume, connector)
        self.assertIn(self.sg(group), self.arr.groups_of(device))
        self.assertTrue(self.arr.views_of_device(device))
        self.driver.terminate_connection(volume, connector)
        self.assertEqual(sorted(['OS-SRP_1-Diamond-NONE-SG', self.sg(group)]),
                         sorted(self.arr.groups_of(device)))

    def test_retype_keeps_the_group(self):
        group = self.make_group()
        volume = self.member(group)
        device = self.device_of(volume)
        gold = self.volume_type({'pool_name': test_retype.GOLD})
        self.assertTrue(self.driver.retype(
            self.ctx, volume, gold, {}, test_retype.host(test_retype.GOLD)))
        self.assertEqual(sorted([test_retype.GOLD_SG, self.sg(group)]),
                         sorted(self.arr.groups_of(device)))

    def test_deleting_the_last_member_keeps_an_os_named_group(self):
        group = self.make_group('OS-db')
        volume = self.member(group)
        self.driver.delete_volume(volume)
        self.assertEqual([], self.sg_devices(group))
        self.assertNotIn('OS-SRP_1-Diamond-NONE-SG', self.arr.storage_groups)

    def test_pools_offer_consistent_group_snapshots(self):
        self.driver._update_volume_stats()
        self.assertTrue(all(p['consistent_group_snapshot_enabled']
                            for p in self.driver._stats['pools']))


class GroupSnapshotTest(GroupTestMixin, base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.source = self.make_group('src')
        self.members = [self.member(self.source, size=s) for s in (1, 2, 1)]
        self.devices = [self.device_of(v) for v in self.members]

    def test_one_consistent_snapshot_of_the_group(self):
        before = len(self.fake.requests)
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        name = naming.group_snapshot_name(gsnap.id)
        creates = [r for r in self.fake.requests[before:]
                   if r.method == 'POST' and 'snapshot' in r.path]
        self.assertEqual(1, len(creates))
        self.assertIn('/storagegroup/%s/snapshot' % self.sg(self.source),
                      creates[0].path)
        snap_ids = set()
        for snap, device in zip(snaps, self.devices):
            found = self.names_on(device)
            self.assertEqual(1, len(found))
            self.assertEqual(name, found[0][0])
            snap_ids.add(found[0][1])
            self.assertEqual({'source_id': device, 'snap_name': name},
                             ast.literal_eval(snap.provider_location))
        self.assertEqual(1, len(snap_ids))

    def test_snapshot_of_an_empty_group(self):
        empty = self.make_group('empty')
        gsnap, snaps = self.take_group_snapshot(empty, [])
        self.assertEqual({}, self.arr.snapshots)
        self.assertEqual(({'status': 'deleted'}, []),
                         self.driver.delete_group_snapshot(self.ctx, gsnap,
                                                           snaps))

    def test_group_from_an_empty_group(self):
        empty = self.make_group('empty')
        group = self.group('copy')
        self.assertEqual(({'status': 'available'}, []),
                         self.driver.create_group_from_src(
                             self.ctx, group, [], source_group=empty,
                             source_vols=[]))
        self.assertEqual([], self.sg_devices(group))

    def test_delete_group_snapshot(self):
        baseline = self.fake.snapshot()
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        update, snap_updates = self.driver.delete_group_snapshot(
            self.ctx, gsnap, snaps)
        self.assertEqual({'status': 'deleted'}, update)
        self.assertEqual({'deleted'}, {s['status'] for s in snap_updates})
        self.assertClean(baseline)

    def test_delete_reaches_a_member_that_left_the_group(self):
        baseline = self.fake.snapshot()
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        self.driver.update_group(self.ctx, self.source,
                                 remove_volumes=[self.members[0]])
        self.driver.delete_group_snapshot(self.ctx, gsnap, snaps)
        self.assertClean(baseline)

    def test_delete_twice_is_success(self):
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        self.driver.delete_group_snapshot(self.ctx, gsnap, snaps)
        self.driver.delete_group_snapshot(self.ctx, gsnap, snaps)
        self.assertEqual({}, self.arr.snapshots)

    def test_member_snapshot_serves_single_snapshot_paths(self):
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        copy = self.volume(size=2)
        copy.update(self.driver.create_volume_from_snapshot(copy, snaps[1]))
        self.assertFalse(self.arr.links_to(self.device_of(copy)))
        self.driver.revert_to_snapshot(self.ctx, self.members[0], snaps[0])
        name = naming.group_snapshot_name(gsnap.id)
        self.assertEqual([name], [n for n, _i in
                                  self.names_on(self.devices[0])])

    def test_delete_group_refused_with_a_group_snapshot(self):
        self.take_group_snapshot(self.source, self.members)
        baseline = self.fake.snapshot()
        update, _volumes = self.driver.delete_group(self.ctx, self.source,
                                                    self.members)
        self.assertEqual({'status': 'error'}, update)
        self.assertClean(baseline)

    def _new_group_volumes(self, group, sizes):
        return [self.volume(size=s, group_id=group.id, group=group)
                for s in sizes]

    def _assert_copies(self, group, volumes, updates):
        self.assertEqual([v.id for v in volumes], [u['id'] for u in updates])
        devices = []
        for volume, update in zip(volumes, updates):
            device = ast.literal_eval(update['provider_location'])[
                'device_id']
            devices.append(device)
            self.assertFalse(self.arr.links_to(device))
            self.assertEqual(naming.volume_identifier(volume.id),
                             self.arr.volumes[device].identifier)
        self.assertEqual(sorted(devices), self.sg_devices(group))

    def test_group_from_a_group_snapshot(self):
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        group = self.group('copy')
        volumes = self._new_group_volumes(group, (1, 2, 1))
        update, updates = self.driver.create_group_from_src(
            self.ctx, group, volumes, group_snapshot=gsnap, snapshots=snaps)
        self.assertEqual({'status': 'available'}, update)
        self._assert_copies(group, volumes, updates)
        # The group snapshot stays, unlinked.
        for device in self.devices:
            self.assertEqual(1, len(self.names_on(device)))
            self.assertFalse(any(s.links for s in
                                 self.arr.snapshots_of(device)))

    def test_group_from_a_source_group(self):
        group = self.group('clone')
        volumes = self._new_group_volumes(group, (1, 2, 1))
        update, updates = self.driver.create_group_from_src(
            self.ctx, group, volumes, source_group=self.source,
            source_vols=self.members)
        self.assertEqual({'status': 'available'}, update)
        self._assert_copies(group, volumes, updates)
        self.assertEqual({}, self.arr.snapshots)
        self.assertEqual([], self.fake.check())

    def test_group_from_source_refuses_a_smaller_volume(self):
        baseline = self.fake.snapshot()
        group = self.group('clone')
        volumes = self._new_group_volumes(group, (1, 1, 1))
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.create_group_from_src,
            self.ctx, group, volumes, source_group=self.source,
            source_vols=self.members)
        self.assertIn(volumes[1].id, str(error))
        self.assertClean(baseline)


class GenerationGroupSnapshotTest(GroupSnapshotTest):
    """A 5977 array: snapshots addressed by generation."""

    array = data.VMAX_AFA


CINDER_ERRORS = (cinder_exception.VolumeBackendAPIException,
                 cinder_exception.InvalidInput,
                 cinder_exception.VolumeIsBusy,
                 cinder_exception.VolumeDriverException)


def _as_manager_sees_it(update):
    """Cinder's manager fails a group operation on an error status."""
    if update[0] and update[0].get('status') in ('error', 'error_deleting'):
        raise cinder_exception.VolumeDriverException(
            message='group operation ended %s' % update[0]['status'])
    return update


class GroupFaultSweepTest(GroupTestMixin, base.DriverTestCase):
    """Each REST call of each group operation failed in turn.

    A failure raises a Cinder error, leaves nothing new on the array and a
    repeat succeeds; undoing a success leaves the array as it was.
    """

    def sweep(self, make, run, undo, failed=None):
        self.fault_sweep(make, run, undo, CINDER_ERRORS, failed)

    def no_debris(self, inputs, baseline, where):
        self.assertEqual([], [p for p in self.fake.check(baseline)
                              if not p.endswith(' is gone')],
                         'debris after ' + where)

    def setUp(self):
        super().setUp()
        # Runs after the cleanups the tests add: nothing may be left.
        self.addCleanup(self.assertClean)

    def test_create_group(self):
        self.sweep(self.group, lambda g: self.driver.create_group(
            self.ctx, g), lambda g, r: self.driver.delete_group(
                self.ctx, g, []))

    def test_update_group(self):
        group = self.make_group()
        self.addCleanup(self.driver.delete_group, self.ctx, group, [])

        def run(volume):
            return self.driver.update_group(self.ctx, group,
                                            add_volumes=[volume])

        def failed(volume, baseline, where):
            self.assertEqual([], self.fake.check(baseline), where)
            self.assertEqual([], self.sg_devices(group), where)

        def undo(volume, result):
            self.assertEqual([self.device_of(volume)],
                             self.sg_devices(group))
            self.driver.update_group(self.ctx, group,
                                     remove_volumes=[volume])
            self.driver.delete_volume(volume)
        self.sweep(lambda: self.create(vtype=self.vtype), run, undo, failed)

    def test_create_group_snapshot(self):
        group, members = self.source_group()

        def run(inputs):
            return self.driver.create_group_snapshot(self.ctx, *inputs)
        self.sweep(lambda: self.group_snapshot(group, members), run,
                   lambda inputs, r: self.driver.delete_group_snapshot(
                       self.ctx, *inputs))

    def test_delete_group_snapshot(self):
        group, members = self.source_group()

        def run(inputs):
            return self.driver.delete_group_snapshot(self.ctx, *inputs)
        self.sweep(lambda: self.take_group_snapshot(group, members), run,
                   lambda inputs, r: None, self.no_debris)

    def _from_source(self, **source):
        def make():
            group = self.group('copy')
            return group, [self.volume(group_id=group.id, group=group)]

        def run(inputs):
            group, volumes = inputs
            return self.driver.create_group_from_src(
                self.ctx, group, volumes, **source)

        def undo(inputs, result):
            group, volumes = inputs
            for volume, update in zip(volumes, result[1]):
                volume.provider_location = update['provider_location']
                self.assertFalse(self.arr.links_to(self.device_of(volume)))
            self.driver.delete_group(self.ctx, group, volumes)
        self.sweep(make, run, undo)

    # One member: the calls per member repeat those of the first.
    def test_group_from_group_snapshot(self):
        group, members = self.source_group(1)
        gsnap, snaps = self.take_group_snapshot(group, members)
        self.addCleanup(self.driver.delete_group_snapshot, self.ctx, gsnap,
                        snaps)
        self._from_source(group_snapshot=gsnap, snapshots=snaps)

    def test_group_from_source_group(self):
        group, members = self.source_group(1)
        self._from_source(source_group=group, source_vols=members)

    def test_delete_group(self):
        def make():
            group = self.make_group()
            return group, [self.member(group) for _ in range(2)]

        def run(inputs):
            return _as_manager_sees_it(self.driver.delete_group(
                self.ctx, *inputs))
        self.sweep(make, run, lambda inputs, r: None, self.no_debris)
