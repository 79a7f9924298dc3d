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

"""Cinder's recovery after a fault or a death, on what manage adopted.

Each test injects the fault or the death that once left an array wrong,
then does what Cinder does next (re-drive the operation, or delete the
errored record) and asserts on the array: nothing an administrator
brought is deleted, nothing is wedged, and what the driver reported is
what the array did.
"""

import ast
import re

from cinder import exception as cinder_exception
from cinder import objects
import fixtures

from tests.fake_unisphere import app as fake_app
from tests.unit import base
from tests.unit import test_attach
from tests.unit import test_groups
from tests.unit import test_repgroups
from tests.unit import test_replication
from tests.unit import test_retype
from tests.unit import test_srdf_modes

USER_SG = 'user_sg'
DIAMOND_SG = 'OS-SRP_1-Diamond-NONE-SG'
DIAMOND_SG_2 = 'OS-SRP_1-Diamond-NONE-2-SG'
ADMIN_LOOKALIKE_SG = 'OS-SRP_1-Diamond-NONE-old-SG'
GB_CYL = 547


def own_name(snapshot):
    return ast.literal_eval(snapshot.provider_location)['snap_name']


class RecoveryTestCase(base.DriverTestCase):
    """Deaths and faults, and a new driver for Cinder's next step."""

    def die_at(self, func, *args, method=None, path=None, nth=1,
               action='die'):
        """Run ``func`` with the process dying at the matching request.

        cinder-volume then restarts: a new driver on the same array.

        :param action: ``die_after`` to die once the request is answered
        """
        self.fake.faults.add(method=method, path=path, nth=nth,
                             action=action, count=None)
        self.assertRaises(fake_app.ClientDied, func, *args)
        self.fake.faults.clear()
        self.driver = self.make_driver()
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()

    def admin_device(self, identifier='appvol', group=USER_SG):
        """A device an administrator made, in their own group or none."""
        made = group or 'admin_tmp_sg'
        if made not in self.arr.storage_groups:
            self.arr.create_group(made, srp='SRP_1', slo='Gold')
        device = self.arr.create_volumes(made, 1, GB_CYL, identifier)[0]
        if not group:
            self.arr.remove_volumes(made, [device])
            self.arr.delete_group(made)
        return device


class ManageRecoveryTest(RecoveryTestCase):

    def assertManageableAgain(self, device):
        """A new record takes the device over at once, and gives it back."""
        volume = self.volume()
        volume.update(self.driver.manage_existing(
            volume, {'source-id': device}))
        self.assertEqual(device, self.device_of(volume))
        self.driver.unmanage(volume)

    def test_death_after_rename_then_errored_record_deleted(self):
        """Symptom: the clean-up of error_managing deleted the device."""
        device = self.admin_device()
        volume = self.volume()
        self.die_at(self.driver.manage_existing, volume,
                    {'source-id': device}, method='PUT',
                    path='storagegroup', nth=1)
        self.assertIn(device, self.arr.volumes)
        # Cinder deletes the error_managing record.
        volume.status = 'error_managing_deleting'
        self.driver.delete_volume(volume)
        self.assertIn(device, self.arr.volumes)
        self.assertFalse(self.arr.volumes[device].identifier.startswith(
            'OS-'))
        self.assertManageableAgain(device)

    def test_lost_answer_of_the_group_edit_from_no_group(self):
        """Symptom: it raised and left the device in the default group."""
        device = self.admin_device(group=None)
        volume = self.volume()
        self.fake.faults.add(path='storagegroup/%s$' % DIAMOND_SG,
                             method='PUT', action='lose_answer')
        volume.update(self.driver.manage_existing(
            volume, {'source-id': device}))
        self.assertEqual([DIAMOND_SG], self.arr.groups_of(device))
        self.assertEqual('OS-' + volume.id,
                         self.arr.volumes[device].identifier)
        self.driver.unmanage(volume)
        self.assertEqual([], self.arr.groups_of(device))

    def test_unisphere_down_after_rename_then_errored_record_deleted(self):
        device = self.admin_device()
        volume = self.volume()
        self.fake.faults.add(path='storagegroup', method='PUT',
                             status=503, count=None)
        self.fake.faults.add(path='volume/%s$' % device, method='PUT',
                             nth=2, status=503, count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.manage_existing, volume,
                          {'source-id': device})
        self.fake.faults.clear()
        volume.status = 'error_managing_deleting'
        self.driver.delete_volume(volume)
        self.assertIn(device, self.arr.volumes)
        self.assertManageableAgain(device)


