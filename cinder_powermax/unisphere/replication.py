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

"""The ``replication`` category: SnapVX (and, later, SRDF).

Volume-level SnapVX goes through Unisphere's private endpoints, as
Cinder's drivers do: they address one source device and its links.
"""

from __future__ import annotations

from typing import Any, Optional

from cinder_powermax import unisphere


class Replication(unisphere.Category):
    """Replication calls on one array."""

    CATEGORY = 'replication'

    def _snapshot_path(self, name: str) -> str:
        return self.path('snapshot', name, private=True)

    def volume_snapshots(self, device: str) -> dict:
        """SnapVX sessions where ``device`` is a source or a link target."""
        return self.client.get(self.path('volume', device, 'snapshot',
                                         private=True)) or {}

    def create_snapshot(self, name: str, device: str,
                        ttl_hours: Optional[int] = None) -> Any:
        """Snapshot ``device``; returns Unisphere's answer (its sessions)."""
        body: dict[str, Any] = {
            'deviceNameListSource': [{'name': device}],
            'bothSides': 'false', 'star': 'false', 'force': 'false'}
        if ttl_hours:
            body.update({'timeToLive': ttl_hours, 'timeInHours': 'true'})
        return self.client.post(self._snapshot_path(name), body)

    @staticmethod
    def _instance(snap_id: Optional[int], generation: int) -> dict:
        if snap_id is not None:
            return {'snap_id': snap_id}
        return {'generation': generation}

    def _snapshot_action(self, name: str, action: str, source: str,
                         target: str, snap_id: Optional[int],
                         generation: int, **flags: Any) -> None:
        body: dict[str, Any] = {
            'action': action,
            'deviceNameListSource': [{'name': source}],
            'deviceNameListTarget': [{'name': target}],
            'star': 'false', 'force': 'false'}
        body.update({k: 'true' if v else 'false' for k, v in flags.items()})
        body.update(self._instance(snap_id, generation))
        self.client.put(self._snapshot_path(name), body)

    def link_snapshot(self, name: str, source: str, target: str,
                      snap_id: Optional[int] = None, generation: int = 0,
                      copy: bool = False) -> None:
        self._snapshot_action(name, 'Link', source, target, snap_id,
                              generation, copy=copy, exact=False,
                              remote=False, symforce=False)

    def unlink_snapshot(self, name: str, source: str, target: str,
                        snap_id: Optional[int] = None, generation: int = 0,
                        symforce: bool = False) -> None:
        self._snapshot_action(name, 'Unlink', source, target, snap_id,
                              generation, symforce=symforce)

    def restore_snapshot(self, name: str, source: str,
                         snap_id: Optional[int] = None,
                         generation: int = 0) -> None:
        self._snapshot_action(name, 'Restore', source, source, snap_id,
                              generation)

    def rename_snapshot(self, name: str, source: str, new_name: str,
                        snap_id: Optional[int] = None,
                        generation: int = 0) -> None:
        body: dict[str, Any] = {
            'action': 'Rename', 'newsnapshotname': new_name,
            'deviceNameListSource': [{'name': source}],
            'star': 'false', 'force': 'false'}
        body.update(self._instance(snap_id, generation))
        self.client.put(self._snapshot_path(name), body)

    def delete_snapshot(self, name: str, source: str,
                        snap_id: Optional[int] = None, generation: int = 0,
                        restore: bool = False) -> None:
        body: dict[str, Any] = {'deviceNameListSource': [{'name': source}]}
        body.update(self._instance(snap_id, generation))
        if restore:
            body['restore'] = True
        self.client.delete(self._snapshot_path(name), body=body)
