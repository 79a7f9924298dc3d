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

"""SRDF calls of the ``replication`` category (reference section 15).

RDF groups, device pairs and the storage-group SRDF actions of one array.
The storage-group edits that carry ``remoteSymmSGInfoParam`` belong to
``sloprovisioning``, as Unisphere files them.
"""

from __future__ import annotations

from typing import Any, Optional

from cinder_powermax import unisphere

#: ``rdfMode``/``replicationMode`` of each ``replication_device`` mode:
#: SRDF/Metro pairs are in mode Active (reference section 15.3).
RDF_MODES = {'Synchronous': 'Synchronous', 'Asynchronous': 'Asynchronous',
             'Metro': 'Active'}


class Srdf(unisphere.Category):
    """SRDF calls on one array."""

    CATEGORY = 'replication'

    # -- RDF groups -----------------------------------------------------------

    def list_rdf_groups(self) -> list[dict]:
        """``[{'rdfgNumber': 7, 'label': '...'}, ...]``."""
        found = self.client.get(self.path('rdf_group')) or {}
        return list(found.get('rdfGroupID') or ())

    def get_rdf_group(self, number: int) -> dict:
        return self.client.get(self.path('rdf_group', str(number))) or {}

    def rdf_devices(self, number: int) -> list[str]:
        """The devices of this array paired in RDF group ``number``."""
        found = self.client.get(self.path('rdf_group', str(number),
                                          'volume')) or {}
        return list(found.get('name') or ())

    # -- pairs ----------------------------------------------------------------

    def get_pair(self, number: int, device: str) -> dict:
        return self.client.get(self.path('rdf_group', str(number), 'volume',
                                         device)) or {}

    def delete_pair(self, number: int, device: str) -> None:
        self.client.delete(self.path('rdf_group', str(number), 'volume',
                                     device))

    # -- storage groups -------------------------------------------------------

    def _sg_path(self, group: str, number: Optional[int] = None) -> str:
        parts = ['storagegroup', group, 'rdf_group']
        if number is not None:
            parts.append(str(number))
        return self.path(*parts)

    def sg_rdf_groups(self, group: str) -> list[int]:
        """The RDF groups the storage group's devices are paired in."""
        found = self.client.get(self._sg_path(group)) or {}
        return [int(n) for n in found.get('rdfgs') or ()]

    def sg_state(self, group: str, number: int) -> dict:
        return self.client.get(self._sg_path(group, number)) or {}

    def protect(self, group: str, number: int, remote_array: str,
                remote_group: str, mode: str,
                remote_level: Optional[str], bias: bool = False) -> None:
        """Pair every device of ``group`` with new R2s in ``remote_group``.

        The remote group is made when missing; copying starts at once.

        :param mode: a ``replication_device`` mode (Metro is sent as
            Active)
        :param bias: SRDF/Metro bias rather than a witness
        """
        body: dict[str, Any] = {
            'replicationMode': RDF_MODES[mode], 'remoteSymmId': remote_array,
            'rdfgNumber': number, 'remoteStorageGroupName': remote_group,
            'remoteSLO': remote_level or 'NONE', 'establish': 'true',
            'metroBias': 'true' if bias else 'false'}
        body.update(unisphere.ASYNC)
        self.client.post(self._sg_path(group), body)

    def sg_action(self, group: str, number: int, action: str,
                  **options: bool) -> None:
        """An SRDF action (``Suspend``, ``Failover``...) on the group."""
        body: dict[str, Any] = {'action': action}
        if options:
            key = action[:1].lower() + action[1:]
            body[key] = {k: 'true' if v else 'false'
                         for k, v in options.items()}
        body.update(unisphere.ASYNC)
        self.client.put(self._sg_path(group, number), body)
