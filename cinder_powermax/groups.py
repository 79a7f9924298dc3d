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

"""Generic volume groups that the array manages.

A group whose type asks for consistent group snapshots
(``consistent_group_snapshot_enabled='<is> True'``) gets a storage group of
its own, ``<name>_<uuid>`` or ``<uuid>``, holding its volumes besides their
default groups; a group snapshot is one SnapVX snapshot of that storage
group, taken at one point in time over every member. Any other group type
raises NotImplementedError, so Cinder runs the group itself.

A group whose type asks for replication (``consistent_group_replication_
enabled`` or ``group_replication_enabled``) holds replicated volumes only;
its storage group exists on both arrays of the backend's SRDF pair, and
:mod:`cinder_powermax.repgroups` does the SRDF side.
"""

from __future__ import annotations

from cinder.objects import fields
from cinder.volume import group_types
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax import failover
from cinder_powermax.i18n import _
from cinder_powermax import metadata
from cinder_powermax import naming
from cinder_powermax import options
from cinder_powermax import ownership
from cinder_powermax import provision
from cinder_powermax import storagegroups
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

SNAPSHOT_SPEC = 'consistent_group_snapshot_enabled'
REPLICATION_SPECS = ('consistent_group_replication_enabled',
                     'group_replication_enabled')
REPLICATION_ENABLED = 'replication_enabled'
BACKEND_NAME = 'volume_backend_name'
IS_TRUE = '<is> True'


def group_specs(group_type_id) -> dict:
    """The group specs of a group type (none without a type)."""
    if not group_type_id:
        return {}
    return dict(group_types.get_group_type_specs(group_type_id) or {})


def _optional(obj, field):
    """A field of a Cinder object, None when it is not set."""
    return getattr(obj, field) if obj.obj_attr_is_set(field) else None


def _check_sizes(volumes, source_sizes):
    for volume, size in zip(volumes, source_sizes):
        if size and int(volume.size) < int(size):
            raise exception.InvalidSpec(
                key='size', value=volume.size, reason=_(
                    'volume %(id)s must be at least as large as its '
                    'source (%(size)s GB)') % {'id': volume.id,
                                               'size': size})


def locate_in(groups, serial, group):
    """The group's storage group name on an array, None when it has none.

    A group renamed in Cinder still has its storage group under the old
    name: the one group whose name holds the uuid is renamed to the name
    expected now.

    :param groups: the array's :class:`storagegroups.StorageGroups`
    """
    expected = naming.group_sg_name(group.name, group.id)
    if groups.find(expected) is not None:
        return expected
    found = [name for name in groups.named_like(group.id)
             if name != expected]
    if not found:
        return None
    if len(found) > 1:
        raise exception.PowerMaxError(reason=_(
            'storage groups %(sgs)s all hold the id of group %(id)s; '
            'remove the extra ones on array %(array)s') % {
                'sgs': ', '.join(found), 'id': group.id, 'array': serial})
    LOG.warning('Group %(id)s was renamed: renaming its storage group '
                '%(old)s to %(new)s on %(array)s.',
                {'id': group.id, 'old': found[0], 'new': expected,
                 'array': serial})
    groups.rename(found[0], expected)
    return expected