class ManageSnapshotRecoveryTest(RecoveryTestCase):

    def admin_snapshot(self):
        volume = self.create()
        device = self.device_of(volume)
        self.arr.create_snapshot('appsnap', [device], 0)
        return volume, device

    def test_rename_answer_lost_is_a_success(self):
        """Symptom: a lost rename answer left OS-appsnap behind an error."""
        volume, device = self.admin_snapshot()
        snap = self.snapshot(volume)
        self.fake.faults.add(path='snapshot/appsnap', method='PUT',
                             action='truncate')
        snap.update(self.driver.manage_existing_snapshot(
            snap, {'source-name': 'appsnap'}))
        self.assertEqual(['OS-appsnap'], [
            s.name for s in self.arr.snapshots_of(device)])
        self.driver.unmanage_snapshot(snap)
        self.assertEqual(['appsnap'], [
            s.name for s in self.arr.snapshots_of(device)])

    def test_death_after_rename_then_errored_snapshot_deleted(self):
        """Symptom: the errored snapshot's delete left OS-appsnap stuck."""
        volume, device = self.admin_snapshot()
        own = self.take_snapshot(volume)
        snap = self.snapshot(volume)
        # The rename is manage's last call: the process dies after it, and
        # Cinder never records the location.
        self.driver.manage_existing_snapshot(snap, {'source-name': 'appsnap'})
        volume.snapshots = objects.SnapshotList(objects=[own, snap])
        snap.status = 'deleting'
        self.driver.delete_snapshot(snap)
        self.assertEqual(sorted(['appsnap', own_name(own)]), sorted(
            s.name for s in self.arr.snapshots_of(device)))
        self.driver.delete_snapshot(own)
        self.assertEqual(['appsnap'], [
            s.name for s in self.arr.snapshots_of(device)])
        # The source volume's delete is not held back any more by it...
        self.arr.delete_snapshot('appsnap', [device])
        self.driver.delete_volume(volume)
        self.assertNotIn(device, self.arr.volumes)

    def test_death_after_the_unmanage_rename_then_redriven(self):
        """Symptom: the re-drive found no OS-appsnap and failed."""
        volume, device = self.admin_snapshot()
        snap = self.snapshot(volume)
        snap.update(self.driver.manage_existing_snapshot(
            snap, {'source-name': 'appsnap'}))
        self.die_at(self.driver.unmanage_snapshot, snap, method='PUT',
                    path='snapshot/OS-appsnap', action='die_after')
        self.assertEqual(['appsnap'], [
            s.name for s in self.arr.snapshots_of(device)])
        self.driver.unmanage_snapshot(snap)
        self.assertEqual(['appsnap'], [
            s.name for s in self.arr.snapshots_of(device)])

    def test_a_recorded_managed_snapshot_is_not_given_back(self):
        volume, device = self.admin_snapshot()
        self.arr.create_snapshot('othersnap', [device], 0)
        kept = self.snapshot(volume)
        kept.update(self.driver.manage_existing_snapshot(
            kept, {'source-name': 'othersnap'}))
        failed = self.snapshot(volume)
        self.driver.manage_existing_snapshot(failed,
                                             {'source-name': 'appsnap'})
        volume.snapshots = objects.SnapshotList(objects=[kept, failed])
        self.driver.delete_snapshot(failed)
        self.assertEqual(['OS-othersnap', 'appsnap'], sorted(
            s.name for s in self.arr.snapshots_of(device)))


