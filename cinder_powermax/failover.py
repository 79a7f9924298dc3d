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

"""The failover state of one backend, and its policy.

One :class:`Failover` per backend owns which array the backend acts on
(the configured one, or the replication target while failed over), the
replicators of its replication devices, and whether the target is being
promoted after the loss of the primary array. Its policy turns Cinder's
``failover_host`` (failover, failback, promotion start and end) into
SRDF actions and per-volume and per-group updates. The orchestrator and
the managers (retype, groups, replication groups) are given this one
object, built once per backend, and ask it; none keeps a copy of its
state.
"""

from __future__ import annotations

import collections
import typing
from typing import Optional

from cinder.objects import fields
from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import options
from cinder_powermax import ownership
from cinder_powermax import rdf
from cinder_powermax import srdf
from cinder_powermax import utils
from cinder_powermax import volspec

LOG = logging.getLogger(__name__)

#: The in-tree driver's secondary id for its one replication device.
IN_TREE_SECONDARY_ID = 'failed over'
#: What pools report with a Synchronous replication device, as the
#: in-tree driver: replication groups replicate so (seed 001).
GROUP_CAPABILITIES = {'group_replication_enabled': True,
                      'consistent_group_replication_enabled': True}


def failed_over(active_backend_id) -> bool:
    """Whether Cinder runs the backend on ``active_backend_id``'s array."""
    return bool(active_backend_id) and active_backend_id != 'default'


