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

"""Unisphere resources: one method per Unisphere operation the driver uses.

Each method builds the URL and payload of one call and returns the decoded
answer. Nothing here decides *whether* to make a call; that is the domain
layer's job (``provision.py``, ``masking.py``). Nothing here knows Cinder.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from cinder_powermax import exception
from cinder_powermax import rest

ASYNC = {'executionOption': 'ASYNCHRONOUS'}
SLOPROV = 'sloprovisioning'
SYSTEM = 'system'
REPLICATION = 'replication'

# Task texts of a volume-creating job end with the new device id in
# brackets: "... Creating new Volumes for SG : [0012A]" or
# "Populating Storage Group(s) with volumes : [0012A]".
DEVICE_IN_TASK = re.compile(r'\[([0-9A-Fa-f]{5})\]\s*$')


def new_device_ids(job: dict) -> list[str]:
    """Device ids a finished volume-creating job reports in its tasks."""
    found = []
    for task in job.get('task') or ():
        text = str(task.get('description', ''))
        if 'Creating new Volumes' in text or 'Populating Storage Group' in \
                text:
            match = DEVICE_IN_TASK.search(text)
            if match and match.group(1).upper() not in found:
                found.append(match.group(1).upper())
    return found


def _ids(values: Iterable[str]) -> list[str]:
    return [str(v) for v in values]


class Unisphere:
    """Typed access to the Unisphere resources of the driver's arrays.

    :param client: the :class:`rest.RestClient` to send requests with
    """

    def __init__(self, client: rest.RestClient):
        self.client = client

    def _path(self, category: str, array: Optional[str], *parts: Any,
              private: bool = False) -> str:
        return self.client.path(category, array, *parts, private=private)

    # -- system ---------------------------------------------------------------

    def get_array(self, array: str) -> dict:
        return self.client.get(self._path(SYSTEM, array))

    def list_arrays(self) -> list[str]:
        found = self.client.get(self._path(SLOPROV, None, 'symmetrix')) or {}
        return found.get('symmetrixId') or []

    def compression_capable_arrays(self) -> list[str]:
        found = self.client.get(self._path(SLOPROV, None, 'symmetrix'),
                                {'compressionCapable': 'true'}) or {}
        return found.get('symmetrixId') or []

    def snapvx_capable(self, array: str) -> bool:
        found = self.client.get(self._path(
            REPLICATION, None, 'capabilities', 'symmetrix')) or {}
        for entry in found.get('symmetrixCapability') or ():
            if entry.get('symmetrixId') == array:
                return bool(entry.get('snapVxCapable'))
        return False

    def service_levels(self, array: str) -> list[str]:
        found = self.client.get(self._path(SLOPROV, array, 'slo')) or {}
        return found.get('sloId') or []

    def workloads(self, array: str) -> list[str]:
        found = self.client.get(self._path(SLOPROV, array,
                                           'workloadtype')) or {}
        return found.get('workloadId') or []

    def get_srp(self, array: str, srp: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'srp', srp))

    def list_srps(self, array: str) -> list[str]:
        found = self.client.get(self._path(SLOPROV, array, 'srp')) or {}
        return found.get('srpId') or []

    def get_port_group(self, array: str, name: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'portgroup', name))

    def list_port_groups(self, array: str) -> list[str]:
        found = self.client.get(self._path(SLOPROV, array,
                                           'portgroup')) or {}
        return found.get('portGroupId') or []

    # -- storage groups -------------------------------------------------------

    def get_storage_group(self, array: str, name: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'storagegroup',
                                          name))

    def create_storage_group(self, array: str, name: str, *,
                             srp: Optional[str], service_level: Optional[str],
                             workload: Optional[str] = None,
                             no_compression: Optional[bool] = None,
                             host_io_limits: Optional[dict] = None) -> dict:
        """Create an empty storage group, synchronously.

        :param srp: SRP name, or None for a non-FAST group
        :param service_level: service level, or None for a non-FAST group
        :param workload: workload, ``NONE`` when not applicable
        :param no_compression: True/False on compression-capable arrays,
            None to leave the key out (arrays without compression)
        :param host_io_limits: ``setHostIOLimitsParam`` keys to set at once
        """
        body: dict[str, Any] = {'storageGroupId': name, 'emulation': 'FBA',
                                'srpId': srp or 'None'}
        if service_level:
            slo = {'sloId': service_level,
                   'workloadSelection': workload or 'NONE',
                   'volumeAttributes': [{'volume_size': '0',
                                         'capacityUnit': 'GB',
                                         'num_of_vols': 0}]}
            if no_compression is not None:
                slo['noCompression'] = 'true' if no_compression else 'false'
            if host_io_limits:
                slo['setHostIOLimitsParam'] = dict(host_io_limits)
            body['sloBasedStorageGroupParam'] = [slo]
        return self.client.post(self._path(SLOPROV, array, 'storagegroup'),
                                body)

    def delete_storage_group(self, array: str, name: str) -> None:
        self.client.delete(self._path(SLOPROV, array, 'storagegroup', name))

    def _edit_storage_group(self, array: str, name: str, action: dict,
                            asynchronous: bool = False) -> Any:
        body = {'editStorageGroupActionParam': action}
        if asynchronous:
            body.update(ASYNC)
        return self.client.put(self._path(SLOPROV, array, 'storagegroup',
                                          name), body)

    def create_volume_in_group(self, array: str, group: str, size_gb: int,
                               identifier: str) -> Optional[str]:
        """Create one new device of ``size_gb`` GB inside ``group``.

        :returns: the new device id read from the job, or None when the job
            did not report it (the caller then looks it up by identifier)
        """
        job = self._edit_storage_group(array, group, {
            'expandStorageGroupParam': {'addVolumeParam': {
                'emulation': 'FBA',
                'create_new_volumes': 'True',
                'volumeAttributes': [{
                    'num_of_vols': 1,
                    'volume_size': str(size_gb),
                    'capacityUnit': 'GB',
                    'volumeIdentifier': {
                        'volumeIdentifierChoice': 'identifier_name',
                        'identifier_name': identifier}}]}}},
            asynchronous=True)
        found = new_device_ids(job or {})
        return found[0] if len(found) == 1 else None

    def add_volumes(self, array: str, group: str,
                    devices: Iterable[str]) -> None:
        self._edit_storage_group(array, group, {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': _ids(devices),
                'remoteSymmSGInfoParam': {'force': 'false'}}}},
            asynchronous=True)

    def remove_volumes(self, array: str, group: str,
                       devices: Iterable[str]) -> dict:
        """Take devices out of a group, synchronously.

        :returns: the storage group as it is afterwards
        """
        return self._edit_storage_group(array, group, {
            'removeVolumeParam': {
                'volumeId': _ids(devices),
                'remoteSymmSGInfoParam': {'force': 'false'}}}) or {}

    def move_volumes(self, array: str, source: str, target: str,
                     devices: Iterable[str], force: bool = False) -> dict:
        """Move devices between groups, synchronously.

        :returns: the source storage group as it is afterwards
        """
        return self._edit_storage_group(array, source, {
            'moveVolumeToStorageGroupParam': {
                'volumeId': _ids(devices), 'storageGroupId': target,
                'force': 'true' if force else 'false'}}) or {}

    def set_host_io_limits(self, array: str, group: str,
                           limits: dict) -> None:
        self._edit_storage_group(array, group,
                                 {'setHostIOLimitsParam': dict(limits)})

    def add_child_group(self, array: str, parent: str, child: str) -> None:
        self._edit_storage_group(array, parent, {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': [child]}}})

    def remove_child_group(self, array: str, parent: str,
                           child: str) -> None:
        self._edit_storage_group(array, parent, {
            'removeStorageGroupParam': {'storageGroupId': [child],
                                        'force': 'true'}})

    # -- hosts, ports and masking views ---------------------------------------

    def initiator_owner(self, array: str,
                        initiators: Iterable[str]) -> Optional[str]:
        """The initiator group one of these initiators already belongs to."""
        found = self.client.get(self._path(SLOPROV, array, 'initiator'), {
            'initiator_hba': list(initiators), 'in_a_host': 'true'}) or {}
        for initiator in found.get('initiatorId') or ():
            detail = self.client.get(self._path(SLOPROV, array, 'initiator',
                                                initiator)) or {}
            if detail.get('host'):
                return detail['host']
        return None

    def get_host(self, array: str, name: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'host', name))

    def create_host(self, array: str, name: str,
                    initiators: Iterable[str]) -> None:
        self.client.post(self._path(SLOPROV, array, 'host'), {
            'hostId': name, 'initiatorId': _ids(initiators)})

    def add_initiators(self, array: str, name: str,
                       initiators: Iterable[str]) -> None:
        self.client.put(self._path(SLOPROV, array, 'host', name), {
            'editHostActionParam': {'addInitiatorParam': {
                'initiator': _ids(initiators)}}})

    def delete_host(self, array: str, name: str) -> None:
        self.client.delete(self._path(SLOPROV, array, 'host', name))

    def get_port(self, array: str, director: str, port: str) -> dict:
        found = self.client.get(self._path(SYSTEM, array, 'director',
                                           director, 'port', port)) or {}
        return found.get('symmetrixPort', found)

    def get_masking_view(self, array: str, name: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'maskingview',
                                          name))

    def create_masking_view(self, array: str, name: str, host: str,
                            port_group: str, group: str) -> None:
        self.client.post(self._path(SLOPROV, array, 'maskingview'), {
            'maskingViewId': name,
            'hostOrHostGroupSelection': {
                'useExistingHostParam': {'hostId': host}},
            'portGroupSelection': {
                'useExistingPortGroupParam': {'portGroupId': port_group}},
            'storageGroupSelection': {
                'useExistingStorageGroupParam': {'storageGroupId': group}}})

    def delete_masking_view(self, array: str, name: str) -> None:
        self.client.delete(self._path(SLOPROV, array, 'maskingview', name))

    def masking_view_connections(self, array: str, name: str,
                                 device: str) -> list:
        found = self.client.get(self._path(
            SLOPROV, array, 'maskingview', name, 'connections'),
            {'volume_id': device}) or {}
        return found.get('maskingViewConnection') or []

    # -- volumes --------------------------------------------------------------

    def get_volume(self, array: str, device: str) -> dict:
        return self.client.get(self._path(SLOPROV, array, 'volume', device))

    def find_volumes(self, array: str, identifier: str) -> list[str]:
        """Device ids whose identifier is exactly ``identifier``."""
        found = self.client.get_all(self._path(SLOPROV, array, 'volume'),
                                    {'volume_identifier': identifier})
        return [entry['volumeId'] for entry in found if 'volumeId' in entry]

    def rename_volume(self, array: str, device: str,
                      identifier: Optional[str]) -> None:
        if identifier:
            choice = {'volumeIdentifierChoice': 'identifier_name',
                      'identifier_name': identifier}
        else:
            choice = {'volumeIdentifierChoice': 'none'}
        self.client.put(self._path(SLOPROV, array, 'volume', device), {
            'editVolumeActionParam': {'modifyVolumeIdentifierParam': {
                'volumeIdentifier': choice}}})

    def expand_volume(self, array: str, device: str, size_gb: int) -> None:
        body = {'editVolumeActionParam': {'expandVolumeParam': {
            'volumeAttribute': {'volume_size': str(size_gb),
                                'capacityUnit': 'GB'}}}}
        body.update(ASYNC)
        self.client.put(self._path(SLOPROV, array, 'volume', device), body)

    def free_volume(self, array: str, device: str) -> None:
        self.client.put(self._path(SLOPROV, array, 'volume', device), {
            'editVolumeActionParam': {'freeVolumeParam': {
                'free_volume': 'true'}}})

    def delete_volume(self, array: str, device: str) -> None:
        self.client.delete(self._path(SLOPROV, array, 'volume', device))

    # -- SnapVX (private, volume level) ---------------------------------------

    def _snapshot_path(self, array: str, name: str) -> str:
        return self._path(REPLICATION, array, 'snapshot', name, private=True)

    def volume_snapshots(self, array: str, device: str) -> dict:
        """SnapVX sessions where ``device`` is a source or a link target."""
        try:
            return self.client.get(self._path(
                REPLICATION, array, 'volume', device, 'snapshot',
                private=True)) or {}
        except exception.NotFound:
            return {}

    def create_snapshot(self, array: str, name: str, device: str,
                        ttl_hours: Optional[int] = None) -> None:
        body: dict[str, Any] = {
            'deviceNameListSource': [{'name': device}],
            'bothSides': 'false', 'star': 'false', 'force': 'false'}
        if ttl_hours:
            body.update({'timeToLive': ttl_hours, 'timeInHours': 'true'})
        self.client.post(self._snapshot_path(array, name), body)

    @staticmethod
    def _instance(snap_id: Optional[int], generation: int) -> dict:
        if snap_id is not None:
            return {'snap_id': snap_id}
        return {'generation': generation}

    def _snapshot_action(self, array: str, name: str, action: str,
                         source: str, target: str,
                         snap_id: Optional[int], generation: int,
                         **flags: Any) -> None:
        body: dict[str, Any] = {
            'action': action,
            'deviceNameListSource': [{'name': source}],
            'deviceNameListTarget': [{'name': target}],
            'star': 'false', 'force': 'false'}
        body.update({k: 'true' if v else 'false' for k, v in flags.items()})
        body.update(self._instance(snap_id, generation))
        self.client.put(self._snapshot_path(array, name), body)

    def link_snapshot(self, array: str, name: str, source: str, target: str,
                      snap_id: Optional[int] = None, generation: int = 0,
                      copy: bool = False) -> None:
        self._snapshot_action(array, name, 'Link', source, target, snap_id,
                              generation, copy=copy, exact=False,
                              remote=False, symforce=False)

    def unlink_snapshot(self, array: str, name: str, source: str,
                        target: str, snap_id: Optional[int] = None,
                        generation: int = 0, symforce: bool = False) -> None:
        self._snapshot_action(array, name, 'Unlink', source, target,
                              snap_id, generation, symforce=symforce)

    def restore_snapshot(self, array: str, name: str, source: str,
                         snap_id: Optional[int] = None,
                         generation: int = 0) -> None:
        self._snapshot_action(array, name, 'Restore', source, source,
                              snap_id, generation)

    def delete_snapshot(self, array: str, name: str, source: str,
                        snap_id: Optional[int] = None, generation: int = 0,
                        restore: bool = False) -> None:
        body: dict[str, Any] = {'deviceNameListSource': [{'name': source}]}
        body.update(self._instance(snap_id, generation))
        if restore:
            body['restore'] = True
        self.client.delete(self._snapshot_path(array, name), body=body)