class UnmanageReplicatedTest(test_replication.ReplicationTestCase,
                             RecoveryTestCase):
    """Unmanage gives a replicated volume's device back unpaired."""

    def test_unmanage_removes_the_pair_and_the_r2(self):
        """Symptom: the R1 stayed paired, the R2 kept OS-<id>."""
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.driver.unmanage(volume)
        self.assertUnpaired()
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual(volume.id, self.arr.volumes[r1].identifier)
        self.assertEqual([], self.arr.groups_of(r1))
        self.assertNotIn(test_replication.RE_SG, self.rem.storage_groups)
        # ...and it can be managed back, replicated again.
        again = self.volume(vtype=self.rep_type())
        again.update(self.driver.manage_existing(again, {'source-id': r1}))
        self.assertPaired(again)

    def test_death_during_unmanage_then_repeat(self):
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.die_at(self.driver.unmanage, volume, method='PUT',
                    path='volume/%s$' % r1)
        self.driver.unmanage(volume)
        self.assertUnpaired()
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual(volume.id, self.arr.volumes[r1].identifier)

    def test_paired_device_refused_for_its_pair(self):
        """Symptom: an R1 was refused as 'not a TDEV'."""
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.arr.rename_volume(r1, 'paired')
        error = self.assertRaises(
            cinder_exception.ManageExistingInvalidReference,
            self.driver.manage_existing, self.volume(), {'source-id': r1})
        self.assertIn('SRDF', str(error))
        self.assertIn('remove the pair', str(error))
        self.assertNotIn('only FBA thin devices', str(error))


class ClearErrorsTest(RecoveryTestCase):
    """Bad input gets a clear, bounded error: no raw exception."""

    def test_retype_without_host(self):
        volume = self.create()
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.retype, self.ctx,
            volume, {'extra_specs': {}}, {}, None)
        self.assertIn('host', str(error))

    def test_unknown_sort_key_names_the_valid_ones(self):
        for call in (self.driver.get_manageable_volumes,
                     self.driver.get_manageable_snapshots):
            error = self.assertRaises(
                cinder_exception.InvalidInput, call, [], None, 10, 0,
                ['colour'], ['asc'])
            self.assertIn('colour', str(error))
            self.assertIn('reference, size', str(error))

    def test_huge_reference_gives_a_bounded_message(self):
        ref = {'source-name': 'x' * (1 << 20)}
        error = self.assertRaises(
            cinder_exception.ManageExistingInvalidReference,
            self.driver.manage_existing, self.volume(), ref)
        self.assertLess(len(str(error)), 2000)

    def test_empty_snapshot_reference_says_what_to_give(self):
        volume = self.create()
        for ref in ({}, {'source-name': ''}, None):
            for call in (self.driver.manage_existing_snapshot_get_size,
                         self.driver.manage_existing_snapshot):
                error = self.assertRaises(
                    cinder_exception.ManageExistingInvalidReference, call,
                    self.snapshot(volume), ref)
                self.assertIn('give source-name', str(error))
                self.assertIn(self.device_of(volume), str(error))


