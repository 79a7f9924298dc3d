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

"""JSON shapes of SRDF objects (reference sections 10.1, 10.4 and 15).

Every view is seen from one array: ``local*`` fields describe the device
of the array in the URL, ``remote*`` its partner.
"""

import typing

from tests.fake_unisphere import srdf


def rdf_group(array: typing.Any, group: srdf.RdfGroup) -> dict:
    modes = group.modes
    metro = srdf.ACTIVE in modes
    ports = ['%s:%s' % p for p in group.local_ports]
    remote_ports = ['%s:%s' % p for p in group.remote_ports]
    body = {
        'rdfgNumber': group.number, 'label': group.label,
        'remoteRdfgNumber': group.remote_number,
        'remoteSymmetrix': group.remote_sid,
        'numDevices': len(group.pairs),
        'totalDeviceCapacity': round(sum(
            array.volumes[d].cap_gb for d in group.pairs
            if d in array.volumes), 2),
        'localPorts': ports, 'remotePorts': remote_ports,
        'localOnlinePorts': ports if group.online else [],
        'remoteOnlinePorts': remote_ports if group.online else [],
        'modes': modes, 'type': 'Metro' if metro else 'Dynamic',
        'metro': metro, 'async': srdf.ASYNCHRONOUS in modes,
        # ``witness`` marks a witness group; this one only may use one.
        'witness': False, 'witnessConfigured': group.witness,
        'witnessEffective': metro and not group.bias_effective,
        'witnessDegraded': False,
        'biasConfigured': metro and group.bias_effective,
        'biasEffective': metro and group.bias_effective,
        'offline': not group.online,
    }
    polarity = _polarity(array, group)
    if polarity is not None:
        body['device_polarity'] = polarity
    return body


def _polarity(array: typing.Any, group: srdf.RdfGroup
              ) -> typing.Optional[str]:
    """RDF1, RDF2 or Mixed; none for a group without devices."""
    roles = {pair.role(array.sid) for pair in group.pairs.values()}
    if len(roles) == 1:
        return roles.pop().replace('R', 'RDF')
    return 'Mixed' if roles else None


def rdf_group_entry(group: srdf.RdfGroup) -> dict:
    """One entry of ``GET rdf_group``."""
    return {'rdfgNumber': group.number, 'label': group.label,
            'remote_symmetrix_id': group.remote_sid,
            'group_type': 'Metro' if srdf.ACTIVE in group.modes
            else 'Dynamic'}


def pair(array: typing.Any, record: srdf.RdfPair) -> dict:
    """``GET rdf_group/{n}/volume/{dev}``, seen from ``array``."""
    role = record.role(array.sid)
    other = 'R2' if role == 'R1' else 'R1'
    device_id, number = record.local(array.sid)
    remote_sid, remote_dev, remote_number = record.remote(array.sid)
    remote = array.peer(remote_sid)
    local_vol, remote_vol = array.volumes[device_id], remote.volumes.get(
        remote_dev)
    larger = 'Equal'
    if remote_vol is not None and remote_vol.cap_cyl != local_vol.cap_cyl:
        larger = role if local_vol.cap_cyl > remote_vol.cap_cyl else other
    return {
        'localSymmetrixId': array.sid, 'remoteSymmetrixId': remote_sid,
        'localRdfGroupNumber': number, 'remoteRdfGroupNumber': remote_number,
        'localVolumeName': device_id, 'remoteVolumeName': remote_dev,
        'localVolumeState': record.volume_state(role),
        'remoteVolumeState': record.volume_state(other),
        'volumeConfig': '%s+TDEV' % role.replace('R', 'RDF'),
        'rdfMode': record.mode, 'rdfpairState': record.state,
        'largerRdfSide': larger,
        'local_wwn_external': local_vol.wwn,
        'remote_wwn_external': remote_vol.wwn if remote_vol else '',
    }


