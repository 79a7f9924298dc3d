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

"""NVMe/TCP on the fake arrays (PowerMax 2500 and 8500, Unisphere 10).

An NVMe/TCP host is known to the array by its host NQN joined to its host
id, ``<nqn>:<32 hex digits>`` (reference section 12.1); it logs in to the
NVMe/TCP endpoints, whose ``identifier`` is the array's subsystem NQN and
whose ``ip_addresses`` are the portals (section 13.2). Plain functions over
strings and port records; the rules live with the other masking rules.
"""

import re
import typing

PROTOCOL = 'NVMe_TCP'
#: ``enabled_protocol`` of an endpoint, as the 10.0 spec spells it.
ENABLED_PROTOCOL = 'NVMe/TCP'
HOST_NQN_RE = re.compile(r'^nqn\.\S{1,200}:[0-9A-Fa-f]{32}$')


def protocol_of(hba: str) -> str:
    """The protocol of an initiator: ``FC``, ``iSCSI`` or ``NVMe_TCP``."""
    if hba.startswith('iqn.'):
        return 'iSCSI'
    if hba.startswith('nqn.'):
        return PROTOCOL
    return 'FC'


def is_host_nqn(hba: typing.Any) -> bool:
    return isinstance(hba, str) and bool(HOST_NQN_RE.match(hba))


def filter_matches(hba: str, wanted: typing.Sequence[str]) -> bool:
    """Whether ``initiator_hba`` values (lower case) select ``hba``.

    An NVMe host is selected by its NQN and its host id, given as two
    values of the filter, as the in-tree driver sends them; others by
    their whole name.
    """
    if not is_host_nqn(hba):
        return hba.lower() in wanted
    nqn, host_id = hba.rsplit(':', 1)
    return nqn.lower() in wanted and host_id.lower() in wanted


def connector_hbas(connector: dict) -> typing.List[str]:
    """The NVMe host of a Cinder connector, as the array names it."""
    nqn, host_id = connector.get('nqn'), connector.get('nvme_hostid')
    if isinstance(nqn, str) and isinstance(host_id, str):
        return ['%s:%s' % (nqn, host_id.replace('-', ''))]
    return []


def subsystem_nqn(sid: str) -> str:
    """The NVMe subsystem NQN of an array (made up, in Dell's shape)."""
    return 'nqn.1988-11.com.dell:powermax:00:%s' % sid


def endpoints(sid: str, directors: typing.Sequence[str], octet: int,
              number: str = '12') -> typing.List[dict]:
    """NVMe/TCP endpoint ports of a V4 array, one per director."""
    return [{'director': director, 'port': number, 'protocol': PROTOCOL,
             'ip_addresses': ['192.168.%d.%d' % (octet, 40 + index)],
             'identifier': subsystem_nqn(sid)}
            for index, director in enumerate(directors)]


def port_fields(record: typing.Any) -> dict:
    """The fields an NVMe/TCP endpoint adds to ``symmetrixPort``."""
    return {'type': 'GigE', 'ip_addresses': list(record.ip_addresses),
            'nvmetcp_endpoint': True,
            'enabled_protocol': [ENABLED_PROTOCOL],
            'capable_protocol': [ENABLED_PROTOCOL], 'tcp_port': 4420}
