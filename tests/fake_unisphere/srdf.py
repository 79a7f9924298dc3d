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

"""SRDF of an array: RDF groups and device pairs (reference section 15).

A mixin of :class:`tests.fake_unisphere.model.Array`. ``array.rdf`` maps
an RDF group number to its :class:`RdfGroup`; a group knows the remote
array and the remote group number. One :class:`RdfPair` object is shared
by the two arrays' groups (each keys it by its own device), so a state
change is seen from both sides at once. Roles (R1/R2) and volume states
(Ready / Write Disabled) are computed from the pair, never stored.

Storage-group SRDF (``srdf_sg.py``) is derived from devices, as on the
array: a storage group is protected in group ``n`` when its devices are
paired there.

Time: establishing or resuming puts pairs in ``SyncInProg`` until
``now + duration`` (the fake's job clock and ``latency.job_duration``);
:meth:`SRDFRules.advance_srdf`, run on every request, moves them on to
the synchronised state of their mode.

A lost link (:meth:`SRDFRules.rdf_link_down`) partitions the pairs of a
group on both arrays and refuses what needs the other side; only a
failover (the disaster case) and deleting a pair still work.
:meth:`SRDFRules.rdf_link_up` leaves partitioned pairs Suspended:
copying does not restart by itself. Deleting a pair while the links are
down (a client promoting the surviving array) deletes only the half on
the array asked: its device is unpaired and keeps its data, while the
other array, which cannot be told, keeps its half as a pair object of
its own (``RdfPair.half``), Partitioned even after the links return,
until it is deleted there too. The leak checks report such a half.

Metro (rdfMode Active) pairs settle ActiveActive when their group has a
witness and was not started with bias, ActiveBias otherwise. Bias is
recorded per group (on both arrays): the first pairs of a group set it
from ``metroBias`` of the protect (``bias`` of a pair create), and every
Establish of Metro pairs sets it again from ``establish.metroBias``. Bias
is refused for other modes and where it would change the bias of a group
already holding Metro pairs.

Consistency exemption (``exempt`` on pair create) lets pairs join an
active Asynchronous or Metro group; they join Suspended, or copying
when ``establish`` is given for Asynchronous pairs. For Metro it needs
PowerMaxOS 5978 or later on the local array, and ``establish`` is
refused when the group is active: the reference has clients create
Metro pairs without it and start them with a storage-group Establish,
which must cover the whole group (``srdf_sg.py``).

The leak checks also hold clients to their management-group convention:
a storage group ``OS-<label>-Asynchronous-rdf-sg`` or
``OS-<label>-Metro-rdf-sg``, where ``<label>`` is the label of an RDF
group of that array, is the client's handle on the whole RDF group
("the volumes in this storage group directly correspond to the volumes
in the RDF group"), so it must hold exactly the devices paired in that
group on that array, and its name must match their mode.
"""

import dataclasses
import re
import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import records

SYNCHRONOUS, ASYNCHRONOUS, ACTIVE = 'Synchronous', 'Asynchronous', 'Active'
MODES = (SYNCHRONOUS, ASYNCHRONOUS, ACTIVE)
SYNCED = {SYNCHRONOUS: 'Synchronized', ASYNCHRONOUS: 'Consistent',
          ACTIVE: 'ActiveBias'}
SYNC_IN_PROG, SUSPENDED, SPLIT = 'SyncInProg', 'Suspended', 'Split'
FAILED_OVER, PARTITIONED = 'Failed Over', 'Partitioned'
# States in which data flows R1 -> R2 (or both ways for Metro).
FLOWING = (SYNC_IN_PROG, 'Synchronized', 'Consistent', 'ActiveBias',
           'ActiveActive')
# States in which a pair may be removed from an Asynchronous/Metro group.
STOPPED = (SUSPENDED, SPLIT, FAILED_OVER, PARTITIONED)
READY, WRITE_DISABLED = 'Ready', 'Write Disabled'
# The storage group a client keeps in step with an RDF group it manages.
MANAGEMENT_SG = re.compile(
    r'^OS-(?P<label>.+)-(?P<mode>Asynchronous|Metro)-rdf-sg$')