def sg_state(array: typing.Any, name: str, number: int) -> dict:
    """``GET storagegroup/{sg}/rdf_group/{n}``."""
    pairs = array.sg_pairs(name, number)
    cylinders = sum(array.volumes[p.local(array.sid)[0]].cap_cyl
                    for p in pairs)
    return {
        'symmetrixId': array.sid, 'storageGroupName': name,
        'rdfGroupNumber': number,
        'volumeRdfTypes': sorted({p.role(array.sid) for p in pairs}),
        'states': sorted({p.state for p in pairs}),
        'modes': sorted({p.mode for p in pairs}),
        'largerRdfSides': ['Equal'], 'totalTracks': cylinders * 15,
        'hop2Rdfgs': [], 'hop2States': [], 'hop2Modes': [], 'domino': [],
        'consistency_protection': (
            'Enabled' if any(p.mode == srdf.ASYNCHRONOUS for p in pairs)
            else 'Disabled'),
        'capacity_mb': int(sum(array.volumes[p.local(array.sid)[0]].cap_mb
                               for p in pairs)),
    }


def volume_type(array: typing.Any, device_id: str) -> str:
    """``type`` of the public volume view: ``RDF1+TDEV`` when paired."""
    config = array.volumes[device_id].config
    record = array.pair_of(device_id)
    if record is None:
        return config
    return '%s+%s' % (record.role(array.sid).replace('R', 'RDF'), config)


def rdf_group_id(array: typing.Any, device_id: str) -> typing.Any:
    """``rdfGroupId``: the list of objects the API describes."""
    group = array.group_of_pair(device_id)
    if group is None:
        return None
    return [{'rdf_group_number': group.number, 'label': group.label}]


def rdf_info(array: typing.Any, device_id: str) -> dict:
    """``rdfInfo`` of the private volume view."""
    record = array.pair_of(device_id)
    if record is None:
        return {'RDF': False, 'dynamicRDF': False, 'concurrentRDF': False,
                'RDFA': False}
    role = record.role(array.sid)
    _dev, number = record.local(array.sid)
    remote_sid, remote_dev, remote_number = record.remote(array.sid)
    return {
        'RDF': True, 'dynamicRDF': True, 'concurrentRDF': False,
        'RDFA': record.mode == srdf.ASYNCHRONOUS,
        'getDynamicRDFCapability': 'RDF1_OR_RDF2_Capable',
        'RDFSession': [{
            'SRDFStatus': record.volume_state(role),
            'SRDFReplicationMode': record.mode,
            'pairState': record.state, 'SRDFType': role,
            'remoteDeviceID': remote_dev, 'remoteSymmetrixID': remote_sid,
            'SRDFGroupNumber': number,
            'SRDFRemoteGroupNumber': remote_number}],
    }


def sg_replication(array: typing.Any, name: str, include_remote: bool = False,
                   exclude_manual: bool = False) -> dict:
    """``GET replication/.../storagegroup/{sg}``: SnapVX and SRDF of it.

    :param include_remote: ``include_remote_sgs``: name the groups the
        R2s are in
    :param exclude_manual: ``exclude_manual_snaps``: leave out snapshots
        not made by a snapshot policy (all of them here)
    """
    members = array.members(name)
    snaps = [] if exclude_manual else sorted({
        snap.name for device in members
        for snap in array.snapshots_of(device)})
    numbers = array.sg_rdf_groups(name)
    parents = array.parents_of(name)
    body = {
        'name': name, 'symmetrixId': array.sid,
        'childNames': list(array.storage_groups[name].children),
        'numDevicesNonGk': len(members),
        'capacityGB': round(sum(array.volumes[d].cap_gb for d in members),
                            2),
        'numSnapVXSnapshots': len(snaps), 'snapVXSnapshots': snaps,
        'num_cloud_snapshots': 0, 'rdf': bool(numbers),
        'isLinkTarget': any(array.links_to(d) for d in members),
        'snapshot_policies': [], 'rdf_groups': numbers,
    }
    if parents:
        body['parentName'] = parents[0]
    if include_remote:
        body['remote_storage_groups'] = _remote_groups(array, name, numbers)
    return body


def _remote_groups(array: typing.Any, name: str, numbers: list
                   ) -> typing.List[dict]:
    found = sorted({
        (sid, group) for number in numbers
        for pair in array.sg_pairs(name, number)
        for sid, device in [pair.remote(array.sid)[:2]]
        for group in array.peer(sid).groups_of(device)})
    return [{'symmetrix_id': sid, 'storage_group_id': group}
            for sid, group in found]
