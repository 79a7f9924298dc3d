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

import functools
import typing

from cinder import exception as cinder_exception
from cinder import objects
from cinder.objects import fields
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import arrays
from cinder_powermax import exception
from cinder_powermax import failover
from cinder_powermax import groups
from cinder_powermax.i18n import _
from cinder_powermax import legacy
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
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

# As the in-tree driver reports it: volume types with
# capabilities:vendor_name='Dell EMC' must keep scheduling.
VENDOR = 'Dell EMC'


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
                existing_ref=exception.quoted(exc.existing_ref),
                reason=str(exc)) from exc
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
        # Cinder passes the backend id it failed over to, on a restart
        # while failed over.
        self.active_backend_id = active_backend_id
        self.settings = None
        self.arrays = None
        #: the backend's :class:`failover.Failover`, the one owner of its
        #: failover state; built by :meth:`do_setup`
        self.state = None
        self.retyper = None
        self.importer = None
        self.group_manager = None

    @property
    def failed_over(self) -> bool:
        return self.state.failed_over

    @property
    def promoting(self) -> bool:
        return self.state.promoting

    @property
    def replicator(self):
        """The first replicator: the target all devices share, or None."""
        return self.state.replicator

    def _array(self) -> arrays.ArrayContext:
        """The array every operation acts on (see :meth:`Failover.active`)."""
        return self.state.active()

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
        self.state = failover.Failover(self.arrays, self.settings,
                                       self.protocol, self.active_backend_id)
        self.retyper = retype.Retyper(self.state, self.settings)
        self.importer = manage.Importer(self.state, self.settings)
        self.group_manager = groups.GroupManager(
            self.state, self.settings,
            self.configuration.safe_get('volume_backend_name'),
            repgroups.ReplicationGroups(self.state))
        context = self._array()
        context.ensure_tags(self.settings.array_tags)
        metadata.log_version_table(context.info, self.version)

    @translate_errors
    def check_for_setup_error(self):
        """Refuse a configuration that names things the array lacks."""
        if not self.failed_over or self.replicator is None:
            self._array().check(self.settings, self.protocol)
        self.state.check()

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
        replication = self.state.stats(pools)
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
            self.group_manager.join(volume, new.device)
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
        replicator = self.state.replicator_of(spec.replication)
        device, r2 = replicator.create(
            spec, replicator.remote_spec(volume), size, identifier)
        return provision.NewDevice(device, spec.group.name), r2

    def _apply_qos(self, spec, group):
        self._array().groups.apply_qos(spec.group, group)

    def _volume_update(self, volume, spec, device, operation, r2=None):
        update = metadata.new_volume_update(self.array, volume, spec, device,
                                            operation)
        if r2 is not None:
            replicator = self.state.replicator_of(spec.replication)
            update.update(replicator.model_update(r2, update['metadata']))
        return update

    def _find_device(self, volume, must_exist=True):
        """The device of a volume, checked to belong to it.

        :returns: (device id, device detail), or (None, None) when it is
            gone and ``must_exist`` is False
        :raises InvalidSpec: when it is gone and ``must_exist`` is True
        """
        return ownership.volume_device(self.provision, self.array.serial,
                                       volume, must_exist)

    def _device_of(self, volume):
        return self._find_device(volume)[0]

    @translate_errors
    def delete_volume(self, volume):
        """Delete the volume's device; a device already gone is success.

        The record of a manage that failed is Cinder's to delete, the
        device is not: it was never OpenStack's, and it is given back as
        unmanage gives it (:meth:`unmanage`).
        """
        if ownership.failed_manage(volume):
            LOG.warning('Volume %(id)s is the record of a manage that '
                        'failed: its device is given back to the array, '
                        'not deleted.', {'id': volume.id})
            return self.importer.give_back(volume)
        device, info = self._find_device(volume, must_exist=False)
        if device is None:
            LOG.warning('Volume %(id)s has no device on %(array)s; nothing '
                        'to delete.', {'id': volume.id,
                                       'array': self.array.serial})
            if not volume.provider_location:
                # A clone that died before its device was made.
                self._drop_clone_snapshot(volume)
            self._remove_default_group_left_empty(volume)
            if self.state.replicates(volume):
                self.state.replicator_for(volume).forget(
                    self.array.serial, naming.volume_identifier(
                        ownership.name_id(volume)), volume)
            return
        if info.get('snapvx_source'):
            snaps = self.provision.stale_temporary_snapshots_removed(device)
            if snaps:
                raise cinder_exception.VolumeIsBusy(volume_name=_(
                    '%(id)s (device %(dev)s still has snapshots '
                    '%(snaps)s)') % {'id': volume.id, 'dev': device,
                                     'snaps': ', '.join(snaps)})
        if not volume.provider_location:
            # The record of a copy that did not finish.
            self._drop_clone_snapshot(volume)
        if self.state.replicates(volume, info):
            if info.get('snapvx_target'):
                # An interrupted copy into it: the pair's removal does
                # not release the link.
                self.provision.release_link_target(device)
            self.state.replicator_for(volume, info).delete(
                self.array.serial, device, info, naming.volume_identifier(
                    ownership.name_id(volume)), volume)
        else:
            self.provision.delete_device(device, info,
                                         naming.is_disposable_sg_name)
        if not info.get('storageGroupId'):
            # An interrupted delete took it out of its default group.
            self._remove_default_group_left_empty(volume)
        metadata.log_operation('delete', volume, None, device, self.array)

    def _drop_clone_snapshot(self, volume):
        """The temporary snapshot an interrupted clone left on its source.

        It would expire within the hour; the errored clone's delete ends
        it now. Its source is read from Cinder; when it cannot be, the
        expiry stands.
        """
        if not (volume.obj_attr_is_set('source_volid') and
                volume.source_volid):
            return
        try:
            source = objects.Volume.get_by_id(volume._context,
                                              volume.source_volid)
        except Exception as exc:
            LOG.debug('The source of volume %(id)s cannot be read: %(err)s',
                      {'id': volume.id, 'err': exc})
            return
        device = ownership.find_device(self.provision, source)[0]
        if device is not None:
            self.provision.forget_snapshot_if_any(
                device, naming.temp_snapshot_name(device, volume.id))

    def _remove_default_group_left_empty(self, volume):
        """Finish a delete that removed the device but not its group."""
        try:
            spec = volspec.resolve(volume, self.array, self.settings)
        except exception.InvalidSpec:
            return
        self.provision.drop_empty_defaults(spec.group)

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
                self.state.replicator_for(volume, info).extend(
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
            self.state.replicator_for(volume, info).extend(
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
                self.provision.forget_snapshot(device, name)
        metadata.log_operation('createSnapshot', snapshot, None, device,
                               self.array)
        return {'provider_location': utils.build_provider_location(
            {'source_id': device, 'snap_name': name})}

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
        location in Cinder; it is still found by its name and removed. A
        record without location may also be a manage that failed after
        it renamed the administrator's snapshot: that one is given back.
        """
        device, name = self._snapshot_of(snapshot, must_exist=False)
        if device is None:
            LOG.warning('The volume of snapshot %(id)s has no device; '
                        'nothing to delete.', {'id': snapshot.id})
            return
        try:
            if not self.provision.delete_snapshot(device, name) and \
                    not snapshot.provider_location:
                self.importer.give_back_snapshot(snapshot, device)
        except exception.NotFound:
            LOG.warning('Source device %(dev)s of snapshot %(id)s is gone.',
                        {'dev': device, 'id': snapshot.id})
        metadata.log_operation('deleteSnapshot', snapshot, None, device,
                               self.array)

    @translate_errors
    def create_volume_from_snapshot(self, volume, snapshot):
        """A new, independent volume holding the snapshot's data."""
        device, name = self._snapshot_of(snapshot)
        # Read before the device is made, to fail without making it.
        instances = self.provision.instances(device, name)
        return self._copy_into_new_volume(volume, device, name,
                                          'createFromSnapshot',
                                          snapshot.volume_size,
                                          instances=instances)

    @translate_errors
    def create_cloned_volume(self, volume, src_vref):
        """A new, independent copy of another volume."""
        source = self._device_of(src_vref)
        name = naming.temp_snapshot_name(source, volume.id)
        copied = []
        try:
            made = self.provision.create_snapshot(
                source, name, provision.TEMP_SNAPSHOT_TTL_HOURS)
            return self._copy_into_new_volume(
                volume, source, name, 'createFromVolume', src_vref.size,
                copied, made, functools.partial(
                    self._end_temporary_snapshot, source, name, copied))
        except exception.SnapshotLeft:
            raise
        except Exception:
            with excutils.save_and_reraise_exception():
                self.provision.forget_snapshot(source, name, copied)

    def _end_temporary_snapshot(self, source, name, instances):
        """Remove a clone's temporary snapshot: the clone is done only then.

        Every instance of the name goes, also one an earlier, interrupted
        try of this clone left.

        :raises SnapshotLeft: when it cannot be removed
        """
        if not self.provision.forget_snapshot(source, name, instances):
            raise exception.SnapshotLeft(name=name, device=source,
                                         array=self.array.serial)

    def _copy_into_new_volume(self, volume, source, name, operation,
                              source_size, copied=None, instances=None,
                              finish=None):
        """Create the volume's device and fill it from a snapshot.

        :param copied: a list that receives the instances of the snapshot
        :param instances: the snapshot's instances, if read already
        :param finish: the copy's last step, if any; its failure undoes it
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
                                                        new.device, instances)
            if copied is not None:
                copied.extend(instances)
            self._apply_qos(spec, new.group)
            self.group_manager.join(volume, new.device)
            if finish is not None:
                finish()
        except Exception:
            with excutils.save_and_reraise_exception():
                self._remove_new_device(new, spec, volume)
        update = self._volume_update(volume, spec, new.device, operation, r2)
        if volspec.unprotected_copy(volume):
            update['replication_status'] = fields.ReplicationStatus.DISABLED
        return update

    def _remove_new_device(self, new, spec, volume):
        try:
            if spec.replication is not None:
                replicator = self.state.replicator_of(spec.replication)
                replicator.remove_by_identifier(
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

    @translate_errors
    def retype(self, ctxt, volume, new_type, diff, host):
        """Change the volume's groups for its new type, when in place.

        :returns: True when done; False for Cinder to migrate the volume
        """
        return self.retyper.retype(ctxt, volume, new_type, diff, host)

    @translate_errors
    def migrate_volume(self, volume, host):
        """Hand the volume to a backend on the same array and SRP.

        :returns: (moved, model update)
        """
        return self.retyper.migrate(volume, host), None

    @translate_errors
    def update_migrated_volume(self, volume, new_volume):
        """Give a generically migrated device the volume's identifier."""
        return self.retyper.finish_generic_migration(volume, new_volume)

    # -- manage and unmanage --------------------------------------------------

    @translate_errors
    def manage_existing(self, volume, existing_ref):
        """Take over an existing device as ``volume``."""
        spec, device, r2 = self.importer.manage_volume(volume, existing_ref)
        return self._volume_update(volume, spec, device, 'manage', r2)

    @translate_errors
    def manage_existing_get_size(self, volume, existing_ref):
        """The size in GB of a device that can be managed."""
        return manage.size_gb(self.importer.checked(existing_ref,
                                                    volume)[1])

    @translate_errors
    def unmanage(self, volume):
        """Hand the device back, unpaired, renamed to the bare id."""
        self.importer.give_back(volume)

    @translate_errors
    def manage_existing_snapshot(self, snapshot, existing_ref):
        """Take over a SnapVX snapshot of the snapshot's volume."""
        return self.importer.manage_snapshot(snapshot, existing_ref)

    @translate_errors
    def manage_existing_snapshot_get_size(self, snapshot, existing_ref):
        """The snapshot's size: its source volume's, in GB."""
        return self.importer.snapshot_size(snapshot, existing_ref)

    @translate_errors
    def unmanage_snapshot(self, snapshot):
        """Hand the snapshot back, its ``OS-`` prefix removed."""
        device, name = self._snapshot_of(snapshot, must_exist=False)
        if device is not None:
            self.importer.unmanage_snapshot(snapshot, device, name)

    @translate_errors
    def get_manageable_volumes(self, cinder_volumes, *paging):
        """The array's devices, with why those unsafe to manage are.

        :param paging: marker, limit, offset, sort_keys, sort_dirs
        """
        return self.importer.list_volumes(cinder_volumes, *paging)

    @translate_errors
    def get_manageable_snapshots(self, cinder_snapshots, *paging):
        """The array's SnapVX snapshots, with why unsafe ones are.

        :param paging: marker, limit, offset, sort_keys, sort_dirs
        """
        return self.importer.list_snapshots(cinder_snapshots, *paging)

    # -- generic volume groups ------------------------------------------------

    @translate_errors
    def create_group(self, group):
        """A storage group for a consistent-snapshot group type.

        :raises NotImplementedError: for other types: Cinder manages them
        """
        return self.group_manager.create(group)

    @translate_errors
    def delete_group(self, group, volumes):
        """Delete the member volumes and the group's storage group."""
        return self.group_manager.delete(group, volumes, self.delete_volume)

    @translate_errors
    def update_group(self, group, add_volumes, remove_volumes):
        """Add volumes to and remove them from the group's storage group."""
        return self.group_manager.update(group, add_volumes, remove_volumes)

    @translate_errors
    def create_group_snapshot(self, group_snapshot, snapshots):
        """One consistent SnapVX snapshot of the group's storage group."""
        return self.group_manager.create_snapshot(group_snapshot, snapshots)

    @translate_errors
    def delete_group_snapshot(self, group_snapshot, snapshots):
        """Terminate the group snapshot on every member."""
        return self.group_manager.delete_snapshot(group_snapshot, snapshots)

    @translate_errors
    def create_group_from_src(self, group, volumes, group_snapshot,
                              snapshots, source_group, source_vols):
        """A group of full copies of a group snapshot or a source group."""
        return self.group_manager.create_from_source(
            group, volumes, group_snapshot, snapshots, source_group,
            source_vols)

    @translate_errors
    def enable_replication(self, group, volumes):
        """Resume the SRDF pairs of a replication group."""
        return self.group_manager.enable_replication(group, volumes)

    @translate_errors
    def disable_replication(self, group, volumes):
        """Suspend the SRDF pairs of a replication group; kept paired."""
        return self.group_manager.disable_replication(group, volumes)

    @translate_errors
    def failover_replication(self, group, volumes, secondary_backend_id):
        """Fail a replication group over to the target array, or back."""
        return self.group_manager.failover_replication(
            group, volumes, secondary_backend_id)

    # -- attach and detach ----------------------------------------------------

    @translate_errors
    def initialize_connection(self, volume, connector):
        """Mask the volume to the connector's host.

        An SRDF/Metro volume is masked on both arrays: its R2 on the
        target through the replication device's remote port group.

        :returns: a :class:`masking.Attachment` with the LUN and the ports
            the protocol shim turns into connection information
        """
        device, info = self._find_device(volume)
        spec = volspec.resolve(volume, self.array, self.settings)
        legacy.Adopter(self.masking).adopt(device, info, spec, volume)
        partner = self._metro_partner(volume, spec, connector)
        attachment = self.masking.attach(device, spec, connector)
        attachment.nguid = info.get('nguid')
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
        replicator = self.state.replicator_of(spec.replication)
        context = self.arrays.get(replicator.target)
        r2 = ownership.replication_data(volume).get('device_id')
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
            spec = self.state.replicator_of(spec.replication).with_home(
                spec, context.serial, device, volume)
        removed = context.masking.detach(device, spec, connector)
        return [context.masking.ports(names.port_group)
                for names in removed]

    # -- replication ----------------------------------------------------------

    def failover_host(self, volumes, secondary_id=None, groups=None):
        """Fail the backend over to its replication target, or back.

        :returns: (active backend id, volume updates, group updates)
        """
        backend_id, updates, group_updates = self.failover(
            volumes, secondary_id, groups)
        self.failover_completed(backend_id)
        return backend_id, updates, group_updates

    @translate_errors
    def failover(self, volumes, secondary_id=None, groups=None):
        """The SRDF half of a failover, without changing the backend.

        In an active-active cluster one service runs this and then every
        service runs :meth:`failover_completed`. The policy is
        :meth:`failover.Failover.failover`'s.

        :returns: (active backend id, volume updates, group updates)
        """
        return self.state.failover(volumes, secondary_id, groups)

    def failover_completed(self, active_backend_id=None):
        """Act on the array Cinder says is active now."""
        self.state.completed(active_backend_id)


class MetroPartner(typing.NamedTuple):
    """An SRDF/Metro R2 masked with its R1: its array, device and spec."""

    context: arrays.ArrayContext
    device: str
    spec: volspec.VolumeSpec


def _other_attachments(volume, host):
    """True when more than one attachment of the volume is on ``host``."""
    if not volume.obj_attr_is_set('volume_attachment'):
        return False
    attachments = [a for a in volume.volume_attachment or ()
                   if a.attached_host == host and
                   a.attach_status == 'attached']
    return len(attachments) > 1