class ReplicatedOutcomeTest(test_replication.ReplicationTestCase,
                            RecoveryTestCase):
    """What the driver reports of a replicated change is what happened."""

    retype = test_replication.RetypeManageTest.retype
    host = test_replication.RetypeManageTest.host

    def test_retype_to_plain_whose_pair_delete_answer_is_lost(self):
        """Symptom: the pair was gone, the R2 stayed, Cinder was told no."""
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.fake.faults.add(method='DELETE', path='rdf_group/7/volume',
                             action='lose_answer')
        self.assertTrue(self.retype(volume, self.volume_type()))
        self.assertEqual('disabled', volume.replication_status)
        self.assertIsNone(volume.replication_driver_data)
        self.assertUnpaired()
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual([test_replication.PLAIN_SG],
                         self.arr.groups_of(r1))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_extend_whose_answer_is_lost_is_a_success(self):
        """Symptom: both sides grew, and the extend raised."""
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.fake.faults.add(method='PUT', path='volume/%s$' % r1,
                             action='truncate')
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2.0, self.arr.volumes[r1].cap_gb)
        self.assertEqual(2.0, self.rem.volumes[r2].cap_gb)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_failover_never_acts_on_another_volumes_r2(self):
        """Symptom: b's stale record named a's R2; a's pair failed over."""
        a, b = self.create_rep(), self.create_rep()
        a_r1, a_r2 = self.assertPaired(a)
        b_r1, b_r2 = self.assertPaired(b)
        b.replication_driver_data = a.replication_driver_data
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, [b], None)
        by_id = {u['volume_id']: u['updates'] for u in updates}
        # a's pair did not move; b failed over onto its own R2.
        self.assertNotEqual('Failed Over', self.arr.rdf[7].pairs[a_r1].state)
        self.assertEqual('Failed Over', self.arr.rdf[7].pairs[b_r1].state)
        self.assertEqual({'array': test_replication.TARGET,
                          'device_id': b_r2}, ast.literal_eval(
                              by_id[b.id]['provider_location']))
        self.driver.failover_host(self.ctx, [], 'default')

    def failed_over_with_foreign_r1(self):
        """a and b; b failed over, its record of its R1 naming a's R1.

        :returns: (a's R1, b's R1, b)
        """
        a, b = self.create_rep(), self.create_rep()
        a_r1, b_r1 = self.device_of(a), self.device_of(b)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [b], None)
        b.update(updates[0]['updates'])
        b.replication_driver_data = a.provider_location
        return a_r1, b_r1, b

    def test_failback_never_reports_another_volumes_r1(self):
        """Symptom: b's record of its R1 named a's; b was reported there."""
        a_r1, b_r1, b = self.failed_over_with_foreign_r1()
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [b], 'default')
        # b failed back onto its own R1, and a's pair was left alone.
        self.assertEqual('enabled',
                         updates[0]['updates']['replication_status'])
        self.assertEqual({'array': self.array, 'device_id': b_r1},
                         ast.literal_eval(
                             updates[0]['updates']['provider_location']))
        self.assertNotEqual('Failed Over', self.arr.rdf[7].pairs[b_r1].state)
        self.assertEqual('Synchronized', self.arr.rdf[7].pairs[a_r1].state)

    def test_failback_of_a_volume_whose_r1_is_gone_is_an_error(self):
        a_r1, b_r1, b = self.failed_over_with_foreign_r1()
        self.arr.rename_volume(b_r1, 'not-b')
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [b], 'default')
        self.assertEqual({'replication_status': 'error'},
                         updates[0]['updates'])
        self.assertEqual('Failed Over', self.arr.rdf[7].pairs[b_r1].state)
        self.assertEqual('Synchronized', self.arr.rdf[7].pairs[a_r1].state)

    def test_failover_of_a_volume_whose_r2_is_gone_is_an_error(self):
        a, b = self.create_rep(), self.create_rep()
        a_r1, _a_r2 = self.assertPaired(a)
        b_r2 = self.r2_of(b)
        b.replication_driver_data = a.replication_driver_data
        self.rem.rename_volume(b_r2, 'not-b')
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [b], None)
        self.assertEqual('error', updates[0]['updates'].get(
            'replication_status'))
        self.assertNotEqual('Failed Over', self.arr.rdf[7].pairs[a_r1].state)


class FailoverOutcomeTest(test_replication.ReplicationTestCase,
                          RecoveryTestCase):
    """A failover or failback whose SRDF action's answer is lost."""

    number = 7
    lost = ('truncate', 'lose_answer', 'fail_job_applied')
    # One pair: several Synchronous pairs whose action fails are tried
    # again one by one, and the repeat finds them moved.
    count = 1

    def move(self, volumes, secondary, action):
        """failover_host with the answer of its one SRDF action lost.

        :returns: the statuses it reported; the volumes take its updates
        """
        self.fake.faults.add(method='PUT', path='rdf_group/%d$' %
                             self.number, action=action)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, secondary)
        self.fake.faults.clear()
        for volume, update in zip(volumes, updates):
            volume.update(update['updates'])
        return [u['updates']['replication_status'] for u in updates]

    def test_the_moved_pairs_are_reported_moved(self):
        """Symptom: the pairs failed over (or back), and it raised."""
        volumes = [self.create_rep() for _ in range(self.count)]
        pairs = [self.arr.rdf[self.number].pairs[self.device_of(v)]
                 for v in volumes]
        for action in self.lost:
            self.assertEqual(['failed-over'] * self.count,
                             self.move(volumes, None, action), action)
            self.assertEqual({'Failed Over'}, {p.state for p in pairs})
            self.assertEqual([p.r2_dev for p in pairs],
                             [self.device_of(v) for v in volumes])
            self.assertEqual(['enabled'] * self.count,
                             self.move(volumes, 'default', action), action)
            self.assertNotIn('Failed Over', {p.state for p in pairs})
            self.assertEqual([p.r1_dev for p in pairs],
                             [self.device_of(v) for v in volumes])
        for volume in volumes:
            self.driver.delete_volume(volume)
        self.assertClean()


