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

"""The ``system`` category: arrays, their capabilities and ports."""

from __future__ import annotations

from typing import Iterable

from cinder_powermax import unisphere

SLOPROV = 'sloprovisioning'
REPLICATION = 'replication'


class System(unisphere.Category):
    """Array identity, capabilities, tags and front-end ports."""

    CATEGORY = 'system'

    def get_array(self) -> dict:
        return self.client.get(self.path())

    def list_arrays(self) -> list[str]:
        found = self.client.get(self.client.path(SLOPROV, None,
                                                 'symmetrix')) or {}
        return found.get('symmetrixId') or []

    def compression_capable(self) -> bool:
        found = self.client.get(self.client.path(SLOPROV, None, 'symmetrix'),
                                {'compressionCapable': 'true'}) or {}
        return self.serial in (found.get('symmetrixId') or ())

    def snapvx_capable(self) -> bool:
        found = self.client.get(self.client.path(
            REPLICATION, None, 'capabilities', 'symmetrix')) or {}
        for entry in found.get('symmetrixCapability') or ():
            if entry.get('symmetrixId') == self.serial:
                return bool(entry.get('snapVxCapable'))
        return False

    def tags(self) -> list[str]:
        """The array's tags."""
        found = self.client.get(self.client.path('system', None, 'tag'),
                                {'array_id': self.serial}) or {}
        return list(found.get('tag_name') or ())

    def add_tags(self, tags: Iterable[str]) -> None:
        """Tag the array (``array_tag_list``); one asynchronous edit."""
        body = {'editSymmetrixActionParam': {'tagManagementParam': {
            'addTagsParam': {'tag_name': unisphere.ids(tags)}}}}
        body.update(unisphere.ASYNC)
        self.client.put(self.client.path(SLOPROV, self.serial), body)

    def get_port(self, director: str, port: str) -> dict:
        found = self.client.get(self.path('director', director, 'port',
                                          port)) or {}
        return found.get('symmetrixPort', found)

    def physical_ports(self, director: str, address: str) -> list[str]:
        """The physical ports of ``director`` that own IP ``address``.

        An iSCSI target port is virtual; its traffic is that of the
        physical port with its address. 9.x names the filter
        ``iscsi_target``, 10.x ``iscsi_endpoint``.
        """
        flag = ('iscsi_endpoint' if int(self.client.version()) >= 100
                else 'iscsi_target')
        found = self.client.get(self.path('director', director, 'port'),
                                {'ip_list': address, flag: 'false'}) or {}
        return [str(key['portId']).split(':')[-1]
                for key in found.get('symmetrixPortKey') or ()]
