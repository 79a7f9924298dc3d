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

"""Storage-group SRDF of an array (reference sections 15.3 and 15.4).

A mixin of :class:`tests.fake_unisphere.model.Array`, over the pairs of
:mod:`tests.fake_unisphere.srdf`. Nothing is stored per storage group:
as on the array, a group is SRDF-protected in RDF group ``n`` when its
devices are paired there, and its remote group is the storage group that
holds their partners.

Actions and the states they start from follow the reference's "needs
action" rules (15.5), with choices of ours where it is silent: a
failover is also allowed from Partitioned (the disaster the link-loss
fault stands for; it needs no link); Resume only from Suspended (a
failed-over pair is failed back or established, not resumed); Split and
Swap as the SRDF family does them; and Metro pairs refuse Failover,
Failback and Swap (SRDF/Metro has no failover; clients suspend instead).

Asynchronous and Metro pairs are acted on together: an action on them
must cover every pair of the RDF group on that array (clients keep a
management storage group for this), except a Suspend with ``consExempt``
of Asynchronous pairs, which may take a subset out of the group's
consistency. Synchronous pairs act per storage group. Unprotecting a
subset of an Asynchronous or Metro group follows the same rule unless
all its pairs are already stopped (Suspended, Split, Failed Over or
Partitioned): the reference's clients delete pairs one by one from a
suspended group, and consistency exemption exists to stop a subset
first.
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import srdf

FLOWING = srdf.FLOWING
ACTIONS = {
    # action: (states it starts from, state it leaves)
    'Suspend': (FLOWING, srdf.SUSPENDED),
    'Split': (FLOWING, srdf.SPLIT),
    'Failover': (FLOWING + (srdf.PARTITIONED,), srdf.FAILED_OVER),
    'Establish': ((srdf.SUSPENDED, srdf.SPLIT, srdf.FAILED_OVER),
                  srdf.SYNC_IN_PROG),
    'Resume': ((srdf.SUSPENDED,), srdf.SYNC_IN_PROG),
    'Failback': ((srdf.SUSPENDED, srdf.FAILED_OVER), srdf.SYNC_IN_PROG),
    'Swap': ((srdf.SUSPENDED, srdf.FAILED_OVER), srdf.SUSPENDED),
}
NOT_METRO = ('Failover', 'Failback', 'Swap')


class SRDFStorageGroupRules:
    """Storage-group SRDF rules; mixed into the array class."""

    def sg_rdf_groups(self, name: str) -> typing.List[int]:
        """RDF groups in which devices of storage group ``name`` pair."""
        numbers = set()
        for device_id in self.members(name):
            group = self.group_of_pair(device_id)
            if group is not None:
                numbers.add(group.number)
        return sorted(numbers)

    def sg_pairs(self, name: str, number: int) -> typing.List[srdf.RdfPair]:
        """Pairs of ``name``'s devices in group ``number`` (404 if none)."""
        group = self.rdf_group(number)
        pairs = [group.pairs[d] for d in self.members(name)
                 if d in group.pairs]
        if not pairs:
            raise errors.ArrayError(
                404, 'Storage group %s has no SRDF devices in RDF group %d' %
                (name, number))
        return pairs

    def sg_all_pairs(self, name: str, number: int
                     ) -> typing.List[srdf.RdfPair]:
        """Pairs of every device of ``name``, all in group ``number``."""
        pairs = self.sg_pairs(name, number)
        group = self.rdf_group(number)
        for device_id in self.members(name):
            if device_id not in group.pairs:
                raise errors.conflict(
                    'Device %s of storage group %s is not an SRDF device of '
                    'RDF group %d; all the devices of a storage group must '
                    'be paired in the same RDF group' % (device_id, name,
                                                         number))
        return pairs

    # -- protect and unprotect ---------------------------------------------

    def check_protect(self, name: str, number: int, remote_sid: str,
                      remote_sg: str, mode: str, slo: typing.Optional[str],
                      bias: bool = False) -> typing.List[str]:
        """Refusals of ``POST storagegroup/{sg}/rdf_group``; the devices."""
        group = self.rdf_group(number)
        if group.remote_sid != remote_sid:
            raise errors.invalid('RDF group %d connects to Symmetrix %s, not '
                                 '%s' % (number, group.remote_sid,
                                         remote_sid))
        devices = self.members(name)
        if not devices:
            raise errors.invalid('Storage group %s has no devices to '
                                 'protect' % name)
        # Protecting an SG into an active Async/Metro group is done with
        # consistency exemption by Unisphere itself (no such body key).
        self.check_pairable(group, devices, srdf.check_mode(mode), True,
                            bias)
        remote = self.peer(remote_sid)
        errors.check_name('storage group', remote_sg)
        existing = remote.storage_groups.get(remote_sg)
        if existing is not None and existing.children:
            raise errors.invalid('Remote storage group %s is a parent' %
                                 remote_sg)
        if existing is None and slo is not None:
            remote._check_slo(slo)
        return devices

    def protect(self, name: str, number: int, remote_sid: str,
                remote_sg: str, mode: str, slo: typing.Optional[str],
                establish: bool, now: float, duration: float,
                bias: bool = False) -> None:
        devices = self.check_protect(name, number, remote_sid, remote_sg,
                                     mode, slo, bias)
        remote = self.peer(remote_sid)
        if remote_sg not in remote.storage_groups:
            remote.create_group(remote_sg, 'SRP_1', slo)
        self.make_pairs(number, devices, mode, establish, now, duration,
                        remote_sg, bias)

    def unprotect(self, name: str, number: int, force: bool) -> None:
        """``DELETE storagegroup/{sg}/rdf_group/{n}``: delete the pairs."""
        group = self.rdf_group(number)
        pairs = self.sg_pairs(name, number)
        if any(p.state not in srdf.STOPPED for p in pairs):
            self.check_together(name, group, pairs, 'unprotect')
        for pair in pairs:
            self.check_unpairable(group, pair)
            if pair.state in FLOWING and not force:
                raise errors.conflict(
                    'Storage group %s is replicating in RDF group %d (%s): '
                    'suspend it or use force' % (name, number, pair.state))
        for pair in pairs:
            self.unpair(pair)

    # -- actions ------------------------------------------------------------

    @staticmethod
    def check_together(name: str, group: srdf.RdfGroup,
                       pairs: typing.List[srdf.RdfPair], what: str) -> None:
        """SRDF/A and SRDF/Metro pairs are acted on as a whole RDF group."""
        if len(pairs) == len(group.pairs) or all(
                p.mode == srdf.SYNCHRONOUS for p in pairs):
            return
        raise errors.conflict(
            'Cannot %s storage group %s: RDF group %d holds %d devices and '
            'the storage group %d of them; all the devices of an SRDF/A or '
            'SRDF/Metro group are acted on together' % (
                what, name, group.number, len(group.pairs), len(pairs)))

    def check_action(self, name: str, number: int, action: str,
                     options: dict) -> typing.List[srdf.RdfPair]:
        if action not in ACTIONS:
            raise errors.invalid(
                'SRDF action %s is not supported by this Unisphere: one of '
                '%s' % (action, ', '.join(sorted(ACTIONS))))
        pairs = self.sg_all_pairs(name, number)
        group = self.rdf_group(number)
        if action != 'Failover':
            self.check_link(group)
        starts = ACTIONS[action][0]
        for pair in pairs:
            if pair.mode == srdf.ACTIVE and action in NOT_METRO:
                raise errors.invalid('%s is not supported for SRDF/Metro '
                                     '(Active) pairs' % action)
            if pair.state not in starts:
                raise errors.conflict(
                    'Cannot %s storage group %s in RDF group %d: %s is %s; '
                    'the action needs one of %s' % (
                        action, name, number, pair.describe(), pair.state,
                        ', '.join(starts)))
        if options.get('consExempt') and any(
                p.mode != srdf.ASYNCHRONOUS for p in pairs):
            raise errors.invalid('The device is not in asynchronous mode')
        if options.get('metroBias') and (action != 'Establish' or any(
                p.mode != srdf.ACTIVE for p in pairs)):
            raise errors.invalid(
                'metroBias applies to an Establish of SRDF/Metro (Active) '
                'pairs only, not to %s of %s pairs' % (
                    action, '/'.join(sorted({p.mode for p in pairs}))))
        if not (action == 'Suspend' and options.get('consExempt')):
            self.check_together(name, group, pairs, action)
        return pairs

    def sg_action(self, name: str, number: int, action: str, options: dict,
                  now: float, duration: float) -> None:
        """``PUT storagegroup/{sg}/rdf_group/{n}`` with ``action``."""
        pairs = self.check_action(name, number, action, options)
        result = ACTIONS[action][1]
        if action == 'Establish' and pairs[0].mode == srdf.ACTIVE:
            self.set_bias(self.rdf_group(number),
                          bool(options.get('metroBias')))
        for pair in pairs:
            if action == 'Swap':
                pair.swap()
            if action == 'Failback' and pair.state == srdf.FAILED_OVER:
                self.failback_data(pair)
            pair.state = result
            pair.ready_at = now + duration

    # -- volumes in protected storage groups (remoteSymmSGInfoParam) -------

    def remote_plan(self, name: str, remote_sid: str, remote_sg: str,
                    force: bool) -> srdf.RdfGroup:
        """The RDF group a protected SG edit goes through, after checks."""
        remote = self.peer(remote_sid)
        numbers = [n for n in self.sg_rdf_groups(name)
                   if self.rdf[n].remote_sid == remote_sid]
        if len(numbers) != 1:
            raise errors.invalid(
                'Storage group %s is not SRDF protected towards Symmetrix %s '
                'in exactly one RDF group (found %s)' % (
                    name, remote_sid, numbers or 'none'))
        group = self.rdf[numbers[0]]
        self.check_link(group)
        remote.group(remote_sg)
        for pair in self.sg_pairs(name, group.number):
            dev = pair.remote(self.sid)[1]
            if dev not in remote.storage_groups[remote_sg].volumes:
                raise errors.invalid(
                    'Remote storage group %s does not hold %s, the partner '
                    'of a device of %s' % (remote_sg, dev, name))
            if pair.mode != srdf.SYNCHRONOUS and (
                    pair.state in FLOWING) and not force:
                raise errors.conflict(
                    'RDF group %d is active in %s mode: changing its '
                    'devices needs force' % (group.number, pair.mode))
        return group

    def check_add_paired(self, name: str, group: srdf.RdfGroup,
                         devices: typing.List[str]) -> None:
        mode = self.sg_pairs(name, group.number)[0].mode
        self.check_pairable(group, [d for d in devices
                                    if d not in group.pairs], mode, True)

    def add_paired(self, name: str, devices: typing.List[str],
                   group: srdf.RdfGroup, remote_sg: str, now: float,
                   duration: float) -> None:
        """New members of a protected SG get partners in its remote SG.

        Devices already paired in the group have their partner filed in
        the remote SG; the others are paired with new R2s made there.
        """
        pairs = self.sg_pairs(name, group.number)
        mode = pairs[0].mode
        flowing = any(p.state in FLOWING for p in pairs)
        paired = [d for d in devices if d in group.pairs]
        unpaired = [d for d in devices if d not in group.pairs]
        self.check_pairable(group, unpaired, mode, True)
        if paired:
            self.peer(group.remote_sid).add_volumes(
                remote_sg, [group.pairs[d].remote(self.sid)[1]
                            for d in paired])
        self.make_pairs(group.number, unpaired, mode, flowing, now,
                        duration, remote_sg)

    def check_remove_paired(self, group: srdf.RdfGroup,
                            devices: typing.List[str]) -> None:
        for device_id in devices:
            if device_id not in group.pairs:
                raise errors.invalid(
                    'Device %s is not an SRDF device of RDF group %d' % (
                        device_id, group.number))
            self.check_unpairable(group, group.pairs[device_id])

    def remove_paired(self, group: srdf.RdfGroup, devices: typing.List[str],
                      remote_sg: str) -> None:
        """The partners of ``devices`` leave the remote SG; pairs go.

        As Cinder's delete relies on ("remove device from SG and delete
        RDFG device pair"): both devices stay, unpaired, for the client
        to delete.
        """
        remote = self.peer(group.remote_sid)
        pairs = [group.pairs[d] for d in devices]
        remote.remove_volumes(remote_sg, [p.remote(self.sid)[1]
                                          for p in pairs])
        for pair in pairs:
            self.unpair(pair)
