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

"""JSON renderings of the model's objects, in Unisphere's field names."""

import typing

from tests.fake_unisphere import records
from tests.fake_unisphere import snapvx_views
from tests.fake_unisphere import srdf_views

TB = 1024.0


def array_detail(array: typing.Any) -> dict:
    body = {
        'symmetrixId': array.sid, 'model': array.model, 'local': True,
        'all_flash': not array.model.startswith('VMAX1'),
        'device_count': len(array.volumes), 'disk_count': 64,
        'cache_size_mb': 524288, 'data_encryption': 'Disabled',
        'display_name': array.sid,
        'fe_dir_count': len(array.directors), 'be_dir_count': 4,
        'rdf_dir_count': 0,
    }
    if array.ucode:
        body['ucode'] = array.ucode
    else:
        body['microcode'] = array.microcode
        body['microcode_package_version'] = array.microcode
    return body


def array_capacity(array: typing.Any) -> dict:
    srp = array.srps.get('SRP_1')
    body = array_detail(array)
    body.update({
        'host_visible_device_count': sum(
            1 for d in array.volumes if array.views_of_device(d)),
        'default_fba_srp': 'SRP_1', 'tags': ','.join(array.tags)})
    if srp is not None:
        body['system_capacity'] = {
            'usable_total_tb': round(srp.total_gb / TB, 2),
            'usable_used_tb': round(srp.used_gb / TB, 2),
            'subscribed_total_tb': round(srp.subscribed_gb / TB, 2),
            'subscribed_allocated_tb': round(srp.used_gb / TB, 2),
            'snapshot_total_tb': 0.0, 'snapshot_modified_tb': 0.0}
    return body


def srp_detail(array: typing.Any, srp: records.Srp) -> dict:
    body = {
        'srpId': srp.name, 'num_of_disk_groups': 1, 'emulation': 'FBA',
        'description': '', 'reserved_cap_percent': srp.reserved_cap_percent,
        'rdfa_dse': False, 'reliability_state': 'Nominal',
        'diskGroupId': ['1'], 'service_levels': list(array.service_levels),
        'compression_state': ('Enabled' if array.compression_capable
                              else 'Not Capable'),
        'total_srdf_dse_allocated_cap_gb': 0.0, 'external_capacity_gb': 0.0,
    }
    used_percent = round(100.0 * srp.used_gb / srp.total_gb, 1)
    if array.v4:
        body['fba_srp_capacity'] = {
            'provisioned': {
                'provisioned_tb': round(srp.subscribed_gb / TB, 4),
                'effective_capacity_tb': round(srp.total_gb / TB, 4),
                'provisioned_percent': round(
                    100.0 * srp.subscribed_gb / srp.total_gb, 1)},
            'effective': {
                'used_tb': round(srp.used_gb / TB, 4),
                'total_tb': round(srp.total_gb / TB, 4),
                'free_tb': round(srp.free_gb / TB, 4),
                'effective_used_percent': used_percent,
                'physical_capacity': {
                    'used_tb': round(srp.used_gb / TB / 3, 4),
                    'total_tb': round(srp.total_gb / TB / 3, 4),
                    'free_tb': round(srp.free_gb / TB / 3, 4)}}}
    else:
        body['effective_used_capacity_percent'] = int(used_percent)
        body['srp_capacity'] = {
            'usable_total_tb': round(srp.total_gb / TB, 4),
            'usable_used_tb': round(srp.used_gb / TB, 4),
            'subscribed_total_tb': round(srp.subscribed_gb / TB, 4),
            'subscribed_allocated_tb': round(srp.used_gb / TB, 4),
            'snapshot_total_tb': 0.0, 'snapshot_modified_tb': 0.0,
            'effective_used_capacity_percent': int(used_percent)}
    return body