class AsyncFailoverOutcomeTest(test_srdf_modes.ModeTestCase,
                               FailoverOutcomeTest):
    """The same through an Asynchronous group's management group."""

    flags = {'allow_extend': 'True'}
    count = 2


class RepGroupOutcomeTest(test_repgroups.RepGroupTestCase,
                          RecoveryTestCase):

    def test_failover_whose_answer_is_lost_reports_the_failover(self):
        """Symptom: Cinder was told error while the group failed over."""
        for action in ('truncate', 'lose_answer', 'fail_job_applied'):
            group = self.rep_group('rg-' + action)
            members = [self.member(group)]
            r1, r2 = self.assertPaired(members[0])
            self.fake.faults.add(method='PUT', path='rdf_group/7$',
                                 action=action)
            update, vol_updates = self.driver.failover_replication(
                self.ctx, group, members, None)
            self.fake.faults.clear()
            self.assertEqual({'replication_status': 'failed-over'}, update,
                             action)
            self.apply(members, vol_updates)
            self.assertEqual({'array': test_replication.TARGET,
                              'device_id': r2}, ast.literal_eval(
                                  members[0].provider_location))
            update, vol_updates = self.driver.failover_replication(
                self.ctx, group, members, 'default')
            self.assertEqual({'replication_status': 'enabled'}, update)
            self.apply(members, vol_updates)
            group.replication_status = 'enabled'
            self.delete_group(group, members)
        self.assertClean()

    def test_disable_enable_whose_answer_is_lost_report_the_change(self):
        """Symptom: the pairs were suspended (or resumed); it said error."""
        group = self.rep_group()
        members = [self.member(group), self.member(group)]
        for action in ('truncate', 'lose_answer', 'fail_job_applied'):
            for call, status, states in (
                    (self.driver.disable_replication, 'disabled',
                     {'Suspended'}),
                    (self.driver.enable_replication, 'enabled',
                     {'SyncInProg', 'Synchronized'})):
                self.fake.faults.add(method='PUT', path='rdf_group/7$',
                                     action=action)
                update, vol_updates = call(self.ctx, group, members)
                self.fake.faults.clear()
                self.assertEqual({'replication_status': status}, update,
                                 action)
                self.assertEqual([status] * 2, [
                    u['replication_status'] for u in vol_updates])
                self.assertLessEqual(self.states(members), states, action)
        self.delete_group(group, members)
        self.assertClean()


