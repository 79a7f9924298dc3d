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

"""Retype and migration of volumes within one array.

A device stays where it is and only changes storage groups when the new
type or the destination backend uses the same array and SRP: service
level, workload, compression and host I/O limits all belong to the group.
Anything else is left to Cinder's generic migration, which copies the
data into a new device; :meth:`Retyper.finish_generic_migration` then
hands that device to the original volume record.
"""

from __future__ import annotations

import collections
import contextlib
from typing import Optional

from cinder import coordination
from cinder import objects
from cinder.objects import fields
from cinder.volume import qos_specs as cinder_qos
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax import failover
from cinder_powermax.i18n import _
from cinder_powermax import masking as masking_mod
from cinder_powermax import metadata
from cinder_powermax import naming
from cinder_powermax import ownership
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

REPLICATION_ENABLED = 'replication_enabled'


def same_pool_location(host: dict, array) -> bool:
    """Whether a destination host's pools are on this array and SRP.

    :param host: Cinder's destination host dict, with ``capabilities``
        holding the pool's ``location_info`` (``array#srp#SL[#WL]``)
    """
    info = str((host.get('capabilities') or {}).get('location_info') or '')
    parts = info.split('#')
    return len(parts) >= 2 and parts[0] == array.serial and \
        parts[1] == array.srp


def type_specs(ctxt, new_type) -> tuple[dict, dict]:
    """The extra specs and back-end QoS specs of a retype's new type.

    Cinder hands a dict read from its database; tests and some callers a
    ``VolumeType`` object.
    """
    if isinstance(new_type, objects.VolumeType):
        return volspec.vtype_specs(new_type)
    extra = dict(new_type.get('extra_specs') or {})
    qos = {}
    if new_type.get('qos_specs_id'):
        specs = cinder_qos.get_qos_specs(ctxt, new_type['qos_specs_id'])
        if specs.get('consumer') in volspec.BACKEND_QOS_CONSUMERS:
            qos = dict(specs.get('specs') or {})
    return extra, qos


def _available(volume) -> bool:
    """Whether the volume is available, also while Cinder moves it.

    A retype that needs a migration hands the volume over ``retyping``
    (an older migration, ``maintenance``), the status it had before in
    ``previous_status``.
    """
    status = volume.status
    if status in ('retyping', 'maintenance'):
        status = volume.previous_status
    return status == 'available'


def _replicated(extra: dict) -> bool:
    return utils.is_true(extra.get(REPLICATION_ENABLED))


_Location = collections.namedtuple('_Location', 'serial srp')


def _promotion_refusal(old, new, diff) -> Optional[str]:
    """Why a retype is not the one allowed while promoting; else None."""
    if old.replication is None:
        return _('the volume is not replicated and its new type is; '
                 'replicated volumes are created again once the promotion '
                 'ends and replication is configured anew')
    if new.replication is not None:
        return _('its new type is replicated too')
    for what, before, after in (
            ('service level', old.service_level, new.service_level),
            ('workload', old.workload, new.workload),
            ('compression disabled', old.compression_disabled,
             new.compression_disabled)):
        if before != after:
            return _('the %(what)s changes from %(old)s to %(new)s') % {
                'what': what, 'old': before, 'new': after}
    if (diff or {}).get('encryption'):
        return _('the encryption changes')
    return None