def slo_detail(array: typing.Any, slo: str) -> dict:
    groups = [sg.name for sg in array.storage_groups.values()
              if sg.slo == slo]
    base = array.slo_bases[slo]
    response = {'Diamond': '0.8', 'Platinum': '1.0', 'Gold': '2.0',
                'Silver': '4.0', 'Bronze': '6.0'}.get(base, 'N/A')
    return {'sloId': slo, 'sloBaseId': base,
            'average_expected_response_time_ms': response,
            'num_of_workloads': len(array.workloads),
            'workloadId': list(array.workloads),
            'num_of_storage_groups': len(groups), 'storageGroupId': groups}


def storage_group(array: typing.Any, name: str) -> dict:
    sg = array.storage_groups[name]
    members = array.members(name)
    parents = array.parents_of(name)
    # A view over a cascaded parent masks its children too: a child lists
    # the parent's views (the in-tree driver validates an attach by
    # finding the view on the child storage group).
    views = array.views_of_group(name)
    slo = sg.slo or 'NONE'
    body = {
        'storageGroupId': name, 'slo': slo, 'service_level': slo,
        'base_slo_name': array.slo_bases.get(sg.slo, 'NONE'),
        'workload': sg.workload or 'NONE',
        'slo_compliance': 'STABLE' if sg.slo else 'NONE',
        'num_of_vols': len(members), 'num_of_child_sgs': len(sg.children),
        'num_of_parent_sgs': len(parents),
        'num_of_masking_views': len(views), 'num_of_snapshots': 0,
        'num_of_snapshot_policies': 0,
        'cap_gb': round(sum(array.volumes[d].cap_gb for d in members), 2),
        'type': array.group_type(name), 'unprotected': True,
        'compression': sg.compression, 'tags': ','.join(sg.tags),
        'vp_saved_percent': 0.0,
    }
    if sg.srp:
        body['srp'] = sg.srp
    if members:
        body['device_emulation'] = 'FBA'
    if sg.compression:
        body['compression_ratio_to_one'] = 1.0
        body['compressionRatio'] = '1.0:1'
    if sg.children:
        body['child_storage_group'] = list(sg.children)
    if parents:
        body['parent_storage_group'] = parents
    if views:
        body['maskingview'] = views
    if sg.host_io_limit:
        body['hostIOLimit'] = dict(sg.host_io_limit)
    return body


def volume(array: typing.Any, device_id: str, api: int) -> dict:
    vol = array.volumes[device_id]
    groups = array.groups_of(device_id)
    body = {
        'volumeId': device_id,
        'type': srdf_views.volume_type(array, device_id),
        'emulation': vol.emulation,
        'ssid': 'FFFFFFFF', 'allocated_percent': 100 if vol.allocated else 0,
        'cap_gb': vol.cap_gb, 'cap_mb': vol.cap_mb, 'cap_cyl': vol.cap_cyl,
        'status': vol.status, 'reserved': vol.reserved, 'pinned': False,
        'encapsulated': vol.encapsulated, 'physical_name': '',
        'wwn': vol.wwn, 'effective_wwn': vol.wwn, 'has_effective_wwn': False,
        'encapsulated_wwn': '', 'num_of_storage_groups': len(groups),
        'num_of_front_end_paths': array.front_end_paths(device_id),
        'storageGroupId': groups,
        'snapvx_source': array.is_snapvx_source(device_id),
        'snapvx_target': array.is_snapvx_target(device_id),
        'mobility_id_enabled': False,
    }
    if vol.identifier:
        body['volume_identifier'] = vol.identifier
    if array.pair_of(device_id) is not None:
        body['rdfGroupId'] = srdf_views.rdf_group_id(array, device_id)
    if api >= 100:
        body['storage_groups'] = [_group_entry(array, g) for g in groups]
        body['nguid'] = vol.wwn[:32]
    return body


def _group_entry(array: typing.Any, name: str) -> dict:
    """A volume's group; the parent is named only when there is one."""
    entry = {'storage_group_name': name}
    parents = array.parents_of(name)
    if parents:
        entry['parent_storage_group_name'] = parents[0]
    return entry


def view_map(array: typing.Any) -> typing.Dict[str, typing.List[str]]:
    """device -> masking views exposing it, in one pass."""
    found: typing.Dict[str, typing.List[str]] = {}
    for view in array.masking_views.values():
        for device_id in view.luns:
            found.setdefault(device_id, []).append(view.name)
    return found