class GroupManager(failover.OnActiveArray):
    """Driver-managed generic volume groups on the active array.

    :param state: the backend's :class:`cinder_powermax.failover.Failover`
        (the array acted on)
    :param settings: the backend settings
    :param backend_name: this backend's ``volume_backend_name``
    :param replication: the backend's
        :class:`cinder_powermax.repgroups.ReplicationGroups`
    """

    def __init__(self, state, settings, backend_name, replication=None):
        super().__init__(state, settings)
        self.backend_name = backend_name
        self.replication = replication

    @property
    def array(self):
        return self.context.info

    @property
    def snapsets(self):
        return self.context.snapsets

    def _find_device(self, volume, must_exist):
        return ownership.volume_device(self.provision, self.context.serial,
                                       volume, must_exist)

    def _volume_update(self, volume, spec, device, operation):
        return metadata.new_volume_update(self.array, volume, spec, device,
                                          operation)

    # -- which groups, which types --------------------------------------------

    def managed(self, group) -> bool:
        """Whether the array manages ``group`` (else Cinder does).

        :raises InvalidSpec: a replication group on a backend that cannot
            serve one
        """
        specs = group_specs(group.group_type_id)
        return self._replication_group(specs) or \
            specs.get(SNAPSHOT_SPEC) == IS_TRUE

    def _require_managed(self, group):
        if not self.managed(group):
            raise NotImplementedError()

    def _replication_group(self, specs) -> bool:
        """Whether the specs ask for a replication group we can serve."""
        for key in REPLICATION_SPECS:
            if specs.get(key) == IS_TRUE:
                if self.replication is None:
                    raise exception.InvalidSpec(
                        key=key, value=specs[key], reason=_(
                            'replication groups need a replication_device '
                            'on this backend'))
                self.replication.check_usable(key, specs[key])
                return True
        return False

    def replicated(self, group) -> bool:
        """Whether ``group`` is a replication group (served here)."""
        return self._replication_group(group_specs(group.group_type_id))

    def _require_replicated(self, group):
        if not self.replicated(group):
            raise NotImplementedError()

    def check_type(self, vtype, replicated=False) -> None:
        """Refuse a volume type this backend's groups cannot hold.

        :param replicated: the group is a replication group, which holds
            replicated types only
        :raises InvalidSpec: a type of another backend, a type whose
            replication differs from the group's or a pool of another
            array
        """
        extra, qos = volspec.vtype_specs(vtype)
        backend = extra.get(BACKEND_NAME)
        if backend and self.backend_name and backend != self.backend_name:
            raise exception.InvalidSpec(
                key=BACKEND_NAME, value=backend, reason=_(
                    'volume type %(type)s belongs to another backend; this '
                    'group lives on backend %(this)s') % {
                    'type': vtype.name, 'this': self.backend_name})
        if utils.is_true(extra.get(REPLICATION_ENABLED)) != replicated:
            raise exception.InvalidSpec(
                key=REPLICATION_ENABLED,
                value=extra.get(REPLICATION_ENABLED), reason=(_(
                    'volume type %s is not replicated and the group is a '
                    'replication group, which holds only types with '
                    "replication_enabled='<is> True'") if replicated else _(
                    'volume type %s is replicated and the group is not; a '
                    'group holds only non-replicated types')) % vtype.name)
        spec = volspec.resolve_specs(extra, qos, self.array, self.settings)
        mode = spec.replication.mode if spec.replication else None
        if replicated and mode != options.REP_SYNC:
            raise exception.InvalidSpec(
                key=volspec.REPLICATION_DEVICE,
                value=spec.replication.backend_id, reason=_(
                    'volume type %(type)s replicates in %(mode)s mode; '
                    'replication groups hold Synchronous volumes only') % {
                    'type': vtype.name, 'mode': mode})

    def _check_types(self, group):
        replicated = self.replicated(group)
        for vtype in _optional(group, 'volume_types') or ():
            self.check_type(vtype, replicated)
        return replicated

    # -- the group's storage group --------------------------------------------

    def locate(self, group):
        """The group's storage group name, or None when it has none."""
        return locate_in(self.groups, self.context.serial, group)

    def _ensure(self, group):
        """The group's storage group, made when missing.

        :returns: (name, whether this call made it)
        """
        name = self.locate(group)
        if name is not None:
            return name, False
        name = naming.group_sg_name(group.name, group.id)
        made = self.groups.ensure(storagegroups.non_fast(name))
        if not made and self.groups.find(name) is None:
            # Refused as existing, yet not there: believe the array's
            # listing, not the refusal.
            raise exception.PowerMaxError(reason=_(
                'storage group %(sg)s of group %(id)s was refused as '
                'existing but cannot be found') % {'sg': name,
                                                   'id': group.id})
        return name, made

    def _require(self, group):
        name = self.locate(group)
        if name is None:
            raise exception.PowerMaxError(reason=_(
                'group %(id)s has no storage group on array %(array)s '
                '(expected %(name)s)') % {
                    'id': group.id, 'array': self.context.serial,
                    'name': naming.group_sg_name(group.name, group.id)})
        return name

    # -- groups ---------------------------------------------------------------

    def create(self, group) -> dict:
        """Create the group's (empty, non-FAST) storage group.

        A replication group has it on both arrays.
        """
        self._require_managed(group)
        replicated = self._check_types(group)
        name, made = self._ensure(group)
        if not replicated:
            LOG.info('Group %(id)s has storage group %(sg)s.',
                     {'id': group.id, 'sg': name})
            return {'status': fields.GroupStatus.AVAILABLE}
        try:
            self.replication.ensure_remote(name)
        except Exception:
            with excutils.save_and_reraise_exception():
                if made:
                    self.provision.best_effort(
                        self.groups.delete_if_empty, name,
                        what='removal of storage group %s' % name)
        LOG.info('Replication group %(id)s has storage group %(sg)s on '
                 'arrays %(arrays)s.', {'id': group.id, 'sg': name,
                                        'arrays': (self.context.serial,
                                                   self.replication.remote
                                                   .serial)})
        return {'status': fields.GroupStatus.AVAILABLE,
                'replication_status': fields.ReplicationStatus.ENABLED}

    def _busy(self, volumes) -> list[str]:
        """Members with snapshots of their own.

        A member that is a SnapVX link target (an interrupted copy into
        it) is not: its delete releases the link.
        """
        busy = []
        for volume in volumes:
            device, info = self._find_device(volume, False)
            if device is None:
                continue
            snaps = [s.name for s in self.provision.snapshots(device)
                     if not (naming.is_temp_snapshot_name(s.name)
                             and not s.targets)]
            if snaps:
                busy.append('%s (device %s, snapshots %s)' % (
                    volume.id, device, ', '.join(sorted(set(snaps)))))
        return busy

    def delete(self, group, volumes, delete_volume):
        """Delete the member volumes and the group's storage group.

        Refused, with nothing changed, while a member has snapshots. A
        group copied from a source group may have left the temporary
        snapshot of that group behind (its copy was interrupted): it
        goes too.

        :param delete_volume: the orchestrator's volume delete
        :returns: (group update, volume updates)
        """
        self._require_managed(group)
        replicated = self.replicated(group)
        if replicated:
            self.replication.check_not_failed_over(group)
        busy = self._busy(volumes)
        if busy:
            LOG.error('Group %(id)s is not deleted: member(s) %(busy)s. '
                      'Delete their snapshots first.',
                      {'id': group.id, 'busy': '; '.join(busy)})
            return ({'status': fields.GroupStatus.ERROR},
                    [{'id': v.id, 'status': 'available'} for v in volumes])
        if replicated:
            self.replication.locate_remote(group)
            self._leave_replication_group(group)
        updates, failed = [], False
        for volume in volumes:
            try:
                delete_volume(volume)
                updates.append({'id': volume.id, 'status': 'deleted'})
            except Exception as exc:
                failed = True
                LOG.error('Volume %(vol)s of group %(id)s was not deleted: '
                          '%(err)s', {'vol': volume.id, 'id': group.id,
                                      'err': exc})
                updates.append({'id': volume.id, 'status': 'error_deleting'})
        name = self.locate(group)
        if name is not None and not self.groups.delete_if_empty(name):
            failed = True
        self._drop_source_snapshot(group)
        if replicated and not self.replication.delete_remote(
                naming.group_sg_name(group.name, group.id)):
            failed = True
        status = (fields.GroupStatus.ERROR_DELETING if failed
                  else fields.GroupStatus.DELETED)
        return {'status': status}, updates

    def _drop_source_snapshot(self, group):
        """Terminate the temporary snapshot of the group's source group.

        Left only by a copy from a source group that was interrupted
        (it would expire on its own within the hour).
        """
        source = _optional(group, 'source_group_id')
        if not source:
            return
        name = naming.temp_group_snapshot_name(group.id)
        for sg in self.groups.named_like(source):
            if naming.is_group_sg_name(sg):
                self._terminate_quietly(sg, name)

    def _leave_replication_group(self, group):
        """Empty the group's storage groups on both arrays.

        The members, in their replicated default groups alone again, are
        then deleted as single volumes are: pair and both devices in one
        edit.
        """
        name = self.locate(group)
        self.replication.empty_remote(
            name or naming.group_sg_name(group.name, group.id))
        if name is not None:
            members = self.groups.volumes(name)
            if members:
                self.groups.remove_volumes(name, members)

    def update(self, group, add_volumes, remove_volumes):
        """Add and remove member volumes; nothing changes on bad input.

        :returns: (None, None, None): Cinder keeps its own statuses
        """
        if self.replication is not None and self.replication.promoting:
            return self._update_promoting(group, add_volumes,
                                          remove_volumes)
        self._require_managed(group)
        replicated = self.replicated(group)
        if replicated:
            self.replication.check_not_failed_over(group)
            if add_volumes:
                self.replication.check_enabled(group)
            self.replication.locate_remote(group)
        adding = []
        allowed = set(_optional(group, 'volume_type_ids') or ())
        for volume in add_volumes or ():
            if allowed and volume.volume_type_id not in allowed:
                raise exception.InvalidSpec(
                    key='volume_type', value=volume.volume_type_id,
                    reason=_('volume %(vol)s has a type that group %(id)s '
                             'does not hold') % {'vol': volume.id,
                                                 'id': group.id})
            self.check_type(volume.volume_type, replicated)
            adding.append(self._find_device(volume, True)[0])
        removing = [self._find_device(v, False)[0]
                    for v in remove_volumes or ()]
        name, _made = self._ensure(group)
        current = set(self.groups.volumes(name))
        adding = list(dict.fromkeys(adding))
        removing = [d for d in removing if d is not None]
        partners = ([], [])
        if replicated:
            # Read first: a device without a partner is refused unchanged.
            # All of them: an interrupted try may have edited one side.
            partners = (self.replication.partners(adding),
                        self.replication.partners(removing))
        removing = [d for d in removing if d in current]
        adding = [d for d in adding if d not in current]
        self._edit(name, (adding, removing), partners)
        LOG.info('Group %(id)s: added %(add)s, removed %(rem)s.',
                 {'id': group.id, 'add': adding, 'rem': removing})
        return None, None, None

    def _update_promoting(self, group, add_volumes, remove_volumes):
        """While the array is promoted, volumes only leave a group.

        The primary array is lost: the group's storage group on the
        promoted array loses the devices; their partners are not read.

        :raises InvalidSpec: for any volume to add, nothing changed
        """
        specs = group_specs(group.group_type_id)
        if not any(specs.get(key) == IS_TRUE for key in
                   REPLICATION_SPECS + (SNAPSHOT_SPEC,)):
            raise NotImplementedError()
        if add_volumes:
            raise exception.InvalidSpec(
                key='add_volumes', value=', '.join(
                    v.id for v in add_volumes), reason=_(
                    'array %(array)s is being promoted after the loss of '
                    'array %(lost)s: volumes only leave group %(id)s until '
                    'the promotion ends') % {
                        'array': self.context.serial,
                        'lost': self.settings.array, 'id': group.id})
        removing = [self._find_device(v, False)[0]
                    for v in remove_volumes or ()]
        name = self.locate(group)
        current = set(self.groups.volumes(name)) if name else set()
        leaving = [d for d in dict.fromkeys(removing) if d in current]
        if leaving:
            self.groups.remove_volumes(name, leaving)
        LOG.info('Group %(id)s on promoted array %(array)s: removed '
                 '%(rem)s.', {'id': group.id, 'array': self.context.serial,
                              'rem': leaving})
        return None, None, None

    def _edit(self, name, devices, partners):
        """Add and remove devices and their R2s; a failure undoes it.

        :param devices: (devices to add, devices to remove)
        :param partners: their R2s, for a replication group
        """
        (adding, removing), (r2_add, r2_remove) = devices, partners
        removed = False
        try:
            if adding:
                self.groups.add_volumes(name, adding)
            if r2_add:
                self.replication.add_remote(name, r2_add)
            if removing:
                removed = True
                self.groups.remove_volumes(name, removing)
            if r2_remove:
                self.replication.remove_remote(name, r2_remove)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo_edit(name, adding, removing if removed else [],
                                r2_add)

    def _undo_edit(self, name, adding, removed, r2_add):
        """Put the group back as it was; read first, so no step fails."""
        def undo():
            current = set(self.groups.volumes(name))
            back = [d for d in removed if d not in current]
            out = [d for d in adding if d in current]
            if back:
                self.groups.add_volumes(name, back)
            if out:
                self.groups.remove_volumes(name, out)
        what = 'undoing the edit of %s' % name
        if r2_add:
            self.provision.best_effort(self.replication.remove_remote, name,
                                       r2_add, what=what)
        self.provision.best_effort(undo, what=what)

    def join(self, volume, device) -> None:
        """Put a new volume's device into its group's storage group."""
        group_id = _optional(volume, 'group_id')
        if not group_id or not self.managed(volume.group):
            return
        replicated = self.replicated(volume.group)
        if replicated:
            self.replication.check_not_failed_over(volume.group)
        self.check_type(volume.volume_type, replicated)
        name, _made = self._ensure(volume.group)
        if name not in self.provision.device_groups(device):
            self.groups.add_volumes(name, [device])
        if replicated:
            self.replication.locate_remote(volume.group)
            self.replication.add_remote(
                name, self.replication.partners([device]))

    def _devices_in(self, sg, volumes):
        """Each volume's device, read at once from the group's listing.

        A volume not found there by its identifiers is looked up alone.

        :returns: (devices, in order; the set of the group's devices)
        """
        members = self.groups.member_identifiers(sg)
        devices = []
        for volume in volumes:
            found = [members[name] for name in ownership.identifiers(volume)
                     if name in members]
            devices.append(found[0] if found else
                           self._find_device(volume, False)[0])
        return devices, set(members.values())

    # -- replication ----------------------------------------------------------

    def _replication_action(self, group, volumes, action, status):
        """Run ``action`` on the group's storage group; Cinder's updates.

        :returns: (group update, volume updates); an empty group has no
            pairs to act on and takes ``status`` at once
        """
        self._require_replicated(group)
        self.replication.check_not_failed_over(group)
        if volumes:
            try:
                action(self._require(group))
            except exception.PowerMaxError as exc:
                LOG.error('Replication group %(id)s did not become '
                          '%(status)s: %(err)s', {'id': group.id,
                                                  'status': status,
                                                  'err': exc})
                status = fields.ReplicationStatus.ERROR
        return ({'replication_status': status},
                [{'id': v.id, 'replication_status': status}
                 for v in volumes])

    def enable_replication(self, group, volumes):
        """Resume the SRDF pairs of the group's volumes."""
        return self._replication_action(group, volumes,
                                        self.replication.enable,
                                        fields.ReplicationStatus.ENABLED)

    def disable_replication(self, group, volumes):
        """Suspend the SRDF pairs of the group's volumes (kept paired)."""
        return self._replication_action(group, volumes,
                                        self.replication.disable,
                                        fields.ReplicationStatus.DISABLED)

    def failover_replication(self, group, volumes, secondary_backend_id):
        """Fail the group's pairs over to the target array, or back.

        :returns: (group update, volume updates with their locations)
        """
        self._require_replicated(group)
        return self.replication.run_failover(
            group, naming.group_sg_name(group.name, group.id), volumes,
            secondary_backend_id)

    # -- group snapshots ------------------------------------------------------

    def create_snapshot(self, group_snapshot, snapshots):
        """One consistent SnapVX snapshot of the group's storage group.

        :returns: (group snapshot update, member snapshot updates)
        """
        group = group_snapshot.group
        self._require_managed(group)
        if not snapshots:
            # The array cannot snapshot an empty storage group.
            return {'status': fields.GroupSnapshotStatus.AVAILABLE}, []
        sg = self._require(group)
        name = naming.group_snapshot_name(group_snapshot.id)
        devices, members = self._devices_in(sg, [s.volume for s in snapshots])
        outside = [s.volume_id for s, d in zip(snapshots, devices)
                   if d is None or d not in members]
        if outside:
            raise exception.PowerMaxError(reason=_(
                'volume(s) %(vols)s of group %(id)s are not in its storage '
                'group %(sg)s; update the group to add them again') % {
                    'vols': ', '.join(outside), 'id': group.id, 'sg': sg})
        if not self.snapsets.keys(sg, name):
            try:
                self.snapsets.create(sg, name)
            except Exception:
                with excutils.save_and_reraise_exception():
                    self._terminate_quietly(sg, name)
        LOG.info('Group snapshot %(id)s is SnapVX snapshot %(name)s of '
                 '%(sg)s.', {'id': group_snapshot.id, 'name': name,
                             'sg': sg})
        updates = [{'id': snap.id, 'status': fields.SnapshotStatus.AVAILABLE,
                    'provider_location': utils.build_provider_location(
                        {'source_id': device, 'snap_name': name})}
                   for snap, device in zip(snapshots, devices)]
        return {'status': fields.GroupSnapshotStatus.AVAILABLE}, updates

    def _terminate(self, sg, name):
        """Terminate every set of ``name`` on ``sg``; confirm it gone.

        A set still linked (an interrupted copy from it left its links)
        has its links removed first: nothing copies from it any more.
        """
        for key in self.snapsets.keys(sg, name):
            try:
                self.snapsets.terminate(sg, name, key)
            except exception.NotFound:
                pass
            except (exception.BadRequest, exception.Conflict) as exc:
                LOG.info('Snapshot %(name)s of %(sg)s is refused its end '
                         '(%(err)s); its links go first.',
                         {'name': name, 'sg': sg, 'err': exc})
                for device in self.groups.volumes(sg):
                    self.provision.unlink_targets(device, name)
                self.snapsets.terminate(sg, name, key)
        left = self.snapsets.keys(sg, name)
        if left:
            raise exception.PowerMaxError(reason=_(
                'snapshot %(name)s of %(sg)s is still there (%(left)s) '
                'after terminating it') % {'name': name, 'sg': sg,
                                           'left': left})

    def _terminate_quietly(self, sg, name):
        self.provision.best_effort(self._terminate, sg, name,
                                   what='removal of snapshot %s of %s' % (
                                       name, sg))

    def delete_snapshot(self, group_snapshot, snapshots):
        """Terminate the group snapshot on every member that has it.

        Members that left the group since are cleaned one by one.

        :returns: (group snapshot update, member snapshot updates)
        """
        group = group_snapshot.group
        self._require_managed(group)
        name = naming.group_snapshot_name(group_snapshot.id)
        sg = self.locate(group)
        volumes = [s.volume for s in snapshots]
        if sg is not None:
            self._terminate(sg, name)
            devices, members = self._devices_in(sg, volumes)
        else:
            LOG.warning('Group %(id)s has no storage group; removing '
                        'snapshot %(name)s device by device.',
                        {'id': group.id, 'name': name})
            devices = [self._find_device(v, False)[0] for v in volumes]
            members = set()
        for device in devices:
            if device is not None and device not in members:
                self.provision.delete_snapshot(device, name)
        return ({'status': fields.GroupSnapshotStatus.DELETED},
                [{'id': s.id, 'status': fields.SnapshotStatus.DELETED}
                 for s in snapshots])

    # -- groups from a source -------------------------------------------------

    def _source(self, group, volumes, group_snapshot, snapshots,
                source_group, source_vols):
        """(source storage group, snapshot name, temporary?, sources)."""
        if group_snapshot is not None:
            sg = self._require(group_snapshot.group)
            name = naming.group_snapshot_name(group_snapshot.id)
            if not self.snapsets.keys(sg, name):
                raise exception.SnapshotNotFound(name=name, device=sg,
                                                 array=self.context.serial)
            return sg, name, False, self._sources(
                sg, [s.volume for s in snapshots])
        sg = self._require(source_group)
        name = naming.temp_group_snapshot_name(group.id)
        return sg, name, True, self._sources(sg, source_vols)

    def _sources(self, sg, volumes):
        devices, members = self._devices_in(sg, volumes)
        missing = [v.id for v, d in zip(volumes, devices)
                   if d is None or d not in members]
        if missing:
            raise exception.PowerMaxError(reason=_(
                'source volume(s) %(vols)s are not in storage group '
                '%(sg)s') % {'vols': ', '.join(missing), 'sg': sg})
        return devices

    def create_from_source(self, group, volumes, group_snapshot=None,
                           snapshots=None, source_group=None,
                           source_vols=None):
        """A new group whose volumes are full copies of the source's.

        From a group snapshot, or from a source group through a temporary
        group snapshot removed afterwards. Volumes pair with ``snapshots``
        or ``source_vols`` by position, as Cinder sorts them. Each new
        volume is independent of its source when this returns; a failure
        removes what this call made.

        :returns: (group update, volume updates)
        """
        self._require_managed(group)
        if self._check_types(group):
            # Cinder's generic copy creates each volume into the group,
            # which pairs it and puts its R2 in the remote group.
            raise NotImplementedError()
        if not volumes:
            self._ensure(group)
            return {'status': fields.GroupStatus.AVAILABLE}, []
        sg, name, temporary, sources = self._source(
            group, volumes, group_snapshot, snapshots, source_group,
            source_vols)
        if len(sources) != len(volumes):
            raise exception.PowerMaxError(reason=_(
                'group %(id)s has %(n)d volumes for %(m)d sources') % {
                    'id': group.id, 'n': len(volumes), 'm': len(sources)})
        _check_sizes(volumes, [s.volume_size for s in snapshots]
                     if group_snapshot is not None
                     else [v.size for v in source_vols])
        target, made = self._ensure(group)
        created = []
        try:
            specs = self._new_devices(volumes, target, created)
            if temporary:
                # Fresh, also after a try that died: the devices made
                # again above released the links of an older one.
                self._terminate(sg, name)
                self.snapsets.create(sg, name,
                                     provision.TEMP_SNAPSHOT_TTL_HOURS)
            devices = [device for device, _default in created]
            self._copy(list(zip(sources, devices)), name)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo(created, target, made)
        finally:
            if temporary:
                self._terminate_quietly(sg, name)
        for spec, (_device, default) in zip(specs, created):
            self.groups.apply_qos(spec.group, default)
        return {'status': fields.GroupStatus.AVAILABLE}, [
            dict(self._volume_update(volume, spec, device, 'createFromGroup'),
                 id=volume.id, status='available')
            for volume, spec, device in zip(volumes, specs, devices)]

    def _new_devices(self, volumes, target, created):
        """Create the new volumes' devices, in their group too.

        :param created: receives (device, default group) as they are made
        :returns: the volumes' specs
        """
        specs = []
        for volume in volumes:
            spec = volspec.resolve(volume, self.array, self.settings)
            size = utils.validate_size(volume.size)
            new = self.provision.create_device(
                spec.group, size, naming.volume_identifier(volume.id))
            created.append((new.device, new.group))
            specs.append(spec)
        current = set(self.groups.volumes(target))
        joining = [d for d, _default in created if d not in current]
        if joining:
            self.groups.add_volumes(target, joining)
        return specs

    def _copy(self, pairs, name):
        """Link every (source, target) pair at once; unlink once copied."""
        snap = self.provision.newest_instance(pairs[0][0], name)
        self.snapsets.link_pairs(name, pairs, snap.snap_id)
        try:
            for source, device in pairs:
                self.provision.wait_for_copy(source, name, device)
        finally:
            self.snapsets.unlink_pairs(
                name, pairs, snap.snap_id,
                symforce=self.provision.unlink_symforce)

    def _undo(self, created, target, made):
        for device, default in created:
            self.provision.best_effort(
                self.provision.delete_device, device, None,
                lambda name, default=default: name == default,
                what='removal of device %s' % device)
        if made:
            self.provision.best_effort(
                self.groups.delete_if_empty, target,
                what='removal of storage group %s' % target)