MANAGEMENT_MODES = {'Asynchronous': ASYNCHRONOUS, 'Metro': ACTIVE}
SCRATCH = '\0r2'  # not a valid SG name: no client can reach it


@dataclasses.dataclass
class RdfPair:
    """One SRDF device pair, shared by the groups of both arrays."""

    r1_sid: str
    r1_dev: str
    r1_group: int
    r2_sid: str
    r2_dev: str
    r2_group: int
    mode: str
    state: str
    ready_at: float = 0.0
    # The partner's half was deleted while the links were down: this
    # array alone still holds the pair (see SRDFRules.drop_half).
    half: bool = False
    # Asynchronous: (time, R1 content) not yet on the R2, oldest first.
    cycles: list = dataclasses.field(default_factory=list)

    def role(self, sid: str) -> str:
        return 'R1' if sid == self.r1_sid else 'R2'

    def local(self, sid: str) -> typing.Tuple[str, int]:
        """(device, group number) on array ``sid``."""
        if sid == self.r1_sid:
            return self.r1_dev, self.r1_group
        return self.r2_dev, self.r2_group

    def remote(self, sid: str) -> typing.Tuple[str, str, int]:
        """(array, device, group number) on the other side of ``sid``."""
        if sid == self.r1_sid:
            return self.r2_sid, self.r2_dev, self.r2_group
        return self.r1_sid, self.r1_dev, self.r1_group

    def volume_state(self, role: str) -> str:
        """Host access of the R1 or R2 device in the current state."""
        if role == 'R1':
            return WRITE_DISABLED if self.state == FAILED_OVER else READY
        if self.state in (FAILED_OVER, SPLIT):
            return READY
        if self.mode == ACTIVE and self.state in ('ActiveBias',
                                                  'ActiveActive'):
            return READY
        return WRITE_DISABLED

    def swap(self) -> None:
        self.r1_sid, self.r2_sid = self.r2_sid, self.r1_sid
        self.r1_dev, self.r2_dev = self.r2_dev, self.r1_dev
        self.r1_group, self.r2_group = self.r2_group, self.r1_group

    def describe(self) -> str:
        return 'pair %s:%s (R1) -> %s:%s (R2)' % (
            self.r1_sid, self.r1_dev, self.r2_sid, self.r2_dev)


@dataclasses.dataclass
class RdfGroup:
    """One RDF group as one array sees it."""

    number: int
    label: str
    remote_sid: str
    remote_number: int
    local_ports: list  # [(director, port)]
    remote_ports: list
    online: bool = True
    witness: bool = False  # Metro pairs then settle ActiveActive
    bias: bool = False  # Metro pairs were started with metroBias
    # Asynchronous: seconds a write takes to reach the R2 (0: by the next
    # request, as a cycle would).
    lag: float = 0.0
    pairs: dict = dataclasses.field(default_factory=dict)  # dev -> pair

    def synced_state(self, mode: str) -> str:
        if mode == ACTIVE and self.witness and not self.bias:
            return 'ActiveActive'
        return SYNCED[mode]

    @property
    def bias_effective(self) -> bool:
        """Metro pairs of the group resolve a split by bias."""
        return ACTIVE in self.modes and (self.bias or not self.witness)

    @property
    def modes(self) -> typing.List[str]:
        return sorted({pair.mode for pair in self.pairs.values()})


def link_refused(group: RdfGroup) -> errors.ArrayError:
    # An array-side (Solutions Enabler) failure: Unisphere answers 500.
    return errors.ArrayError(
        500, 'The operation cannot be performed: the SRDF links of RDF '
        'group %d (%s) are offline; the remote Symmetrix %s cannot be '
        'reached' % (group.number, group.label, group.remote_sid))


def check_mode(mode: typing.Any) -> str:
    if mode not in MODES:
        raise errors.invalid(
            'rdfMode %r is not supported: one of %s (adaptive copy is not '
            'modelled by this Unisphere)' % (mode, ', '.join(MODES)))
    return mode


