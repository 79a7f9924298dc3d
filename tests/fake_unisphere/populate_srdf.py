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

"""Replicated volumes at array scale, made directly in the model.

The pairs Cinder's Synchronous replication leaves: each R1 in the
replicated default group of its type on the primary, its R2 of the same
size and identifier in the group of the same name on the target, the
pair Synchronized in the RDF group. Made record by record within the
arrays' rules (a device per pair on each side, capacity consumed), as
:mod:`tests.fake_unisphere.populate` fills an array, because making a
thousand pairs one REST call at a time would cost minutes.
"""

import typing

from tests.fake_unisphere import records
from tests.fake_unisphere import srdf

CYLINDERS_1GB = 547


def _group(array: typing.Any, name: str, slo: str) -> records.StorageGroup:
    if name not in array.storage_groups:
        array.storage_groups[name] = records.StorageGroup(
            name, srp='SRP_1', slo=slo,
            compression=bool(array.compression_capable))
    return array.storage_groups[name]


def populate_pairs(model: typing.Any, sid: str, number: int,
                   identifiers: typing.Sequence[str],
                   group: str = 'OS-SRP_1-Diamond-NONE-RE-SG',
                   slo: str = 'Diamond'
                   ) -> typing.List[typing.Tuple[str, str]]:
    """Synchronized pairs in RDF group ``number`` of array ``sid``.

    :param identifiers: the volume identifier of each pair (both sides)
    :returns: ``(R1 device, R2 device)`` of each, in order
    """
    with model.lock:
        array = model.array(sid)
        rdf_group = array.rdf_group(number)
        remote = array.peer(rdf_group.remote_sid)
        local_sg = _group(array, group, slo)
        _group(remote, group, slo)  # the R2s' home, filled by make_pairs
        srp = array.srp('SRP_1')
        devices = [array._new_volume(srp, CYLINDERS_1GB, identifier, False)
                   for identifier in identifiers]
        local_sg.volumes.extend(devices)
        pairs = array.make_pairs(number, devices, srdf.SYNCHRONOUS, True,
                                 0.0, 0.0, remote_sg=group)
        made = []
        for identifier, pair in zip(identifiers, pairs):
            pair.state = srdf.SYNCED[srdf.SYNCHRONOUS]
            remote.volumes[pair.r2_dev].identifier = identifier
            made.append((pair.r1_dev, pair.r2_dev))
        return made
