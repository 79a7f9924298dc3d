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

"""The protocol-independent orchestrator of the PowerMax drivers.

It turns Cinder objects, volume types, extra specs and QoS specs into array
intents and sequences the steps of ``provision.py``; it builds no URL and no
payload. Its public methods are the driver operations, in the order a volume
lives through them.
"""

from __future__ import annotations

import collections
import functools
import typing

from cinder import exception as cinder_exception
from cinder.objects import fields
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import arrays
from cinder_powermax import exception
from cinder_powermax import groups
from cinder_powermax.i18n import _
from cinder_powermax import legacyxml
from cinder_powermax import manage
from cinder_powermax import metadata
from cinder_powermax import naming
from cinder_powermax import options
from cinder_powermax import ownership
from cinder_powermax import provision
from cinder_powermax import rdf
from cinder_powermax import repgroups
from cinder_powermax import retype
from cinder_powermax import srdf
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

# As the in-tree driver reports it: volume types with
# capabilities:vendor_name='Dell EMC' must keep scheduling.
VENDOR = 'Dell EMC'
CLONE_SNAPSHOT_TTL_HOURS = 1
#: The in-tree driver's secondary id for its one replication device.
IN_TREE_SECONDARY_ID = 'failed over'


def translate_errors(func):
    """Turn typed errors into the Cinder exceptions callers expect.

    This happens at the driver boundary and nowhere else.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except exception.InvalidSpec as exc:
            raise cinder_exception.InvalidInput(reason=str(exc)) from exc
        except exception.NotManageable as exc:
            raise cinder_exception.ManageExistingInvalidReference(
                existing_ref=exc.existing_ref, reason=str(exc)) from exc
        except exception.InvalidTarget as exc:
            raise cinder_exception.InvalidReplicationTarget(
                reason=str(exc)) from exc
        except exception.InvalidConnector as exc:
            raise cinder_exception.InvalidConnectorException(
                missing=str(exc)) from exc
        except exception.ConfigError as exc:
            raise cinder_exception.InvalidConfigurationValue(
                str(exc)) from exc
        except exception.PowerMaxError as exc:
            LOG.error('%(op)s failed: %(err)s',
                      {'op': func.__name__, 'err': exc})
            raise cinder_exception.VolumeBackendAPIException(
                data=str(exc)) from exc
    return wrapper


class PowerMaxCommon:
    """Volume, snapshot and pool logic shared by the FC and iSCSI drivers.

    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param version: the driver version reported in stats
    :param configuration: the backend's Cinder configuration
    """

    def __init__(self, protocol, version, configuration,
                 active_backend_id=None):
        self.protocol = protocol
        self.version = version
        self.configuration = configuration
        self.settings = None
        self.arrays = None
        #: one :class:`srdf.Replicator` per replication device
        self.replicators = []
        # Cinder passes the backend id it failed over to, on a restart
        # while failed over.
        self.failed_over = _failed_over(active_backend_id)
        #: failed over and promoting the target after the primary's loss
        self.promoting = active_backend_id == options.PROMOTION_BACKEND_ID

    @property
    def replicator(self):
        """The first replicator: the target all devices share, or None."""
        return self.replicators[0] if self.replicators else None

    def _replicator_of(self, device):
        """The replicator of replication device ``device``."""
        return next(r for r in self.replicators if r.device == device)

    def _replicator_for(self, volume, info=None):
        """The replicator pairing ``volume``.

        The one of the RDF group its device is paired in, else the one
        its type names; the first when neither tells.
        """
        if len(self.replicators) < 2:
            return self.replicator
        number = rdf.rdf_number(info) if info else None
        serial = self._array().serial
        for replicator in self.replicators:
            if number is not None and replicator.number(serial) == number:
                return replicator
        try:
            spec = volspec.resolve(volume, self.array, self.settings)
        except exception.InvalidSpec:
            return self.replicator
        if spec.replication is not None:
            return self._replicator_of(spec.replication)
        return self.replicator

    def _array(self) -> arrays.ArrayContext:
        """The array every operation acts on.

        The configured one; the replication target while failed over.
        """
        if self.failed_over and self.replicator is not None:
            return self.arrays.get(self.replicator.target)
        return self.arrays.get()

    @property
    def array(self):
        return self._array().info

    @property
    def provision(self):
        return self._array().provision

    @property
    def masking(self):
        return self._array().masking

    # -- setup ----------------------------------------------------------------

    @translate_errors
    def do_setup(self):
        """Connect to Unisphere and learn the array, once."""
        self.settings = legacyxml.watch(
            self.configuration, options.get_backend_settings(
                self.configuration),
            lambda fresh: self._array().check(fresh, self.protocol))
        self.arrays = arrays.Arrays(arrays.connect(self.settings),
                                    self.settings, self.protocol)
        self.replicators = [srdf.Replicator(self.arrays, device,
                                            self.protocol)
                            for device in self.settings.replications]
        if self.failed_over and not self.replicators and \
                not self.promoting:
            raise exception.ConfigError(reason=_(
                'Cinder runs this backend failed over, but it has no '
                'replication_device to fail over to'))
        context = self._array()
        context.ensure_tags(self.settings.array_tags)
        metadata.log_version_table(context.info, self.version)

    @translate_errors
    def check_for_setup_error(self):
        """Refuse a configuration that names things the array lacks."""
        if not self.failed_over or self.replicator is None:
            self._array().check(self.settings, self.protocol)
        for replicator in self.replicators:
            replicator.check(self._array().serial)

    # -- stats ----------------------------------------------------------------

    @translate_errors
    def update_volume_stats(self, backend_name, protocol_name):
        """Backend stats with one pool per service level and workload."""
        context = self._array()
        capacity = context.capacity()
        reserved = max(int(self.settings.reserved_percentage or 0),
                       capacity['reserved_percentage'])
        ratio = self.settings.max_over_subscription_ratio
        info = context.info
        pools = [volspec.pool_stats(info, sl, wl, capacity, reserved, ratio)
                 for sl, wl in naming.pool_combinations(
                     info.service_levels, info.workloads, info.next_gen)]
        replication = {'replication_enabled': False,
                       'replication_targets': []}
        if self.replicators:
            replication = rdf.stats(self.replicators)
            if self._sync_replicator() is not None:
                replication.update(repgroups.CAPABILITIES)
            for pool in pools:
                pool.update(replication)
            if self.promoting:
                pools += _primary_pools(pools, self.settings)
        stats = {
            'volume_backend_name': backend_name,
            'vendor_name': VENDOR,
            'driver_version': self.version,
            'storage_protocol': protocol_name,
            'total_capacity_gb': 0,
            'free_capacity_gb': 0,
            'provisioned_capacity_gb': 0,
            'reserved_percentage': 0,
            'sparse_copy_volume': True,
            'pools': pools,
        }
        stats.update(replication)
        return stats

    # -- volumes --------------------------------------------------------------

    @translate_errors
    def create_volume(self, volume):
        """Create a device in the volume's default storage group."""
        spec = volspec.resolve(volume, self.array, self.settings)
        size = utils.validate_size(volume.size)
        new, r2 = self._create_device(volume, spec, size)
        try:
            self._apply_qos(spec, new.group)
            self._groups().join(volume, new.device)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._remove_new_device(new, spec, volume)
        return self._volume_update(volume, spec, new.device, 'create', r2)

    def _create_device(self, volume, spec, size):
        """A new device for ``volume``, paired when its type says so.

        :returns: (device, R2 device or None)
        """
        identifier = naming.volume_identifier(volume.id)
        if spec.replication is None:
            return self.provision.create_device(spec.group, size,
                                                identifier), None
        if self.failed_over:
            raise exception.InvalidSpec(
                key='replication_enabled', value=True,
                reason=_('the backend is failed over to array %s; '
                         'replicated volumes are created again after the '
                         'failback') % self.array.serial)
        replicator = self._replicator_of(spec.replication)
        device, r2 = replicator.create(
            spec, replicator.remote_spec(volume), size, identifier)
        return provision.NewDevice(device, spec.group.name), r2

    def _apply_qos(self, spec, group):
        self._array().groups.apply_qos(spec.group, group)

    def _volume_update(self, volume, spec, device, operation, r2=None):
        location = {'array': self.array.serial, 'device_id': device}
        meta = metadata.volume_metadata(self.array, spec, device)
        metadata.log_operation(operation, volume, spec, device, self.array)
        merged = dict(volume.metadata or {})
        merged.update(meta)
        update = {
            'provider_location': utils.build_provider_location(location),
            'metadata': merged}
        if r2 is not None:
            update.update(self._replicator_of(spec.replication).model_update(
                r2, merged))
        return update

    def _find_device(self, volume, must_exist=True):
        """The device of a volume, checked to belong to it.

        :returns: (device id, device detail), or (None, None) when it is
            gone and ``must_exist`` is False
        :raises InvalidSpec: when it is gone and ``must_exist`` is True
        """
        device, info = ownership.find_device(self.provision, volume)
        if device is None and must_exist:
            raise ownership.no_device(self.array.serial, volume)
        return device, info

    def _device_of(self, volume):
        return self._find_device(volume)[0]

    @translate_errors
    def delete_volume(self, volume):
        """Delete the volume's device; a device already gone is success."""
        device, info = self._find_device(volume, must_exist=False)
        if device is None:
            LOG.warning('Volume %(id)s has no device on %(array)s; nothing '
                        'to delete.', {'id': volume.id,
                                       'array': self.array.serial})
            self._remove_default_group_left_empty(volume)
            if self.replicator is not None and _rep_data(volume):
                self._replicator_for(volume).forget(
                    self.array.serial, naming.volume_identifier(
                        ownership.name_id(volume)), volume)
            return
        if info.get('snapvx_source'):
            snaps = self._stale_temporary_snapshots_removed(device)
            if snaps:
                raise cinder_exception.VolumeIsBusy(volume_name=_(
                    '%(id)s (device %(dev)s still has snapshots '
                    '%(snaps)s)') % {'id': volume.id, 'dev': device,
                                     'snaps': ', '.join(snaps)})
        if self.replicator is not None and (
                rdf.rdf_number(info) is not None or _rep_data(volume)):
            self._replicator_for(volume, info).delete(
                self.array.serial, device, info, naming.volume_identifier(
                    ownership.name_id(volume)), volume)
        else:
            self.provision.delete_device(device, info,
                                         naming.is_disposable_sg_name)
        if not info.get('storageGroupId'):
            # An interrupted delete took it out of its default group.
            self._remove_default_group_left_empty(volume)
        metadata.log_operation('delete', volume, None, device, self.array)

    def _remove_default_group_left_empty(self, volume):
        """Finish a delete that removed the device but not its group."""
        try:
            spec = volspec.resolve(volume, self.array, self.settings)
        except exception.InvalidSpec:
            return
        self._array().groups.delete_default_if_empty(spec.group.name)

    def _stale_temporary_snapshots_removed(self, device):
        """Remove unlinked temporary snapshots; return the other names."""
        kept = []
        for snap in self.provision.snapshots(device):
            if naming.is_temp_snapshot_name(snap.name) and not snap.targets:
                self.provision.delete_snapshot(device, snap.name)
            elif snap.name not in kept:
                kept.append(snap.name)
        return kept

    @translate_errors
    def extend_volume(self, volume, new_size):
        """Grow the device online; it may be attached and have snapshots."""
        size = utils.validate_size(new_size)
        device, info = self._find_device(volume)
        current = float(info.get('cap_gb') or 0)
        number = rdf.rdf_number(info)
        if number is not None and self.failed_over:
            raise exception.InvalidSpec(
                key='new_size', value=new_size,
                reason=_('volume %s is replicated and the backend is '
                         'failed over; extend it after the failback') %
                volume.id)
        if size == current:
            # A re-driven extend, or one whose job finished after its
            # deadline: the volume has the size asked for.
            LOG.info('Volume %(id)s is already %(size)s GB.',
                     {'id': volume.id, 'size': size})
            if number is not None and self.replicator is not None:
                self._replicator_for(volume, info).extend(
                    self.array.serial, device, number, size, grown=True)
            return
        if size < current:
            raise exception.InvalidSpec(
                key='new_size', value=new_size,
                reason=_('volume %(id)s is already %(cur)s GB; it can only '
                         'grow') % {'id': volume.id, 'cur': info['cap_gb']})
        if info.get('snapvx_source') and not self.array.next_gen:
            raise exception.PowerMaxError(reason=_(
                'volume %(id)s has SnapVX snapshots and array %(array)s '
                'runs %(ucode)s; extending a snapshot source needs '
                'PowerMaxOS 5978 or later. Delete its snapshots first.') % {
                    'id': volume.id, 'array': self.array.serial,
                    'ucode': self.array.ucode_text})
        if number is not None and self.replicator is not None:
            self._replicator_for(volume, info).extend(
                self.array.serial, device, number, size)
        else:
            self.provision.extend_device(device, size)
        metadata.log_operation('extend', volume, None, device, self.array)

    # -- snapshots ------------------------------------------------------------

    @translate_errors
    def create_snapshot(self, snapshot):
        """Take a SnapVX snapshot of the snapshot's source volume."""
        device = self._device_of(snapshot.volume)
        name = naming.snapshot_name(snapshot.id)
        try:
            self.provision.create_snapshot(device, name)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._forget_snapshot(device, name)
        metadata.log_operation('createSnapshot', snapshot, None, device,
                               self.array)
        return {'provider_location': utils.build_provider_location(
            {'source_id': device, 'snap_name': name})}

    def _forget_snapshot(self, device, name, instances=None):
        """Remove a snapshot this driver made, as a best effort.

        Used for temporary clone snapshots and for the remains of a failed
        snapshot; whatever still fails is cleaned up by the next delete of
        the source volume.

        :param instances: the instances, if known; read again on a retry
        """
        if instances:
            try:
                self.provision.delete_snapshot(device, name, instances)
                return
            except exception.PowerMaxError as exc:
                LOG.debug('Removing %(name)s as known failed: %(err)s',
                          {'name': name, 'err': exc})
        self.provision.best_effort(
            self.provision.delete_snapshot, device, name,
            what='removal of snapshot %s of %s' % (name, device))

    def _snapshot_of(self, snapshot, must_exist=True):
        """The source device and SnapVX name of a Cinder snapshot.

        :returns: (device, name); device None when the volume's device is
            gone and ``must_exist`` is False
        """
        volume = snapshot.volume
        device, name, trusted = ownership.snapshot_name_and_source(
            snapshot, ownership.location_device(volume))
        if not trusted:
            device = self._find_device(volume, must_exist)[0]
        return device, name

    @translate_errors
    def delete_snapshot(self, snapshot):
        """Unlink and terminate the snapshot; one already gone is success.

        A snapshot whose creation died after the array made it has no
        location in Cinder; it is still found by its name and removed.
        """
        device, name = self._snapshot_of(snapshot, must_exist=False)
        if device is None:
            LOG.warning('The volume of snapshot %(id)s has no device; '
                        'nothing to delete.', {'id': snapshot.id})
            return
        try:
            self.provision.delete_snapshot(device, name)
        except exception.NotFound:
            LOG.warning('Source device %(dev)s of snapshot %(id)s is gone.',
                        {'dev': device, 'id': snapshot.id})
        metadata.log_operation('deleteSnapshot', snapshot, None, device,
                               self.array)

    @translate_errors
    def create_volume_from_snapshot(self, volume, snapshot):
        """A new, independent volume holding the snapshot's data."""
        device, name = self._snapshot_of(snapshot)
        self.provision.newest_instance(device, name)
        return self._copy_into_new_volume(volume, device, name,
                                          'createFromSnapshot',
                                          snapshot.volume_size)

    @translate_errors
    def create_cloned_volume(self, volume, src_vref):
        """A new, independent copy of another volume."""
        source = self._device_of(src_vref)
        name = naming.temp_snapshot_name(source, volume.id)
        copied = []
        try:
            self.provision.create_snapshot(source, name,
                                           CLONE_SNAPSHOT_TTL_HOURS)
            return self._copy_into_new_volume(volume, source, name,
                                              'createFromVolume',
                                              src_vref.size, copied)
        finally:
            # Every instance of the name goes, also one an earlier,
            # interrupted try of this clone left.
            self._forget_snapshot(source, name, copied)

    def _copy_into_new_volume(self, volume, source, name, operation,
                              source_size, copied=None):
        """Create the volume's device and fill it from a snapshot.

        :param copied: a list that receives the instances of the snapshot
        """
        spec = volspec.resolve(volume, self.array, self.settings)
        size = utils.validate_size(volume.size)
        if source_size and size < int(source_size):
            raise exception.InvalidSpec(
                key='size', value=volume.size,
                reason=_('the new volume must be at least as large as its '
                         'source (%s GB)') % source_size)
        new, r2 = self._create_device(volume, spec, size)
        try:
            instances = self.provision.copy_snapshot_to(source, name,
                                                        new.device)
            if copied is not None:
                copied.extend(instances)
            self._apply_qos(spec, new.group)
            self._groups().join(volume, new.device)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._remove_new_device(new, spec, volume)
        return self._volume_update(volume, spec, new.device, operation, r2)

    def _remove_new_device(self, new, spec, volume):
        try:
            if spec.replication is not None:
                self._replicator_of(spec.replication).remove_by_identifier(
                    naming.volume_identifier(volume.id))
                return
            self.provision.delete_device(new.device, None,
                                         lambda name: name == new.group)
        except exception.PowerMaxError as exc:
            LOG.warning('Could not remove device %(dev)s after a failed '
                        'copy: %(err)s', {'dev': new.device, 'err': exc})

    @translate_errors
    def revert_to_snapshot(self, volume, snapshot):
        """Restore the volume in place from its snapshot."""
        if snapshot.volume_id != volume.id:
            raise exception.InvalidSpec(
                key='snapshot', value=snapshot.id,
                reason=_('snapshot %(snap)s was taken of volume %(src)s, '
                         'not of volume %(vol)s') % {
                    'snap': snapshot.id, 'src': snapshot.volume_id,
                    'vol': volume.id})
        device, name = self._snapshot_of(snapshot)
        self.provision.restore(device, name)
        metadata.log_operation('revert', volume, None, device, self.array)

    # -- retype and migration -------------------------------------------------

    def _retyper(self):
        if self.promoting and self.replicators:
            return retype.Retyper(self._array(), self.settings,
                                  self._replicator_of, promoting=True)
        return retype.Retyper(self._array(), self.settings,
                              None if self.failed_over or
                              not self.replicators else self._replicator_of)

    @translate_errors
    def retype(self, ctxt, volume, new_type, diff, host):
        """Change the volume's groups for its new type, when in place.

        :returns: True when done; False for Cinder to migrate the volume
        """
        return self._retyper().retype(ctxt, volume, new_type, diff, host)

    @translate_errors
    def migrate_volume(self, volume, host):
        """Hand the volume to a backend on the same array and SRP.

        :returns: (moved, model update)
        """
        return self._retyper().migrate(volume, host), None

    @translate_errors
    def update_migrated_volume(self, volume, new_volume):
        """Give a generically migrated device the volume's identifier."""
        return self._retyper().finish_generic_migration(volume, new_volume)

    # -- manage and unmanage --------------------------------------------------

    def _importer(self):
        return manage.Importer(self._array())

    @translate_errors
    def manage_existing(self, volume, existing_ref):
        """Take over an existing device as ``volume``."""
        spec = volspec.resolve(volume, self.array, self.settings)
        if spec.replication is None:
            device = self._importer().manage(volume, existing_ref, spec)
            return self._volume_update(volume, spec, device, 'manage')
        if self.failed_over:
            raise exception.InvalidSpec(
                key='replication_enabled', value=True,
                reason=_('the backend is failed over; manage into a '
                         'replicated type after the failback'))
        # Managed into its type's plain group first (or a numbered one
        # after it, when full), then paired.
        plain = volspec.unreplicated(spec)
        paired, passed = [], [plain.group.name]

        replicator = self._replicator_of(spec.replication)

        def pair(device):
            passed[0] = self._array().groups.default_in(
                plain.group, self.provision.device_groups(device)) or \
                passed[0]
            paired.append(replicator.add_pair(
                device, passed[0], spec, replicator.remote_spec(volume),
                naming.volume_identifier(volume.id)))
        device = self._importer().manage(volume, existing_ref, plain, pair)
        self.provision.best_effort(
            self._array().groups.delete_default_if_empty, passed[0],
            what='removal of %s' % passed[0])
        return self._volume_update(volume, spec, device, 'manage',
                                   paired[0])

    @translate_errors
    def manage_existing_get_size(self, volume, existing_ref):
        """The size in GB of a device that can be managed."""
        return manage.size_gb(self._importer().checked(existing_ref,
                                                       volume)[1])

    @translate_errors
    def unmanage(self, volume):
        """Hand the device back to the array, renamed to the bare id."""
        try:
            default = volspec.resolve(volume, self.array,
                                      self.settings).group.name
        except exception.InvalidSpec:
            default = None
        self._importer().unmanage(volume, default)

    @translate_errors
    def manage_existing_snapshot(self, snapshot, existing_ref):
        """Take over a SnapVX snapshot of the snapshot's volume."""
        return self._importer().manage_snapshot(snapshot, existing_ref)

    @translate_errors
    def manage_existing_snapshot_get_size(self, snapshot, existing_ref):
        """The snapshot's size: its source volume's, in GB."""
        return self._importer().snapshot_size(snapshot, existing_ref)

    @translate_errors
    def unmanage_snapshot(self, snapshot):
        """Hand the snapshot back, its ``OS-`` prefix removed."""
        device, name = self._snapshot_of(snapshot, must_exist=False)
        if device is not None:
            self._importer().unmanage_snapshot(snapshot, device, name)

    @translate_errors
    def get_manageable_volumes(self, cinder_volumes, *paging):
        """The array's devices, with why those unsafe to manage are.

        :param paging: marker, limit, offset, sort_keys, sort_dirs
        """
        return self._importer().list_volumes(cinder_volumes, *paging)

    @translate_errors
    def get_manageable_snapshots(self, cinder_snapshots, *paging):
        """The array's SnapVX snapshots, with why unsafe ones are.

        :param paging: marker, limit, offset, sort_keys, sort_dirs
        """
        return self._importer().list_snapshots(cinder_snapshots, *paging)

    # -- generic volume groups ------------------------------------------------

    def _groups(self):
        return groups.GroupManager(
            self._array(), self.settings,
            self.configuration.safe_get('volume_backend_name'),
            self._volume_update, self._find_device,
            repgroups.ReplicationGroups(self._sync_replicator(),
                                        self._array().serial,
                                        self.promoting))

    def _sync_replicator(self):
        """The replicator of the Synchronous device: groups replicate so."""
        return next((r for r in self.replicators
                     if r.mode == options.REP_SYNC), None)

    @translate_errors
    def create_group(self, group):
        """A storage group for a consistent-snapshot group type.

        :raises NotImplementedError: for other types: Cinder manages them
        """
        return self._groups().create(group)

    @translate_errors
    def delete_group(self, group, volumes):
        """Delete the member volumes and the group's storage group."""
        return self._groups().delete(group, volumes, self.delete_volume)

    @translate_errors
    def update_group(self, group, add_volumes, remove_volumes):
        """Add volumes to and remove them from the group's storage group."""
        return self._groups().update(group, add_volumes, remove_volumes)

    @translate_errors
    def create_group_snapshot(self, group_snapshot, snapshots):
        """One consistent SnapVX snapshot of the group's storage group."""
        return self._groups().create_snapshot(group_snapshot, snapshots)

    @translate_errors
    def delete_group_snapshot(self, group_snapshot, snapshots):
        """Terminate the group snapshot on every member."""
        return self._groups().delete_snapshot(group_snapshot, snapshots)

    @translate_errors
    def create_group_from_src(self, group, volumes, group_snapshot,
                              snapshots, source_group, source_vols):
        """A group of full copies of a group snapshot or a source group."""
        return self._groups().create_from_source(
            group, volumes, group_snapshot, snapshots, source_group,
            source_vols)

    @translate_errors
    def enable_replication(self, group, volumes):
        """Resume the SRDF pairs of a replication group."""
        return self._groups().enable_replication(group, volumes)

    @translate_errors
    def disable_replication(self, group, volumes):
        """Suspend the SRDF pairs of a replication group; kept paired."""
        return self._groups().disable_replication(group, volumes)

    @translate_errors
    def failover_replication(self, group, volumes, secondary_backend_id):
        """Fail a replication group over to the target array, or back."""
        return self._groups().failover_replication(group, volumes,
                                                   secondary_backend_id)

    # -- attach and detach ----------------------------------------------------

    @translate_errors
    def initialize_connection(self, volume, connector):
        """Mask the volume to the connector's host.

        An SRDF/Metro volume is masked on both arrays: its R2 on the
        target through the replication device's remote port group.

        :returns: a :class:`masking.Attachment` with the LUN and the ports
            the protocol shim turns into connection information
        """
        device, _info = self._find_device(volume)
        spec = volspec.resolve(volume, self.array, self.settings)
        partner = self._metro_partner(volume, spec, connector)
        attachment = self.masking.attach(device, spec, connector)
        if partner is not None:
            attachment.metro = self._attach_partner(
                volume, device, spec, attachment, partner, connector)
        metadata.log_operation('attach', volume, spec, device, self.array)
        return attachment

    def _metro_partner(self, volume, spec, connector=None):
        """The R2 an attach or detach of ``volume`` also acts on.

        Only for SRDF/Metro, whose R2 serves the host too; not while the
        backend is failed over, when the active array alone serves.

        :param connector: on attach, checked for the multipath an iSCSI
            host needs to reach one device through both arrays
        :returns: a :class:`MetroPartner`, or None
        """
        if self.failed_over or spec.replication is None or \
                not spec.replication.metro:
            return None
        if connector is not None:
            self.masking.check_host(connector)
            if self.protocol == 'iSCSI' and not connector.get('multipath'):
                raise exception.InvalidConnector(
                    key='multipath', value=connector.get('multipath'),
                    reason=_('volume %s is SRDF/Metro replicated: the host '
                             'sees it through both arrays and needs '
                             'multipath software; enable multipath on the '
                             'host and attach again') % volume.id)
        replicator = self._replicator_of(spec.replication)
        context = self.arrays.get(replicator.target)
        r2 = _rep_data(volume).get('device_id')
        info = context.provision.read_device(r2) if r2 else None
        if info is None or info.get('volume_identifier') not in \
                ownership.identifiers(volume):
            LOG.warning('SRDF/Metro volume %(id)s has no R2 %(dev)s on '
                        'array %(array)s; only array %(primary)s serves '
                        'its host.', {'id': volume.id, 'dev': r2,
                                      'array': context.serial,
                                      'primary': self.array.serial})
            return None
        return MetroPartner(context, r2, replicator.remote_spec(volume))

    def _attach_partner(self, volume, device, spec, attachment, partner,
                        connector):
        """Mask the R2 as well; if that fails, the R1's attach is undone.

        An R1 the host saw before this call stays: another attachment may
        be using it.
        """
        try:
            return partner.context.masking.attach(partner.device,
                                                  partner.spec, connector)
        except Exception:
            with excutils.save_and_reraise_exception():
                if attachment.placed:
                    self.provision.best_effort(
                        self._detach_from, self._array(), device, spec,
                        volume, connector,
                        what='undo of the attach of %s' % device)

    @translate_errors
    def terminate_connection(self, volume, connector):
        """Unmask the volume from the host, or from every host.

        An SRDF/Metro volume is unmasked on both arrays.

        :returns: the ports of each view the detach removed, for zoning
        """
        device, _info = self._find_device(volume, must_exist=False)
        if device is None:
            LOG.warning('Volume %(id)s has no device; nothing to detach.',
                        {'id': volume.id})
            return []
        if connector is not None:
            self.masking.check_host(connector)
        if connector and _other_attachments(volume, connector['host']):
            LOG.info('Volume %(id)s stays mapped: another attachment on '
                     '%(host)s uses it.', {'id': volume.id,
                                           'host': connector['host']})
            return []
        spec = volspec.resolve(volume, self.array, self.settings)
        partner = self._metro_partner(volume, spec)
        removed = self._detach_from(self._array(), device, spec, volume,
                                    connector)
        if partner is not None:
            # After the R1: its home group tells where the R2 goes.
            removed += self._detach_from(partner.context, partner.device,
                                         partner.spec, volume, connector)
        metadata.log_operation('detach', volume, spec, device, self.array)
        return removed

    def _detach_from(self, context, device, spec, volume, connector):
        """Unmask ``device`` on one array.

        :returns: the ports of each view the detach removed
        """
        if spec.replication is not None and self.replicator is not None:
            spec = self._replicator_of(spec.replication).with_home(
                spec, context.serial, device, volume)
        removed = context.masking.detach(device, spec, connector)
        return [context.masking.ports(names.port_group)
                for names in removed]

    # -- replication ----------------------------------------------------------

    def failover_host(self, volumes, secondary_id=None, groups=None):
        """Fail the backend over to its replication target, or back.

        :returns: (active backend id, volume updates, group updates)
        """
        backend_id, updates, group_updates = self.failover_groups(
            volumes, secondary_id, groups)
        self.failover_completed(backend_id)
        return backend_id, updates, group_updates

    def failover_groups(self, volumes, secondary_id=None, groups=None):
        """:meth:`failover`, with the replication groups' updates.

        Group members move with the other volumes; each group takes the
        status of its members.

        :returns: (active backend id, volume updates, group updates)
        """
        promotion = self.promoting or \
            secondary_id == options.PROMOTION_BACKEND_ID
        backend_id, updates = self.failover(volumes, secondary_id)
        if promotion:
            return backend_id, updates, _promotion_group_updates(
                groups, backend_id)
        return backend_id, updates, _group_updates(
            groups, volumes, updates, backend_id == 'default')

    @translate_errors
    def failover(self, volumes, secondary_id=None):
        """The SRDF half of a failover, without changing the backend.

        In an active-active cluster one service runs this and then every
        service runs :meth:`failover_completed`.

        :returns: (active backend id, volume updates)
        """
        if self.promoting or secondary_id == options.PROMOTION_BACKEND_ID:
            return self._promotion(volumes, secondary_id)
        back = self._failover_direction(secondary_id)
        devices, updates = {}, []
        moving = collections.defaultdict(list)
        destination = (self.replicator.primary if back
                       else self.replicator.target)
        for volume in volumes:
            update = _failover_update(volume, back)
            if update is not None and repgroups.location_array(
                    volume.provider_location) == destination:
                # A group failed over on its own is there already.
                updates.append({'volume_id': volume.id, 'updates': {
                    'replication_status': update['replication_status']}})
                continue
            if update is None:
                if not back:
                    # Cinder expects unreplicated volumes in error: their
                    # array is no longer the backend's.
                    updates.append({'volume_id': volume.id,
                                    'updates': {'status': 'error'}})
                continue
            device = utils.parse_provider_location(
                update['provider_location'] if not back else
                volume.provider_location)['device_id']
            devices[device] = update
            updates.append({'volume_id': volume.id, 'updates': update})
            replicator = self._replicator_for(volume)
            if replicator.device.metro:
                # Both arrays serve an SRDF/Metro volume already: its
                # location swaps and no SRDF action is needed.
                continue
            moving[replicator].append(device)
        for replicator, targets in moving.items():
            for device in replicator.actions.failover(targets, back):
                # Its pair could not move: it stays where it is, in error.
                devices[device].clear()
                devices[device]['replication_status'] = (
                    fields.ReplicationStatus.ERROR)
        backend_id = 'default' if back else self.replicator.device.backend_id
        LOG.info('Backend failed %(way)s: %(count)d replicated volume(s) '
                 'now on array %(array)s.', {
                     'way': 'back' if back else 'over',
                     'count': len(devices),
                     'array': self.replicator.primary if back else
                     self.replicator.target})
        return backend_id, updates

    def failover_completed(self, active_backend_id=None):
        """Act on the array Cinder says is active now.

        The promotion id means failed over and promoting; None or
        ``default`` ends both.
        """
        self.failed_over = _failed_over(active_backend_id)
        self.promoting = active_backend_id == options.PROMOTION_BACKEND_ID

    def _promotion(self, volumes, secondary_id):
        """Start or end the promotion of the replication target.

        When the primary array is lost for good, the failed-over backend
        is "failed over" again to :data:`options.PROMOTION_BACKEND_ID`:
        no SRDF action is sent (the pairs stay as the failover left
        them) and the backend keeps serving the target, now promoted.
        Meanwhile replicated volumes are retyped to types without
        replication (:meth:`retype.Retyper._retype_promoting`), the
        stats repeat every pool under the primary's serial for the
        volumes still placed there, and groups only lose volumes.

        ``default`` ends the promotion. It is no failback: the primary
        is gone, so the backend must serve the promoted array as its own
        (as the in-tree driver's failback, it needs the configured array
        present). It is refused while the configuration still names the
        lost primary: the operator first sets ``powermax_array`` (and its
        SRP and port groups) to the promoted array, removes the
        ``replication_device`` entries and restarts the backend with
        ``active_backend_id`` still the promotion id. Then the promoted
        volumes, unreplicated on that array, are marked replication
        ``disabled``; a volume left replicated there is marked ``error``
        (its pair's other half is lost); volumes of other arrays are
        left as the failover left them.

        :returns: (active backend id, volume updates)
        :raises InvalidReplicationTarget: for a promotion when not failed
            over, another id while promoting, or an end the configuration
            does not allow yet
        """
        if secondary_id == options.PROMOTION_BACKEND_ID:
            if not self.failed_over:
                raise cinder_exception.InvalidReplicationTarget(reason=_(
                    'array promotion follows a failover, and the backend '
                    'is not failed over; fail it over to its replication '
                    'target first'))
            LOG.info('Array promotion of %(array)s started: no SRDF action '
                     'is sent; retype replicated volumes to types without '
                     'replication.', {'array': self._array().serial})
            return secondary_id, []
        if secondary_id != 'default':
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'array %(array)s is being promoted; secondary id %(id)s is '
                'refused: only default, which ends the promotion, is '
                'valid') % {'array': self._array().serial,
                            'id': exception.quoted(secondary_id)})
        serial = self._array().serial
        here = [v for v in volumes if repgroups.location_array(
            v.provider_location) == serial]
        paired = sorted(v.id for v in here if _rep_data(v).get('device_id'))
        if self.replicators:
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'the promotion of array %(array)s ends only once the '
                'backend is configured for it: retype the volumes still '
                'replicated (%(paired)s) to types without replication, '
                'then set powermax_array to %(array)s in place of lost '
                'array %(lost)s, remove the replication_device entries, '
                'restart the backend with active_backend_id %(id)s and '
                'end the promotion with default') % {
                    'array': serial, 'lost': self.settings.array,
                    'paired': ', '.join(paired) or 'none',
                    'id': options.PROMOTION_BACKEND_ID})
        if paired:
            LOG.warning('Volumes %(ids)s are still paired with devices of '
                        'the lost array; their replication is in error.',
                        {'ids': ', '.join(paired)})
        updates = [{'volume_id': v.id, 'updates': {
            'replication_status': fields.ReplicationStatus.ERROR
            if v.id in paired else fields.ReplicationStatus.DISABLED}}
            for v in here]
        LOG.info('Array promotion ended: array %(array)s serves the '
                 'backend.', {'array': serial})
        return 'default', updates

    def _failover_direction(self, secondary_id):
        """True for a failback, False for a failover; refuses others."""
        if self.replicator is None:
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'this backend has no replication_device'))
        if all(r.device.metro for r in self.replicators):
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'this backend replicates in SRDF/Metro mode only, where '
                'failover and failback do not apply: both arrays serve its '
                'volumes already'))
        valid = (None, self.replicator.device.backend_id,
                 self.replicator.target, IN_TREE_SECONDARY_ID)
        if secondary_id == 'default':
            if not self.failed_over:
                raise cinder_exception.InvalidReplicationTarget(reason=_(
                    'the backend is not failed over; there is nothing to '
                    'fail back'))
            return True
        if secondary_id not in valid:
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'unknown secondary id %(id)s; valid: %(valid)s or '
                'default') % {'id': exception.quoted(secondary_id),
                              'valid': ', '.join(v for v in valid if v)})
        if self.failed_over:
            raise cinder_exception.InvalidReplicationTarget(reason=_(
                'the backend is failed over already; fail back with '
                'default'))
        return False


