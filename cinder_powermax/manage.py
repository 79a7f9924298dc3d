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

"""Manage and unmanage volumes and SnapVX snapshots; list manageable ones.

A device is taken over by giving it the identifier ``OS-<volume id>`` and
moving it into the default storage group of the volume's type; it is let
go by taking it out of every OpenStack group and removing the ``OS-``
prefix. A snapshot is taken over by prefixing its name with ``OS-`` and let
go by removing it. The rules a device must meet are read from Unisphere's
private volume view (reference 10.5); each refusal names the rule.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Optional

from cinder.volume import volume_utils
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax import failover
from cinder_powermax.i18n import _
from cinder_powermax import metadata
from cinder_powermax import naming
from cinder_powermax import ownership
from cinder_powermax import rdf
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

SOURCE_ID = 'source-id'
SOURCE_NAME = 'source-name'
DEVICE_ID = re.compile(r'^[0-9A-Fa-f]{5}$')
MIN_MB = 1026  # one GB in cylinders: anything smaller is not a volume
SNAP_NAME_MAX = 32


def refused(what, ref, reason) -> exception.NotManageable:
    return exception.NotManageable(what=what, existing_ref=ref,
                                   reason=reason)


def _snapshot_ref(device: str, ref) -> str:
    """The SnapVX name a snapshot manage reference gives.

    :raises NotManageable: for a reference without ``source-name``
    """
    name = (ref or {}).get(SOURCE_NAME) if isinstance(ref, dict) else None
    if not name or not isinstance(name, str):
        raise refused(_('Reference %s') % exception.quoted(ref), ref, _(
            'give source-name: the name of a SnapVX snapshot of device '
            '%s, the device of the snapshot\'s volume') % device)
    return name


def _header(entry: dict) -> dict:
    return entry.get('volumeHeader') or {}


def _size_reason(header) -> Optional[str]:
    size = float(header.get('capGB') or 0)
    if float(header.get('capMB') or 0) < MIN_MB or size != int(size):
        return _('its size %s GB is not a whole number of GB; extend it '
                 'to the next whole GB first') % size
    return None


def _kind_reason(header) -> Optional[str]:
    config = str(header.get('configuration') or '')
    if config.startswith('RDF'):
        return _('it is an SRDF device (%s): volumes in an SRDF pair cannot '
                 'be managed; remove the pair, then manage the device into '
                 'a replicated volume type to replicate it') % config
    if config != 'TDEV' or \
            header.get('emulationType') != 'FBA':
        return _('it is a %(config)s device with %(emu)s emulation; only '
                 'FBA thin devices (TDEV) can be managed') % {
            'config': header.get('configuration'),
            'emu': header.get('emulationType')}
    internal = [key for key in ('private', 'system_resource',
                                'encapsulated') if header.get(key)]
    if internal or (header.get('reservationInfo') or {}).get('reserved'):
        return _('it is reserved or internal to the array (%s)') % (
            ', '.join(internal) or 'reserved')
    if header.get('status') != 'Ready' or \
            header.get('serviceState') != 'Normal':
        return _('its status is %(status)s/%(state)s, not Ready/Normal') % {
            'status': header.get('status'),
            'state': header.get('serviceState')}
    return None


def _use_reason(entry, header) -> Optional[str]:
    if header.get('numSymDevMaskingViews') or header.get('mapped') or \
            (entry.get('maskingInfo') or {}).get('masked'):
        return _('it is in a masking view; unmask it first')
    if any(value is True for value in (entry.get('rdfInfo') or {}).values()):
        return _('it is in an SRDF pair')
    if (entry.get('timeFinderInfo') or {}).get('snapVXTgt'):
        return _('it is the target of a SnapVX link')
    if int(header.get('numStorageGroups') or 0) > 1:
        return _('it is in %s storage groups; at most one is allowed') % (
            header['numStorageGroups'])
    return None


SrpOf = Callable[[dict], Optional[str]]


def unsafe_reason(entry: dict, srp: str, srp_of: SrpOf,
                  own_identifier: Optional[str] = None) -> Optional[str]:
    """Why a device of the private volume view cannot be managed.

    :param srp: the backend's SRP
    :param srp_of: the SRP of the entry's device (None: it cannot be
        told); asked last, as it may cost calls
    :param own_identifier: an ``OS-`` identifier that is not a refusal
        (the volume being managed, on a repeated request)
    :returns: the rule it breaks, or None when it can be managed
    """
    header = _header(entry)
    name = header.get('userDefinedIdentifier') or ''
    if naming.is_openstack_name(name) and name != own_identifier:
        return _('its identifier %s starts with OS-, which marks volumes '
                 'OpenStack manages; if an earlier manage of this device '
                 'failed, delete that errored volume (which gives the '
                 'device back) and manage it again') % name
    reason = (_kind_reason(header) or _size_reason(header) or
              _use_reason(entry, header))
    if reason:
        return reason
    found = srp_of(entry)
    if found is None:
        return _('its SRP cannot be told: it is in no storage group of an '
                 'SRP and the array has several; put it in a storage group '
                 'of SRP %s first') % srp
    if found != srp:
        return _('it is in SRP %(srp)s, not in SRP %(own)s of this '
                 'backend') % {'srp': found, 'own': srp}
    return None


def size_gb(entry: dict) -> int:
    return int(math.ceil(float(_header(entry).get('capGB') or 0)))


class Importer(failover.OnActiveArray):
    """Taking devices and snapshots of the active array in and out.

    :param state: the backend's :class:`cinder_powermax.failover.Failover`
        (the array acted on, its replicators)
    :param settings: the backend settings
    """

    @property
    def api(self):
        return self.context.sloprov

    @property
    def srp(self) -> str:
        return self.context.info.srp

    # -- taking over, and giving back -----------------------------------------

    def manage_volume(self, volume, ref) -> tuple:
        """Take over the device ``ref`` names as ``volume``.

        Into a replicated type, it is managed into the type's plain group
        first (or a numbered one after it, when full), then paired.

        :returns: (the volume's spec, the device, its R2 or None)
        """
        spec = volspec.resolve(volume, self.context.info, self.settings)
        if spec.replication is None:
            return spec, self.manage(volume, ref, spec), None
        if self.state.failed_over:
            raise exception.InvalidSpec(
                key='replication_enabled', value=True,
                reason=_('the backend is failed over; manage into a '
                         'replicated type after the failback'))
        plain = volspec.unreplicated(spec)
        paired, passed = [], [plain.group.name]
        replicator = self.state.replicator_of(spec.replication)

        def pair(device):
            passed[0] = self.groups.default_in(
                plain.group, self.provision.device_groups(device)) or \
                passed[0]
            paired.append(replicator.add_pair(
                device, passed[0], spec, replicator.remote_spec(volume),
                naming.volume_identifier(volume.id)))
        device = self.manage(volume, ref, plain, pair)
        self.provision.best_effort(
            self.groups.delete_default_if_empty, passed[0],
            what='removal of %s' % passed[0])
        return spec, device, paired[0]

    def give_back(self, volume) -> None:
        """Unmanage: unpair, then the device leaves the driver's groups.

        A replicated volume's pair goes first, with its R2, which the
        driver made (as the in-tree driver does): the device is given
        back unpaired, as manage takes it.
        """
        device, info = self.unmanaged_device(volume)
        if info is not None and self.state.replicator is not None and (
                rdf.rdf_number(info) is not None or
                ownership.replication_data(volume)):
            if self.state.failed_over:
                raise exception.InvalidSpec(
                    key='volume', value=volume.id, reason=_(
                        'it is replicated and the backend is failed over; '
                        'unmanage it after the failback'))
            self.state.replicator_for(volume, info).remove_pair(
                self.context.serial, device, naming.volume_identifier(
                    ownership.name_id(volume)), volume)
        try:
            default = volspec.resolve(volume, self.context.info,
                                      self.settings).group.name
        except exception.InvalidSpec:
            default = None
        self.unmanage(volume, default)

    def give_back_snapshot(self, snapshot, device) -> None:
        """The snapshot a failed manage renamed, if one, goes back.

        Cinder's snapshots of the volume tell which ``OS-`` snapshots are
        owned (:meth:`release_snapshot`); when they cannot be read,
        nothing is guessed.
        """
        try:
            records = list(snapshot.volume.snapshots)
        except Exception as exc:
            LOG.warning('The snapshots of volume %(vol)s cannot be read '
                        '(%(err)s); no snapshot is given back.',
                        {'vol': snapshot.volume_id, 'err': exc})
            return
        owned = {ownership.snapshot_name_and_source(s, device)[1]
                 for s in records}
        self.release_snapshot(device, owned)

    # -- volumes --------------------------------------------------------------

    def device_of_ref(self, ref: dict) -> str:
        """The device a manage reference names.

        :raises NotManageable: for a malformed reference or no such device
        """
        ref = ref or {}
        if ref.get(SOURCE_ID) is not None:
            device = str(ref[SOURCE_ID])
            if not DEVICE_ID.match(device):
                raise refused(
                    _('Device %s') % exception.quoted(device), ref,
                    _('source-id must be a device id of 5 hexadecimal '
                      'digits, such as 0021A'))
            return device.upper()
        if ref.get(SOURCE_NAME):
            return self._device_of_name(str(ref[SOURCE_NAME]), ref)
        raise refused(_('Reference %s') % exception.quoted(ref), ref, _(
            'give source-name (the device identifier or id) or source-id '
            '(the 5-digit device id)'))

    def _device_of_name(self, name: str, ref: dict) -> str:
        # "cinder manage <host> 0021A" sends the device id as source-name,
        # and the in-tree driver reads it so: a name of 5 hexadecimal
        # digits is the device of that id when the array has one.
        if DEVICE_ID.match(name) and self.provision.read_device(
                name.upper()):
            return name.upper()
        found = self.provision.find_devices(name)
        if len(found) != 1:
            raise refused(_('Identifier %s') % exception.quoted(name), ref, _(
                '%(n)d devices of array %(array)s carry it; exactly '
                'one must') % {'n': len(found),
                               'array': self.context.serial})
        return found[0]

    def detail(self, device: str, ref) -> dict:
        """The private view of ``device``.

        :raises NotManageable: when the array has no such device
        """
        info = self.provision.read_device(device)
        entries = self.api.private_volumes(
            {'wwn': info['wwn']}) if info else []
        if not entries:
            raise refused(_('Device %s') % device, ref, _(
                'array %s has no such device') % self.context.serial)
        return entries[0]

    def checked(self, ref, volume=None) -> tuple:
        """The device of a reference, refused unless it can be managed.

        :returns: (device id, private view entry)
        """
        device = self.device_of_ref(ref)
        entry = self.detail(device, ref)
        own = naming.volume_identifier(volume.id) if volume else None
        reason = unsafe_reason(entry, self.srp, self.srp_finder(), own)
        if reason:
            raise refused(_('Device %s') % device, ref, reason)
        return device, entry

    def manage(self, volume, ref, spec, then=None) -> str:
        """Name the device for ``volume`` and put it in its default group.

        :param then: ``then(device)`` finishes the take-over (pairing a
            device managed into a replicated type); its failure names the
            device back as well
        :returns: the device id
        """
        device, entry = self.checked(ref, volume)
        original = _header(entry).get('userDefinedIdentifier') or ''
        groups = list(_header(entry).get('storageGroup') or ())
        self.provision.rename_device(device,
                                     naming.volume_identifier(volume.id))
        try:
            self._into_default_group(device, spec.group, groups)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._rename_back(device, original)
        if then is not None:
            try:
                then(device)
            except Exception:
                with excutils.save_and_reraise_exception():
                    self._out_of_default_group(device, spec.group.name,
                                               groups)
                    self._rename_back(device, original)
        return device

    def _rename_back(self, device, original):
        self.provision.best_effort(
            self.provision.rename_device, device, original or None,
            what='renaming %s back to %r' % (device, original))

    def _out_of_default_group(self, device, group, groups):
        """Return a device to the group it came from, as a best effort."""
        def undo():
            if group in groups:
                return
            if groups:
                self.groups.move_volumes(group, groups[0], [device])
            else:
                self.groups.remove_volumes(group, [device])
            self.groups.delete_default_if_empty(group)
        self.provision.best_effort(undo, what='return of %s to %s' % (
            device, groups or 'no group'))

    def _into_default_group(self, device, group, groups):
        """Put the device in the type's default group, or one after it.

        A full default group is passed over for a numbered one of the
        same kind (:meth:`StorageGroups.into_default`).
        """
        already = self.groups.default_in(group, groups)
        created = False if already else self.groups.ensure(group)
        try:
            self.groups.apply_qos(group, already)
            if already:
                return
            placed = self.groups.into_default(
                group, [device], groups[0] if groups else None)[0]
            if placed != group.name:
                self.groups.apply_qos(group, placed)
        except Exception:
            with excutils.save_and_reraise_exception():
                if created:
                    self.provision.best_effort(
                        self.groups.delete_default_if_empty, group.name,
                        what='removal of %s' % group.name)

    def unmanaged_device(self, volume) -> tuple:
        """The volume's device and detail, also one renamed already."""
        device, info = ownership.find_device(self.provision, volume)
        if device is None:
            # Renamed by an unmanage that did not finish.
            device = ownership.device_at_location(self.provision, volume,
                                                  [volume.id])
            info = self.provision.read_device(device) if device else None
        return device, info

    def unmanage(self, volume, default_group: Optional[str] = None) -> None:
        """Drop ``OS-`` from the device's name and take it out of groups.

        It is renamed first: a device still named for the volume is found
        again by a repeated unmanage, and a failed removal renames it back.

        :param default_group: the type's default group, deleted when empty
        """
        device, info = self.unmanaged_device(volume)
        if info is None:
            LOG.warning('Volume %(id)s has no device; nothing to unmanage.',
                        {'id': volume.id})
            return
        groups = [g for g in info.get('storageGroupId') or ()
                  if naming.is_openstack_name(g)]
        attached = [g for g in groups if naming.is_child_sg_name(g)]
        if attached:
            raise exception.InvalidSpec(
                key='volume', value=volume.id, reason=_(
                    'device %(dev)s is in the host groups %(sgs)s; detach '
                    'the volume first') % {'dev': device,
                                           'sgs': ', '.join(attached)})
        self.provision.rename_device(device, volume.id)
        try:
            for group in groups:
                self.groups.remove_volumes(group, [device])
        except Exception:
            with excutils.save_and_reraise_exception():
                self.provision.best_effort(
                    self.provision.rename_device, device,
                    info.get('volume_identifier'),
                    what='renaming %s back' % device)
        emptied = set(groups)
        if default_group:
            # Also one an interrupted unmanage emptied before.
            emptied.add(default_group)
        for group in sorted(emptied):
            self.provision.best_effort(
                self.groups.delete_default_if_empty, group,
                what='removal of emptied %s' % group)

    # -- snapshots ------------------------------------------------------------

    def snapshot_instance(self, device: str, name: str, ref,
                          instances: Optional[list] = None):
        """The one instance of SnapVX snapshot ``name`` on ``device``.

        :param instances: the device's snapshots, if read already
        """
        if instances is None:
            instances = self.provision.snapshots(device)
        found = [s for s in instances if s.name == name]
        if len(found) != 1:
            raise refused(_('Snapshot %s') % exception.quoted(name), ref, _(
                'device %(dev)s has %(n)d snapshots of that name; exactly '
                'one is needed') % {'dev': device, 'n': len(found)})
        return found[0]

    def source_device(self, snapshot) -> str:
        """The device of a snapshot's volume, refused when failed over."""
        volume = snapshot.volume
        if volume.obj_attr_is_set('replication_status') and \
                volume.replication_status == 'failed-over':
            raise exception.InvalidSpec(
                key='volume', value=volume.id,
                reason=_('its snapshots cannot be managed or unmanaged '
                         'while it is failed over'))
        device = ownership.find_device(self.provision, volume)[0]
        if device is None:
            raise ownership.no_device(self.context.serial, volume)
        return device

    def snapshot_size(self, snapshot, ref) -> int:
        """The size of a snapshot to manage: its source volume's, in GB."""
        device = self.source_device(snapshot)
        self.snapshot_instance(device, _snapshot_ref(device, ref), ref)
        return int(snapshot.volume.size)

    def manage_snapshot(self, snapshot, ref) -> dict:
        """Take over a SnapVX snapshot; returns the model update."""
        device = self.source_device(snapshot)
        name = self._renamed_in(device, ref)
        metadata.log_operation('manageSnapshot', snapshot, None, device,
                               self.context.info)
        return {'provider_location': location(device, name)}

    def _renamed_in(self, device: str, ref) -> str:
        """Prefix the snapshot's name with ``OS-``; returns the new name."""
        name = _snapshot_ref(device, ref)
        new_name = naming.managed_snapshot_name(name)
        if naming.is_openstack_name(name) or len(new_name) > SNAP_NAME_MAX:
            raise refused(_('Snapshot %s') % exception.quoted(name), ref, _(
                'source-name must be a SnapVX name that does not start '
                'with OS- and has at most %d characters') % (
                    SNAP_NAME_MAX - len(naming.PREFIX)))
        snap = self.snapshot_instance(device, name, ref)
        if [t for t in snap.targets if t != device]:
            raise refused(_('Snapshot %s') % exception.quoted(name), ref, _(
                'it is linked to %s; unlink it first') % ', '.join(
                    snap.targets))
        self._rename_snapshot(device, snap, new_name)
        return new_name

    def _rename_snapshot(self, device, snap, new_name):
        """Rename one snapshot instance; a lost answer is read back.

        The rename counts as made when the array shows ``new_name`` and
        no longer the old name.
        """
        try:
            self.context.replication.rename_snapshot(
                snap.name, device, new_name, snap.snap_id, snap.generation)
        except exception.PowerMaxError as exc:
            if not exception.outcome_unknown(exc):
                raise
            names = [s.name for s in self.provision.snapshots(device)]
            if new_name not in names or snap.name in names:
                raise
            LOG.info('Snapshot %(old)s of %(dev)s is %(new)s although the '
                     'answer to its renaming was lost (%(err)s).',
                     {'old': snap.name, 'dev': device, 'new': new_name,
                      'err': exc})
        LOG.info('Snapshot %(old)s of device %(dev)s is now %(new)s.',
                 {'old': snap.name, 'dev': device, 'new': new_name})

    def unmanage_snapshot(self, snapshot, device: str, name: str) -> None:
        """Remove the ``OS-`` prefix the snapshot's name has."""
        self.source_device(snapshot)
        if not naming.is_openstack_name(name):
            return
        bare = naming.without_prefix(name)
        instances = self.provision.snapshots(device)
        names = {s.name for s in instances}
        if name not in names and bare in names:
            # A re-drive: the rename was made before the process died or
            # its answer was lost.
            LOG.info('Snapshot %(name)s of device %(dev)s is %(bare)s '
                     'already.', {'name': name, 'dev': device, 'bare': bare})
            return
        snap = self.snapshot_instance(device, name, {SOURCE_NAME: name},
                                      instances)
        self._rename_snapshot(device, snap, bare)

    def release_snapshot(self, device: str, owned) -> None:
        """Give back a snapshot whose manage failed after its renaming.

        A managed snapshot is renamed ``OS-<name>`` (the last step of
        manage); when Cinder never recorded it (the process died, or the
        answer came too late), the errored record's delete calls this.
        The one ``OS-`` snapshot of the device that no Cinder snapshot
        owns and this driver did not name is renamed back; with several
        the one to give back is unknown, and none is touched.

        :param owned: the snapshot names Cinder's records of the volume
            own
        """
        found = [s for s in self.provision.snapshots(device)
                 if naming.is_openstack_name(s.name) and
                 s.name not in owned]
        names = sorted({s.name for s in found})
        if len(names) > 1:
            LOG.warning('Device %(dev)s has snapshots %(names)s that no '
                        'Cinder snapshot owns; which one a failed manage '
                        'renamed is unknown: rename it back by hand.',
                        {'dev': device, 'names': ', '.join(names)})
        elif names and len(found) == 1:
            LOG.warning('Snapshot %(name)s of %(dev)s was renamed by a '
                        'manage that failed: it is given back.',
                        {'name': names[0], 'dev': device})
            self._rename_snapshot(device, found[0],
                                  naming.without_prefix(names[0]))

    def srp_finder(self) -> SrpOf:
        """The SRP of a private view entry's device, from public views.

        The private view's ``volumeHeader.SRP`` is read by no client
        written against real arrays. On an array of one SRP every device
        is in it (one call for a whole listing); on one of several, a
        device's SRP is the ``srp`` of a storage group it is in, and a
        device in none cannot be told (None). Reads are shared over one
        listing.
        """
        groups: dict = {}
        srps: list = []

        def group_srp(name):
            if name not in groups:
                found = self.groups.find(name) or {}
                groups[name] = found.get('srp')
            return groups[name]

        def srp_of(entry):
            if not srps:
                srps.extend(self.api.list_srps())
            if len(srps) == 1:
                return srps[0]
            device = _header(entry).get('volumeId')
            info = self.provision.read_device(device) or {}
            for name in info.get('storageGroupId') or ():
                if group_srp(name) not in (None, '', 'None', 'NONE'):
                    return group_srp(name)
            return None
        return srp_of

    # -- listing --------------------------------------------------------------

    def list_volumes(self, cinder_volumes, *paging) -> list:
        """One page of :func:`manageable_volumes`."""
        entries = manageable_volumes(self.api.private_volumes(), self.srp,
                                     cinder_volumes, self.srp_finder())
        return page(entries, *paging)

    def list_snapshots(self, cinder_snapshots, *paging) -> list:
        """One page of :func:`manageable_snapshots`."""
        entries = manageable_snapshots(self.api.private_volumes(),
                                       cinder_snapshots, snapshot_key)
        return page(entries, *paging)


#: What a manageable list sorts by, as Cinder's API offers it.
SORT_KEYS = ('reference', 'size')
SORT_DIRS = ('asc', 'desc')


def page(entries, marker, limit, offset, sort_keys, sort_dirs) -> list:
    """One page of manageable entries, sorted as asked.

    :raises InvalidSpec: for a sort key or direction there is none of
    """
    for key, values, valid in (('sort_keys', sort_keys, SORT_KEYS),
                               ('sort_dirs', sort_dirs, SORT_DIRS)):
        for value in values or ():
            if str(value).strip() not in valid:
                raise exception.InvalidSpec(
                    key=key, value=value, reason=_('valid: %s') % ', '.join(
                        valid))
    return volume_utils.paginate_entries_list(
        entries, marker, limit, offset, sort_keys, sort_dirs)


def snapshot_key(snapshot) -> tuple:
    """(source device, SnapVX name) of a snapshot, as its location says."""
    try:
        found = utils.parse_provider_location(snapshot.provider_location)
    except exception.InvalidSpec:
        return None, None
    return found.get('source_id'), found.get('snap_name')


def location(device: str, snap_name: str) -> str:
    """The provider_location of a managed snapshot."""
    return utils.build_provider_location(
        {'source_id': device, 'snap_name': snap_name, 'managed': True})


# -- listing ------------------------------------------------------------------

def _cinder_ids(cinder_objects, name_of) -> dict:
    """Array names of Cinder's objects, mapped to their ids."""
    return {name_of(obj): obj.id for obj in cinder_objects or ()}


def _strings(info: dict) -> dict:
    # Cinder's ManageableVolume keeps extra_info as a dict of strings.
    return {key: '' if value is None else str(value)
            for key, value in info.items()}


def volume_entry(entry: dict, srp: str, managed: dict,
                 srp_of: SrpOf) -> dict:
    """One entry of ``get_manageable_volumes`` for a private view entry.

    :param managed: identifiers of Cinder's volumes mapped to their ids
    """
    header = _header(entry)
    identifier = header.get('userDefinedIdentifier') or ''
    cinder_id = managed.get(identifier)
    reason = (_('already managed') if cinder_id else
              unsafe_reason(entry, srp, srp_of))
    return {'reference': {SOURCE_ID: header.get('volumeId')},
            'size': size_gb(entry), 'safe_to_manage': reason is None,
            'reason_not_safe': reason, 'cinder_id': cinder_id,
            'extra_info': _strings({
                'identifier': identifier,
                'config': header.get('configuration'),
                'emulation': header.get('emulationType'),
                'storage_groups': ', '.join(header.get('storageGroup') or
                                            ())})}


def manageable_volumes(entries, srp, cinder_volumes, srp_of: SrpOf) -> list:
    """Entries for every FBA device of the array, unsafe ones with why."""
    managed = _cinder_ids(cinder_volumes, lambda v: naming.volume_identifier(
        ownership.name_id(v)))
    return [volume_entry(e, srp, managed, srp_of) for e in entries
            if _header(e).get('emulationType') == 'FBA']


def _snapshot_reason(entry, header, name, snap) -> Optional[str]:
    reason = _kind_reason(_header(entry)) or _size_reason(_header(entry))
    if reason:
        return _('its source device: %s') % reason
    if naming.is_reserved_snapshot_name(name):
        return _('its name %s starts with OS- or temp-, which this '
                 'driver uses') % name
    if header.get('expired'):
        return _('it has expired')
    if snap.get('lnkSnapshotGenInfo'):
        return _('it is linked to a target; unlink it first')
    return None


def snapshot_entries(entry: dict, managed: dict) -> list:
    """Entries of ``get_manageable_snapshots`` for one source device."""
    device = _header(entry).get('volumeId')
    found = []
    sessions = (entry.get('timeFinderInfo') or {}).get('snapVXSession') or ()
    for session in sessions:
        gens = session.get('srcSnapshotGenInfo') or ()
        for snap in gens:
            header = snap.get('snapshotHeader') or {}
            name = header.get('snapshotName') or ''
            cinder_id = managed.get((device, name))
            reason = (_('already managed') if cinder_id else
                      _snapshot_reason(entry, header, name, snap))
            if not cinder_id and not reason and len(gens) > 1:
                reason = _('%d snapshots of the device carry this name; '
                           'one is needed') % len(gens)
            found.append({
                'reference': {SOURCE_NAME: name}, 'size': size_gb(entry),
                'safe_to_manage': reason is None, 'reason_not_safe': reason,
                'cinder_id': cinder_id,
                'source_reference': {SOURCE_ID: device},
                'extra_info': _strings({
                    'generation': header.get('generation'),
                    'snap_id': header.get('snapid'),
                    'secured': header.get('secured'),
                    'timestamp': header.get('timestamp')})})
    return found


def manageable_snapshots(entries, cinder_snapshots, snapshot_key) -> list:
    """Entries for every SnapVX snapshot of the array's devices.

    :param snapshot_key: (source device, SnapVX name) of a Cinder snapshot
    """
    managed = _cinder_ids(cinder_snapshots, snapshot_key)
    found = []
    for entry in entries:
        if (entry.get('timeFinderInfo') or {}).get('snapVXSrc'):
            found.extend(snapshot_entries(entry, managed))
    return found