def connect(arrays: typing.Dict[str, typing.Any],
            groups: typing.Iterable[dict]) -> None:
    """Let the arrays see each other and create the configured groups.

    :param arrays: sid -> array, as the model holds them
    :param groups: dicts with ``sids`` (local, remote), ``numbers``,
        ``label`` and ``ports`` ((local director, port), (remote ...))
    """
    for array in arrays.values():
        array.peers = arrays
    for spec in groups:
        local, remote = spec['sids']
        if local in arrays and remote in arrays:
            arrays[local].add_rdf_group(spec['numbers'][0], spec['label'],
                                        remote, spec['numbers'][1],
                                        spec['ports'])


class SRDFRules:
    """SRDF rules; mixed into the array class."""

    peers: typing.Dict[str, typing.Any] = {}

    # -- groups and links ---------------------------------------------------

    def add_rdf_group(self, number: int, label: str, remote_sid: str,
                      remote_number: int, ports: typing.Sequence,
                      witness: bool = False) -> None:
        """Create group ``number`` here and ``remote_number`` remotely.

        :param ports: ([(director, port)...] here, [...] remotely)
        :param witness: a Metro witness is configured (else bias is used)
        """
        remote = self.peer(remote_sid)
        if number in self.rdf or remote_number in remote.rdf:
            raise errors.conflict('RDF group %d already exists' % number)
        local_ports, remote_ports = list(ports[0]), list(ports[1])
        self.rdf[number] = RdfGroup(number, label, remote_sid, remote_number,
                                    local_ports, remote_ports,
                                    witness=witness)
        remote.rdf[remote_number] = RdfGroup(
            remote_number, label, self.sid, number, remote_ports,
            local_ports, witness=witness)

    def rdf_group(self, number: typing.Any) -> RdfGroup:
        group = self.rdf.get(number)
        if group is None:
            raise errors.ArrayError(404, 'The specified RA group is not '
                                    'valid')
        return group

    def peer(self, sid: str) -> typing.Any:
        array = self.peers.get(sid)
        if array is None or array is self:
            raise errors.ArrayError(404, 'Remote Symmetrix %s cannot be '
                                    'found' % sid)
        return array

    def mirror(self, group: RdfGroup) -> RdfGroup:
        """The same group as the remote array sees it."""
        return self.peer(group.remote_sid).rdf[group.remote_number]

    def rdf_link_down(self, number: int) -> None:
        """Fault: lose the links of group ``number`` (both sides)."""
        group = self.rdf_group(number)
        for side in (group, self.mirror(group)):
            side.online = False
            for pair in side.pairs.values():
                if pair.state not in (FAILED_OVER, SPLIT):
                    pair.state = PARTITIONED

    def rdf_link_up(self, number: int) -> None:
        """End :meth:`rdf_link_down`; partitioned pairs are Suspended.

        A half pair stays Partitioned: its partner is gone for good.
        """
        group = self.rdf_group(number)
        for side in (group, self.mirror(group)):
            side.online = True
            for pair in side.pairs.values():
                if pair.state == PARTITIONED and not pair.half:
                    pair.state = SUSPENDED

    def set_bias(self, group: RdfGroup, bias: bool) -> None:
        """Record on both arrays whether Metro pairs use bias."""
        for side in (group, self.mirror(group)):
            side.bias = bias

    def check_link(self, group: RdfGroup) -> None:
        if not group.online:
            raise link_refused(group)

    def advance_srdf(self, now: float) -> None:
        """Finish due synchronisations (run on every request)."""
        for group in self.rdf.values():
            for pair in group.pairs.values():
                if pair.state == SYNC_IN_PROG and now >= pair.ready_at:
                    pair.state = group.synced_state(pair.mode)
                if pair.r1_sid == self.sid:
                    self._carry(group, pair, now)

    # -- data ---------------------------------------------------------------

    def _carry(self, group: RdfGroup, pair: RdfPair, now: float) -> None:
        """Bring the R2's data up to the R1's, as the pair's mode does.

        Synchronous and Metro pairs carry every write at once; an
        Asynchronous pair carries the R1's data as it was ``group.lag``
        seconds ago. Nothing flows unless the pair is copying or synced.
        """
        if pair.half or pair.state not in FLOWING:
            pair.cycles = []
            return
        r1 = self.volumes.get(pair.r1_dev)
        r2 = self.peer(pair.r2_sid).volumes.get(pair.r2_dev)
        if r1 is None or r2 is None:
            return
        if pair.mode != ASYNCHRONOUS:
            r2.content = r1.content
            return
        if not pair.cycles or pair.cycles[-1][1] != r1.content:
            pair.cycles.append((now, r1.content))
        due = [entry for entry in pair.cycles if entry[0] <= now - group.lag]
        if due:
            r2.content = due[-1][1]
            pair.cycles = pair.cycles[len(due):]

    def mirror_write(self, device_id: str) -> None:
        """A write of a paired device, as its pair carries it at once."""
        pair = self.pair_of(device_id)
        if pair is None or pair.half or pair.state not in FLOWING:
            return
        if pair.mode == ASYNCHRONOUS and pair.role(self.sid) == 'R1':
            return  # the next cycle carries it (see _carry)
        if pair.role(self.sid) == 'R2' and pair.mode != ACTIVE:
            return
        sid, device, _number = pair.remote(self.sid)
        other = self.peer(sid).volumes.get(device)
        if other is not None:
            other.content = self.volumes[device_id].content

    def _side(self, sid: str) -> typing.Any:
        return self if sid == self.sid else self.peer(sid)

    def check_writable(self, device_id: str) -> None:
        """A host write to a Write Disabled SRDF device is refused."""
        pair = self.pair_of(device_id)
        if pair is not None and pair.volume_state(
                pair.role(self.sid)) == WRITE_DISABLED:
            raise errors.conflict('Device %s is Write Disabled (%s, %s)' % (
                device_id, pair.role(self.sid), pair.state))

    def failback_data(self, pair: RdfPair) -> None:
        """Failback copies what the R2 wrote while failed over to the R1."""
        r1 = self._side(pair.r1_sid).volumes.get(pair.r1_dev)
        r2 = self._side(pair.r2_sid).volumes.get(pair.r2_dev)
        if r1 is not None and r2 is not None:
            r1.content = r2.content
        pair.cycles = []

    # -- lookups ------------------------------------------------------------

    def pair_of(self, device_id: str) -> typing.Optional[RdfPair]:
        for group in self.rdf.values():
            if device_id in group.pairs:
                return group.pairs[device_id]
        return None

    def group_of_pair(self, device_id: str) -> typing.Optional[RdfGroup]:
        for group in self.rdf.values():
            if device_id in group.pairs:
                return group
        return None

    def pair_in(self, number: int, device_id: str) -> RdfPair:
        group = self.rdf_group(number)
        self.volume(device_id)
        pair = group.pairs.get(device_id)
        if pair is None:
            raise errors.ArrayError(
                404, 'Device %s is not an SRDF device of RDF group %d' % (
                    device_id, number))
        return pair

    def rdf_devices(self, number: int) -> typing.List[str]:
        return sorted(self.rdf_group(number).pairs)

    # -- rules other operations consult ------------------------------------

    def check_srdf_delete(self, device_id: str) -> None:
        group = self.group_of_pair(device_id)
        if group is not None:
            raise errors.conflict(
                'Cannot delete device %s: it is an SRDF device of RDF '
                'group %d; delete the pair first' % (device_id,
                                                     group.number))

    def check_srdf_expand(self, device_id: str,
                          rdf_group: typing.Optional[int] = None) -> None:
        group = self.group_of_pair(device_id)
        if group is None:
            if rdf_group is not None:
                raise errors.invalid('Device %s is not an SRDF device; '
                                     'rdfGroupNumber does not apply' %
                                     device_id)
            return
        if rdf_group is None:
            raise errors.conflict(
                'Cannot expand device %s: it is an SRDF device of RDF group '
                '%d; give rdfGroupNumber to expand both sides' % (
                    device_id, group.number))
        if rdf_group != group.number:
            raise errors.invalid('Device %s is paired in RDF group %d, not '
                                 '%d' % (device_id, group.number, rdf_group))

    # -- pairs --------------------------------------------------------------

    def new_r2(self, cylinders: int, sg: typing.Optional[str]) -> str:
        """A device for an R2 on this array, in ``sg`` when given."""
        if sg is not None:
            return self.create_volumes(sg, 1, cylinders)[0]
        # Pairs made through rdf_group/{n}/volume leave the R2 in no storage
        # group (the client files it afterwards); a scratch group lends the
        # array's one way of making devices.
        self.storage_groups[SCRATCH] = records.StorageGroup(SCRATCH,
                                                            srp='SRP_1')
        try:
            return self.create_volumes(SCRATCH, 1, cylinders)[0]
        finally:
            del self.storage_groups[SCRATCH]

    def check_pairable(self, group: RdfGroup, devices: typing.List[str],
                       mode: str, exempt: bool, bias: bool = False) -> None:
        """Refusals common to every way of creating pairs."""
        self.check_link(group)
        self.check_bias(group, mode, bias)
        for device_id in devices:
            self.volume(device_id)
            if self.group_of_pair(device_id) is not None:
                raise errors.conflict(
                    'Device %s is already an SRDF device (concurrent SRDF is '
                    'not modelled)' % device_id)
        others = set(group.modes) - {mode}
        if others and (mode != SYNCHRONOUS or others - {SYNCHRONOUS}):
            raise errors.conflict(
                'RDF group %d holds %s pairs; it cannot also hold %s pairs' %
                (group.number, '/'.join(sorted(others)), mode))
        if mode in (ASYNCHRONOUS, ACTIVE) and not exempt and any(
                p.state in FLOWING for p in group.pairs.values()):
            raise errors.conflict(
                'RDF group %d is active in %s mode: adding or removing '
                'pairs needs consistency exemption' % (group.number, mode))
        remote = self.peer(group.remote_sid)
        gb = sum(self.volume(d).cap_gb for d in devices)
        remote._check_subscription(remote.srp('SRP_1'), gb)

    @staticmethod
    def check_bias(group: RdfGroup, mode: str, bias: bool) -> None:
        """``metroBias`` on pair creation: Metro only, first pairs."""
        if not bias:
            return
        if mode != ACTIVE:
            raise errors.invalid(
                'metroBias applies to SRDF/Metro pairs (rdfMode Active), '
                'not to %s pairs' % mode)
        if group.pairs and not group.bias_effective:
            raise errors.conflict(
                'RDF group %d holds Metro pairs that use its witness; '
                'metroBias is set for the whole group with an Establish' %
                group.number)

    def check_metro_create(self, group: RdfGroup, establish: bool,
                           exempt: bool) -> None:
        """Refusals of ``POST rdf_group/{n}/volume`` for Active pairs."""
        if exempt and not self.next_gen:
            raise errors.invalid(
                'consistency exemption for SRDF/Metro needs PowerMaxOS 5978: '
                'Symmetrix %s runs %s' % (self.sid, self.microcode_version))
        if establish and any(p.state in FLOWING
                             for p in group.pairs.values()):
            raise errors.invalid(
                'establish is not allowed for SRDF/Metro pairs added to '
                'active RDF group %d: they join it Suspended; suspend the '
                'group and establish all of its devices together' %
                group.number)

    def make_pairs(self, number: int, devices: typing.List[str], mode: str,
                   establish: bool, now: float, duration: float,
                   remote_sg: typing.Optional[str] = None,
                   bias: bool = False) -> typing.List[RdfPair]:
        """Create R2s remotely and pair them (checks done by the caller).

        The first Metro pairs of a group set whether it uses bias.
        """
        group = self.rdf_group(number)
        remote = self.peer(group.remote_sid)
        mirror = self.mirror(group)
        if mode == ACTIVE and not group.pairs:
            self.set_bias(group, bias)
        made = []
        for device_id in devices:
            r2 = remote.new_r2(self.volume(device_id).cap_cyl, remote_sg)
            pair = RdfPair(self.sid, device_id, number, remote.sid, r2,
                           group.remote_number, mode,
                           SYNC_IN_PROG if establish else SUSPENDED,
                           now + duration)
            group.pairs[device_id] = pair
            mirror.pairs[r2] = pair
            made.append(pair)
        return made

    def create_pairs(self, number: int, devices: typing.List[str],
                     mode: str, establish: bool, exempt: bool, now: float,
                     duration: float, bias: bool = False
                     ) -> typing.List[RdfPair]:
        """``POST rdf_group/{n}/volume``: R2s in no storage group."""
        group = self.rdf_group(number)
        self.check_pairable(group, devices, check_mode(mode), exempt, bias)
        if mode == ACTIVE:
            self.check_metro_create(group, establish, exempt)
        return self.make_pairs(number, devices, mode, establish, now,
                               duration, bias=bias)

    def check_unpairable(self, group: RdfGroup, pair: RdfPair,
                         exempt: bool = False, link: bool = True) -> None:
        if link:
            self.check_link(group)
        if pair.mode in (ASYNCHRONOUS, ACTIVE) and (
                pair.state not in STOPPED) and not exempt:
            raise errors.conflict(
                'Cannot remove %s from %s RDF group %d in state %s: suspend '
                'it first' % (pair.describe(), pair.mode, group.number,
                              pair.state))

    def unpair(self, pair: RdfPair) -> None:
        """Forget a pair on both arrays; both devices stay."""
        for sid, device_id, number in (
                (pair.r1_sid, pair.r1_dev, pair.r1_group),
                (pair.r2_sid, pair.r2_dev, pair.r2_group)):
            array = self if sid == self.sid else self.peer(sid)
            pairs = array.rdf[number].pairs
            if pairs.get(device_id) is pair:  # not a newer pair of it
                del pairs[device_id]

    def delete_pair(self, number: int, device_id: str) -> None:
        """``DELETE rdf_group/{n}/volume/{dev}``.

        With the group's links down only this array's half goes (see
        :meth:`drop_half`).
        """
        pair = self.pair_in(number, device_id)
        group = self.rdf_group(number)
        self.check_unpairable(group, pair, link=False)
        if group.online:
            self.unpair(pair)
        else:
            self.drop_half(group, pair)

    def drop_half(self, group: RdfGroup, pair: RdfPair) -> None:
        """Delete this array's half of a pair the links cannot reach.

        The device here is unpaired and keeps its data; the other array
        cannot be told and keeps its half, now a pair object of its own
        (:attr:`RdfPair.half`) for a later delete there.
        """
        del group.pairs[pair.local(self.sid)[0]]
        mirror = self.mirror(group)
        remote_dev = pair.remote(self.sid)[1]
        if mirror.pairs.get(remote_dev) is pair:
            mirror.pairs[remote_dev] = dataclasses.replace(pair, half=True)

    def expand_rdf(self, device_id: str, cylinders: int,
                   number: int) -> None:
        """Grow an R1 or R2 and its partner (``rdfGroupNumber``)."""
        self.check_srdf_expand(device_id, number)
        pair = self.pair_in(number, device_id)
        self.check_link(self.rdf_group(number))
        remote_sid, remote_dev, remote_number = pair.remote(self.sid)
        remote = self.peer(remote_sid)
        for array, dev in ((self, device_id), (remote, remote_dev)):
            volume = array.volume(dev)
            if cylinders <= volume.cap_cyl:
                raise errors.invalid(
                    'The new size of device %s must be greater than its '
                    'current size of %s GB' % (dev, volume.cap_gb))
            gb = (cylinders - volume.cap_cyl) * records.CYL_MB / 1024.0
            array._check_subscription(array.srp(volume.srp), gb)
            array.check_snapvx_expand(dev)
        self.expand_volume(device_id, cylinders, number)
        remote.expand_volume(remote_dev, cylinders, remote_number)


