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


"""Lists of what OpenStack owns on an array, for the audit.

The driver itself never lists the array; the audit does, and an array may
hold tens of thousands of devices. So devices come from one
iterator-backed list with their details (the private volume list, which
carries each device's storage groups, masking and SnapVX sessions), never
from a GET per device; the far fewer storage groups, initiator groups and
masking views are listed by name filter and then read one by one.
"""

from __future__ import annotations

from cinder_powermax import unisphere
from cinder_powermax.unisphere import sloprovisioning


class Inventory(unisphere.Category):
    """Read-only lists of one array's OpenStack objects."""

    CATEGORY = 'sloprovisioning'

    def devices(self, prefix: str) -> list[dict]:
        """Devices whose identifier starts with ``prefix``, with details.

        :returns: the private volume views (``volumeHeader``,
            ``maskingInfo``, ``timeFinderInfo``)
        """
        return sloprovisioning.SloProvisioning(
            self.client, self.serial).named_volumes(prefix)

    def _names(self, kind: str, key: str, prefix: str) -> list[str]:
        found = self.client.get(self.path(kind)) or {}
        return sorted(n for n in found.get(key) or () if n.startswith(prefix))

    def storage_groups(self, prefix: str) -> dict:
        """``{name: detail}`` of the storage groups named ``prefix*``."""
        return {name: self.client.get(self.path('storagegroup', name))
                for name in self._names('storagegroup', 'storageGroupId',
                                        prefix)}

    def hosts(self, prefix: str) -> dict:
        """``{name: detail}`` of the initiator groups named ``prefix*``."""
        return {name: self.client.get(self.path('host', name))
                for name in self._names('host', 'hostId', prefix)}

    def masking_views(self, prefix: str) -> dict:
        """``{name: detail}`` of the masking views named ``prefix*``."""
        return {name: self.client.get(self.path('maskingview', name))
                for name in self._names('maskingview', 'maskingViewId',
                                        prefix)}