def private_volume(array: typing.Any, device_id: str,
                   holders: typing.Optional[dict] = None,
                   mapped: typing.Optional[dict] = None) -> dict:
    """The detailed view of one device.

    ``holders`` and ``mapped`` (from group_map and view_map) spare a list
    of every device a scan of all groups and views per device.
    """
    vol = array.volumes[device_id]
    groups = (holders.get(device_id, []) if holders is not None
              else array.groups_of(device_id))
    fast = [g for g in groups if array.storage_groups[g].is_fast]
    fast_sg = array.storage_groups[fast[0]] if fast else None
    views = (mapped.get(device_id, []) if mapped is not None
             else array.views_of_device(device_id))
    header = {
        'volumeId': device_id, 'formattedName': device_id,
        'nameModifier': '', 'userDefinedIdentifier': vol.identifier or '',
        'configuration': srdf_views.volume_type(array, device_id),
        'emulationType': vol.emulation,
        'status': vol.status, 'serviceState': vol.service_state,
        'capGB': vol.cap_gb, 'capMB': vol.cap_mb,
        'capTB': round(vol.cap_gb / TB, 2), 'blockSize': 512,
        'allocatedPercent': 100 if vol.allocated else 0,
        'SRP': vol.srp,
        'serviceLevel': fast_sg.slo if fast_sg else 'None',
        'serviceLevelBaseName': (array.slo_bases.get(fast_sg.slo, 'None')
                                 if fast_sg else 'None'),
        'workload': (fast_sg.workload or 'NONE') if fast_sg else 'NONE',
        'storageGroup': groups, 'fastStorageGroup': fast[0] if fast else '',
        'numStorageGroups': len(groups), 'numSymDevMaskingViews': len(views),
        'mapped': bool(views), 'private': vol.private,
        'system_resource': vol.system_resource,
        'encapsulated': vol.encapsulated,
        'reservationInfo': {'reserved': vol.reserved},
        'wwn': vol.wwn, 'hasEffectiveWWN': False, 'effectiveWWN': vol.wwn,
        'compressionEnabled': bool(fast_sg and fast_sg.compression),
        'compressionRatio': '1.0:1', 'FEDirPorts': [],
        'BCV': False, 'FBA': True, 'CKD': False, 'meta': False,
    }
    return {
        'volumeHeader': header, 'maskingInfo': {'masked': bool(views)},
        'rdfInfo': srdf_views.rdf_info(array, device_id),
        'timeFinderInfo': snapvx_views.time_finder_info(array, device_id),
    }


def initiator(array: typing.Any, init: records.Initiator) -> dict:
    host = array.host_of(init.hba)
    views = array.views_of_host(host) if host else []
    body = {
        'initiatorId': init.hba,
        'symmetrixPortKey': [{'directorId': p.split(':')[0],
                              'portId': p.split(':')[1]} for p in init.ports],
        'alias': '%s/%s' % (init.hba, init.hba), 'type': (
            'GigE' if init.protocol == 'iSCSI' else 'Fibre'),
        'logged_in': init.logged_in, 'on_fabric': init.logged_in,
        'fcid_lockdown': '',
        'port_flags_override': False, 'num_of_host_groups': 0,
        'num_of_masking_views': len(views), 'maskingview': views,
        'num_of_powerpath_hosts': 0, 'powerpathhosts': [],
    }
    if init.protocol == 'FC' and init.logged_in:
        body.update(fcid='010100', fcid_value='010100', fabric_name='fab1')
    if host:
        body['host'] = host
    return body


def host(array: typing.Any, record: records.Host) -> dict:
    views = array.views_of_host(record.name)
    return {
        'hostId': record.name, 'num_of_masking_views': len(views),
        'num_of_initiators': len(record.initiators),
        'num_of_host_groups': 0, 'port_flags_override': False,
        'consistent_lun': bool(record.flags.get('consistent_lun', False)),
        'enabled_flags': '', 'disabled_flags': '',
        'type': array.host_protocol(record),
        'initiator': list(record.initiators), 'maskingview': views,
        'powerpathhosts': [], 'num_of_powerpath_hosts': 0, 'bw_limit': 0,
    }


