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

"""The objects an array holds: plain dataclasses, no behaviour."""

import dataclasses
import math
import re
import typing

from tests.fake_unisphere import errors

WWPN_RE = re.compile(r'^[0-9a-fA-F]{16}$')
CYL_MB = 1.875  # one cylinder = 15 tracks x 128 KiB
OPEN_JOB_STATES = ('CREATED', 'SCHEDULED', 'RUNNING')


def to_cylinders(size: float, unit: str) -> int:
    """Whole cylinders holding ``size`` ``unit`` (GB, MB, TB or CYL)."""
    unit = (unit or 'GB').upper()
    if unit == 'CYL':
        return int(math.ceil(size))
    factor = {'MB': 1.0, 'GB': 1024.0, 'TB': 1024.0 * 1024.0}.get(unit)
    if factor is None:
        raise errors.invalid('capacityUnit %s is not valid' % unit)
    return int(math.ceil(size * factor / CYL_MB - 1e-9))


@dataclasses.dataclass
class Srp:
    """A storage resource pool of thin devices.

    ``subscribed_gb`` counts every device's size, ``used_gb`` only the
    allocated ones: subscription may exceed the usable ``total_gb`` (the
    reference's sample shows 93.5 TB on 24.5 TB). No subscription limit
    is in the reference; ``subscription_limit_percent`` (of total_gb)
    sets one when a test wants creates refused.
    """

    name: str
    total_gb: float
    used_gb: float = 0.0
    subscribed_gb: float = 0.0
    reserved_cap_percent: int = 0
    subscription_limit_percent: typing.Optional[float] = None

    @property
    def free_gb(self) -> float:
        return self.total_gb - self.used_gb


@dataclasses.dataclass
class Volume:
    """One device and the states the views show of it.

    ``config`` is the device configuration before any SRDF role (the
    views add ``RDF1+``/``RDF2+`` while it is paired); ``service_state``,
    ``private``, ``system_resource``, ``encapsulated`` and ``reserved``
    are what an administrator or the array itself set; ``content`` is
    the data the device presents (see :meth:`Array.write`).
    """

    device_id: str
    wwn: str
    cap_cyl: int
    srp: str = 'SRP_1'
    identifier: typing.Optional[str] = None
    emulation: str = 'FBA'
    status: str = 'Ready'
    allocated: bool = False
    config: str = 'TDEV'
    service_state: str = 'Normal'
    private: bool = False
    system_resource: bool = False
    encapsulated: bool = False
    reserved: bool = False
    content: str = ''

    @property
    def cap_mb(self) -> float:
        # Unisphere rounds: a 547-cylinder (1 GB) volume shows 1026 MB.
        return float(round(self.cap_cyl * CYL_MB))

    @property
    def cap_gb(self) -> float:
        return round(self.cap_cyl * CYL_MB / 1024.0, 2)


@dataclasses.dataclass
class StorageGroup:
    name: str
    srp: typing.Optional[str] = None
    slo: typing.Optional[str] = None
    workload: typing.Optional[str] = None
    compression: bool = False
    host_io_limit: typing.Optional[dict] = None
    volumes: list = dataclasses.field(default_factory=list)
    children: list = dataclasses.field(default_factory=list)
    tags: list = dataclasses.field(default_factory=list)

    @property
    def is_fast(self) -> bool:
        return self.slo is not None


@dataclasses.dataclass
class Port:
    director: str
    port: str
    protocol: str  # 'FC' or 'iSCSI'
    identifier: typing.Optional[str] = None
    ip_addresses: list = dataclasses.field(default_factory=list)
    iscsi_target: bool = False
    status: str = 'ON'

    @property
    def key(self) -> str:
        return '%s:%s' % (self.director, self.port)


@dataclasses.dataclass
class Director:
    director_id: str
    ports: dict = dataclasses.field(default_factory=dict)
    status: str = 'Online'


@dataclasses.dataclass
class Initiator:
    """An HBA or iSCSI initiator as the array knows it.

    ``ports`` are the front-end ports ('DIR:PORT') it has a login record
    on, in the order it first logged in; ``logged_out`` those of them it
    is no longer logged in to. An initiator named in a host but never
    logged in has no port at all.
    """

    hba: str
    ports: list = dataclasses.field(default_factory=list)
    logged_out: set = dataclasses.field(default_factory=set)

    @property
    def protocol(self) -> str:
        return 'iSCSI' if self.hba.startswith('iqn.') else 'FC'

    def logged_in_on(self, port: str) -> bool:
        return port in self.ports and port not in self.logged_out

    @property
    def logged_in(self) -> bool:
        return any(self.logged_in_on(p) for p in self.ports)


@dataclasses.dataclass
class Host:
    name: str
    initiators: list = dataclasses.field(default_factory=list)
    flags: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class PortGroup:
    name: str
    ports: list = dataclasses.field(default_factory=list)  # (dir, port)
    protocol: str = 'FC'


@dataclasses.dataclass
class MaskingView:
    name: str
    host: str
    port_group: str
    storage_group: str
    first_lun: int = 1
    luns: dict = dataclasses.field(default_factory=dict)  # dev -> int


@dataclasses.dataclass
class Job:
    job_id: str
    name: str
    symmetrix_id: str
    resource_link: str
    submitted: float
    effect: typing.Any = None
    fail_message: typing.Optional[str] = None
    status: str = 'CREATED'
    result: str = ''
    tasks: list = dataclasses.field(default_factory=list)
    completed: typing.Optional[float] = None
    username: str = 'smc'
    started: typing.Optional[float] = None
    # Fault injection: the job stays RUNNING while hold() is true, and
    # with apply_then_fail it makes its change before reporting FAILED.
    hold: typing.Any = None
    apply_then_fail: bool = False

    @property
    def finished(self) -> bool:
        return self.status not in OPEN_JOB_STATES


@dataclasses.dataclass
class Iterator:
    iterator_id: str
    results: list
    expires: float
