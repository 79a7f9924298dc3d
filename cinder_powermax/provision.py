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

"""Devices, storage groups and SnapVX on one array.

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
import tenacity

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import rest
from cinder_powermax import unisphere
from cinder_powermax import utils

LOG = logging.getLogger(__name__)

COPIED_STATES = frozenset(('copied',))
POLL_MAX = 5  # longest pause between two polls of a SnapVX copy
RESTORED_STATES = frozenset(('restored',))


@dataclasses.dataclass(frozen=True)
class GroupSpec:
    """What a default (FAST) storage group must look like.

    :ivar name: the storage group name, which encodes the other fields
    :ivar srp: SRP name, None for a non-FAST group
    :ivar service_level: service level, None for a non-FAST group
    :ivar workload: workload (``NONE`` where the array has none)
    :ivar no_compression: True/False, None where the array cannot compress
    :ivar host_io_limits: ``setHostIOLimitsParam`` keys for QoS, or {}
    """

    name: str
    srp: Optional[str]
    service_level: Optional[str]
    workload: Optional[str] = 'NONE'
    no_compression: Optional[bool] = None
    host_io_limits: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class SnapInstance:
    """One SnapVX snapshot instance on a source device."""

    name: str
    snap_id: Optional[int]
    generation: int
    targets: tuple[str, ...]


class Provisioner:
    """Device, storage group and SnapVX steps on one array.

    :param api: the Unisphere resource API
    :param array: the array serial
    :param snap_ids: True when the array addresses snapshots by snap id
        (5978.669 and later), False for generation numbers
    :param deadline: seconds a SnapVX copy or restore may take
    :param rapid_delete: False on arrays that must free a device's tracks
        before deleting it (before PowerMaxOS 5978.221)
    :param sleep: injectable sleep for polling
    """

    def __init__(self, api: unisphere.Unisphere, array: str, *,
                 snap_ids: bool = True, deadline: float = 600,
                 rapid_delete: bool = True,
                 sleep: Optional[Callable[[float], None]] = None):
        self.api = api
        self.array = array
        self.snap_ids = snap_ids
        self.rapid_delete = rapid_delete
        self.deadline = deadline
        self._sleep = sleep or rest.default_sleep

    # -- storage groups -------------------------------------------------------

    def ensure_group(self, spec: GroupSpec) -> bool:
        """Create the storage group unless it exists already.

        :returns: True when this call created it
        """
        try:
            self.api.create_storage_group(
                self.array, spec.name, srp=spec.srp,
                service_level=spec.service_level, workload=spec.workload,
                no_compression=spec.no_compression,
                host_io_limits=spec.host_io_limits or None)
        except exception.Conflict:
            LOG.debug('Storage group %(sg)s already exists.',
                      {'sg': spec.name})
            return False
        LOG.info('Created storage group %(sg)s on %(array)s.',
                 {'sg': spec.name, 'array': self.array})
        return True

    def delete_group_if_empty(self, name: str,
                              group: Optional[dict] = None) -> bool:
        """Delete an OpenStack storage group that holds nothing any more.

        :param name: the storage group name
        :param group: the group as last read, to spare reading it again
        :returns: True when the group is gone afterwards
        """
        if group is None:
            try:
                group = self.api.get_storage_group(self.array, name)
            except exception.NotFound:
                return True
        if any(group.get(key) for key in (
                'num_of_vols', 'num_of_child_sgs', 'num_of_parent_sgs',
                'num_of_masking_views')):
            return False
        try:
            self.api.delete_storage_group(self.array, name)
        except exception.NotFound:
            pass
        except exception.Conflict as exc:
            # Another operation put a volume in it meanwhile: the array
            # refuses, and the group is rightly kept.
            LOG.debug('Storage group %(sg)s kept: %(err)s',
                      {'sg': name, 'err': exc})
            return False
        LOG.info('Deleted empty storage group %(sg)s.', {'sg': name})
        return True

    def apply_qos(self, name: str, changes: dict) -> None:
        if changes:
            self.api.set_host_io_limits(self.array, name, changes)

    # -- devices --------------------------------------------------------------

    def find_devices(self, identifier: str) -> list[str]:
        return self.api.find_volumes(self.array, identifier)

    def get_device(self, device: str) -> dict:
        return self.api.get_volume(self.array, device)

    def create_device(self, spec: GroupSpec, size_gb: int,
                      identifier: str) -> str:
        """Create a device named ``identifier`` in the group ``spec``.

        A device that an earlier try created under the same identifier, at
        the same size, is reused instead of making a second one. When the
        creation fails, every device carrying the identifier is removed and
        a group this call created is deleted again.

        :returns: the device id
        """
        existing = self._reusable_device(identifier, size_gb, spec.name)
        if existing:
            return existing
        try:
            device = self._create_in_group(spec, size_gb, identifier)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo_create(identifier, spec.name)
        return device or self._device_by_identifier(identifier)

    def _create_in_group(self, spec, size_gb, identifier):
        try:
            return self.api.create_volume_in_group(self.array, spec.name,
                                                   size_gb, identifier)
        except exception.NotFound:
            # The default group does not exist yet (or was just deleted as
            # empty by a concurrent delete): create it and go again.
            self.ensure_group(spec)
            return self.api.create_volume_in_group(self.array, spec.name,
                                                   size_gb, identifier)

    def _reusable_device(self, identifier, size_gb, group):
        for device in self.find_devices(identifier):
            volume = self.get_device(device)
            if float(volume.get('cap_gb') or 0) != float(size_gb):
                continue
            if group not in (volume.get('storageGroupId') or []):
                self.api.add_volumes(self.array, group, [device])
            LOG.info('Reusing device %(dev)s left by an earlier try for '
                     '%(name)s.', {'dev': device, 'name': identifier})
            return device
        return None

    def _device_by_identifier(self, identifier):
        devices = self.find_devices(identifier)
        if len(devices) != 1:
            raise exception.PowerMaxError(reason=_(
                'expected one device named %(name)s after creating it, '
                'found %(found)s') % {'name': identifier, 'found': devices})
        return devices[0]

    def _undo_create(self, identifier, group):
        try:
            for device in self.find_devices(identifier):
                self.delete_device(device)
            self.delete_group_if_empty(group)
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
                try:
                    left[group] = self.api.remove_volumes(
                        self.array, group, [device])
                except exception.NotFound:
                    continue
            if not self.rapid_delete:
                self.api.free_volume(self.array, device)
            self.api.delete_volume(self.array, device)
        except exception.NotFound:
            pass
        except Exception:
            with excutils.save_and_reraise_exception():
                self._return_to_groups(device, left)
        for group, after in left.items():
            if is_disposable and is_disposable(group):
                self._delete_emptied_group(group, after or None)

    def _delete_emptied_group(self, group, detail):
        """Delete a group the device left empty, as a best effort.

        The device is gone by now, so a group that still will not go is
        logged rather than failing the delete; the next volume created in
        it reuses it.
        """
        self.best_effort(self.delete_group_if_empty, group, detail,
                         what='deletion of empty storage group %s' % group)

    def best_effort(self, func, *args, what=''):
        """Run a clean-up step a few times; log if it still fails.

        :returns: True when the step succeeded
        """
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(exception.PowerMaxError),
            stop=tenacity.stop_after_attempt(3),
            wait=tenacity.wait_exponential(multiplier=0.5, max=5),
            sleep=self._sleep, reraise=True)
        try:
            retrying(func, *args)
        except exception.PowerMaxError as exc:
            LOG.warning('The %(what)s failed: %(err)s',
                        {'what': what or func.__name__, 'err': exc})
            return False
        return True

    def _return_to_groups(self, device, groups):
        for group in groups:
            try:
                self.api.add_volumes(self.array, group, [device])
            except exception.PowerMaxError as exc:
                LOG.warning('Device %(dev)s could not go back into '
                            '%(sg)s: %(err)s',
                            {'dev': device, 'sg': group, 'err': exc})

    def extend_device(self, device: str, size_gb: int) -> None:
        self.api.expand_volume(self.array, device, size_gb)

    # -- SnapVX ---------------------------------------------------------------

    def snapshots(self, device: str) -> list[SnapInstance]:
        """Every snapshot instance whose source is ``device``."""
        info = self.api.volume_snapshots(self.array, device)
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
        info = self.api.volume_snapshots(self.array, device)
        return list(info.get('snapshotLnks') or ())

    def create_snapshot(self, device: str, name: str,
                        ttl_hours: Optional[int] = None) -> None:
        self.api.create_snapshot(self.array, name, device, ttl_hours)

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
                self.api.unlink_snapshot(self.array, name, device, target,
                                         snap.snap_id, snap.generation)
            self.api.delete_snapshot(self.array, name, device, snap.snap_id,
                                     snap.generation,
                                     restore=device in snap.targets)
        return len(instances)

    def newest_instance(self, device: str, name: str) -> SnapInstance:
        instances = [s for s in self.snapshots(device) if s.name == name]
        if not instances:
            raise exception.NotFound(
                status=404, method='GET', path=device,
                detail='snapshot %s does not exist on device %s' % (
                    name, device))
        return min(instances, key=lambda s: s.generation)

    def copy_snapshot_to(self, device: str, name: str,
                         target: str) -> SnapInstance:
        """Fill ``target`` with a full copy of snapshot ``name``.

        The link is made in copy mode and undone once the copy is complete,
        so the target depends on neither the snapshot nor its source.

        :returns: the snapshot instance copied, now without the link
        """
        snap = self.newest_instance(device, name)
        self.api.link_snapshot(self.array, name, device, target,
                               snap.snap_id, snap.generation, copy=True)
        try:
            self._wait_for_link(device, name, target, COPIED_STATES,
                                'the copy to %s' % target)
        finally:
            self._unlink_quietly(device, name, target, snap)
        return snap

    def _unlink_quietly(self, device, name, target, snap):
        try:
            self.api.unlink_snapshot(self.array, name, device, target,
                                     snap.snap_id, snap.generation)
        except exception.NotFound:
            pass

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
                    self.api.unlink_snapshot(self.array, name, source,
                                             device, snap.snap_id,
                                             snap.generation)
                    if utils.is_temp_snapshot_name(name) and \
                            snap.targets == (device,):
                        self.api.delete_snapshot(self.array, name, source,
                                                 snap.snap_id,
                                                 snap.generation)

    def restore(self, device: str, name: str) -> None:
        """Restore ``device`` from its newest snapshot called ``name``."""
        snap = self.newest_instance(device, name)
        self.api.restore_snapshot(self.array, name, device, snap.snap_id,
                                  snap.generation)
        try:
            self._wait_for_link(device, name, device, RESTORED_STATES,
                                'the restore of %s' % device)
            self.api.delete_snapshot(self.array, name, device, snap.snap_id,
                                     snap.generation, restore=True)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._end_restore_quietly(device, name, snap)

    def _end_restore_quietly(self, device, name, snap):
        try:
            self.api.delete_snapshot(self.array, name, device, snap.snap_id,
                                     snap.generation, restore=True)
        except exception.PowerMaxError as exc:
            LOG.warning('The restore session of %(dev)s from %(name)s '
                        'could not be ended: %(err)s',
                        {'dev': device, 'name': name, 'err': exc})

    def _link_state(self, device, name, target):
        try:
            info = self.api.volume_snapshots(self.array, device)
        except exception.NotFound:
            raise
        except exception.UnisphereError as exc:
            # The copy goes on whatever happens to one poll of it.
            LOG.warning('Polling SnapVX %(name)s of %(dev)s failed: '
                        '%(err)s; polling on.',
                        {'name': name, 'dev': device, 'err': exc})
            return ''
        for src in info.get('snapshotSrcs') or ():
            if src.get('snapshotName') != name:
                continue
            for link in src.get('linkedDevices') or ():
                if link.get('targetDevice') == target:
                    return str(link.get('state', '')).lower()
        return ''

    def _wait_for_link(self, device, name, target, states, what):
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_result(lambda s: s not in states),
            wait=rest.poll_schedule(POLL_MAX),
            stop=tenacity.stop_after_delay(self.deadline),
            sleep=self._sleep, retry_error_callback=lambda rs: None)
        self._sleep(rest.FIRST_POLL)
        if retrying(self._link_state, device, name, target) is None:
            raise exception.PowerMaxError(reason=_(
                '%(what)s did not finish within %(deadline)s seconds') % {
                    'what': what, 'deadline': self.deadline})
