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

"""One context per array: everything that belongs to one array serial.

What setup learned about the array, its Unisphere category APIs, its
storage groups, its provisioner and its masking live together in an
:class:`ArrayContext`, built on demand over the one REST client of the
backend. A remote SRDF array is reached through the same Unisphere, so it
is just another context; the orchestrator asks :class:`Arrays` for the
context an operation acts on.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Optional

from oslo_log import log as logging

from cinder_powermax import arrayinfo
from cinder_powermax import masking
from cinder_powermax import provision
from cinder_powermax import rest
from cinder_powermax import storagegroups
from cinder_powermax.unisphere import replication
from cinder_powermax.unisphere import sloprovisioning
from cinder_powermax.unisphere import snapsets
from cinder_powermax.unisphere import srdf
from cinder_powermax.unisphere import system

LOG = logging.getLogger(__name__)

# With Unisphere failover targets, how long the client stays on a standby
# before it tries the primary again.
FAIL_BACK_AFTER = 60


def connect(settings) -> rest.RestClient:
    """The REST client of a backend, over its Unisphere endpoints.

    No request is sent here.
    """
    endpoints = [rest.Endpoint(settings.san_ip, settings.san_api_port,
                               settings.san_login, settings.san_password,
                               settings.verify)]
    for target in settings.failover_targets:
        endpoints.append(rest.Endpoint(
            target['san_ip'], target['san_api_port'], target['san_login'],
            target['san_password'], target['verify']))
    if not all(endpoint.verify for endpoint in endpoints):
        LOG.warning('TLS certificate verification of Unisphere is off for '
                    '%(names)s: the driver cannot tell Unisphere from an '
                    'impostor, who would learn the Unisphere password. Set '
                    'driver_ssl_cert_verify = True and driver_ssl_cert_path '
                    'to the CA bundle that signed its certificate.',
                    {'names': ', '.join(e.name for e in endpoints
                                        if not e.verify)})
    timeouts = (settings.connect_timeout, settings.read_timeout)
    attempts, backoff = 3, 0.5
    if settings.failover_targets:
        # With standby Unisphere servers, a stalled one is given up
        # sooner and the request moves on to the next.
        timeouts = (settings.failover_timeout,) * 2
        attempts = settings.failover_retries + len(endpoints)
        backoff = settings.failover_backoff_factor
    return rest.RestClient(
        endpoints, connect_timeout=timeouts[0], read_timeout=timeouts[1],
        job_deadline=settings.interval * settings.retries,
        job_poll_max=settings.interval, max_attempts=attempts,
        backoff=backoff,
        fail_back_after=(FAIL_BACK_AFTER if settings.failover_autofailback
                         else None))


@dataclasses.dataclass(frozen=True)
class ArrayContext:
    """What the driver uses to act on one array."""

    info: arrayinfo.ArrayInfo
    system: system.System
    sloprov: sloprovisioning.SloProvisioning
    replication: replication.Replication
    snapsets: snapsets.SnapSets
    srdf: srdf.Srdf
    groups: storagegroups.StorageGroups
    provision: provision.Provisioner
    masking: masking.Masking

    @property
    def serial(self) -> str:
        return self.info.serial

    def check(self, settings, protocol: str) -> None:
        """Refuse an SRP, service level or port group the array lacks."""
        arrayinfo.check(self.sloprov, self.info, settings, protocol)

    def capacity(self) -> dict:
        """The SRP's capacity in GB, read now."""
        return arrayinfo.srp_capacity(self.sloprov, self.info)

    def ensure_tags(self, tags) -> None:
        """Tag the array with what it lacks of ``tags``."""
        if not tags:
            return
        have = set(self.system.tags())
        missing = [tag for tag in tags if tag not in have]
        if missing:
            self.system.add_tags(missing)
            LOG.info('Tagged array %(array)s with %(tags)s.',
                     {'array': self.serial, 'tags': missing})


class Arrays:
    """The contexts of the arrays one backend reaches, built on demand.

    :param client: the backend's REST client
    :param settings: the backend settings
    :param protocol: ``'FC'`` or ``'iSCSI'``
    """

    def __init__(self, client: rest.RestClient, settings, protocol: str):
        self.client = client
        self.settings = settings
        self.protocol = protocol
        self._contexts: dict[str, ArrayContext] = {}
        self._lock = threading.Lock()
        self._remote_settings: dict = {}

    def add_remote(self, serial: str, srp: str, port_group: str) -> None:
        """Serve ``serial`` (an SRDF target) from ``srp`` and ``port_group``.

        Its context learns the array with that SRP and attaches through
        that port group, and nothing else of the backend's settings
        changes; no request is sent here.
        """
        self._remote_settings[serial] = dataclasses.replace(
            self.settings, srp=srp, port_groups=[port_group])

    def get(self, serial: Optional[str] = None) -> ArrayContext:
        """The context of ``serial`` (the configured array by default)."""
        serial = serial or self.settings.array
        with self._lock:
            found = self._contexts.get(serial)
        if found is None:
            found = self._build(serial)
            with self._lock:
                found = self._contexts.setdefault(serial, found)
        return found

    def _build(self, serial: str) -> ArrayContext:
        settings = self._remote_settings.get(serial, self.settings)
        sys_api = system.System(self.client, serial)
        sloprov = sloprovisioning.SloProvisioning(self.client, serial)
        rep = replication.Replication(self.client, serial)
        self.client.version()  # the Unisphere release, for the array facts
        info = arrayinfo.learn(sys_api, sloprov, settings,
                               self.client.unisphere_version)
        groups = storagegroups.StorageGroups(
            sloprov, max_batch=self.settings.create_batch_size,
            deadline=self.client.job_deadline)
        prov = provision.Provisioner(
            sloprov, rep, groups, snap_ids=info.snap_ids,
            deadline=self.client.job_deadline,
            rapid_delete=info.rapid_delete,
            unlink_symforce=settings.snapvx_unlink_symforce)
        mask = masking.Masking(sloprov, sys_api, groups, prov, info,
                               settings, self.protocol)
        return ArrayContext(
            info, sys_api, sloprov, rep,
            snapsets.SnapSets(self.client, serial, info.snap_ids),
            srdf.Srdf(self.client, serial), groups, prov, mask)