class MetroPartner(typing.NamedTuple):
    """An SRDF/Metro R2 masked with its R1: its array, device and spec."""

    context: arrays.ArrayContext
    device: str
    spec: volspec.VolumeSpec


def _group_updates(groups, volumes, updates, back):
    """Each replication group's status after its members moved."""
    by_volume = {u['volume_id']: u['updates'] for u in updates}
    found = []
    for group in groups or ():
        statuses = {by_volume.get(v.id, {}).get('replication_status')
                    for v in volumes if v.obj_attr_is_set('group_id') and
                    v.group_id == group.id}
        status = (fields.ReplicationStatus.ENABLED if back else
                  fields.ReplicationStatus.FAILED_OVER)
        if fields.ReplicationStatus.ERROR in statuses:
            status = fields.ReplicationStatus.ERROR
        found.append({'group_id': group.id,
                      'updates': {'replication_status': status}})
    return found


def _promotion_group_updates(groups, backend_id):
    """Group updates of a promotion: none at its start; ended, disabled.

    The members of the groups were promoted: they replicate no more.
    """
    if backend_id != 'default':
        return []
    return [{'group_id': group.id, 'updates': {
        'replication_status': fields.ReplicationStatus.DISABLED}}
        for group in groups or ()]


def _primary_pools(pools, settings):
    """The pools again, under the lost primary's serial and SRP.

    While promoting, volumes whose host still names a pool of the
    primary must find it for Cinder's scheduler to retype them.
    """
    found = []
    for pool in pools:
        location = pool['location_info'].split('#')
        location[:2] = [settings.array, settings.srp]
        found.append(dict(pool, pool_name=retype.pool_on(
            pool['pool_name'], settings.srp, settings.array),
            location_info='#'.join(location)))
    return found


def _failed_over(active_backend_id) -> bool:
    return bool(active_backend_id) and active_backend_id != 'default'


def _rep_data(volume) -> dict:
    """A volume's ``replication_driver_data``, read; {} when none."""
    if not volume.obj_attr_is_set('replication_driver_data'):
        return {}
    try:
        return utils.parse_provider_location(volume.replication_driver_data)
    except exception.InvalidSpec:
        return {}


def _failover_update(volume, back):
    """A replicated volume's update for a failover or failback.

    Its location and its replication data swap places, as the in-tree
    driver swaps them. None for a volume that is not replicated.
    """
    if not _rep_data(volume).get('device_id'):
        return None
    status = (fields.ReplicationStatus.ENABLED if back else
              fields.ReplicationStatus.FAILED_OVER)
    return {'replication_status': status,
            'provider_location': volume.replication_driver_data,
            'replication_driver_data': volume.provider_location}


def _other_attachments(volume, host):
    """True when more than one attachment of the volume is on ``host``."""
    if not volume.obj_attr_is_set('volume_attachment'):
        return False
    attachments = [a for a in volume.volume_attachment or ()
                   if a.attached_host == host and
                   a.attach_status == 'attached']
    return len(attachments) > 1