class Failover:
    """Which array a backend serves from, and how it moves.

    :param arrays: the backend's :class:`cinder_powermax.arrays.Arrays`
    :param settings: the backend settings
    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param active_backend_id: what Cinder passed at start: the backend id
        it failed over to (a restart while failed over), or None
    :raises ConfigError: failed over without a replication device
    """

    def __init__(self, arrays, settings, protocol, active_backend_id=None):
        self.arrays = arrays
        self.settings = settings
        #: one :class:`srdf.Replicator` per replication device
        self.replicators = [srdf.Replicator(arrays, device, protocol)
                            for device in settings.replications]
        self.failed_over = failed_over(active_backend_id)
        #: failed over and promoting the target after the primary's loss
        self.promoting = active_backend_id == options.PROMOTION_BACKEND_ID
        if self.failed_over and not self.replicators and \
                not self.promoting:
            raise exception.ConfigError(reason=_(
                'Cinder runs this backend failed over, but it has no '
                'replication_device to fail over to'))

    # -- state ----------------------------------------------------------------

    @property
    def replicator(self) -> Optional[srdf.Replicator]:
        """The first replicator: the target all devices share, or None."""
        return self.replicators[0] if self.replicators else None

    @property
    def sync(self) -> Optional[srdf.Replicator]:
        """The Synchronous device's replicator: groups replicate so."""
        return next((r for r in self.replicators
                     if r.mode == options.REP_SYNC), None)

    @property
    def can_pair(self) -> bool:
        """Whether pairs may be made or removed now (not failed over)."""
        return bool(self.replicators) and not self.failed_over

    def active(self):
        """The context of the array every operation acts on.

        The configured one; the replication target while failed over.
        """
        if self.failed_over and self.replicator is not None:
            return self.arrays.get(self.replicator.target)
        return self.arrays.get()

    def replicator_of(self, device) -> srdf.Replicator:
        """The replicator of replication device ``device``."""
        return next(r for r in self.replicators if r.device == device)

    def replicator_for(self, volume, info=None) -> srdf.Replicator:
        """The replicator pairing ``volume``.

        The one of the RDF group its device is paired in, else the one
        its type names; the first when neither tells.

        :param info: the volume's device detail, when read
        """
        if len(self.replicators) < 2:
            return self.replicator
        number = rdf.rdf_number(info) if info else None
        serial = self.active().serial
        for replicator in self.replicators:
            if number is not None and replicator.number(serial) == number:
                return replicator
        try:
            spec = volspec.resolve(volume, self.active().info, self.settings)
        except exception.InvalidSpec:
            return self.replicator
        if spec.replication is not None:
            return self.replicator_of(spec.replication)
        return self.replicator

    def replicates(self, volume, info=None) -> bool:
        """Whether a delete of ``volume`` must look at both arrays.

        A device paired, a volume with replication data, or one of a
        replicated type: a create of it that died before its pairing may
        have left the R2's group on the target.

        :param info: the volume's device detail, when read
        """
        if self.replicator is None:
            return False
        if (info and rdf.rdf_number(info) is not None) or \
                ownership.replication_data(volume):
            return True
        try:
            return volspec.resolve(volume, self.active().info,
                                   self.settings).replication is not None
        except exception.InvalidSpec:
            return False

    def check(self) -> None:
        """Refuse replication devices the arrays do not back."""
        serial = self.active().serial
        for replicator in self.replicators:
            replicator.check(serial)

    def stats(self, pools: list) -> dict:
        """The backend's replication keys; each pool gets them too.

        While promoting, the pools are repeated under the lost primary's
        serial (see :func:`primary_pools`).
        """
        if not self.replicators:
            return {'replication_enabled': False, 'replication_targets': []}
        replication = rdf.stats(self.replicators)
        if self.sync is not None:
            replication.update(GROUP_CAPABILITIES)
        for pool in pools:
            pool.update(replication)
        if self.promoting:
            pools += primary_pools(pools, self.settings)
        return replication

    def completed(self, active_backend_id=None) -> None:
        """Act on the array Cinder says is active now.

        The promotion id means failed over and promoting; None or
        ``default`` ends both.
        """
        self.failed_over = failed_over(active_backend_id)
        self.promoting = active_backend_id == options.PROMOTION_BACKEND_ID

    # -- failover and failback ------------------------------------------------

    def failover(self, volumes, secondary_id=None, groups=None) -> tuple:
        """The SRDF half of a failover, failback or promotion.

        The backend's state does not change here: in an active-active
        cluster one service runs this and then every service runs
        :meth:`completed`. Group members move with the other volumes;
        each replication group takes the status of its members.

        :returns: (active backend id, volume updates, group updates)
        :raises InvalidTarget: for a secondary id the state refuses
        """
        if self.promoting or secondary_id == options.PROMOTION_BACKEND_ID:
            backend_id, updates = self._promotion(volumes, secondary_id)
            return backend_id, updates, _promotion_group_updates(
                groups, backend_id)
        back = self._direction(secondary_id)
        updates, devices = self._move(volumes, back)
        backend_id = 'default' if back else self.replicator.device.backend_id
        LOG.info('Backend failed %(way)s: %(count)d replicated volume(s) '
                 'now on array %(array)s.', {
                     'way': 'back' if back else 'over',
                     'count': devices,
                     'array': self.replicator.primary if back else
                     self.replicator.target})
        return backend_id, updates, _group_updates(groups, volumes, updates,
                                                   back)

    def _move(self, volumes, back) -> tuple:
        """Each volume's update, and the SRDF actions that move them.

        :returns: (volume updates, how many replicated volumes moved)
        """
        devices, updates = {}, []
        moving = collections.defaultdict(list)
        named = Identities(self.arrays)
        for volume in volumes:
            update, replicator, device = self._plan(volume, back, named)
            if update is not None:
                updates.append({'volume_id': volume.id, 'updates': update})
            if device is None:
                continue
            devices[device] = update
            if not replicator.device.metro:
                # Both arrays serve an SRDF/Metro volume already: its
                # location swaps and no SRDF action is needed.
                moving[replicator].append(device)
        for replicator, targets in moving.items():
            for device in replicator.actions.failover(targets, back):
                # Its pair could not move: it stays where it is, in error.
                devices[device].clear()
                devices[device]['replication_status'] = (
                    fields.ReplicationStatus.ERROR)
        return updates, len(devices)

    def _plan(self, volume, back, named) -> tuple:
        """What a failover or failback does to one volume.

        :param named: the :class:`Identities` of this failover
        :returns: (its update or None, its replicator, the device on the
            target array whose pair moves, or None when none does)
        """
        update = volume_update(volume, back)
        if update is None:
            # Cinder expects unreplicated volumes in error on a failover:
            # their array is no longer the backend's.
            return (None if back else {'status': 'error'}), None, None
        destination = (self.replicator.primary if back
                       else self.replicator.target)
        if ownership.location_array(volume.provider_location) == \
                destination:
            # A group failed over on its own is there already.
            return {'replication_status': update['replication_status']}, \
                None, None
        replicator = self.replicator_for(volume)
        device = _checked(named.of(replicator.target), volume, update,
                          'replication_driver_data' if back
                          else 'provider_location')
        # A failback reports the R1 as the volume's location: it must be
        # the volume's own too.
        if device is None or (back and _checked(
                named.of(replicator.primary), volume, update,
                'provider_location') is None):
            return {'replication_status': fields.ReplicationStatus.ERROR}, \
                None, None
        return update, replicator, device

    def _direction(self, secondary_id) -> bool:
        """True for a failback, False for a failover; refuses others."""
        if self.replicator is None:
            raise exception.InvalidTarget(reason=_(
                'this backend has no replication_device'))
        if all(r.device.metro for r in self.replicators):
            raise exception.InvalidTarget(reason=_(
                'this backend replicates in SRDF/Metro mode only, where '
                'failover and failback do not apply: both arrays serve its '
                'volumes already'))
        valid = (None, self.replicator.device.backend_id,
                 self.replicator.target, IN_TREE_SECONDARY_ID)
        if secondary_id == 'default':
            if not self.failed_over:
                raise exception.InvalidTarget(reason=_(
                    'the backend is not failed over; there is nothing to '
                    'fail back'))
            return True
        if secondary_id not in valid:
            raise exception.InvalidTarget(reason=_(
                'unknown secondary id %(id)s; valid: %(valid)s or '
                'default') % {'id': exception.quoted(secondary_id),
                              'valid': ', '.join(v for v in valid if v)})
        if self.failed_over:
            raise exception.InvalidTarget(reason=_(
                'the backend is failed over already; fail back with '
                'default'))
        return False

    # -- array promotion ------------------------------------------------------

    def _promotion(self, volumes, secondary_id) -> tuple:
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
        :raises InvalidTarget: for a promotion when not failed over,
            another id while promoting, or an end the configuration does
            not allow yet
        """
        if secondary_id == options.PROMOTION_BACKEND_ID:
            if not self.failed_over:
                raise exception.InvalidTarget(reason=_(
                    'array promotion follows a failover, and the backend '
                    'is not failed over; fail it over to its replication '
                    'target first'))
            LOG.info('Array promotion of %(array)s started: no SRDF action '
                     'is sent; retype replicated volumes to types without '
                     'replication.', {'array': self.active().serial})
            return secondary_id, []
        if secondary_id != 'default':
            raise exception.InvalidTarget(reason=_(
                'array %(array)s is being promoted; secondary id %(id)s is '
                'refused: only default, which ends the promotion, is '
                'valid') % {'array': self.active().serial,
                            'id': exception.quoted(secondary_id)})
        return 'default', self._end_promotion(volumes)

    def _end_promotion(self, volumes) -> list:
        """The updates of the promoted array's volumes at the end."""
        serial = self.active().serial
        here = [v for v in volumes if ownership.location_array(
            v.provider_location) == serial]
        paired = sorted(v.id for v in here
                        if ownership.replication_data(v).get('device_id'))
        if self.replicators:
            raise exception.InvalidTarget(reason=_(
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
        LOG.info('Array promotion ended: array %(array)s serves the '
                 'backend.', {'array': serial})
        return [{'volume_id': v.id, 'updates': {
            'replication_status': fields.ReplicationStatus.ERROR
            if v.id in paired else fields.ReplicationStatus.DISABLED}}
            for v in here]


class OnActiveArray:
    """The base of what acts on the backend's active array.

    The array is asked of the failover state at each use: a failover or
    failback changes it under a manager built once.

    :param state: the backend's :class:`Failover`
    :param settings: the backend settings
    """

    def __init__(self, state, settings):
        self.state = state
        self.settings = settings

    @property
    def context(self):
        return self.state.active()

    @property
    def provision(self):
        return self.context.provision

    @property
    def groups(self):
        return self.context.groups

    @property
    def masking(self):
        return self.context.masking


class Identities:
    """The identifiers of the devices on the arrays one failover reads.

    Each array is listed once, on first need (one call and its pages),
    instead of one read per volume: a failover of a thousand volumes
    checks them all in a few calls.

    :param arrays: the backend's array contexts
    """

    def __init__(self, arrays):
        self.arrays = arrays
        self._named = {}

    def of(self, serial) -> 'NamedDevices':
        """``serial``'s OpenStack devices, listed now or earlier."""
        if serial not in self._named:
            self._named[serial] = NamedDevices(
                serial,
                self.arrays.get(serial).provision.identities(naming.PREFIX))
        return self._named[serial]


class NamedDevices(typing.NamedTuple):
    """One array's ``{device: identifier}`` as listed."""

    serial: str
    identifiers: dict


def _checked(named, volume, update, key) -> Optional[str]:
    """The volume's own device of ``update[key]`` on ``named``'s array.

    ``update[key]`` is corrected when the record named another device
    (see :func:`own_device`).

    :returns: the device, or None when the volume has none there
    """
    recorded = utils.parse_provider_location(update[key]).get('device_id')
    device = own_device(named, volume, recorded)
    if device is not None and device != recorded:
        update[key] = utils.build_provider_location(
            {'array': named.serial, 'device_id': device})
    return device


def own_device(named, volume, device) -> Optional[str]:
    """The volume's device on ``named``'s array, checked to be its own.

    The device its record names when it carries the volume's identity;
    else the one device there that does. A record naming another
    volume's device is never acted on nor reported.
    """
    names = ownership.identifiers(volume)
    if device and named.identifiers.get(device) in names:
        return device
    found = sorted(d for d, name in named.identifiers.items()
                   if name in names)
    LOG.warning('Volume %(id)s: device %(dev)s on array %(array)s is not '
                'its own; %(found)s carries its identity.',
                {'id': volume.id, 'dev': device, 'array': named.serial,
                 'found': ', '.join(found) or 'none'})
    return found[0] if len(found) == 1 else None


def volume_update(volume, back) -> Optional[dict]:
    """A replicated volume's update for a failover or failback.

    Its location and its replication data swap places, as the in-tree
    driver swaps them. None for a volume that is not replicated.
    """
    if not ownership.replication_data(volume).get('device_id'):
        return None
    status = (fields.ReplicationStatus.ENABLED if back else
              fields.ReplicationStatus.FAILED_OVER)
    return {'replication_status': status,
            'provider_location': volume.replication_driver_data,
            'replication_driver_data': volume.provider_location}


def _group_updates(groups, volumes, updates, back) -> list:
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


def _promotion_group_updates(groups, backend_id) -> list:
    """Group updates of a promotion: none at its start; ended, disabled.

    The members of the groups were promoted: they replicate no more.
    """
    if backend_id != 'default':
        return []
    return [{'group_id': group.id, 'updates': {
        'replication_status': fields.ReplicationStatus.DISABLED}}
        for group in groups or ()]


def primary_pools(pools, settings) -> list:
    """The pools again, under the lost primary's serial and SRP.

    While promoting, volumes whose host still names a pool of the
    primary must find it for Cinder's scheduler to retype them.
    """
    found = []
    for pool in pools:
        location = pool['location_info'].split('#')
        location[:2] = [settings.array, settings.srp]
        found.append(dict(pool, pool_name=naming.pool_on_array(
            pool['pool_name'], settings.srp, settings.array),
            location_info='#'.join(location)))
    return found
