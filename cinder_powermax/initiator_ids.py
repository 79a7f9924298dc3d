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

"""A connector's initiators, as the array names them, per protocol.

FC hosts are known by their WWPNs, iSCSI hosts by their initiator name
(IQN), NVMe/TCP hosts by their host NQN joined to their host id without
dashes (``<nqn>:<hostid>``), the form the array lists and the in-tree
driver sends. Only :func:`check_logged_in` reads the array, through the
API it is given.
"""

from __future__ import annotations

import re

from cinder_powermax import exception
from cinder_powermax.i18n import _

WWPN = re.compile(r'^[0-9A-Fa-f]{16}$')
IQN = re.compile(r'^(iqn\.|eui\.|naa\.)\S{1,220}$')
NQN = re.compile(r'^nqn\.\S{1,220}$')
HOST_ID = re.compile(r'^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?'
                     r'[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$')
QUOTE = 80  # characters of a bad connector value quoted in an error
NVME_TCP = 'NVMe_TCP'


def of(connector: dict, protocol: str) -> list:
    """The connector's initiators of ``protocol``, checked.

    :param connector: the Cinder connector (a dict)
    :param protocol: ``FC``, ``iSCSI`` or ``NVMe_TCP``
    :returns: WWPNs (lower case), the IQN, or ``<nqn>:<hostid>``
    :raises InvalidConnector: naming the key and what it must hold
    """
    if protocol == 'FC':
        return _wwpns(connector.get('wwpns'))
    if protocol == NVME_TCP:
        return [_nvme_host(connector)]
    value = connector.get('initiator')
    if isinstance(value, str) and IQN.match(value):
        return [value]
    raise _bad('initiator', value, protocol,
               _('an iSCSI initiator name (iqn. or eui.)'))


def _wwpns(value) -> list:
    found = [w.lower() for w in value or ()
             if isinstance(w, str) and WWPN.match(w)]
    if not value or len(found) != len(value):
        raise _bad('wwpns', value, 'FC',
                   _('a list of 16-digit hexadecimal WWPNs'))
    return found


def _nvme_host(connector) -> str:
    nqn = connector.get('nqn')
    if not isinstance(nqn, str) or not NQN.match(nqn):
        raise _bad('nqn', nqn, NVME_TCP,
                   _('the host NQN (nqn.), which os-brick reports when '
                     'nvme-cli is installed on the host'))
    host_id = connector.get('nvme_hostid')
    if not isinstance(host_id, str) or not HOST_ID.match(host_id):
        raise _bad('nvme_hostid', host_id, NVME_TCP,
                   _('the NVMe host id (a UUID, from /etc/nvme/hostid)'))
    return '%s:%s' % (nqn, host_id.replace('-', ''))


def _bad(key, value, protocol, wanted):
    return exception.InvalidConnector(
        key=key, value=exception.quoted(value, QUOTE),
        reason=_('the %(proto)s driver needs %(wanted)s') % {
            'proto': protocol, 'wanted': wanted})


def query(initiators: list) -> list:
    """The ``initiator_hba`` values that find these initiators.

    Unisphere finds an NVMe host by its NQN and its host id given as two
    values of the filter; WWPNs and IQNs are given as they are.
    """
    found = []
    for initiator in initiators:
        if NQN.match(initiator):
            found += initiator.rsplit(':', 1)
        else:
            found.append(initiator)
    return found


def check_logged_in(api, serial: str, host: str, found: list) -> None:
    """Refuse initiators the array has not seen logged in.

    With ``initiator_check`` an unzoned or mistyped WWN, IQN or NQN fails
    the attach with its name, instead of a view the host cannot use.

    :param api: the array's sloprovisioning API
    :raises InitiatorNotLoggedIn: naming the initiators not seen
    """
    seen = set()
    for entry in api.list_initiators(query(found)):
        if api.get_initiator(entry).get('logged_in'):
            seen.add(hba_of(entry))
    missing = [i for i in found if i.lower() not in seen]
    if missing:
        raise exception.InitiatorNotLoggedIn(
            host=host, initiators=', '.join(missing), array=serial)


def hba_of(entry: str) -> str:
    """The HBA of an initiator list entry ``DIR:PORT:HBA``, lower case.

    An IQN or an NQN holds colons too: only the first two separate.
    """
    return entry.split(':', 2)[-1].lower()