# -- leak checks (fixture.check) ----------------------------------------------

def pair_names(array: typing.Any) -> typing.Set[str]:
    """One line per pair this array holds, for the fixture's baseline."""
    return {'%s in RDF group %d' % (pair.describe(), number)
            for number, group in array.rdf.items()
            for pair in group.pairs.values()}


def debris(array: typing.Any) -> typing.List[str]:
    """SRDF debris and breaches on one array (each side checks itself)."""
    problems = []
    for number, group in sorted(array.rdf.items()):
        mirror = array.peers.get(group.remote_sid)
        mirror = mirror.rdf.get(group.remote_number) if mirror else None
        if mirror is None:
            problems.append('RDF group %d has no partner group on %s' % (
                number, group.remote_sid))
            continue
        for device_id, pair in sorted(group.pairs.items()):
            if pair.half:
                problems.append(
                    'half pair of device %s in RDF group %d: its partner %s '
                    'on %s was deleted while the link was down' % (
                        device_id, number, pair.remote(array.sid)[1],
                        group.remote_sid))
                continue
            problems += _pair_debris(array, number, device_id, pair, mirror)
    problems += _mixed_groups(array)
    problems += _management_groups(array)
    return problems


def _pair_debris(array: typing.Any, number: int, device_id: str,
                 pair: RdfPair, mirror: RdfGroup) -> typing.List[str]:
    what = '%s in RDF group %d' % (pair.describe(), number)
    remote_sid, remote_dev, _n = pair.remote(array.sid)
    remote = array.peers[remote_sid]
    problems = []
    if pair.local(array.sid) != (device_id, number):
        problems.append('%s is filed under device %s' % (what, device_id))
    if device_id not in array.volumes:
        problems.append('%s: device %s is gone' % (what, device_id))
    if remote_dev not in remote.volumes:
        kind = 'R2 %s is left without its R1' if pair.role(
            array.sid) == 'R2' else 'R1 %s is left without its R2'
        problems.append((kind + ' %s on %s') % (device_id, remote_dev,
                                                remote_sid))
    if mirror.pairs.get(remote_dev) is not pair:
        problems.append('%s is unknown to %s' % (what, remote_sid))
    return problems