class GroupFromSourceRecoveryTest(test_groups.GroupSnapshotTest,
                                  RecoveryTestCase):
    """An interrupted group copy, then Cinder deletes the errored group."""

    def delete_errored(self, group, volumes):
        group.status = 'error'
        for volume in volumes:
            volume.status = 'error'
        update, updates = self.driver.delete_group(self.ctx, group, volumes)
        self.assertEqual({'status': 'deleted'}, update)
        self.assertEqual(['deleted'] * len(volumes),
                         [u['status'] for u in updates])

    def died_after_the_link(self):
        """A group copied from a group snapshot, dead after the link.

        :returns: (group snapshot, its snapshots, the arrays' baseline
            before the copy, the new group, its volumes)
        """
        gsnap, snaps = self.take_group_snapshot(self.source, self.members)
        baseline = self.fake.snapshot()
        group = self.group('copy', group_snapshot_id=gsnap.id)
        volumes = [self.volume(size=s, group_id=group.id, group=group)
                   for s in (1, 2, 1)]
        # Death at the first read after the link.
        self.die_at(self.driver.create_group_from_src, self.ctx, group,
                    volumes, gsnap, snaps, None, None, method='GET',
                    path='volume/%s/snapshot' % self.devices[0], nth=2)
        return gsnap, snaps, baseline, group, volumes

    def test_death_after_the_link_from_a_group_snapshot(self):
        """Symptom: the new devices stayed linked; nothing could go."""
        gsnap, snaps, baseline, group, volumes = self.died_after_the_link()
        self.delete_errored(group, volumes)
        self.assertClean(baseline)
        self.driver.delete_group_snapshot(self.ctx, gsnap, snaps)
        update, _updates = self.driver.delete_group(self.ctx, self.source,
                                                    self.members)
        self.assertEqual({'status': 'deleted'}, update)
        self.assertClean()

    def test_death_after_the_temporary_snapshot_of_a_source_group(self):
        """Symptom: temp- group snapshots stayed with no expiry."""
        baseline = self.fake.snapshot()
        group = self.group('clone', source_group_id=self.source.id)
        volumes = [self.volume(size=s, group_id=group.id, group=group)
                   for s in (1, 2, 1)]
        self.die_at(self.driver.create_group_from_src, self.ctx, group,
                    volumes, None, None, self.source, self.members,
                    method='PUT', path='snapshot', nth=1)
        self.delete_errored(group, volumes)
        self.assertClean(baseline)
        for device in self.devices:
            self.assertEqual([], self.names_on(device))

    def test_group_snapshot_deleted_before_the_errored_group(self):
        gsnap, snaps, baseline, group, volumes = self.died_after_the_link()
        update, _updates = self.driver.delete_group_snapshot(
            self.ctx, gsnap, snaps)
        self.assertEqual({'status': 'deleted'}, update)
        self.delete_errored(group, volumes)
        self.assertEqual([], [p for p in self.fake.check(baseline)
                              if 'snapshot' not in p])
        for device in self.devices:
            self.assertEqual([], self.names_on(device))


class ReplicatedCloneRecoveryTest(test_replication.ReplicationTestCase,
                                  RecoveryTestCase):
    """An interrupted replicated clone, then its errored record deleted."""

    def clone_dies(self, source, path, nth, method=None):
        clone = self.volume(vtype=self.rep_type(), source_volid=source.id)
        self.die_at(self.driver.create_cloned_volume, clone, source,
                    method=method, path=path, nth=nth)
        clone.status = 'error'
        return clone

    def test_death_after_the_link_then_one_delete(self):
        """Symptom: the first delete of the errored clone met a 409."""
        source = self.create_rep()
        baseline = self.fake.snapshot()
        # The first read of the source's sessions is the copy's, after
        # the link (the snapshot's own instances come with its creation).
        clone = self.clone_dies(source, 'volume/%s/snapshot' %
                                self.device_of(source), 1)
        self.driver.delete_volume(clone)
        self.assertClean(baseline)

    def test_death_after_the_link_then_redriven(self):
        """Symptom: the re-drive met the link the first try left (409)."""
        source = self.create_rep()
        baseline = self.fake.snapshot()
        # The first read of the source's sessions is the copy's.
        clone = self.clone_dies(source, 'volume/%s/snapshot' %
                                self.device_of(source), 1)
        clone.update(self.driver.create_cloned_volume(clone, source))
        device = self.device_of(clone)
        self.assertFalse(self.arr.is_snapvx_target(device))
        self.assertEqual([], self.arr.snapshots_of(self.device_of(source)))
        self.driver.delete_volume(clone)
        self.assertClean(baseline)

    def test_death_before_the_link_then_delete(self):
        """Symptom: the temp- snapshot stayed on the source for its TTL."""
        source = self.create_rep()
        baseline = self.fake.snapshot()
        self.useFixture(fixtures.MockPatch(
            'cinder.objects.Volume.get_by_id',
            side_effect=lambda ctxt, vid: source))
        clone = self.clone_dies(source, 'snapshot/temp-', 1, 'PUT')
        self.assertTrue(self.arr.snapshots_of(self.device_of(source)))
        self.driver.delete_volume(clone)
        self.assertEqual([], self.arr.snapshots_of(self.device_of(source)))
        self.assertClean(baseline)


