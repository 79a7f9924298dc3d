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

"""Manage, unmanage and the end of a generic migration, as sweeps see them.

What an administrator brought is not OpenStack's: after a failed manage
Cinder deletes the ``error_managing`` record (its volume manager calls
the driver's ``delete_volume`` with the status
``error_managing_deleting``), or the ``error`` snapshot record, and the
device or snapshot must survive that and be manageable again at once
(:class:`base.Adoption`). The administrator's device is in a storage
group of their own, or in none.

A generic migration ends with ``update_migrated_volume``; Cinder's
completion then swaps the two records and deletes the old device through
the temporary record. When the call fails, Cinder only clears the
temporary record's migration status: the operator deletes that record,
and the volume must still have exactly one device, its own.
"""

import itertools
import re

from cinder import exception as cinder_exception
from cinder import objects

from cinder_powermax import naming
from tests.sweep import base
from tests.sweep import checks

GB_CYL = 547
USER_SG = 'user_sg'
DIAMOND_SG = 'OS-SRP_1-Diamond-NONE-SG'
NO_GROUP = re.compile(r'^(\w+): volume (\w+) is in no storage group$')


class ManageOperationsMixin:
    """Manage and unmanage of volumes and snapshots, on ``self.driver``."""

    _admin_names = itertools.count(1)

    # -- what the administrator has ------------------------------------------

    def user_group(self):
        """The administrator's own storage group, made once."""
        if USER_SG not in self.arr.storage_groups:
            self.arr.create_group(USER_SG, srp='SRP_1', slo='Gold')
            # A keeper, so the group is never emptied and deleted.
            self.arr.create_volumes(USER_SG, 1, GB_CYL, 'keeper')

    def user_device(self, identifier='appvol', grouped=True):
        """A device made outside OpenStack, in a group of its own or none."""
        self.user_group()
        device = self.arr.create_volumes(USER_SG, 1, GB_CYL, identifier)[0]
        if not grouped:
            self.arr.remove_volumes(USER_SG, [device])
        return device

    def outside(self, problem):
        """An administrator's device in no storage group is theirs.

        The leak check names any device outside every group; one that
        carries no OpenStack identifier was left so on purpose.
        """
        match = NO_GROUP.match(problem)
        if match is None:
            return super().outside(problem)
        volume = self.fake.model.arrays[match.group(1)].volumes.get(
            match.group(2))
        return volume is not None and not str(
            volume.identifier or '').startswith('OS-')

    def manage_again(self, device, vtype):
        """Manage ``device`` with a new record at once, then delete it.

        :raises AssertionError: when the device cannot be managed again
        """
        self.take_again(self.volume(vtype=vtype), {'source-id': device},
                        self.driver.manage_existing,
                        self.driver.delete_volume, 'device %s' % device)

    @staticmethod
    def take_again(record, ref, manage, delete, what):
        """Manage ``what`` into ``record`` by ``ref``, then delete it.

        :raises AssertionError: when it cannot be managed again
        """
        try:
            record.update(manage(record, ref))
        except base.CINDER_ERRORS as exc:
            raise AssertionError('%s cannot be managed again: %s' % (what,
                                                                     exc))
        delete(record)

    # -- volumes -------------------------------------------------------------

    def op_manage(self, vtype=None, check=None, grouped=True):
        """Manage an administrator's device by its id into ``vtype``.

        :param check: ``check(volume, where)`` of the managed volume
        :param grouped: the device is in the administrator's group, else
            in none
        """
        vtype = vtype or self.volume_type()
        self.user_group()

        def check_plain(volume, where=''):
            self.assertDevice(volume, where)
            self.assertEqual([DIAMOND_SG], self.arr.groups_of(
                self.device_of(volume)), where)

        def make():
            return self.volume(vtype=vtype), {
                'source-id': self.user_device(grouped=grouped)}

        def run(inputs):
            volume, ref = inputs
            volume.update(self.driver.manage_existing(volume, ref))
            return volume

        def cleanup(inputs):
            self.driver.delete_volume(base.errored(
                inputs[0], 'error_managing_deleting'))
        return base.Operation(
            make, run,
            lambda inputs, volume, where='': (check or check_plain)(
                volume, where),
            lambda inputs, volume: self.driver.delete_volume(volume),
            cleanup=cleanup, redrive=False, adopted=base.Adoption(
                lambda inputs: [(self.array, inputs[1]['source-id'])],
                lambda inputs: self.manage_again(inputs[1]['source-id'],
                                                 vtype)))

    def op_unmanage(self, vtype=None, check=None):
        """Unmanage a new volume of ``vtype``.

        A refusal with a reason (``InvalidInput``) is an answer too: the
        volume must then be as before, still managed.

        :param check: ``check(volume, where)`` of a volume kept managed
        """
        def run(volume):
            try:
                self.driver.unmanage(volume)
            except cinder_exception.InvalidInput as exc:
                return exc
            return None

        def verify(volume, refusal, where=''):
            if refusal is not None:
                (check or self.assertDevice)(volume, where)
                return
            device = self.device_of(volume)
            self.assertEqual(volume.id, self.arr.volumes[device].identifier,
                             where)
            self.assertEqual([], self.arr.groups_of(device), where)
            self.assertIsNone(self.arr.pair_of(device), where)
            self.assertEqual({}, checks.named_state(
                self.fake.model, checks.names_of(volume)), where)

        def undo(volume, refusal):
            if refusal is None:
                # What was handed back can be taken over again.
                self.manage_again(self.device_of(volume), None)
            else:
                self.driver.delete_volume(volume)
        return base.Operation(lambda: self.create(vtype=vtype), run, verify,
                              undo, removes=True,
                              names=lambda volume: {volume.id})

    # -- snapshots -----------------------------------------------------------

    def admin_snapshot(self, volume):
        """A SnapVX snapshot an administrator took of ``volume``'s device."""
        name = 'appsnap%d' % next(self._admin_names)
        self.arr.create_snapshot(name, [self.device_of(volume)],
                                 self.clock.now)
        return name

    def snapshot_names(self, volume):
        return [s.name for s in self.arr.snapshots_of(self.device_of(volume))]

    def manage_snapshot_again(self, volume, name):
        """Manage snapshot ``name`` with a new record at once, delete it.

        :raises AssertionError: when it is gone or cannot be managed
        """
        names = self.snapshot_names(volume)
        if name not in names and 'OS-' + name not in names:
            raise AssertionError('the adopted snapshot %s of %s is gone' % (
                name, self.device_of(volume)))
        self.take_again(self.snapshot(volume), {'source-name': name},
                        self.driver.manage_existing_snapshot,
                        self.driver.delete_snapshot, 'snapshot %s' % name)

    def op_manage_snapshot(self):
        """Manage an administrator's SnapVX snapshot of a volume."""
        volume = self.create()
        self.addCleanup(self.driver_call('delete_volume'), volume)

        def run(inputs):
            snap, ref = inputs
            snap.update(self.driver.manage_existing_snapshot(snap, ref))
            return snap

        def verify(inputs, snap, where=''):
            self.assertEqual(['OS-' + inputs[1]['source-name']],
                             self.snapshot_names(volume), where)
        return base.Operation(
            lambda: (self.snapshot(volume), {
                'source-name': self.admin_snapshot(volume)}),
            run, verify,
            lambda inputs, snap: self.driver.delete_snapshot(snap),
            cleanup=lambda inputs: self.driver.delete_snapshot(
                self.errored_snapshot(inputs[0])),
            redrive=False, adopted=base.Adoption(
                lambda inputs: [(self.array, self.device_of(volume))],
                lambda inputs: self.manage_snapshot_again(
                    volume, inputs[1]['source-name'])))

    @staticmethod
    def handed_back(snap):
        """The name a snapshot the driver took has once unmanaged."""
        return naming.without_prefix(naming.snapshot_name(snap.id))

    @staticmethod
    def errored_snapshot(snap):
        """The snapshot record Cinder deletes after a failed manage.

        Without the location the failed call never returned; its volume
        lists Cinder's snapshots of it, as Cinder loads them.
        """
        found = base.record(snap, status='deleting', provider_location=None)
        found.volume.snapshots = objects.SnapshotList(objects=[found])
        return found

    def op_unmanage_snapshot(self):
        """Hand a snapshot the driver took back to the administrator."""
        volume = self.create()
        self.addCleanup(self.driver_call('delete_volume'), volume)

        def verify(snap, result, where=''):
            self.assertEqual([self.handed_back(snap)],
                             self.snapshot_names(volume), where)

        def undo(snap, result):
            self.manage_snapshot_again(volume, self.handed_back(snap))
        return base.Operation(lambda: self.take_snapshot(volume),
                              self.driver_call('unmanage_snapshot'), verify,
                              undo)

    # -- the end of a generic migration --------------------------------------

    def op_update_migrated(self):
        """Name the device of a generic migration for the original.

        ``make`` gives the original volume and the temporary one Cinder
        made and copied into; the undo is Cinder's completion: the old
        device is deleted through the temporary record (now carrying the
        original's old location and, as ``_name_id``, its id), later the
        volume itself.
        """
        def make():
            volume = self.create(status='available', _name_id=None)
            return volume, self.create(
                status='available', _name_id=None,
                migration_status='target:' + volume.id)

        def run(pair):
            return self.driver.update_migrated_volume(self.ctx, *pair,
                                                      'available')

        def verify(pair, update, where=''):
            for record, identifiers in self.completed(pair, update):
                device = self.device_of(record)
                self.assertIn(self.arr.volumes[device].identifier,
                              identifiers, where)

        def undo(pair, update):
            for record, _identifiers in reversed(self.completed(pair,
                                                                update)):
                self.driver.delete_volume(record)
        return base.Operation(make, run, verify, undo, redrive=False,
                              cleanup=self.delete_temporary)

    def completed(self, pair, update):
        """The two records after Cinder's completion, and their names.

        :returns: [(the volume, its names), (the temporary record being
            deleted, its names)]
        """
        volume, new = pair
        done = {'_name_id': new.name_id,
                'provider_location': new.provider_location}
        done.update(update or {})
        old = base.record(new, _name_id=volume._name_id or volume.id,
                          provider_location=volume.provider_location,
                          status='deleting', migration_status='deleting')
        volume = base.record(volume, **done)
        return [(volume, checks.names_of(volume)),
                (old, checks.names_of(old))]

    def delete_temporary(self, pair):
        """Cinder's path after a failed completion.

        The operator deletes the temporary record; the volume keeps a
        device, its own; later it is deleted too.

        :raises AssertionError: when the volume has no device any more
        """
        volume, new = pair
        self.driver.delete_volume(base.record(new, status='deleting',
                                              migration_status=None))
        held = checks.named_state(self.fake.model, checks.names_of(volume))
        if not held:
            raise AssertionError('volume %s has no device left' % volume.id)
        self.driver.delete_volume(volume)
