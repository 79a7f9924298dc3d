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

"""SRDF replication of volumes: Synchronous, Asynchronous and Metro.

One :class:`Replicator` per ``replication_device`` pairs volumes over the
RDF group it names, between the configured (primary) array and the target
array, both reached through the same Unisphere. Pairs are added and
removed under one lock per RDF group, so the first volume of a replicated
default group protects it once, later volumes join it with their R2 in
one storage-group edit, and concurrent creates and deletes do not race
over the group's membership.

Asynchronous and Metro pairs of an RDF group are acted on together: each
such RDF group has a management storage group
``OS-<label>-<Asynchronous|Metro>-rdf-sg`` on both arrays holding exactly
its devices, through which whole-group actions go (failover of an
Asynchronous group, suspend and establish of a Metro group, extend).
Pairs join an active group with consistency exemption (the array does it
for the storage-group edit), so the others keep replicating; an
Asynchronous pair leaves after a consistency-exempt suspend of its own,
a Metro pair only after the whole group is suspended (and with
``allow_delete_metro``), which is established again afterwards.

Who is "local" follows the side a volume's location names: before a
failover the R1 on the primary, after it the R2 on the target.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Optional

from cinder import coordination
from cinder.objects import fields
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import arrayinfo
from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import metadata as metadata_mod
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import storagegroups
from cinder_powermax.unisphere import srdf as srdf_api
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

RDFG_LOCK = naming.lock_template('rdfg', 'self.label')
FAILED_OVER = 'failed over'
#: Pair states from which a failover is still possible or not needed.
SYNCED = frozenset(('synchronized', 'syncinprog', 'consistent'))
#: States of SRDF/Metro pairs serving both sides.
METRO_ACTIVE = frozenset(('active', 'activeactive', 'activebias'))
#: Each mode's name in the stats' ``replication_type``.
STATS_TYPES = {'Synchronous': 'sync', 'Asynchronous': 'async',
               'Metro': 'metro'}


def rdf_number(device_info: dict) -> Optional[int]:
    """The RDF group a device is paired in, from its volume detail.

    Unisphere 10 gives ``[{rdf_group_number, label}]``, 9.2 the number.
    """
    found = device_info.get('rdfGroupId')
    if isinstance(found, list):
        found = found[0].get('rdf_group_number') if found else None
    return int(found) if found not in (None, '') else None


def stats(replicators: list) -> dict:
    """The replication keys of the backend and of each pool."""
    return {'replication_enabled': True,
            # The target array, as the in-tree driver reports it;
            # failover-host takes it or a backend id.
            'replication_targets': [replicators[0].target],
            'replication_count': len(replicators),
            'replication_type': [STATS_TYPES[r.mode] for r in replicators]}


class Replicator:
    """SRDF pairs of one backend over its replication device.

    :param arrays: the backend's :class:`cinder_powermax.arrays.Arrays`
    :param device: the :class:`cinder_powermax.options.ReplicationDevice`
    :param protocol: ``'FC'`` or ``'iSCSI'``, for the remote port group
    """

    def __init__(self, arrays, device, protocol):
        self.arrays = arrays
        self.device = device
        self.protocol = protocol
        self.primary = arrays.settings.array
        self.target = device.target
        self.label = device.rdf_group_label
        self.mode = device.mode
        #: Asynchronous and Metro pairs are acted on as a whole group,
        #: through this management group; None for Synchronous
        self.management = (naming.rdf_management_sg_name(self.label, self.mode)
                           if device.managed_together else None)
        # The lock is the RDF group's, named from the primary's serial
        # on both sides.
        self.serial = self.primary
        self.numbers: dict[str, int] = {}
        arrays.add_remote(self.target, device.remote_pool,
                          device.remote_port_group)

    def other(self, serial: str) -> str:
        return self.target if serial == self.primary else self.primary

    def api(self, serial: str) -> srdf_api.Srdf:
        return self.arrays.get(serial).srdf

    # -- setup ----------------------------------------------------------------

    def check(self, active: str) -> None:
        """Refuse a replication device the arrays do not back.

        Checked from the ``active`` array: while failed over the primary
        may be gone.

        :raises ConfigError: naming the key at fault and what exists
        """
        context = self.arrays.get(active)
        visible = context.system.list_arrays()
        if self.target not in visible:
            raise self._error('target_device_id', self.target, _(
                'Unisphere does not see that array; it sees %s') %
                ', '.join(visible))
        self._check_group(active, self._find_group(active))
        remote = self.arrays.get(self.target)
        srps = remote.sloprov.list_srps()
        if self.device.remote_pool not in srps:
            raise self._error('remote_pool', self.device.remote_pool, _(
                'array %(array)s has the SRPs %(srps)s') % {
                    'array': self.target, 'srps': ', '.join(srps)})
        try:
            arrayinfo.check_port_group(remote.sloprov, remote.info,
                                       self.device.remote_port_group,
                                       self.protocol)
        except exception.ConfigError as exc:
            raise self._error('remote_port_group',
                              self.device.remote_port_group, str(exc))

    def _find_group(self, active):
        found = {g.get('label'): g.get('rdfgNumber')
                 for g in self.api(active).list_rdf_groups()}
        if self.label not in found:
            raise self._error('rdf_group_label', self.label, _(
                'array %(array)s has no RDF group of that label; it has '
                '%(labels)s') % {'array': active,
                                 'labels': ', '.join(sorted(
                                     str(k) for k in found)) or 'none'})
        return self.api(active).get_rdf_group(found[self.label])

    def number(self, serial: str) -> int:
        """The RDF group's number on array ``serial``.

        Learned by :meth:`check`, or read here from ``serial``'s side.
        """
        if serial not in self.numbers:
            group = self._find_group(serial)
            self.numbers = {serial: int(group['rdfgNumber']),
                            self.other(serial): int(
                                group['remoteRdfgNumber'])}
        return self.numbers[serial]

    def _check_group(self, active, group):
        other = self.other(active)
        if group.get('remoteSymmetrix') != other:
            raise self._error('rdf_group_label', self.label, _(
                'RDF group %(n)s of array %(array)s connects to array '
                '%(remote)s, not %(other)s') % {
                    'n': group.get('rdfgNumber'), 'array': active,
                    'remote': group.get('remoteSymmetrix'), 'other': other})
        offline = group.get('offline') or not group.get('localOnlinePorts')
        if offline and active == self.primary:
            raise self._error('rdf_group_label', self.label, _(
                'RDF group %(n)s is offline (no SRDF link is up); bring its '
                'links up first') % {'n': group.get('rdfgNumber')})
        if offline:
            LOG.warning('RDF group %(label)s is offline; the backend runs '
                        'failed over on array %(array)s.',
                        {'label': self.label, 'array': active})
        self.numbers = {active: int(group['rdfgNumber']),
                        other: int(group['remoteRdfgNumber'])}

    def _error(self, key, value, reason):
        return exception.ConfigError(reason=_(
            'replication_device key %(key)s is %(value)s: %(reason)s') % {
                'key': key, 'value': exception.quoted(value),
                'reason': reason})

    # -- stats ----------------------------------------------------------------

    def model_update(self, r2: str, metadata=None) -> dict:
        """A replicated volume's replication fields, as Cinder keeps them.

        ``replication_driver_data`` names the R2 as the in-tree driver
        writes it: ``str({'device_id': ..., 'array': ...})``.

        :param metadata: the volume's metadata, returned with the R2 and
            RDF group added
        """
        return {'replication_status': fields.ReplicationStatus.ENABLED,
                'replication_driver_data': utils.build_provider_location(
                    {'device_id': r2, 'array': self.target}),
                'metadata': metadata_mod.with_replication(
                    metadata, r2, self.target, self.device.mode,
                    self.label)}

    # -- pairs ----------------------------------------------------------------

    def remote_spec(self, volume) -> volspec.VolumeSpec:
        """The volume's spec on the target array (its R2's group)."""
        return self.remote_specs(*volspec.type_specs(volume))

    def remote_specs(self, extra: dict, qos: dict) -> volspec.VolumeSpec:
        """A type's spec on the target array."""
        return volspec.resolve_specs(extra, qos,
                                     self.arrays.get(self.target).info,
                                     self.arrays.settings)

    def partner_group(self, serial: str, group: str, volume) -> str:
        """The target's group paired with the primary's group ``group``.

        The one of the same number (:func:`naming.rollover_sg_name`) among
        the default groups of the volume's type on the target; the type's
        own for a group that is not numbered.

        :raises InvalidSpec: when the volume's type does not resolve
        """
        base = volspec.resolve(volume, self.arrays.get(serial).info,
                               self.arrays.settings).group.name
        return naming.rollover_sg_name(
            self.remote_spec(volume).group.name,
            naming.rollover_number(group, base) or 1)

    def with_home(self, spec, serial: str, device: str, volume):
        """``spec`` naming the default group ``device`` goes back to.

        A replicated device leaving a host's child group returns to the
        numbered group paired with its partner's: the one of the number
        of the group its partner is in on the other array. Unknown (the
        partner's array unreachable, no pair): the group being filled.
        """
        try:
            other, partner = self.partner(serial, device)
            groups = self.arrays.get(other).provision.device_groups(
                partner) if partner else ()
            base = volspec.resolve(volume, self.arrays.get(other).info,
                                   self.arrays.settings).group.name
        except (exception.PowerMaxError, exception.InvalidSpec) as exc:
            LOG.debug('The partner of %(dev)s cannot be read (%(err)s); '
                      'it goes back to the group being filled.',
                      {'dev': device, 'err': exc})
            return spec
        numbers = [naming.rollover_number(g, base) for g in groups]
        home = next((n for n in numbers if n), None)
        return dataclasses.replace(spec, home=home)

    def partner(self, serial: str, device: str,
                number: Optional[int] = None) -> tuple:
        """(array, device) of the partner of ``device`` on ``serial``."""
        number = number if number is not None else self.number(serial)
        pair = self.api(serial).get_pair(number, device)
        return pair.get('remoteSymmetrixId'), pair.get('remoteVolumeName')

    def create(self, spec, remote, size_gb: int,
               identifier: str) -> tuple:
        """Create a paired device: R1 in ``spec``'s group, R2 remotely.

        The R1 goes to the replicated default group being filled now:
        the type's own or, once that holds the 4,096 devices a group can,
        a numbered one after it (:meth:`_into_numbered`).

        :param spec: the volume's spec on the primary (replicated)
        :param remote: its spec on the target
        :returns: (R1 device, R2 device)
        """
        tried = []
        try:
            return self._create(spec.group, remote.group, size_gb,
                                identifier, tried)
        except Exception:
            with excutils.save_and_reraise_exception():
                self.best_effort(self._undo_create, identifier,
                                 tried or [(spec.group, remote.group)],
                                 what='removal of the remains of %s' %
                                 identifier)

    @coordination.synchronized(RDFG_LOCK)
    def _undo_create(self, identifier, tried):
        """Remove what a failed create made, on both arrays."""
        self._remove_unlocked(identifier)
        self._drop_emptied(tried)

    def _drop_emptied(self, tried):
        """Delete the groups of ``tried`` that a failure left empty.

        :param tried: (primary group, target group) specs, as
            :meth:`_into_numbered` went through them
        """
        for group, remote_group in reversed(tried):
            for serial, name in ((self.primary, group.name),
                                 (self.target, remote_group.name)):
                self.arrays.get(serial).groups.delete_default_if_empty(name)
        if self.management is not None:
            # A management group the create made may have stayed empty.
            for serial in (self.primary, self.target):
                self.arrays.get(serial).groups.delete_if_empty(
                    self.management)

    @coordination.synchronized(RDFG_LOCK)
    def _create(self, group, remote_group, size_gb, identifier, tried):
        local = self.arrays.get(self.primary)
        reused = self._reusable(local, group, size_gb, identifier)
        if reused:
            return reused
        device = self._into_numbered(
            local, group, remote_group, tried,
            lambda here, there, protected: self._create_in(
                local, here, there, protected, size_gb, identifier))
        pair = self.api(self.primary).get_pair(self.number(self.primary),
                                               device)
        r2 = pair.get('remoteVolumeName')
        self.arrays.get(self.target).provision.rename_device(r2, identifier)
        self._file_managed(device, r2, pair)
        LOG.info('Created device %(dev)s on %(array)s paired with %(r2)s '
                 'on %(target)s in RDF group %(label)s.',
                 {'dev': device, 'array': self.primary, 'r2': r2,
                  'target': self.target, 'label': self.label})
        return device, r2

    def _into_numbered(self, local, group, remote_group, tried, put,
                       start=None):
        """Run ``put`` on the replicated default group being filled now.

        A full group (the array refuses a 4,097th device) is passed over
        for the next numbered one. Each numbered group of the primary is
        protected towards the group of the same number on the target
        (``OS-SRP_1-Diamond-NONE-RE-2-SG`` on both arrays): its first
        volume protects the pair of groups, later ones join with their
        R2 in one edit.

        :param put: called as ``put(group, remote group, protected)``
            with the numbered specs; it refuses a full group
        :param tried: receives each (group, remote group) tried, for a
            clean-up on failure
        :param start: the number to try first (default: the group this
            process fills now)
        """
        def attempt(here, number):
            there = storagegroups.numbered(remote_group, number)
            tried.append((here, there))
            return put(here, there, self._protected(local, here.name))
        return local.groups.fill_numbered(group, attempt, start)

    def _create_in(self, local, here, there, protected, size_gb,
                   identifier):
        """Create the R1 in ``here`` and its R2 in ``there``."""
        if protected:
            device = local.groups.create_replicated_volume(
                here, size_gb, identifier, self.target, there.name)
            return device or local.provision.find_devices(identifier)[0]
        local.groups.ensure(here)
        device = local.groups.create_volume_here(here, size_gb, identifier)
        device = device or local.provision.find_devices(identifier)[0]
        self._protect(local, here, there)
        return device

    def _reusable(self, local, group, size_gb, identifier):
        """The pair an earlier, interrupted try made complete, if any.

        Complete: paired, in a replicated default group of ``group``'s
        kind (its own or a numbered one), at the size asked. Anything
        else it left is removed, to be made again.
        """
        found = local.provision.find_devices(identifier)
        if len(found) == 1:
            info = local.provision.get_device(found[0])
            if rdf_number(info) == self.number(self.primary) and \
                    local.groups.default_in(
                        group, info.get('storageGroupId') or ()) and \
                    float(info.get('cap_gb') or 0) == float(size_gb):
                pair = self.api(self.primary).get_pair(
                    self.number(self.primary), found[0])
                r2 = pair.get('remoteVolumeName')
                self.arrays.get(self.target).provision.rename_device(
                    r2, identifier)
                self._file_managed(found[0], r2, pair, check=True)
                return found[0], r2
        if found:
            self._remove_unlocked(identifier)
        return None

    def _protected(self, local, group: str) -> bool:
        if local.groups.find(group) is None:
            return False
        number = self.number(self.primary)
        return number in self.api(self.primary).sg_rdf_groups(group)

    def _protect(self, local, group, remote_group):
        """Pair the devices of a new replicated group: its first volume."""
        remote = self.arrays.get(self.target)
        remote.groups.ensure(remote_group)
        self.api(self.primary).protect(
            group.name, self.number(self.primary), self.target,
            remote_group.name, self.device.mode, remote_group.service_level,
            bias=self.device.metro and self.device.metro_use_bias)
        LOG.info('Protected storage group %(sg)s in RDF group %(label)s '
                 'towards %(remote)s on %(target)s.',
                 {'sg': group.name, 'label': self.label,
                  'remote': remote_group.name, 'target': self.target})

    def add_pair(self, device: str, from_group: str, spec, remote,
                 identifier: str) -> str:
        """Replicate an existing device of the primary (retype, manage).

        The device leaves ``from_group`` for the replicated default group,
        which it protects as its first volume or joins with its new R2 in
        one edit. On failure the device is unpaired and back where it was.

        :returns: the R2 device
        """
        tried = []
        try:
            return self._add_pair(device, from_group, spec.group,
                                  remote.group, identifier, tried)
        except Exception:
            with excutils.save_and_reraise_exception():
                self.best_effort(self._undo_add_pair, device, from_group,
                                 tried or [(spec.group, remote.group)],
                                 what='return of %s to %s' % (device,
                                                              from_group))

    @coordination.synchronized(RDFG_LOCK)
    def _add_pair(self, device, from_group, group, remote_group,
                  identifier, tried):
        local = self.arrays.get(self.primary)
        info = local.provision.get_device(device)
        if rdf_number(info) is None:
            groups = list(info.get('storageGroupId') or ())
            # An interrupted try may have left it in a group of the kind.
            placed = local.groups.default_in(group, groups)
            self._into_numbered(
                local, group, remote_group, tried,
                lambda here, there, protected: self._pair_into(
                    local, device, groups, from_group, here, there,
                    protected),
                placed and naming.rollover_number(placed, group.name))
        pair = self.api(self.primary).get_pair(self.number(self.primary),
                                               device)
        r2 = pair.get('remoteVolumeName')
        self.arrays.get(self.target).provision.rename_device(r2, identifier)
        self._file_managed(device, r2, pair, check=True)
        LOG.info('Device %(dev)s is now replicated to %(r2)s on %(array)s.',
                 {'dev': device, 'r2': r2, 'array': self.target})
        return r2

    def _pair_into(self, local, device, groups, from_group, group,
                   remote_group, protected):
        """Pair ``device`` into ``group``, which may refuse it as full.

        :param groups: the device's groups, kept up to date here
        """
        if protected:
            for name in (from_group, group.name):
                if name in groups:
                    local.groups.remove_volumes(name, [device])
                    groups.remove(name)
            local.groups.add_replicated_volumes(
                group.name, [device], self.target, remote_group.name)
            return
        local.groups.ensure(group)
        self.arrays.get(self.target).groups.ensure(remote_group)
        if group.name not in groups:
            if from_group in groups:
                local.groups.move_volumes(from_group, group.name, [device])
            else:
                local.groups.add_volumes(group.name, [device])
        self._protect(local, group, remote_group)

    @coordination.synchronized(RDFG_LOCK)
    def _undo_add_pair(self, device, from_group, tried):
        local = self.arrays.get(self.primary)
        self._unpair_and_delete_partner(self.primary, device)
        groups = local.provision.device_groups(device)
        if from_group not in groups:
            into = [g.name for g, _r in tried if g.name in groups]
            if into:
                local.groups.move_volumes(into[0], from_group, [device])
            else:
                local.groups.add_volumes(from_group, [device])
        self._drop_emptied(tried)

    # -- management groups (Asynchronous and Metro) -------------------------

    def _file_managed(self, device, r2, pair, check=False):
        """File a new pair in the RDF group's management groups.

        The two arrays' edits run side by side. A pair that joined a
        suspended group (an interrupted action left it so) did not start
        copying: the whole group is started again.

        :param pair: the pair as read from the primary
        :param check: the devices may be filed already (a repeat)
        """
        if self.management is None:
            return
        utils.run_side_by_side(
            lambda: self._file_one(self.primary, device, check),
            lambda: self._file_one(self.target, r2, check))
        if str(pair.get('rdfpairState') or '').lower() == 'suspended':
            self._restart(self.primary, self.number(self.primary))

    def _file_one(self, serial, member, check):
        context = self.arrays.get(serial)
        if check and self.management in context.provision.device_groups(
                member):
            return
        try:
            context.groups.add_volumes(self.management, [member])
        except exception.NotFound:
            context.groups.ensure(storagegroups.non_fast(self.management))
            context.groups.add_volumes(self.management, [member])

    def _leave_managed(self, serial, device, info, partner) -> bool:
        """Take a pair's devices out of the management groups.

        A management group left empty goes, also one an interrupted try
        emptied: it is read again when the device was out already.

        :param info: ``device``'s detail (its groups)
        :returns: True when the RDF group holds no other device here
        """
        emptied = False
        for side, member in ((serial, device), (self.other(serial),
                                                partner)):
            if not member:
                continue
            context = self.arrays.get(side)
            groups = (info.get('storageGroupId') or ()) if side == serial \
                else ()
            if self.management not in groups:
                # The partner's, or the device's when a management group
                # mended since (a repeat) may hold it again: read.
                groups = context.provision.device_groups(member)
            after = None
            if self.management in groups:
                after = context.groups.remove_volumes(self.management,
                                                      [member])
                if after.get('num_of_vols'):
                    continue
            gone = self._drop_management(context, after)
            emptied = emptied or (gone and side == serial)
        return emptied

    def _drop_management(self, context, detail):
        """Delete the management group if empty, as a clean-up step.

        Tried again when it fails; the failure is logged, not raised.

        :returns: True when the group is gone
        """
        try:
            return polling.retried(context.groups.delete_if_empty,
                                   self.management, detail)
        except exception.PowerMaxError as exc:
            LOG.warning('The deletion of %(sg)s on %(array)s failed: '
                        '%(err)s', {'sg': self.management,
                                    'array': context.serial, 'err': exc})
            return False

    def reconcile(self, serial: str, number: Optional[int] = None) -> list:
        """Make the management group on ``serial`` hold the RDF group.

        Exactly the devices paired in the RDF group on that array, which
        an interrupted operation may have left otherwise; an action on
        the group covers all of them. A management group with nothing to
        hold goes.

        :returns: the RDF group's devices on ``serial``
        """
        number = number if number is not None else self.number(serial)
        paired = set(self.api(serial).rdf_devices(number))
        groups = self.arrays.get(serial).groups
        members = set(groups.volumes(self.management)) if groups.find(
            self.management) is not None else None
        if members is None and paired:
            groups.ensure(storagegroups.non_fast(self.management))
            members = set()
        found = members or set()
        for wrong, what, mend in (
                (found - paired, 'held %(devs)s outside RDF group %(label)s; '
                 'they leave it', groups.remove_volumes),
                (paired - found, 'lacked %(devs)s of RDF group %(label)s; '
                 'they join it', groups.add_volumes)):
            if wrong:
                LOG.warning('Management group %(sg)s on %(array)s ' + what,
                            {'sg': self.management, 'array': serial,
                             'devs': ', '.join(sorted(wrong)),
                             'label': self.label})
                mend(self.management, sorted(wrong))
        if members is not None and not paired:
            groups.delete_if_empty(self.management)
        return sorted(paired)

    def _act_on_all(self, serial, number, action, done_states, **options):
        """``action`` on every pair of the RDF group, on array ``serial``.

        Through the management group. The array refuses an action on a
        group that does not hold exactly the RDF group's devices (an
        interrupted operation can leave it so): the management group is
        then mended (:meth:`reconcile`) and the action tried again.
        """
        try:
            self._act(serial, self.management, number, action, done_states,
                      **options)
            return
        except (exception.BadRequest, exception.Conflict,
                exception.NotFound) as exc:
            LOG.info('SRDF %(action)s of %(sg)s on %(array)s was refused '
                     '(%(err)s); the management group is checked against '
                     'RDF group %(label)s.', {
                         'action': action, 'sg': self.management,
                         'array': serial, 'err': exc, 'label': self.label})
        if self.reconcile(serial, number):
            self._act(serial, self.management, number, action, done_states,
                      **options)

    def _restart(self, serial, number):
        """Start the management group's pairs again after a suspend.

        Metro pairs are established (with bias when configured), others
        resumed.
        """
        if self.device.metro:
            self._act_on_all(serial, number, 'Establish',
                             tuple(METRO_ACTIVE | {'syncinprog'}),
                             metroBias=self.device.metro_use_bias)
        else:
            self._act_on_all(serial, number, 'Resume', tuple(SYNCED))

    @contextlib.contextmanager
    def _released(self, serial, device, info):
        """Ready a pair of an Asynchronous or Metro group for removal.

        An Asynchronous pair is suspended alone, consistency exempt, so
        the others keep replicating; a Metro group is suspended whole
        (the array acts on its pairs together) and established again
        afterwards, also when the removal failed. Both devices leave the
        management groups.

        The repeat of a removal that got as far as the unpairing finds no
        pair: a Metro group the first try left suspended is established.

        :yields: ``info`` without the groups the device left
        """
        number = rdf_number(info)
        if self.management is None:
            yield info
            return
        if number is None:
            try:
                yield info
            finally:
                self._metro_again(serial)
            return
        partner = self.partner(serial, device, number)[1]
        if self.device.metro:
            self._act_on_all(serial, number, 'Suspend', ('suspended',))
        else:
            with self._alone(serial, [device]) as temp:
                self._act(serial, temp, number, 'Suspend', ('suspended',),
                          consExempt=True)
        emptied = False
        left = (self.management, naming.rdf_temp_sg_name(self.label))
        try:
            emptied = self._leave_managed(serial, device, info, partner)
            yield dict(info, storageGroupId=[
                g for g in info.get('storageGroupId') or ()
                if g not in left])
        except Exception:
            with excutils.save_and_reraise_exception():
                # The pair may be there still: its devices go back into
                # the management groups, and a Metro group starts again.
                emptied = False
                for side in (serial, self.other(serial)):
                    self.best_effort(self.reconcile, side,
                                     what='check of %s' % self.management)
        finally:
            if not emptied:
                self._metro_again(serial, number)

    def _metro_again(self, serial, number=None):
        """Establish a Metro group's pairs again after a removal."""
        if self.device.metro:
            self.best_effort(self._restart, serial, self.number(serial)
                             if number is None else number,
                             what='establish of %s' % self.management)

    def best_effort(self, func, *args, what=''):
        return polling.best_effort(func, *args, what=what)

    # -- removing pairs -------------------------------------------------------

    def remove_by_identifier(self, identifier: str) -> None:
        """Remove every device named ``identifier`` on both arrays."""
        self._remove_locked(identifier)

    @coordination.synchronized(RDFG_LOCK)
    def _remove_locked(self, identifier):
        self._remove_unlocked(identifier)

    def _remove_unlocked(self, identifier):
        for serial in (self.primary, self.target):
            context = self.arrays.get(serial)
            for device in context.provision.find_devices(identifier):
                info = context.provision.read_device(device)
                if info is None:
                    continue
                with self._released(serial, device, info) as info:
                    self._delete_pair_and_devices(serial, device, info)

    def delete(self, serial: str, device: str, info: dict,
               identifier: str, volume) -> None:
        """Delete a paired device and its partner; nothing else.

        :param serial: the array of ``device`` (the active side)
        :param info: the device's detail
        :param identifier: the volume's identifier, which the partner
            carries too: a partner an interrupted delete unpaired is
            still found
        :raises InvalidSpec: for an SRDF/Metro pair without
            ``allow_delete_metro``
        """
        self._check_metro_delete(info)
        self._delete_locked(serial, device, info, identifier, volume)

    def _check_metro_delete(self, info):
        """Metro pairs go only with ``allow_delete_metro`` (seed 001)."""
        if self.device.metro and not self.device.allow_delete_metro and \
                rdf_number(info) is not None:
            raise exception.InvalidSpec(
                key='allow_delete_metro', value=False, reason=_(
                    'removing an SRDF/Metro pair suspends every Metro pair '
                    'of RDF group %s for a moment; set allow_delete_metro '
                    '= True in the replication_device to allow it') %
                self.label)

    def forget(self, serial: str, identifier: str, volume) -> None:
        """Finish the delete of a volume whose device is gone already.

        An interrupted delete may have left its partner (found by name)
        or the partner's emptied group on the other array.
        """
        self._forget_locked(serial, identifier, volume)

    @coordination.synchronized(RDFG_LOCK)
    def _forget_locked(self, serial, identifier, volume):
        self._delete_other_side(serial, identifier, volume)
        self._drop_emptied_numbered(volume)
        # A Metro group the interrupted delete suspended starts again.
        self._metro_again(serial)

    @coordination.synchronized(RDFG_LOCK)
    def _delete_locked(self, serial, device, info, identifier, volume):
        with self._released(serial, device, info) as info:
            if self._delete_in_one_edit(serial, device, info, volume):
                return
            self._delete_pair_and_devices(serial, device, info)
        if rdf_number(info) is None:
            self._delete_other_side(serial, identifier, volume)
            self._drop_emptied_numbered(volume)

    def _drop_emptied_numbered(self, volume):
        """Delete numbered groups of the volume's kind left empty.

        For the repeat of a delete that died after it took the devices
        out of their groups: which numbered group they were in is known
        no more, so the groups named like the kind's are read (a filtered
        list, on this path only). The RDF group's lock, held, keeps
        replicated creates from filling one meanwhile.
        """
        for serial in (self.primary, self.target):
            context = self.arrays.get(serial)
            try:
                base = volspec.resolve(volume, context.info,
                                       self.arrays.settings).group.name
            except exception.InvalidSpec:
                continue
            for name in context.groups.named_like(
                    naming.rollover_stem(base)):
                if (naming.rollover_number(name, base) or 1) > 1:
                    context.groups.delete_default_if_empty(name)

    def _delete_other_side(self, serial, identifier, volume):
        """Remove a partner an interrupted delete unpaired, and its group.

        Both are found by name: the partner carries the identifier.
        """
        other = self.arrays.get(self.other(serial))
        for left in other.provision.find_devices(identifier):
            self._delete_pair_and_devices(other.serial, left)
        try:
            group = volspec.resolve(volume, other.info,
                                    self.arrays.settings).group.name
        except exception.InvalidSpec:
            return
        other.groups.delete_default_if_empty(group)

    def _delete_in_one_edit(self, serial, device, info, volume) -> bool:
        """The common delete: one edit takes both devices out and unpairs.

        For an R1 in its replicated group alone, whose R2 is in the
        group of the volume's type on the target.

        :returns: False when this way does not apply (nothing changed)
        """
        number = rdf_number(info)
        groups = [g for g in info.get('storageGroupId') or ()
                  if g != self.management]
        if serial != self.primary or number is None or len(groups) != 1:
            return False
        try:
            remote_group = self.partner_group(serial, groups[0], volume)
        except exception.InvalidSpec:
            return False
        local = self.arrays.get(serial)
        partner = self.partner(serial, device, number)[1]
        try:
            after = local.groups.remove_replicated_volumes(
                groups[0], [device], self.target, remote_group,
                force=self.management is not None)
        except (exception.BadRequest, exception.NotFound) as exc:
            LOG.debug('Device %(dev)s is deleted step by step: %(err)s',
                      {'dev': device, 'err': exc})
            return False
        except exception.PowerMaxError as exc:
            # An answer lost on its way back: the edit counts as made
            # only when the device is out of the group.
            if not exception.outcome_unknown(exc) or groups[0] in \
                    local.provision.device_groups(device):
                raise
            after = local.groups.find(groups[0]) or {}
        remote = self.arrays.get(self.target)
        # Out of their groups and unpaired, the devices must go now: a
        # failed delete is tried again rather than left to a repeat.
        polling.retried(remote.provision.delete_device, partner,
                        {'storageGroupId': []})
        polling.retried(local.provision.delete_device, device,
                        {'storageGroupId': []})
        if not after.get('num_of_vols'):
            for context, name in ((local, groups[0]),
                                  (remote, remote_group)):
                self.best_effort(context.groups.delete_default_if_empty,
                                 name, what='deletion of %s' % name)
        LOG.info('Deleted the SRDF pair of %(dev)s on %(array)s and '
                 '%(r2)s on %(target)s, and both devices.',
                 {'dev': device, 'array': serial, 'r2': partner,
                  'target': self.target})
        return True

    def _delete_pair_and_devices(self, serial, device, info=None):
        """Unpair ``device`` (if paired) and delete it and its partner."""
        context = self.arrays.get(serial)
        info = info if info is not None else context.provision.read_device(
            device)
        if info is None:
            return
        partner = self._unpair_one(serial, device, info)
        if partner[1]:
            polling.retried(self._delete_device, partner[0], partner[1])
        self._delete_device(serial, device, info)

    def _delete_device(self, serial, device, info=None):
        """Delete an unpaired device; one confirmed gone is success."""
        provision = self.arrays.get(serial).provision
        if info is None:
            info = provision.read_device(device)
        if info is not None:
            provision.delete_device(device, info, naming.is_disposable_sg_name)

    def _unpair_one(self, serial, device, info=None):
        """Delete the pair of ``device``; returns (array, partner)."""
        context = self.arrays.get(serial)
        info = info if info is not None else context.provision.get_device(
            device)
        number = rdf_number(info)
        if number is None:
            return None, None
        partner = self.partner(serial, device, number)
        self.api(serial).delete_pair(number, device)
        LOG.info('Deleted the SRDF pair of %(dev)s on %(array)s and '
                 '%(r2)s on %(other)s.', {'dev': device, 'array': serial,
                                          'r2': partner[1],
                                          'other': partner[0]})
        return partner

    def remove_pair(self, serial: str, device: str, identifier: str,
                    volume) -> None:
        """Stop replicating ``device``: its partner is deleted (retype).

        A partner an interrupted try unpaired is found by its name.
        """
        self._check_metro_delete(
            self.arrays.get(serial).provision.get_device(device))
        self._remove_pair_locked(serial, device, identifier, volume)

    @coordination.synchronized(RDFG_LOCK)
    def _remove_pair_locked(self, serial, device, identifier, volume):
        if not self._unpair_and_delete_partner(serial, device):
            self._delete_other_side(serial, identifier, volume)

    def _unpair_and_delete_partner(self, serial, device) -> bool:
        """Unpair ``device`` and delete its partner; False if unpaired."""
        info = self.arrays.get(serial).provision.get_device(device)
        with self._released(serial, device, info):
            partner = self._unpair_one(serial, device, info)
            if partner[1]:
                # Unpaired, the partner must go now: a failure is tried
                # again rather than left to a repeat.
                polling.retried(self._delete_device, partner[0],
                                partner[1])
        return partner[1] is not None

    # -- array promotion ------------------------------------------------------

    def promote(self, serial: str, device: str) -> None:
        """Make ``device`` a plain device of ``serial``, its partner lost.

        For array promotion: the other array is gone for good, its
        Unisphere and the SRDF links may be down, so only ``serial`` is
        acted on. The pair is deleted from this side (with the links
        down the array keeps the other half on the lost array) and the
        device leaves the management group; an SRDF/Metro group still
        active is suspended first, as the array removes no pair from an
        active Metro group. Nothing is done to the partner. A device
        found unpaired (a repeat) only leaves the management group.
        """
        self._promote_locked(serial, device)

    @coordination.synchronized(RDFG_LOCK)
    def _promote_locked(self, serial, device):
        info = self.arrays.get(serial).provision.get_device(device)
        number = rdf_number(info)
        if number is not None:
            if self.device.metro:
                self._suspend_active_metro(serial, number)
            self.api(serial).delete_pair(number, device)
            LOG.info('Deleted the SRDF pair of %(dev)s on %(array)s alone: '
                     'array %(lost)s is lost.', {
                         'dev': device, 'array': serial,
                         'lost': self.other(serial)})
        if self.management is not None:
            # The partner is on the lost array: this side alone.
            self._leave_managed(serial, device, info, None)

    def _suspend_active_metro(self, serial, number):
        """Suspend the Metro group on ``serial`` when its pairs serve."""
        self.reconcile(serial, number)
        states = {str(s).lower() for s in self.api(serial).sg_state(
            self.management, number).get('states') or ()}
        if states & METRO_ACTIVE:
            self.api(serial).sg_action(self.management, number, 'Suspend')

    # -- extend ---------------------------------------------------------------

    def extend(self, serial: str, device: str, number: int,
               size_gb: int, grown: bool = False) -> None:
        """Grow a paired device and its partner.

        When both arrays run PowerMaxOS 5978 or later, online: one
        expansion names the RDF group and both sides grow while the pair
        replicates. Otherwise (HyperMax OS 5977 on either side) only with
        ``allow_extend``: the pair is suspended, both grow, it resumes —
        this volume's pair alone, through a temporary storage group, or a
        whole Asynchronous group, through its management group.
        SRDF/Metro volumes are not extended (seed 001).

        :param grown: the device has the size already (a re-driven
            extend): only what an interrupted try left is finished
        """
        if self.device.metro and not grown:
            raise exception.InvalidSpec(
                key='new_size', value=size_gb,
                reason=_('the volume is protected by SRDF/Metro, whose '
                         'volumes cannot be extended; clone it to a new '
                         'volume of the size needed instead'))
        online = self._online_expansion(serial)
        if online and not grown:
            self.arrays.get(serial).sloprov.expand_volume(device, size_gb,
                                                          number)
            LOG.info('Device %(dev)s on %(array)s and its partner grew '
                     'online to %(size)s GB.', {'dev': device,
                                                'array': serial,
                                                'size': size_gb})
            return
        if not self.device.allow_extend and not grown:
            raise exception.InvalidSpec(
                key='new_size', value=size_gb,
                reason=_('the volume is replicated, array %(array)s runs '
                         '%(ucode)s (online expansion of SRDF pairs needs '
                         'PowerMaxOS 5978 on both arrays), and its '
                         'replication_device does not set allow_extend = '
                         'True; set it to extend such volumes') % {
                    'array': self._legacy_side(serial).serial,
                    'ucode': self._legacy_side(serial).ucode_text})
        self._extend_locked(serial, device, number, size_gb, grown)

    def _online_expansion(self, serial) -> bool:
        return self._legacy_side(serial) is None

    def _legacy_side(self, serial):
        """The info of an array of the pair older than 5978, or None."""
        for side in (serial, self.other(serial)):
            info = self.arrays.get(side).info
            if not info.next_gen:
                return info
        return None

    @coordination.synchronized(RDFG_LOCK)
    def _extend_locked(self, serial, device, number, size_gb, grown):
        context = self.arrays.get(serial)
        if grown and not self._interrupted(serial, device, number):
            return
        if self.management is not None:
            # The array suspends and resumes Async pairs together.
            self._act_on_all(serial, number, 'Suspend', ('suspended',))
            try:
                if not grown:
                    context.sloprov.expand_volume(device, size_gb, number)
            finally:
                self._act_on_all(serial, number, 'Resume', tuple(SYNCED))
            return
        with self._alone(serial, [device]) as temp:
            self._act(serial, temp, number, 'Suspend', ('suspended',))
            try:
                if not grown:
                    context.sloprov.expand_volume(device, size_gb, number)
            finally:
                self._act(serial, temp, number, 'Resume',
                          tuple(SYNCED))

    def _interrupted(self, serial, device, number) -> bool:
        """Whether an extend died with the pair suspended or grouped."""
        if self.management is None and self.arrays.get(serial).groups.find(
                naming.rdf_temp_sg_name(self.label)) is not None:
            return True
        state = self.api(serial).get_pair(number, device).get(
            'rdfpairState')
        return str(state).lower() == 'suspended'

    def _act(self, serial, group, number, action, done_states, **options):
        """Run ``action`` unless the group's pairs are there already."""
        api = self.api(serial)
        states = {s.lower() for s in api.sg_state(group, number).get(
            'states') or ()}
        if states and states <= set(done_states):
            return
        api.sg_action(group, number, action, **options)

    def group_action(self, serial: str, group: str, actions: tuple,
                     done_states: tuple) -> None:
        """An SRDF action on all the pairs of storage group ``group``.

        Nothing is sent when every pair is in one of ``done_states``
        already (a repeat). Otherwise the first of ``actions`` that the
        pairs' states allow runs: ``('Resume', 'Establish')`` resumes
        suspended pairs and establishes split ones.

        :param serial: the array the action is sent to
        """
        self._group_action_locked(serial, group, actions, done_states)

    @coordination.synchronized(RDFG_LOCK)
    def _group_action_locked(self, serial, group, actions, done_states):
        number = self.number(serial)
        api = self.api(serial)
        states = {str(s).lower() for s in api.sg_state(group, number).get(
            'states') or ()}
        if states and states <= set(done_states):
            return
        action = actions[0]
        if len(actions) > 1 and states and 'suspended' not in states:
            action = actions[1]
        api.sg_action(group, number, action)
        LOG.info('SRDF %(action)s of storage group %(sg)s on %(array)s in '
                 'RDF group %(label)s done.', {
                     'action': action, 'sg': group, 'array': serial,
                     'label': self.label})

    def _alone(self, serial, devices):
        return _TempGroup(self.arrays.get(serial).groups,
                          naming.rdf_temp_sg_name(self.label), devices)

    # -- failover -------------------------------------------------------------

    def failover(self, devices: list, back: bool) -> list:
        """SRDF failover (or failback) of the pairs of ``devices``.

        Acts on the target array alone, where the R2s are: it works while
        the primary array or the SRDF links are lost. The pairs move in
        as few actions as a storage group can hold devices for; an action
        the array refuses as too large is split in halves, and one that
        fails otherwise is tried pair by pair, so one broken pair does not
        hold the others back.

        :param devices: the devices on the target array
        :param back: fail back rather than over
        :returns: the devices whose pairs did not move
        :raises PowerMaxError: when no pair moved
        """
        failed, error = [], None
        # The pairs of an Asynchronous group move together, in one action
        # on its management group.
        size = naming.SG_MAX_DEVICES if self.management is None else \
            max(len(devices), 1)
        for start in range(0, len(devices), size):
            batch = list(devices[start:start + size])
            try:
                failed += self._failover_batch(batch, back)
            except exception.PowerMaxError as exc:
                failed, error = failed + batch, exc
        if devices and len(failed) == len(devices) and error is not None:
            raise error
        return failed

    def _failover_batch(self, devices, back):
        if self.management is not None:
            # One action for the whole group: there is no pair to try
            # alone.
            self._failover_locked(devices, back)
            return []
        try:
            self._failover_locked(devices, back)
            return []
        except exception.PowerMaxError as exc:
            if len(devices) == 1:
                raise
            error = exc
        if storagegroups.group_full(error):
            half = len(devices) // 2
            left = (self._failover_halves(devices[:half], back) +
                    self._failover_halves(devices[half:], back))
        else:
            LOG.warning('The SRDF action on all %(count)d pairs failed '
                        '(%(err)s); trying each pair alone.',
                        {'count': len(devices), 'err': error})
            left = devices
        failed = []
        for device in left:
            try:
                self._failover_locked([device], back)
            except exception.PowerMaxError as exc:
                LOG.error('The pair of device %(dev)s on %(array)s did not '
                          'move: %(err)s', {'dev': device,
                                            'array': self.target,
                                            'err': exc})
                failed.append(device)
        if len(failed) == len(devices):
            raise error
        return failed

    def _failover_halves(self, devices, back):
        try:
            return self._failover_batch(devices, back)
        except exception.PowerMaxError:
            return list(devices)

    @coordination.synchronized(RDFG_LOCK)
    def _failover_locked(self, devices, back):
        number = self.number(self.target)
        if back:
            action, done = 'Failback', SYNCED
        else:
            action, done = 'Failover', frozenset((FAILED_OVER,))
        if self.management is not None:
            self._act_on_all(self.target, number, action, tuple(done))
        else:
            with self._alone(self.target, devices) as temp:
                self._act(self.target, temp, number, action, tuple(done))
        LOG.info('SRDF %(action)s of %(count)d device(s) in RDF group '
                 '%(label)s done.', {'action': action,
                                     'count': len(devices),
                                     'label': self.label})