def port_group(array: typing.Any, group: records.PortGroup) -> dict:
    views = array.views_of_port_group(group.name)
    body = {
        'portGroupId': group.name,
        # Bare port numbers: the form the Cinder driver understands.
        'symmetrixPortKey': [{'directorId': d, 'portId': p}
                             for d, p in group.ports],
        'num_of_ports': len(group.ports), 'num_of_masking_views': len(views),
        'maskingview': views,
    }
    if array.v4:
        body['type'] = body['port_group_protocol'] = (
            'SCSI_FC' if group.protocol == 'FC' else 'iSCSI')
    else:
        body['type'] = 'Fibre' if group.protocol == 'FC' else 'iSCSI'
    return body


def director(array: typing.Any, record: records.Director) -> dict:
    return {'directorId': record.director_id,
            'director_number': int(record.director_id[3:-1] or 0),
            'director_slot_number': int(record.director_id[3:-1] or 0),
            'availability': record.status,
            'num_of_ports': len(record.ports), 'num_of_cores': 8}


def port(array: typing.Any, record: records.Port) -> dict:
    groups = [g.name for g in array.port_groups.values()
              if (record.director, record.port) in g.ports]
    views = [v.name for v in array.masking_views.values()
             if v.port_group in groups]
    body = {
        'symmetrixPortKey': {'directorId': record.director,
                             'portId': record.port},
        'port_status': record.status,
        'director_status': array.directors[record.director].status,
        'type': ('FibreChannel (563)' if record.protocol == 'FC'
                 else 'GigE'),
        'iscsi_target': record.iscsi_target, 'portgroup': groups,
        'num_of_port_groups': len(groups), 'maskingview': views,
        'num_of_masking_views': len(views), 'num_of_cores': 2,
        'max_speed': '32', 'negotiated_speed': '32', 'aclx': True,
    }
    if record.identifier:
        body['identifier'] = record.identifier
    if record.protocol == 'FC':
        body['wwn_node'] = record.identifier
    else:
        body['ip_addresses'] = list(record.ip_addresses)
    if array.v4:
        body['enabled_protocol'] = ('SCSI_FC' if record.protocol == 'FC'
                                    else 'iSCSI')
    return body


def masking_view(array: typing.Any, view: records.MaskingView) -> dict:
    return {'maskingViewId': view.name, 'hostId': view.host,
            'portGroupId': view.port_group,
            'storageGroupId': view.storage_group}


def connections(array: typing.Any, view: records.MaskingView,
                device_id: typing.Optional[str]) -> dict:
    rows = []
    for dev, lun in sorted(view.luns.items()):
        if device_id and dev != device_id:
            continue
        for hba, port_key in _rows_of(array, view):
            logged = array.initiators[hba].logged_in_on(port_key)
            rows.append({
                'volumeId': dev, 'host_lun_address': '%04X' % lun,
                'cap_gb': '%s' % array.volumes[dev].cap_gb,
                'initiatorId': hba, 'alias': '%s/%s' % (hba, hba),
                'dir_port': port_key, 'logged_in': logged,
                'on_fabric': logged})
    return {'maskingViewConnection': rows}


def _rows_of(array: typing.Any, view: records.MaskingView
             ) -> typing.List[typing.Tuple[str, str]]:
    """(initiator, 'DIR:PORT') rows of a view's connections.

    Every initiator of the view's host has a row per port of its port
    group, ``logged_in`` telling whether it is a live path: a host that
    logs in only after the attach (an iSCSI host logs in once it has the
    target) is still given its LUN, as the in-tree driver relies on.
    """
    host = array.hosts[view.host]
    ports = ['%s:%s' % p for p in array.port_groups[view.port_group].ports]
    return [(hba, port) for hba in host.initiators for port in ports]
