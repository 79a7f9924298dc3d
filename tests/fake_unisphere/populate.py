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

"""Fill an array to production size quickly, for scale tests and benches.

The objects are those a Cinder deployment leaves, in its naming
convention: per host an initiator group whose two WWPNs are logged in, a
parent and a child storage group and a masking view; the devices are
spread over the hosts' children and over default storage groups (at most
``MAX_SG_DEVICES`` each). Records are built directly, within the array's
rules, and the LUN addresses assigned once at the end: going through the
rule checks object by object would cost seconds at 10,000 devices.
"""

import typing

from tests.fake_unisphere import records

PG = 'OS-fibre-PG'
SLOS = ('Diamond', 'Gold', 'Silver', 'Bronze', 'Platinum', 'Optimized')


def _names(index: int) -> typing.Dict[str, str]:
    host = 'pop%05d' % index
    return {'ig': 'OS-%s-F-IG' % host,
            'parent': 'OS-%s-F-%s-SG' % (host, PG),
            'child': 'OS-%s-SRP_1-DiamondNONE-%s' % (host, PG),
            'view': 'OS-%s-F-%s-MV' % (host, PG)}


def _volumes(array: typing.Any, count: int) -> typing.List[str]:
    srp = array.srps['SRP_1']
    return [array._new_volume(srp, 547, 'OS-populated-%06d' % n, False)
            for n in range(count)]


def _host(array: typing.Any, index: int, devices: typing.List[str],
          ports: typing.List[str]) -> None:
    names = _names(index)
    hbas = ['10000090fb%06x' % (index * 2 + n) for n in (0, 1)]
    for hba in hbas:
        array.initiators[hba] = records.Initiator(hba, list(ports))
    array.hosts[names['ig']] = records.Host(names['ig'], hbas)
    array.storage_groups[names['child']] = records.StorageGroup(
        names['child'], srp='SRP_1', slo='Diamond', compression=bool(
            array.compression_capable), volumes=devices)
    array.storage_groups[names['parent']] = records.StorageGroup(
        names['parent'], children=[names['child']])
    array.masking_views[names['view']] = records.MaskingView(
        names['view'], names['ig'], PG, names['parent'])


def _defaults(array: typing.Any, devices: typing.List[str],
              slos: typing.Sequence[str]) -> int:
    """Default groups, one per service level, filled in turn."""
    made = 0
    limit = array.max_sg_devices
    for start in range(0, len(devices), limit):
        slo = slos[made % len(slos)]
        name = 'OS-SRP_1-%s-NONE-SG' % slo
        if made >= len(slos):
            name = 'OS-SRP_1-%s-NONE-%d-SG' % (slo, made // len(slos))
        array.storage_groups[name] = records.StorageGroup(
            name, srp='SRP_1', slo=slo, compression=bool(
                array.compression_capable),
            volumes=devices[start:start + limit])
        made += 1
    return made


def populate(array: typing.Any, devices: int = 10000, hosts: int = 1000,
             per_host: int = 5, default_slos: typing.Sequence[str] = SLOS
             ) -> dict:
    """Add ``hosts`` attached hosts and ``devices`` devices to ``array``.

    :param per_host: devices attached to each host (from ``devices``)
    :param default_slos: service levels of the default groups holding
        the unattached devices, filled in this order
    :returns: counts of what was made
    """
    ports = ['%s:%s' % p for p in array.port_groups[PG].ports]
    made = _volumes(array, devices)
    attached = min(len(made), hosts * per_host)
    for index in range(hosts):
        _host(array, index, made[index * per_host:
                                 min((index + 1) * per_host, attached)],
              ports)
    default_groups = _defaults(array, made[attached:], default_slos)
    array.refresh_luns()
    return {'devices': len(made), 'hosts': hosts, 'views': hosts,
            'storage_groups': 2 * hosts + default_groups}