def _mixed_groups(array: typing.Any) -> typing.List[str]:
    """Protected storage groups holding unpaired devices."""
    problems = []
    for name in sorted(array.storage_groups):
        numbers = array.sg_rdf_groups(name)
        if not numbers or array.views_of_group(name):
            continue
        loose = [d for d in array.members(name) if array.pair_of(d) is None]
        if len(numbers) > 1 or loose:
            problems.append(
                'SRDF-protected storage group %s (RDF groups %s) holds '
                'devices outside its RDF group: %s' % (
                    name, numbers, ', '.join(loose) or 'several groups'))
    return problems


def _management_groups(array: typing.Any) -> typing.List[str]:
    """Management storage groups that differ from their RDF group."""
    by_label: typing.Dict[str, typing.List[RdfGroup]] = {}
    for group in array.rdf.values():
        by_label.setdefault(group.label, []).append(group)
    problems = []
    for name in sorted(array.storage_groups):
        match = MANAGEMENT_SG.match(name)
        groups = by_label.get(match.group('label')) if match else None
        if not groups:
            continue
        what = 'RDF management storage group %s (RDF group %s)' % (
            name, '/'.join(str(g.number) for g in groups))
        # An empty one is reported with every empty OS- storage group.
        members = set(array.members(name))
        paired = {d for g in groups for d in g.pairs}
        for text, devices in (('lacks devices paired in it', paired -
                               members),
                              ('holds devices not paired in it', members -
                               paired)):
            if devices:
                problems.append('%s %s: %s' % (what, text,
                                               ', '.join(sorted(devices))))
        mode = MANAGEMENT_MODES[match.group('mode')]
        others = {p.mode for g in groups for p in g.pairs.values()} - {mode}
        if others:
            problems.append('%s is for %s pairs; the RDF group holds %s '
                            'pairs' % (what, mode, '/'.join(sorted(others))))
    return problems