class CloneRecoveryTest(RecoveryTestCase):
    """A clone that fails or dies, then Cinder's next step."""

    def setUp(self):
        super().setUp()
        self.source = self.create()
        self.useFixture(fixtures.MockPatch(
            'cinder.objects.Volume.get_by_id',
            side_effect=lambda ctxt, vid: self.source))
        self.baseline = self.fake.snapshot()

    def clone(self):
        return self.volume(source_volid=self.source.id)

    def assertNoSnapshot(self):
        self.assertEqual([], self.arr.snapshots_of(
            self.device_of(self.source)))

    def test_death_before_the_device_then_errored_clone_deleted(self):
        """Symptom: the temp- snapshot stayed on the source for its TTL."""
        clone = self.clone()
        self.die_at(self.driver.create_cloned_volume, clone, self.source,
                    method='POST', path='snapshot/temp-',
                    action='die_after')
        self.assertTrue(self.arr.snapshots_of(self.device_of(self.source)))
        clone.status = 'error'
        self.driver.delete_volume(clone)
        self.assertNoSnapshot()
        self.assertClean()

    def test_snapshot_removal_failing_fails_the_clone(self):
        """Symptom: a clone succeeded and left its temp- snapshot."""
        clone = self.clone()
        self.fake.faults.add(method='DELETE', path='snapshot/temp-',
                             status=503, count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.create_cloned_volume, clone,
                          self.source)
        self.fake.faults.clear()
        clone.status = 'error'
        self.driver.delete_volume(clone)
        self.assertNoSnapshot()
        self.assertClean()


class NumberedGroupRecoveryTest(RecoveryTestCase):
    """A create that died in the next numbered group, then its delete."""

    def test_death_in_a_new_numbered_group_then_errored_volume_deleted(self):
        """Symptom: the numbered group the create made stayed, empty."""
        self.arr.max_sg_devices = 1
        keeper = self.create()
        baseline = self.fake.snapshot()
        # An administrator's empty group, named like the default ones.
        self.arr.create_group(ADMIN_LOOKALIKE_SG, srp='SRP_1',
                              slo='Diamond', workload='NONE')
        volume = self.volume()
        # The first edit of the next group finds it missing (404).
        self.die_at(self.driver.create_volume, volume, method='PUT',
                    path='storagegroup/' + DIAMOND_SG_2, nth=2)
        self.assertEqual([], self.arr.members(DIAMOND_SG_2))
        volume.status = 'error'
        self.driver.delete_volume(volume)
        self.assertNotIn(DIAMOND_SG_2, self.arr.storage_groups)
        self.assertIn(ADMIN_LOOKALIKE_SG, self.arr.storage_groups)
        self.assertEqual([self.device_of(keeper)],
                         self.arr.members(DIAMOND_SG))
        self.arr.delete_group(ADMIN_LOOKALIKE_SG)
        self.assertClean(baseline)


class RevertRecoveryTest(RecoveryTestCase):
    """A revert whose first try left its restore session, re-driven."""

    def test_death_in_the_restore_then_redriven(self):
        """Symptom: the re-drive met the first try's session (409)."""
        volume = self.create()
        device = self.device_of(volume)
        self.fake.write(self.array, device, 'at the snapshot')
        snap = self.take_snapshot(volume)
        self.fake.write(self.array, device, 'written since')
        # The process dies once the restore has started: at the first
        # read of the session after the snapshot's own.
        self.die_at(self.driver.revert_to_snapshot, self.ctx, volume, snap,
                    method='GET', path='volume/%s/snapshot' % device, nth=2)
        self.assertTrue([s for s in self.arr.snapshots_of(device)
                         if s.restore_link is not None])
        self.fake.write(self.array, device, 'written between the tries')
        self.driver.revert_to_snapshot(self.ctx, volume, snap)
        self.assertEqual('at the snapshot', self.fake.content(self.array,
                                                              device))
        self.assertEqual([None], [s.restore_link for s in
                                  self.arr.snapshots_of(device)])
        self.driver.delete_snapshot(snap)
        self.driver.delete_volume(volume)
        self.assertClean()


