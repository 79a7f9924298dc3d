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

"""SRDF pairs of volumes: Synchronous, Asynchronous and Metro.

One :class:`Replicator` per ``replication_device`` pairs volumes over the
RDF group it names (:class:`cinder_powermax.rdf.RdfGroup`), between the
configured (primary) array and the target array, both reached through
the same Unisphere: it creates paired devices, pairs existing ones
(retype, manage), removes pairs with their partners, grows both sides,
and promotes a device whose partner's array is lost. Pairs are added and
removed under the RDF group's lock, so the first volume of a replicated
default group protects it once, later volumes join it with their R2 in
one storage-group edit, and concurrent creates and deletes do not race
over the group's membership.

The storage groups SRDF acts through (the management groups of
Asynchronous and Metro RDF groups, the temporary group) and the actions
on them (suspend, resume, establish, failover) are
:mod:`cinder_powermax.srdfgroups`'.

Who is "local" follows the side a volume's location names: before a
failover the R1 on the primary, after it the R2 on the target.
"""

from __future__ import annotations

import dataclasses

from cinder.objects import fields
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import metadata as metadata_mod
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import rdf
from cinder_powermax import srdfgroups
from cinder_powermax import storagegroups
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)


class Replicator(rdf.RdfGroup):
    """The SRDF pairs of one replication device's RDF group.

    :param arrays: the backend's :class:`cinder_powermax.arrays.Arrays`
    :param device: the :class:`cinder_powermax.options.ReplicationDevice`
    :param protocol: ``'FC'`` or ``'iSCSI'``, for the remote port group
    """

    def __init__(self, arrays, device, protocol):
        super().__init__(arrays, device, protocol)
        #: the storage groups SRDF acts through, and the actions
        self.actions = srdfgroups.SrdfGroups(self)

    # -- what Cinder keeps ----------------------------------------------------

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

    def _undo_create(self, identifier, tried):
        """Remove what a failed create made, on both arrays."""
        with self.lock():
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

    def _create(self, group, remote_group, size_gb, identifier, tried):
        with self.lock():
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
            self.arrays.get(self.target).provision.rename_device(
                r2, identifier)
            self.actions.file(device, r2, pair)
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
            if rdf.rdf_number(info) == self.number(self.primary) and \
                    local.groups.default_in(
                        group, info.get('storageGroupId') or ()) and \
                    float(info.get('cap_gb') or 0) == float(size_gb):
                pair = self.api(self.primary).get_pair(
                    self.number(self.primary), found[0])
                r2 = pair.get('remoteVolumeName')
                self.arrays.get(self.target).provision.rename_device(
                    r2, identifier)
                self.actions.file(found[0], r2, pair, check=True)
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

    def _add_pair(self, device, from_group, group, remote_group,
                  identifier, tried):
        with self.lock():
            local = self.arrays.get(self.primary)
            info = local.provision.get_device(device)
            if rdf.rdf_number(info) is None:
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
            self.arrays.get(self.target).provision.rename_device(
                r2, identifier)
            self.actions.file(device, r2, pair, check=True)
            LOG.info('Device %(dev)s is now replicated to %(r2)s on '
                     '%(array)s.',
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

    def _undo_add_pair(self, device, from_group, tried):
        with self.lock():
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

    def remove_by_identifier(self, identifier: str) -> None:
        """Remove every device named ``identifier`` on both arrays."""
        with self.lock():
            self._remove_unlocked(identifier)

    def _remove_unlocked(self, identifier):
        for serial in (self.primary, self.target):
            context = self.arrays.get(serial)
            for device in context.provision.find_devices(identifier):
                info = context.provision.read_device(device)
                if info is None:
                    continue
                with self.actions.released(serial, device, info) as info:
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
        with self.lock():
            with self.actions.released(serial, device, info) as info:
                if self._delete_in_one_edit(serial, device, info, volume):
                    return
                self._delete_pair_and_devices(serial, device, info)
            if rdf.rdf_number(info) is None:
                self._delete_other_side(serial, identifier, volume)
                self._drop_emptied_numbered(volume)

    def _check_metro_delete(self, info):
        """Metro pairs go only with ``allow_delete_metro`` (seed 001)."""
        if self.device.metro and not self.device.allow_delete_metro and \
                rdf.rdf_number(info) is not None:
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
        with self.lock():
            self._delete_other_side(serial, identifier, volume)
            self._drop_emptied_numbered(volume)
            # A Metro group the interrupted delete suspended starts again.
            self.actions.metro_again(serial)

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
        number = rdf.rdf_number(info)
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
        number = rdf.rdf_number(info)
        if number is None:
            return None, None
        partner = self.partner(serial, device, number)
        try:
            self.api(serial).delete_pair(number, device)
        except exception.PowerMaxError as exc:
            # A lost answer, and a repeat that found the pair gone: the
            # pair counts as deleted once the device reads unpaired.
            if not (isinstance(exc, exception.NotFound) or
                    exception.outcome_unknown(exc)) or rdf.rdf_number(
                        context.provision.get_device(device)) is not None:
                raise
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
        with self.lock():
            if not self._unpair_and_delete_partner(serial, device):
                self._delete_other_side(serial, identifier, volume)

    def _unpair_and_delete_partner(self, serial, device) -> bool:
        """Unpair ``device`` and delete its partner; False if unpaired."""
        info = self.arrays.get(serial).provision.get_device(device)
        with self.actions.released(serial, device, info):
            partner = self._unpair_one(serial, device, info)
            if partner[1]:
                # Unpaired, the partner must go now: a failure is tried
                # again rather than left to a repeat.
                polling.retried(self._delete_device, partner[0],
                                partner[1])
        return partner[1] is not None

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
        with self.lock():
            info = self.arrays.get(serial).provision.get_device(device)
            number = rdf.rdf_number(info)
            if number is not None:
                if self.device.metro:
                    self.actions.suspend_active_metro(serial, number)
                self.api(serial).delete_pair(number, device)
                LOG.info('Deleted the SRDF pair of %(dev)s on %(array)s '
                         'alone: array %(lost)s is lost.', {
                             'dev': device, 'array': serial,
                             'lost': self.other(serial)})
            if self.management is not None:
                # The partner is on the lost array: this side alone.
                self.actions.leave(serial, device, info, None)

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
            self._expand(serial, device, size_gb, number)
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
        with self.lock():
            if grown and not self.actions.interrupted(serial, device,
                                                      number):
                return
            with self.actions.suspended(serial, device, number):
                if not grown:
                    self._expand(serial, device, size_gb, number)

    def _expand(self, serial, device, size_gb, number):
        """Grow ``device`` and its partner; a lost answer is read back.

        The expansion counts as made when both devices have the size.
        """
        try:
            self.arrays.get(serial).sloprov.expand_volume(device, size_gb,
                                                          number)
        except exception.PowerMaxError as exc:
            if not exception.outcome_unknown(exc):
                raise
            other, partner = self.partner(serial, device, number)
            if not (self.arrays.get(serial).provision.has_size(
                    device, size_gb) and partner and self.arrays.get(
                        other).provision.has_size(partner, size_gb)):
                raise
            LOG.info('Device %(dev)s and its partner have %(size)s GB '
                     'although the answer to the expansion was lost '
                     '(%(err)s).', {'dev': device, 'size': size_gb,
                                    'err': exc})

    def _online_expansion(self, serial) -> bool:
        return self._legacy_side(serial) is None

    def _legacy_side(self, serial):
        """The info of an array of the pair older than 5978, or None."""
        for side in (serial, self.other(serial)):
            info = self.arrays.get(side).info
            if not info.next_gen:
                return info
        return None
