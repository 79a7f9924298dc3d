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

"""The RDF group of one replication device, as both its arrays see it.

An :class:`RdfGroup` knows the two arrays it joins (the configured,
primary array and the target), its label and number on each side, its
mode, the lock under which its pairs change, and how to read a pair
from either side. It checks at setup that the arrays back the
``replication_device``. The pairs' lifecycle (:mod:`srdf`) and the
storage groups SRDF acts through (:mod:`srdfgroups`) build on it.
"""

from __future__ import annotations

from typing import Optional

from cinder import coordination
from oslo_log import log as logging

from cinder_powermax import arrayinfo
from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax.unisphere import srdf as srdf_api

LOG = logging.getLogger(__name__)

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


def pair_state(pair: dict) -> str:
    """A pair's ``rdfpairState``, lower case ('' when unknown)."""
    return str(pair.get('rdfpairState') or '').lower()


class RdfGroup:
    """The RDF group of one ``replication_device``.

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
        self.management = (naming.rdf_management_sg_name(self.label,
                                                         self.mode)
                           if device.managed_together else None)
        self.numbers: dict[str, int] = {}
        arrays.add_remote(self.target, device.remote_pool,
                          device.remote_port_group)

    def other(self, serial: str) -> str:
        return self.target if serial == self.primary else self.primary

    def api(self, serial: str) -> srdf_api.Srdf:
        return self.arrays.get(serial).srdf

    def lock(self):
        """The RDF group's lock, held while its pairs change.

        Named from the primary's serial, from both sides.
        """
        return coordination.COORDINATOR.get_lock(naming.lock_name(
            self.primary, 'rdfg', self.label))

    def best_effort(self, func, *args, what=''):
        return polling.best_effort(func, *args, what=what)

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

    # -- pairs ----------------------------------------------------------------

    def partner(self, serial: str, device: str,
                number: Optional[int] = None) -> tuple:
        """(array, device) of the partner of ``device`` on ``serial``."""
        number = number if number is not None else self.number(serial)
        pair = self.api(serial).get_pair(number, device)
        return pair.get('remoteSymmetrixId'), pair.get('remoteVolumeName')