class RetypeRecoveryTest(RecoveryTestCase, test_attach.AttachTestMixin):
    """An attached volume's retype that loses Unisphere at its end."""

    def test_unisphere_down_at_the_removal_of_the_emptied_child(self):
        """Symptom: the old type's child stayed after the last detach."""
        volume = self.create()
        self.driver.initialize_connection(volume, test_attach.HOST_A)
        old = test_attach.names('HostA')
        self.fake.faults.add(method='DELETE', path='storagegroup/%s$' %
                             re.escape(old.child), status=503, count=None)
        gold = self.volume_type({'pool_name': test_retype.GOLD})
        self.assertTrue(self.driver.retype(
            self.ctx, volume, gold, {}, test_retype.host(test_retype.GOLD)))
        self.fake.faults.clear()
        # Out of the parent, but not deleted.
        self.assertEqual([], self.arr.members(old.child))
        volume.volume_type, volume.volume_type_id = gold, gold.id
        self.driver.terminate_connection(volume, test_attach.HOST_A)
        self.assertNotIn(old.child, self.arr.storage_groups)
        self.assertNothingFor('HostA')
        self.driver.delete_volume(volume)
        self.assertClean()


class MigrationRecoveryTest(test_retype.MigrationTestCase,
                            RecoveryTestCase):
    """update_migrated_volume, interrupted anywhere, orphans no copy."""

    def test_death_in_update_migrated_volume_then_cinders_clean_up(self):
        """Symptom: both devices named OS-<id>; the copy stayed forever."""
        calls = self.calls_of(lambda volume, new: self.driver.
                              update_migrated_volume(self.ctx, volume, new,
                                                     'available'))
        for nth in range(1, calls + 1):
            baseline = self.fake.snapshot()
            volume, new = self.create(), self.create()
            old_device, new_device = (self.device_of(volume),
                                      self.device_of(new))
            self.die_at(self.driver.update_migrated_volume, self.ctx,
                        volume, new, 'available', nth=nth)
            # Cinder keeps both records (the source may be gone); the
            # operator deletes the temporary one, then the volume.
            new.migration_status = None
            self.driver.delete_volume(new)
            self.assertNotIn(new_device, self.arr.volumes)
            self.assertEqual(old_device, self.driver.common._find_device(
                volume)[0])
            self.driver.delete_volume(volume)
            self.assertClean(baseline)

    def calls_of(self, func):
        volume, new = self.create(), self.create()
        before = len(self.fake.requests)
        func(volume, new)
        calls = len(self.fake.requests) - before
        for item in (volume, new):
            self.driver.delete_volume(item)
        return calls


class ReplicatedCreateRecoveryTest(test_replication.ReplicationTestCase,
                                   RecoveryTestCase):
    """A replicated create dies at each call; Cinder deletes the record."""

    def test_death_at_each_call_then_errored_volume_deleted(self):
        """Symptom: an empty -RE group stayed on the target array."""
        keeper = self.create()
        baseline = self.fake.snapshot()
        before = len(self.fake.requests)
        volume = self.create_rep()
        calls = len(self.fake.requests) - before
        self.driver.delete_volume(volume)
        self.assertEqual([], self.fake.check(baseline))
        for nth in range(1, calls + 1):
            volume = self.volume(vtype=self.rep_type())
            self.die_at(self.driver.create_volume, volume, nth=nth)
            volume.status = 'error'
            self.driver.delete_volume(volume)
            self.assertEqual([], self.fake.check(baseline),
                             'death at call %d' % nth)
        self.driver.delete_volume(keeper)