class Retyper(failover.OnActiveArray):
    """Storage-assisted retype and migration on the active array.

    :param state: the backend's :class:`cinder_powermax.failover.Failover`:
        the array acted on, its replicators, and whether it is failed
        over or promoting its replication target
    :param settings: the backend settings
    """

    @property
    def serial(self) -> str:
        """The active array's serial, which the device lock's name uses."""
        return self.context.serial

    @property
    def promoting(self) -> bool:
        """Whether the backend promotes its replication target.

        After the loss of its primary array (see
        :meth:`_retype_promoting`).
        """
        return self.state.promoting

    def retype(self, ctxt, volume, new_type, diff, host) -> bool:
        """Change the volume's type in place when the array can.

        :returns: True when the device now matches the new type; False
            when Cinder must migrate it (nothing has been changed)
        """
        if not isinstance(host, dict):
            raise exception.InvalidSpec(key='host', value=host, reason=_(
                'a retype needs the destination host as Cinder passes it: '
                'a dict with the host and its capabilities'))
        info = self.context.info
        extra, qos = type_specs(ctxt, new_type)
        old_extra = volspec.type_specs(volume)[0]
        if self.promoting and (_replicated(extra) or
                               _replicated(old_extra)):
            return self._retype_promoting(volume, new_type.get('name'),
                                          extra, qos, diff, host)
        reason = self._not_in_place(extra, old_extra, diff, host)
        if reason:
            LOG.info('Volume %(id)s is not retyped in place: %(why)s.',
                     {'id': volume.id, 'why': reason})
            return False
        old = volspec.resolve(volume, info, self.settings)
        new = volspec.resolve_specs(extra, qos, info, self.settings)
        device = self._device(volume)
        if old.replication or new.replication:
            done = self._retype_replicated(volume, device, old, new,
                                           (extra, qos))
        else:
            done = self.move(device, old, new, volume.id)
        if done:
            # The seed's table, as the in-tree driver logs it after a
            # storage-assisted retype.
            metadata.log_operation('retype', volume, new, device, info)
        return done

    def _retype_replicated(self, volume, device, old, new, specs):
        """Add or remove the volume's pair, detached, in place.

        :returns: False when Cinder must migrate; else (True, the
            replication fields of the volume)
        """
        groups = self.provision.device_groups(device)
        # In a default group of the old type, or of the new one already (a
        # re-driven retype): the type's own or a numbered one after it. In
        # no group at all, it is detached and an interrupted pairing took
        # it out of the old group (the array has no move into a protected
        # group): it is paired again.
        source = self.groups.default_in(old.group, groups)
        if not (source or self.groups.default_in(new.group, groups) or
                not groups) or (old.replication and new.replication):
            if new.replication and new.replication.metro and not (
                    old.replication and old.replication.metro):
                raise exception.InvalidSpec(
                    key='volume_type', value=new.replication.backend_id,
                    reason=_('volume %s is attached (or replicated already) '
                             'and its new type is protected by SRDF/Metro, '
                             'which it joins only detached and '
                             'unreplicated; detach it first') % volume.id)
            LOG.info('Volume %(id)s is not retyped in place: it is '
                     'attached, or moves between replicated groups.',
                     {'id': volume.id})
            return False
        if old.replication:
            # Moved first: a pair that will not go is moved back, whereas
            # a deleted R2 could not be brought back.
            self.move(device, old, new, volume.id)
            try:
                self.state.replicator_of(old.replication).remove_pair(
                    self.serial, device, ownership.identifiers(volume)[0],
                    volume)
            except Exception:
                with excutils.save_and_reraise_exception():
                    self.provision.best_effort(
                        self.move, device, new, old, volume.id,
                        what='return of %s to %s' % (device, old.group.name))
            return True, {'replication_status': 'disabled',
                          'replication_driver_data': None,
                          'metadata': metadata.without_replication(
                              volume.metadata)}
        with self._joining(new.group):
            pass
        replicator = self.state.replicator_of(new.replication)
        r2 = replicator.add_pair(
            device, source or old.group.name, new,
            replicator.remote_specs(*specs),
            ownership.identifiers(volume)[0])
        self._tidy(old.group, new.group, source)
        return True, replicator.model_update(r2, volume.metadata)

    @contextlib.contextmanager
    def _joining(self, group):
        """The group a device joins, made and given its host I/O limits.

        A group this made is removed again when the block fails.
        """
        created = self.groups.ensure(group)
        try:
            self.groups.replace_qos(group)
            yield
        except Exception:
            with excutils.save_and_reraise_exception():
                if created:
                    self.provision.best_effort(
                        self.groups.delete_default_if_empty, group.name,
                        what='removal of ' + group.name)

    def _not_in_place(self, extra, old_extra, diff, host) -> Optional[str]:
        if (_replicated(extra) or _replicated(old_extra)) and \
                not self.state.can_pair:
            return 'the backend is failed over or has no replication'
        if (diff or {}).get('encryption'):
            return 'the encryption changes'
        if not self._same_pool_location(host):
            return 'the new pool is on another array or SRP'
        return None

    def _same_pool_location(self, host) -> bool:
        """Whether the destination pool is on this array and SRP.

        While promoting, the lost primary's pools, which the stats repeat
        for the volumes still placed in them, count as this array's.
        """
        return same_pool_location(host, self.context.info) or (
            self.promoting and same_pool_location(host, _Location(
                self.settings.array, self.settings.srp)))

    def _retype_promoting(self, volume, type_name, extra, qos, diff, host):
        """Take a replicated volume off replication on the promoted array.

        The primary array is lost for good: the pair is deleted from the
        target's side alone and the device moves from its replicated
        default group to the plain one of the new type. Only this retype
        is done while promoting; it keeps the volume's service level,
        workload and compression, so the device keeps its data and its
        performance. Anything else involving replication is refused,
        with nothing changed.

        :returns: (True, the volume's model update), its ``host`` in the
            promoted array's pool of the new type
        :raises InvalidSpec: for any other retype involving replication
        """
        info = self.context.info
        old = volspec.resolve(volume, info, self.settings)
        new = volspec.resolve_specs(extra, qos, info, self.settings)
        reason = _promotion_refusal(old, new, diff)
        if reason is None and not self._same_pool_location(host):
            reason = _('its new pool %(pool)s is not on promoted array '
                       '%(array)s') % {'pool': host.get('host'),
                                       'array': info.serial}
        if reason:
            raise exception.InvalidSpec(
                key='volume_type', value=type_name, reason=_(
                    'array %(array)s is being promoted after the loss of '
                    'array %(lost)s: a replicated volume only retypes to '
                    'a type without replication of the same service '
                    'level, workload and compression; volume %(id)s '
                    'cannot: %(why)s') % {
                        'array': info.serial, 'lost': self.settings.array,
                        'id': volume.id, 'why': reason})
        device = self._device(volume)
        self.state.replicator_of(old.replication).promote(self.serial, device)
        self.move(device, old, new, volume.id)
        LOG.info('Volume %(id)s (device %(dev)s) is no longer replicated: '
                 'array %(array)s serves it alone.',
                 {'id': volume.id, 'dev': device, 'array': info.serial})
        update = {'replication_status': fields.ReplicationStatus.DISABLED,
                  'replication_driver_data': None,
                  'metadata': metadata.without_replication(volume.metadata)}
        # Cinder keeps the host returned: the pool may be the lost
        # primary's, repeated in the stats.
        backend, _sep, pool = str(host.get('host') or '').partition('#')
        pool = naming.pool_on_array(pool, info.srp, info.serial)
        if pool:
            update['host'] = '%s#%s' % (backend, pool)
        return True, update

    def _device(self, volume):
        device, _info = ownership.find_device(self.provision, volume)
        if device is None:
            raise ownership.no_device(self.context.info.serial, volume)
        return device

    def migrate(self, volume, host) -> bool:
        """Move the volume to a pool of another backend on this array.

        Only an available volume moves: the destination backend takes it
        over with the same device, in the group of its pool.

        :returns: True when moved; False when Cinder must copy it
        """
        info = self.context.info
        if not _available(volume) or not same_pool_location(host, info):
            return False
        pool = str(host.get('host', '')).partition('#')[2]
        extra, qos = volspec.type_specs(volume)
        if _replicated(extra) or not pool:
            return False
        old = volspec.resolve(volume, info, self.settings)
        extra[volspec.POOL_NAME] = pool
        new = volspec.resolve_specs(extra, qos, info, self.settings)
        return self.move(self._device(volume), old, new, volume.id)

    @coordination.synchronized(masking_mod.DEVICE_LOCK)
    def move(self, device, old, new, volume_id) -> bool:
        """Put ``device`` in the groups of spec ``new``, masked or not.

        :returns: False when the device is where no in-place move applies
        """
        groups = self.provision.device_groups(device)
        for current in (new.group, old.group):
            # In the new type's group already: a re-driven retype. The
            # group is the type's own or a numbered one after it.
            found = self.groups.default_in(current, groups)
            if found:
                self._move_default(device, found, new.group)
                self._tidy(old.group, new.group, found)
                return True
        child = self.masking.fast_child(groups)
        if child is None or not new.service_level or \
                old.port_group != new.port_group:
            LOG.info('Device %(dev)s of volume %(id)s is in %(sgs)s; it '
                     'cannot move to %(sg)s in place.',
                     {'dev': device, 'id': volume_id, 'sgs': groups,
                      'sg': new.group.name})
            return False
        moved_to = self.masking.move_child(device, child, new, old)
        self._tidy(old.group, new.group)
        LOG.info('Volume %(id)s (device %(dev)s) moved to %(sg)s.',
                 {'id': volume_id, 'dev': device, 'sg': moved_to})
        return True

    def _tidy(self, old, new, left=None):
        """Remove the old type's default group when nothing uses it.

        Also after an attached device's move (its attach left the group)
        and when an interrupted retype is driven again.

        :param left: the default group the device left, when a numbered
            one of the old type's kind
        """
        emptied = {old.name, left or old.name}
        for name in sorted(emptied):
            if not naming.rollover_number(name, new.name):
                self.provision.best_effort(
                    self.groups.delete_default_if_empty, name,
                    what='removal of ' + name)

    def _move_default(self, device, old, new):
        """Move a device between default groups, the new one made first.

        :param old: the name of the default group the device is in
        :param new: the new type's default group; a full one is passed
            over for a numbered one after it
        """
        if naming.rollover_number(old, new.name):
            self.groups.replace_qos(new, old)
            return
        with self._joining(new):
            moved_to = self.groups.into_default(new, [device], old)[0]
            if moved_to != new.name:
                self.groups.replace_qos(new, moved_to)
        LOG.info('Device %(dev)s moved from %(old)s to %(new)s.',
                 {'dev': device, 'old': old, 'new': moved_to})

    def finish_generic_migration(self, volume, new_volume) -> dict:
        """Hand the migrated device to the original volume record.

        The device Cinder's copy made keeps its name ``OS-<new volume
        id>``: the original record takes it through ``_name_id``, as
        Cinder does for any driver and as the in-tree driver leaves it.
        No device is renamed: swapping the two devices' names takes two
        renames, and a process that died between them left both named
        for the volume, so that neither record found the copy and it
        stayed on the array for good. The old device is then deleted
        through the other record, whose ``_name_id`` Cinder sets to the
        volume's id.

        :returns: the model update for the original volume record
        """
        device = self._device(new_volume)
        return {'_name_id': ownership.name_id(new_volume),
                'provider_location': utils.build_provider_location(
                    {'array': self.context.serial, 'device_id': device})}
