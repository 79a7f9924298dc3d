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

"""Devices and SnapVX on one array.

Every step here is idempotent by name: a device is known by its identifier,
a storage group by its name, a snapshot by its name on its source. A step
that fails undoes what it created, so a failed operation leaves the array as
it found it, and a repeated one finds and reuses what an earlier, crashed
try left.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Optional

from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import storagegroups

LOG = logging.getLogger(__name__)

#: Hours after which the array ends a temporary snapshot (of a clone, or
#: of a source group being copied) that an interrupted copy left.
TEMP_SNAPSHOT_TTL_HOURS = 1

COPIED_STATES = frozenset(('copied',))
POLL_MAX = 5  # longest pause between two polls of a SnapVX copy
RESTORED_STATES = frozenset(('restored',))


@dataclasses.dataclass(frozen=True)
class NewDevice:
    """A device a create made (or reused), and its default group.

    :ivar device: the device id
    :ivar group: the default group it is in: the type's own, or a
        numbered one after it (:func:`naming.rollover_sg_name`)
    """

    device: str
    group: str


@dataclasses.dataclass(frozen=True)
class SnapInstance:
    """One SnapVX snapshot instance on a source device."""

    name: str
    snap_id: Optional[int]
    generation: int
    targets: tuple[str, ...]


class Provisioner:
    """Device and SnapVX steps on one array.

    Devices live in storage groups; every group edit goes through the
    array's :class:`storagegroups.StorageGroups`.

    :param sloprov: the array's sloprovisioning API
    :param replication: the array's replication API
    :param groups: the array's :class:`storagegroups.StorageGroups`
    :param snap_ids: True when the array addresses snapshots by snap id
        (5978.669 and later), False for generation numbers
    :param deadline: seconds a SnapVX copy or restore may take
    :param rapid_delete: False on arrays that must free a device's tracks
        before deleting it (before PowerMaxOS 5978.221)
    :param unlink_symforce: unlink with ``symforce`` (option
        ``snapvx_unlink_symforce``), so a link whose copy has not finished
        is still undone
    :param sleep: injectable sleep for polling
    """

    def __init__(self, sloprov, replication,
                 groups: storagegroups.StorageGroups, *,
                 snap_ids: bool = True, deadline: float = 600,
                 rapid_delete: bool = True, unlink_symforce: bool = False,
                 sleep: Optional[polling.Sleep] = None):
        self.api = sloprov
        self.snapvx = replication
        self.groups = groups
        self.array = sloprov.serial
        self.snap_ids = snap_ids
        self.rapid_delete = rapid_delete
        self.unlink_symforce = unlink_symforce
        self.deadline = deadline
        self._sleep = sleep

    def best_effort(self, func: Callable, *args, what: str = '') -> bool:
        """Run a clean-up step a few times; log if it still fails."""
        return polling.best_effort(func, *args, what=what,
                                   sleep=self._sleep)

    # -- devices --------------------------------------------------------------

    def find_devices(self, identifier: str) -> list[str]:
        return self.api.find_volumes(identifier)

    def get_device(self, device: str) -> dict:
        return self.api.get_volume(device)

    def identities(self, prefix: str) -> dict:
        """``{device: identifier}`` of the devices named ``prefix*``."""
        return self.api.volume_identifiers(prefix)

    def read_device(self, device: str) -> Optional[dict]:
        """The device's detail, or None when it is confirmed gone."""
        return polling.read_or_none(self.get_device, device)

    def device_groups(self, device: str) -> list[str]:
        """The storage groups ``device`` is in, read now."""
        return list(self.get_device(device).get('storageGroupId') or ())

    def rename_device(self, device: str,
                      identifier: Optional[str]) -> None:
        """Give ``device`` the identifier ``identifier`` (None: none).

        An answer lost on the way back is checked by reading the device:
        the rename counts as made only when the array shows the name.
        """
        try:
            self.api.rename_volume(device, identifier)
        except exception.PowerMaxError as exc:
            if not exception.outcome_unknown(exc) or (self.get_device(
                    device).get('volume_identifier') or '') != (
                        identifier or ''):
                raise
        LOG.info('Device %(dev)s is now named %(name)s.',
                 {'dev': device, 'name': identifier})

    def create_device(self, spec: storagegroups.GroupSpec, size_gb: int,
                      identifier: str) -> NewDevice:
        """Create a device named ``identifier`` in a default group ``spec``.

        The group is ``spec``'s own or, once that holds the 4,096 devices
        a group can, a numbered one after it of the same kind. A device
        that an earlier try created under the same identifier, at the
        same size, is reused instead of making a second one. When the
        creation fails, every device carrying the identifier is removed
        and a group this call created is deleted again.

        :returns: the device id and the group it is in
        """
        existing = self._reusable_device(identifier, size_gb, spec)
        if existing:
            return existing
        try:
            device, group = self.groups.create_volume(spec, size_gb,
                                                      identifier)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo_create(identifier, spec)
        return NewDevice(device or self._device_by_identifier(identifier),
                         group)

    def _reusable_device(self, identifier, size_gb, spec):
        for device in self.find_devices(identifier):
            volume = self.get_device(device)
            if float(volume.get('cap_gb') or 0) != float(size_gb):
                continue
            group = self.groups.default_in(
                spec, volume.get('storageGroupId') or ())
            if group is None:
                group = self.groups.into_default(spec, [device])[0]
            if volume.get('snapvx_target'):
                # An earlier try died while copying into it: the copy
                # starts again from a free device.
                self.release_link_target(device)
            LOG.info('Reusing device %(dev)s left by an earlier try for '
                     '%(name)s.', {'dev': device, 'name': identifier})
            return NewDevice(device, group)
        return None

    def _device_by_identifier(self, identifier):
        devices = self.find_devices(identifier)
        if len(devices) != 1:
            raise exception.PowerMaxError(reason=_(
                'expected one device named %(name)s after creating it, '
                'found %(found)s') % {'name': identifier, 'found': devices})
        return devices[0]

    def _undo_create(self, identifier, spec):
        def ours(group):
            return bool(naming.rollover_number(group, spec.name))
        try:
            for device in self.find_devices(identifier):
                self.delete_device(device, is_disposable=ours)
            # The group a failed create made may hold nothing: the first,
            # or the numbered one being filled now.
            for number in sorted({1, self.groups.filling(spec)}):
                self.groups.delete_default_if_empty(
                    storagegroups.numbered(spec, number).name)
        except exception.PowerMaxError as exc:
            LOG.warning('Could not clean up after the failed creation of '
                        '%(name)s: %(err)s', {'name': identifier, 'err': exc})

    def delete_device(self, device: str, volume: Optional[dict] = None,
                      is_disposable: Callable[[str], bool] = None) -> None:
        """Take a device out of its storage groups and delete it.

        Groups that ``is_disposable`` accepts are deleted when the device
        was their last member. When the deletion fails, the device goes
        back into the groups it left, so it is not stranded outside them.

        :param device: the device id
        :param volume: the device as last read, to spare reading it again
        :param is_disposable: tells which emptied groups may be deleted
        """
        if volume is None:
            try:
                volume = self.get_device(device)
            except exception.NotFound:
                return
        if volume.get('snapvx_target'):
            self.release_link_target(device)
        left = {}
        try:
            for group in volume.get('storageGroupId') or ():
                # Noted first: a removal whose answer is lost may still
                # have happened, and a failed delete puts the device back.
                left[group] = None
                try:
                    left[group] = self.groups.remove_volumes(group,
                                                             [device])
                except exception.NotFound:
                    continue
            if not self.rapid_delete:
                self.api.free_volume(device)
            self.api.delete_volume(device)
        except exception.NotFound:
            pass
        except Exception:
            with excutils.save_and_reraise_exception():
                self._return_to_groups(device, left)
        for group, after in left.items():
            if is_disposable and is_disposable(group):
                self._delete_emptied_group(group, after or None)

    def drop_empty_defaults(self, spec: storagegroups.GroupSpec) -> None:
        """Delete the default groups of ``spec``'s kind that hold nothing.

        For the delete of a record whose device is gone: a create that
        died may have made the next numbered group before its device was
        in it, a delete that died may have emptied one. Which one is known
        no more, so the groups named like the kind's are listed (a
        filtered list, on this path only); each is read again under its
        lock and deleted only when it holds nothing.
        """
        names = [spec.name] + self.groups.named_like(
            naming.rollover_stem(spec.name))
        for name in dict.fromkeys(names):
            if naming.rollover_number(name, spec.name):
                self.groups.delete_default_if_empty(name)

    def _delete_emptied_group(self, group, detail):
        """Delete a group the device left empty, as a best effort.

        The device is gone by now, so a group that still will not go is
        logged rather than failing the delete; the next volume created in
        it reuses it.
        """
        self.best_effort(self.groups.delete_default_if_empty, group, detail,
                         what='deletion of empty storage group %s' % group)

    def _return_to_groups(self, device, groups):
        if not groups:
            return
        try:
            still_in = set(self.device_groups(device))
        except exception.PowerMaxError:
            still_in = set()
        for group in groups:
            if group in still_in:
                continue
            try:
                self.groups.add_volumes(group, [device])
            except exception.PowerMaxError as exc:
                LOG.warning('Device %(dev)s could not go back into '
                            '%(sg)s: %(err)s',
                            {'dev': device, 'sg': group, 'err': exc})

    def extend_device(self, device: str, size_gb: int) -> None:
        """Grow a device; a lost answer is read back.

        The expansion counts as made when the device has the size.
        """
        try:
            self.api.expand_volume(device, size_gb)
        except exception.PowerMaxError as exc:
            if not exception.outcome_unknown(exc) or not self.has_size(
                    device, size_gb):
                raise
            LOG.info('Device %(dev)s has %(size)s GB although the answer '
                     'to its expansion was lost (%(err)s).',
                     {'dev': device, 'size': size_gb, 'err': exc})

    def has_size(self, device: str, size_gb: int) -> bool:
        """Whether the device reads ``size_gb`` GB now."""
        info = self.read_device(device)
        return info is not None and float(info.get('cap_gb') or 0) == \
            float(size_gb)

    # -- SnapVX ---------------------------------------------------------------

    def _sessions(self, device: str) -> dict:
        """The device's SnapVX sessions; none when it is confirmed gone."""
        return polling.read_or_none(self.snapvx.volume_snapshots,
                                    device) or {}

    def snapshots(self, device: str) -> list[SnapInstance]:
        """Every snapshot instance whose source is ``device``."""
        return self._instances_in(self._sessions(device))

    def _instances_in(self, info) -> list[SnapInstance]:
        """The source instances of a device's SnapVX sessions."""
        found = []
        for src in info.get('snapshotSrcs') or ():
            targets = tuple(link.get('targetDevice')
                            for link in src.get('linkedDevices') or ()
                            if link.get('targetDevice'))
            found.append(SnapInstance(
                name=src.get('snapshotName'),
                snap_id=src.get('snap_id') if self.snap_ids else None,
                generation=int(src.get('generation') or 0),
                targets=targets))
        return found

    def link_sources(self, device: str) -> list[dict]:
        """Sessions in which ``device`` is a link target."""
        info = self._sessions(device)
        return list(info.get('snapshotLnks') or ())

    def create_snapshot(self, device: str, name: str,
                        ttl_hours: Optional[int] = None) -> list:
        """Snapshot ``device``.

        :returns: the instances of ``name``, newest first, when
            Unisphere's answer lists the device's sessions; else []
        """
        answer = self.snapvx.create_snapshot(name, device, ttl_hours)
        if not isinstance(answer, dict):
            return []
        return sorted((s for s in self._instances_in(answer)
                       if s.name == name), key=lambda s: s.generation)

    def _unlink(self, name, source, target, snap):
        self.snapvx.unlink_snapshot(name, source, target, snap.snap_id,
                                    snap.generation,
                                    symforce=self.unlink_symforce)

    def delete_snapshot(self, device: str, name: str,
                        instances: Optional[list] = None) -> int:
        """Unlink and terminate every instance of ``name`` on ``device``.

        :param instances: the instances, when the caller knows them
            already (it saves reading them again)
        :returns: how many instances were terminated
        """
        if instances is None:
            instances = [s for s in self.snapshots(device)
                         if s.name == name]
        # Oldest first: generation numbers shift when a newer one goes.
        for snap in sorted(instances, key=lambda s: -s.generation):
            for target in snap.targets:
                if target == device:
                    continue  # a restore pseudo-link, ended by the delete
                self._unlink(name, device, target, snap)
            self.snapvx.delete_snapshot(name, device, snap.snap_id,
                                        snap.generation,
                                        restore=device in snap.targets)
        return len(instances)

    def forget_snapshot(self, device: str, name: str,
                        instances: Optional[list] = None) -> bool:
        """Remove a snapshot this driver made, as a best effort.

        Used for temporary clone snapshots and for the remains of a failed
        snapshot; whatever still fails is cleaned up by the next delete of
        the source volume.

        :param instances: the instances, if known; read again on a retry
        :returns: True when it is gone
        """
        if instances:
            try:
                self.delete_snapshot(device, name, instances)
                return True
            except exception.PowerMaxError as exc:
                LOG.debug('Removing %(name)s as known failed: %(err)s',
                          {'name': name, 'err': exc})
        return self.best_effort(
            self.delete_snapshot, device, name,
            what='removal of snapshot %s of %s' % (name, device))

    def forget_snapshot_if_any(self, device: str, name: str) -> None:
        """Remove snapshot ``name`` of ``device`` when it has one."""
        found = [s for s in self.snapshots(device) if s.name == name]
        if found:
            self.forget_snapshot(device, name, found)

    def stale_temporary_snapshots_removed(self, device: str) -> list[str]:
        """Remove unlinked temporary snapshots; return the other names."""
        kept = []
        for snap in self.snapshots(device):
            if naming.is_temp_snapshot_name(snap.name) and not snap.targets:
                self.delete_snapshot(device, snap.name)
            elif snap.name not in kept:
                kept.append(snap.name)
        return kept

    def instances(self, device: str, name: str) -> list[SnapInstance]:
        """The instances of snapshot ``name`` on ``device``, newest first.

        :raises SnapshotNotFound: when the device has no such snapshot
        """
        found = sorted((s for s in self.snapshots(device) if s.name == name),
                       key=lambda s: s.generation)
        if not found:
            raise exception.SnapshotNotFound(name=name, device=device,
                                             array=self.array)
        return found

    def newest_instance(self, device: str, name: str) -> SnapInstance:
        """The newest instance of snapshot ``name`` on ``device``."""
        return self.instances(device, name)[0]

    def copy_snapshot_to(self, device: str, name: str, target: str,
                         instances: Optional[list] = None
                         ) -> list[SnapInstance]:
        """Fill ``target`` with a full copy of snapshot ``name``.

        The newest instance is linked in copy mode and unlinked once the
        copy is complete, so the target depends on neither the snapshot
        nor its source.

        :param instances: the snapshot's instances, newest first, when the
            caller read them already (read now when None or empty)
        :returns: every instance of the snapshot as read before the link
            (the newest first), for a caller that removes them
        """
        found = instances or self.instances(device, name)
        snap = found[0]
        try:
            self.snapvx.link_snapshot(name, device, target, snap.snap_id,
                                      snap.generation, copy=True)
        except exception.Conflict:
            if not self.link_sources(target):
                raise
            found = self._relink(device, name, target)
            snap = found[0]
        try:
            self._wait_for_link(device, name, target, COPIED_STATES,
                                'the copy of %s to %s' % (name, target))
        finally:
            self._unlink_quietly(device, name, target, snap)
        return found

    def _relink(self, device, name, target) -> list[SnapInstance]:
        """Link ``target`` again once the links an earlier try left go.

        A copy into a new device that was interrupted leaves the device
        linked; a re-drive that reuses the device starts the copy again.

        :returns: the snapshot's instances, read after the release
        """
        LOG.info('Device %(dev)s is still linked by an earlier, interrupted '
                 'copy; it is released to copy %(name)s again.',
                 {'dev': target, 'name': name})
        self.release_link_target(target)
        found = self.instances(device, name)
        snap = found[0]
        self.snapvx.link_snapshot(name, device, target, snap.snap_id,
                                  snap.generation, copy=True)
        return found

    def _unlink_quietly(self, device, name, target, snap):
        try:
            self._unlink(name, device, target, snap)
        except exception.NotFound:
            pass

    def wait_for_copy(self, device: str, name: str, target: str) -> None:
        """Wait until the link of ``target`` to ``name`` is fully copied."""
        self._wait_for_link(device, name, target, COPIED_STATES,
                            'the copy of %s to %s' % (name, target))

    def unlink_targets(self, device: str, name: str) -> None:
        """Unlink every target of snapshot ``name`` of ``device``.

        The snapshot stays; links an interrupted copy left go.
        """
        for snap in self.snapshots(device):
            if snap.name == name:
                for target in snap.targets:
                    if target != device:
                        self._unlink(name, device, target, snap)

    def release_link_target(self, device: str) -> None:
        """Unlink ``device`` from every snapshot it is a target of.

        Temporary clone snapshots (ours, or the in-tree driver's
        ``temp-<dev>-snapshot_for_clone``) left without links go too.
        """
        for link in self.link_sources(device):
            source = link.get('linkSourceName')
            name = link.get('snapshotName')
            for snap in self.snapshots(source):
                if snap.name == name and device in snap.targets:
                    self._unlink(name, source, device, snap)
                    if naming.is_temp_snapshot_name(name) and \
                            snap.targets == (device,):
                        self.snapvx.delete_snapshot(name, source,
                                                    snap.snap_id,
                                                    snap.generation)

    def restore(self, device: str, name: str) -> None:
        """Restore ``device`` from its newest snapshot called ``name``."""
        snap = self._restorable(device, name)
        try:
            self.snapvx.restore_snapshot(name, device, snap.snap_id,
                                         snap.generation)
            self._wait_for_link(device, name, device, RESTORED_STATES,
                                'the restore of %s from %s' % (device, name))
            self.snapvx.delete_snapshot(name, device, snap.snap_id,
                                        snap.generation, restore=True)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._end_restore_quietly(device, name, snap)

    def _restorable(self, device, name) -> SnapInstance:
        """The newest instance of ``name``, free of an earlier restore.

        A revert that failed or died once its restore had started leaves
        the restore session, which the array lets no second restore of
        the device start beside. Its re-drive lets that session finish
        and ends it, then restores again: the device may have been
        written since. A restore from another snapshot is not its own,
        and is left to the array's refusal.
        """
        found = self.instances(device, name)
        for snap in found:
            if device in snap.targets:
                LOG.info('Device %(dev)s has the restore session from '
                         '%(name)s an earlier try left; it is ended before '
                         'the restore.', {'dev': device, 'name': name})
                self._wait_for_link(device, name, device, RESTORED_STATES,
                                    'the restore of %s from %s' % (device,
                                                                   name))
                self.snapvx.delete_snapshot(name, device, snap.snap_id,
                                            snap.generation, restore=True)
        return found[0]

    def _end_restore_quietly(self, device, name, snap):
        try:
            self.snapvx.delete_snapshot(name, device, snap.snap_id,
                                        snap.generation, restore=True)
        except exception.PowerMaxError as exc:
            LOG.warning('The restore session of %(dev)s from %(name)s '
                        'could not be ended: %(err)s',
                        {'dev': device, 'name': name, 'err': exc})

    def _link_state(self, device, name, target):
        info = self._sessions(device)
        for src in info.get('snapshotSrcs') or ():
            if src.get('snapshotName') != name:
                continue
            for link in src.get('linkedDevices') or ():
                if link.get('targetDevice') == target:
                    return str(link.get('state', '')).lower()
        return ''

    def _wait_for_link(self, device, name, target, states, what):
        polling.wait_until(
            lambda: self._link_state(device, name, target),
            lambda state: state in states, what=what,
            deadline=self.deadline, longest=POLL_MAX, sleep=self._sleep,
            describe=lambda state: state or 'no link')
