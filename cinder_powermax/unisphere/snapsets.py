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

"""SnapVX of many devices at once, in the ``replication`` category.

A storage group's snapshot (the public ``storagegroup/{sg}/snapshot``
endpoints) is one consistent point in time over every member; several
source-target pairs are linked or unlinked in one private call with
parallel device lists, as Cinder's drivers do for a group made from a
group snapshot.
"""

from __future__ import annotations

from typing import Any, Optional

from cinder_powermax import exception
from cinder_powermax import unisphere


class SnapSets(unisphere.Category):
    """Group-wide SnapVX calls on one array.

    :param snap_ids: True when the array addresses snapshots by snap id,
        False for generation numbers (before 5978.669)
    """

    CATEGORY = 'replication'

    def __init__(self, client, serial, snap_ids: bool = True):
        super().__init__(client, serial)
        self.snap_ids = snap_ids

    def _group(self, group: str, *parts: Any) -> str:
        return self.path('storagegroup', group, 'snapshot', *parts)

    def _instance(self, group: str, name: str, key: int) -> str:
        return self._group(group, name,
                           'snapid' if self.snap_ids else 'generation', key)

    def names(self, group: str) -> list[str]:
        """Names of the snapshots taken of the group's members."""
        return (self.client.get(self._group(group)) or {}).get('name') or []

    def create(self, group: str, name: str,
               ttl_hours: Optional[int] = None) -> None:
        """Snapshot every member of ``group`` at one point in time.

        :param ttl_hours: hours after which the array terminates it
        """
        body: dict[str, Any] = {'snapshotName': name}
        if ttl_hours:
            body.update(timeToLive=ttl_hours, timeInHours=True)
        self.client.post(self._group(group), body)

    def keys(self, group: str, name: str) -> list[int]:
        """Snap ids, or generations oldest first, of snapshot ``name``.

        Generations oldest first: terminating them in that order leaves
        the numbers of those still to go unchanged. None when the array
        knows no snapshot of that name.
        """
        try:
            if self.snap_ids:
                found = self.client.get(self._group(group, name, 'snapid'))
                return list((found or {}).get('snapids') or ())
            found = self.client.get(self._group(group, name, 'generation'))
        except exception.NotFound:
            return []
        return sorted((found or {}).get('generations') or (), reverse=True)

    def terminate(self, group: str, name: str, key: int) -> None:
        """Terminate one snapshot set (by snap id or generation)."""
        self.client.delete(self._instance(group, name, key),
                           params={'force': 'true'})

    def _pairs_action(self, name: str, action: str, pairs: list,
                      snap_id: Optional[int], **flags: Any) -> None:
        body: dict[str, Any] = {
            'action': action,
            'deviceNameListSource': [{'name': s} for s, _t in pairs],
            'deviceNameListTarget': [{'name': t} for _s, t in pairs],
            'star': 'false', 'force': 'false'}
        body.update({k: 'true' if v else 'false' for k, v in flags.items()})
        body.update({'snap_id': snap_id} if snap_id is not None
                    else {'generation': 0})
        self.client.put(self.path('snapshot', name, private=True), body)

    def link_pairs(self, name: str, pairs: list,
                   snap_id: Optional[int] = None) -> None:
        """Link (source, target) pairs to a snapshot, copying fully.

        :param snap_id: the set's snap id; None for generation 0
        """
        self._pairs_action(name, 'Link', pairs, snap_id, copy=True,
                           exact=False, remote=False, symforce=False)

    def unlink_pairs(self, name: str, pairs: list,
                     snap_id: Optional[int] = None,
                     symforce: bool = False) -> None:
        self._pairs_action(name, 'Unlink', pairs, snap_id,
                           symforce=symforce)
