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

"""The ``sloprovisioning`` category: the array's provisioning objects.

SRPs, service levels and workloads; storage groups; volumes; initiators,
hosts (initiator groups), port groups and masking views.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from cinder_powermax import unisphere

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


def remote_info(array: str, group: str, force: bool = True) -> dict:
    """``remoteSymmSGInfoParam`` naming an SRDF partner group."""
    return {'remote_symmetrix_1_id': array,
            'remote_symmetrix_1_sgs': [group],
            'force': 'true' if force else 'false'}


def new_volume(size_gb: int, identifier: str) -> dict:
    """One ``volumeAttributes`` entry: a new device and its identifier."""
    return {'num_of_vols': 1, 'volume_size': str(size_gb),
            'capacityUnit': 'GB',
            'volumeIdentifier': {'volumeIdentifierChoice': 'identifier_name',
                                 'identifier_name': identifier}}


def _limits(limits: dict) -> dict:
    """``setHostIOLimitsParam``: Unisphere takes the limits as strings."""
    return {key: str(value) for key, value in limits.items()}


class SloProvisioning(unisphere.Category):
    """Provisioning calls on one array."""

    CATEGORY = 'sloprovisioning'

    # -- SRPs, service levels, workloads, port groups -------------------------

    def service_levels(self) -> list[str]:
        found = self.client.get(self.path('slo')) or {}
        return found.get('sloId') or []

    def workloads(self) -> list[str]:
        found = self.client.get(self.path('workloadtype')) or {}
        return found.get('workloadId') or []

    def get_srp(self, srp: str) -> dict:
        return self.client.get(self.path('srp', srp))

    def list_srps(self) -> list[str]:
        found = self.client.get(self.path('srp')) or {}
        return found.get('srpId') or []

    def get_port_group(self, name: str) -> dict:
        return self.client.get(self.path('portgroup', name))

    def list_port_groups(self) -> list[str]:
        found = self.client.get(self.path('portgroup')) or {}
        return found.get('portGroupId') or []

    # -- storage groups -------------------------------------------------------

    def get_storage_group(self, name: str) -> dict:
        return self.client.get(self.path('storagegroup', name))

    def create_storage_group(self, name: str, *, srp: Optional[str],
                             service_level: Optional[str],
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
                slo['setHostIOLimitsParam'] = _limits(host_io_limits)
            body['sloBasedStorageGroupParam'] = [slo]
        return self.client.post(self.path('storagegroup'), body)

    def delete_storage_group(self, name: str) -> None:
        self.client.delete(self.path('storagegroup', name))

    def list_storage_groups(self, containing: str) -> list[str]:
        """Names of the groups whose name contains ``containing``."""
        found = self.client.get(self.path('storagegroup'), {
            'storageGroupId': '<like>' + containing}) or {}
        return found.get('storageGroupId') or []

    def rename_storage_group(self, name: str, new_name: str) -> None:
        self._edit_storage_group(name, {'renameStorageGroupParam': {
            'new_storage_Group_name': new_name}})

    def group_volumes(self, group: str) -> list[str]:
        """Device ids of the group's volumes (through its children)."""
        found = self.client.get_all(self.path('volume'),
                                    {'storageGroupId': group})
        return [entry['volumeId'] for entry in found if 'volumeId' in entry]

    def _edit_storage_group(self, name: str, action: dict,
                            asynchronous: bool = False) -> Any:
        body = {'editStorageGroupActionParam': action}
        if asynchronous:
            body.update(unisphere.ASYNC)
        return self.client.put(self.path('storagegroup', name), body)

    def create_volume_in_group(self, group: str, size_gb: int,
                               identifier: str,
                               remote: Optional[tuple] = None
                               ) -> Optional[str]:
        """Create one new device of ``size_gb`` GB inside ``group``.

        :param remote: (array, group) of an SRDF-protected group: the
            array also makes the device's R2 there and pairs it
        :returns: the new device id read from the job, or None when the job
            did not report it (the caller then looks it up by identifier)
        """
        param: dict[str, Any] = {
            'emulation': 'FBA',
            'create_new_volumes': 'True',
            'volumeAttributes': [new_volume(size_gb, identifier)]}
        if remote:
            param['remoteSymmSGInfoParam'] = remote_info(*remote)
        job = self._edit_storage_group(group, {
            'expandStorageGroupParam': {'addVolumeParam': param}},
            asynchronous=True)
        found = new_device_ids(job or {})
        return found[0] if len(found) == 1 else None

    def add_replicated_volumes(self, group: str, devices: Iterable[str],
                               remote_array: str, remote_group: str) -> None:
        """Add existing devices to an SRDF-protected group, with R2s.

        The array makes their partners in ``remote_group`` and pairs them.
        """
        self._edit_storage_group(group, {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': unisphere.ids(devices),
                'remoteSymmSGInfoParam': remote_info(
                    remote_array, remote_group)}}},
            asynchronous=True)

    def remove_replicated_volumes(self, group: str, devices: Iterable[str],
                                  remote_array: str, remote_group: str,
                                  force: bool = False) -> dict:
        """Remove paired devices from both groups, deleting the pairs.

        :param force: the group's other pairs replicate in Asynchronous
            or Metro mode, which the array changes only when forced
        :returns: the local storage group as it is afterwards
        """
        return self._edit_storage_group(group, {
            'removeVolumeParam': {
                'volumeId': unisphere.ids(devices),
                'remoteSymmSGInfoParam': remote_info(
                    remote_array, remote_group, force=force)}}) or {}

    def create_volumes_in_group(self, group: str,
                                volumes: Iterable[tuple]) -> list[str]:
        """Create several new devices inside ``group`` in one edit.

        Each ``volumeAttributes`` entry makes one device with its own
        size and identifier (reference section 9.3: the attributes are a
        list, each entry with its own ``volumeIdentifier``).

        :param volumes: (size in GB, identifier) of each device
        :returns: the new device ids the job reports, in no particular
            order: callers find each device by its identifier
        """
        job = self._edit_storage_group(group, {
            'expandStorageGroupParam': {'addVolumeParam': {
                'emulation': 'FBA',
                'create_new_volumes': 'True',
                'volumeAttributes': [new_volume(size_gb, identifier)
                                     for size_gb, identifier in volumes]}}},
            asynchronous=True)
        return new_device_ids(job or {})

    def add_volumes(self, group: str, devices: Iterable[str]) -> None:
        self._edit_storage_group(group, {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': unisphere.ids(devices),
                'remoteSymmSGInfoParam': {'force': 'false'}}}},
            asynchronous=True)

    def remove_volumes(self, group: str, devices: Iterable[str]) -> dict:
        """Take devices out of a group, synchronously.

        :returns: the storage group as it is afterwards
        """
        return self._edit_storage_group(group, {
            'removeVolumeParam': {
                'volumeId': unisphere.ids(devices),
                'remoteSymmSGInfoParam': {'force': 'false'}}}) or {}

    def move_volumes(self, source: str, target: str,
                     devices: Iterable[str], force: bool = False) -> dict:
        """Move devices between groups, synchronously.

        :returns: the source storage group as it is afterwards
        """
        return self._edit_storage_group(source, {
            'moveVolumeToStorageGroupParam': {
                'volumeId': unisphere.ids(devices), 'storageGroupId': target,
                'force': 'true' if force else 'false'}}) or {}

    def set_host_io_limits(self, group: str, limits: dict) -> None:
        self._edit_storage_group(group,
                                 {'setHostIOLimitsParam': _limits(limits)})

    def add_child_group(self, parent: str, child: str) -> None:
        self._edit_storage_group(parent, {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': [child]}}})

    def remove_child_group(self, parent: str, child: str) -> None:
        self._edit_storage_group(parent, {
            'removeStorageGroupParam': {'storageGroupId': [child],
                                        'force': 'true'}})

    # -- initiators, hosts and masking views ----------------------------------

    def list_initiators(self, initiators: Iterable[str],
                        in_a_host: bool = False) -> list[str]:
        """Initiator ids (``DIR:PORT:HBA``) the array knows for these HBAs."""
        params: dict[str, Any] = {'initiator_hba': list(initiators)}
        if in_a_host:
            params['in_a_host'] = 'true'
        found = self.client.get(self.path('initiator'), params) or {}
        return list(found.get('initiatorId') or ())

    def get_initiator(self, initiator: str) -> dict:
        return self.client.get(self.path('initiator', initiator)) or {}

    def get_host(self, name: str) -> dict:
        return self.client.get(self.path('host', name))

    def create_host(self, name: str, initiators: Iterable[str]) -> None:
        self.client.post(self.path('host'), {
            'hostId': name, 'initiatorId': unisphere.ids(initiators)})

    def add_initiators(self, name: str, initiators: Iterable[str]) -> None:
        self.client.put(self.path('host', name), {
            'editHostActionParam': {'addInitiatorParam': {
                'initiator': unisphere.ids(initiators)}}})

    def delete_host(self, name: str) -> None:
        self.client.delete(self.path('host', name))

    def get_masking_view(self, name: str) -> dict:
        return self.client.get(self.path('maskingview', name))

    def create_masking_view(self, name: str, host: str, port_group: str,
                            group: str) -> None:
        self.client.post(self.path('maskingview'), {
            'maskingViewId': name,
            'hostOrHostGroupSelection': {
                'useExistingHostParam': {'hostId': host}},
            'portGroupSelection': {
                'useExistingPortGroupParam': {'portGroupId': port_group}},
            'storageGroupSelection': {
                'useExistingStorageGroupParam': {'storageGroupId': group}}})

    def delete_masking_view(self, name: str) -> None:
        self.client.delete(self.path('maskingview', name))

    def masking_view_connections(self, name: str, device: str) -> list:
        found = self.client.get(self.path('maskingview', name, 'connections'),
                                {'volume_id': device}) or {}
        return found.get('maskingViewConnection') or []

    # -- volumes --------------------------------------------------------------

    def get_volume(self, device: str) -> dict:
        return self.client.get(self.path('volume', device))

    def find_volumes(self, identifier: str) -> list[str]:
        """Device ids whose identifier is exactly ``identifier``."""
        found = self.client.get_all(self.path('volume'),
                                    {'volume_identifier': identifier})
        return [entry['volumeId'] for entry in found if 'volumeId' in entry]

    def private_volumes(self, params: Optional[dict] = None) -> list[dict]:
        """Detailed entries of the private volume view, all pages.

        :param params: list filters (``wwn``, ``volume_identifier``, ...)
        """
        return self.client.get_all(self.path('volume', private=True),
                                   params)

    def named_volumes(self, prefix: str) -> list[dict]:
        """Private views of the devices whose identifier starts ``prefix``.

        Unisphere's filter matches anywhere in the identifier; the others
        are left out here.
        """
        found = self.private_volumes(
            {'volume_identifier': unisphere.LIKE + prefix})
        return [entry for entry in found if str(
            entry.get('volumeHeader', {}).get('userDefinedIdentifier')
            or '').startswith(prefix)]

    def volume_identifiers(self, prefix: str) -> dict:
        """``{device id: identifier}`` of the devices named ``prefix*``.

        One listing of the private view (its pages), instead of a read
        per device.
        """
        headers = [entry['volumeHeader'] for entry in
                   self.named_volumes(prefix)]
        return {header['volumeId']: header['userDefinedIdentifier']
                for header in headers if 'volumeId' in header}

    def expand_volume(self, device: str, size_gb: int,
                      rdf_group: Optional[int] = None) -> None:
        """Grow a device; with ``rdf_group``, its SRDF partner too."""
        param: dict[str, Any] = {'volumeAttribute': {
            'volume_size': str(size_gb), 'capacityUnit': 'GB'}}
        if rdf_group is not None:
            param['rdfGroupNumber'] = rdf_group
        body: dict[str, Any] = {'editVolumeActionParam': {
            'expandVolumeParam': param}}
        body.update(unisphere.ASYNC)
        self.client.put(self.path('volume', device), body)

    def rename_volume(self, device: str,
                      identifier: Optional[str]) -> None:
        """Give the device a new identifier, or none (empty or None)."""
        choice = {'volumeIdentifierChoice': 'none'}
        if identifier:
            choice = {'volumeIdentifierChoice': 'identifier_name',
                      'identifier_name': identifier}
        self.client.put(self.path('volume', device), {
            'editVolumeActionParam': {'modifyVolumeIdentifierParam': {
                'volumeIdentifier': choice}}})

    def free_volume(self, device: str) -> None:
        self.client.put(self.path('volume', device), {
            'editVolumeActionParam': {'freeVolumeParam': {
                'free_volume': 'true'}}})

    def delete_volume(self, device: str) -> None:
        self.client.delete(self.path('volume', device))
