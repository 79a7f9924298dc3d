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

"""The ``performance`` category: registration and front-end metrics.

Unisphere serves it without an API version in the path. Diagnostic data
are samples of the collection interval (5 minutes); real-time data are
kept for the last hour, in seconds, for arrays registered for both.
"""

from __future__ import annotations

from typing import Optional

from cinder_powermax import unisphere

ROOT = '/performance'
#: The real-time category of front-end ports.
REAL_TIME_PORT = 'FEPORT'


class Performance(unisphere.Category):
    """Performance calls on one array."""

    def registration(self) -> dict:
        """``diagnostic``, ``realtime`` and ``collectionintervalmins``."""
        found = self.client.get('%s/Array/registrationdetails/%s' % (
            ROOT, self.serial)) or {}
        for entry in found.get('registrationDetailsInfo') or ():
            if entry.get('symmetrixId') == self.serial:
                return entry
        return {}

    def last_sample(self, real_time: bool = False) -> Optional[int]:
        """The time (epoch ms) of the array's latest data, if any."""
        path = '/realtime/help/times' if real_time else '/Array/keys'
        found = self.client.get(ROOT + path) or {}
        for entry in found.get('arrayInfo') or ():
            if entry.get('symmetrixId') == self.serial:
                return entry.get('lastAvailableDate')
        return None

    def port_group_series(self, port_group: str, window: tuple,
                          data_format: str, metric: str) -> list:
        """Samples of one metric of a port group in ``(start, end)``."""
        return self.client.post_all(ROOT + '/PortGroup/metrics', {
            'symmetrixId': self.serial, 'portGroupId': port_group,
            'startDate': window[0], 'endDate': window[1],
            'dataFormat': data_format, 'metrics': [metric]})

    def port_series(self, director: str, port: str, window: tuple,
                    data_format: str, metric: str) -> list:
        """Diagnostic samples of one metric of a front-end port."""
        return self.client.post_all(ROOT + '/FEPort/metrics', {
            'symmetrixId': self.serial, 'directorId': director,
            'portId': port, 'startDate': window[0], 'endDate': window[1],
            'dataFormat': data_format, 'metrics': [metric]})

    def real_time_port_series(self, director: str, port: str, window: tuple,
                              metric: str) -> list:
        """Real-time samples of one metric of a front-end port."""
        return self.client.post_all(ROOT + '/realtime/metrics', {
            'symmetrixId': self.serial,
            'instanceId': '%s:%s' % (director, port),
            'category': REAL_TIME_PORT, 'startDate': window[0],
            'endDate': window[1], 'metrics': [metric]})