class _TempGroup:
    """A non-FAST storage group holding some devices for one action."""

    def __init__(self, groups, name, devices):
        self.groups = groups
        self.name = name
        self.devices = list(devices)

    def __enter__(self):
        try:
            self._fill()
        except Exception:
            with excutils.save_and_reraise_exception():
                self._empty(quiet=True)
        return self.name

    def _fill(self):
        members = []
        if not self.groups.ensure(storagegroups.non_fast(self.name)):
            # Left by an interrupted action: it holds these devices only.
            members = self.groups.volumes(self.name)
            extra = [d for d in members if d not in self.devices]
            if extra:
                self.groups.remove_volumes(self.name, extra)
        missing = [d for d in self.devices if d not in members]
        if missing:
            self.groups.add_volumes(self.name, missing)

    def __exit__(self, exc_type, exc, trace):
        self._empty(quiet=exc_type is not None)
        return False

    def _empty(self, quiet):
        try:
            polling.retried(self._remove)
        except exception.PowerMaxError as exc:
            if not quiet:
                raise
            LOG.warning('Could not remove temporary storage group '
                        '%(sg)s: %(err)s', {'sg': self.name, 'err': exc})

    def _remove(self):
        members = self.groups.volumes(self.name)
        if members:
            self.groups.remove_volumes(self.name, members)
        self.groups.delete_if_empty(self.name, {})
