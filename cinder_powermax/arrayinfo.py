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

"""What the driver learns about its array once, at setup.

Model, microcode, service levels, workloads and capabilities do not change
while cinder-volume runs, so they are read once in ``do_setup`` and kept in
an immutable :class:`ArrayInfo`; only capacity is read on every stats poll.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _

LOG = logging.getLogger(__name__)

TB = 1024.0
HYBRID_MODELS = frozenset(('VMAX100K', 'VMAX200K', 'VMAX400K'))
# VMAX All Flash before 5978 lists Optimized but cannot place volumes on it.
AFA_PRE_5978_DROPPED = frozenset(('Optimized',))
#: The kind of port group each driver needs, as its type names it
#: (``Fibre``/``SCSI_FC``, ``iSCSI``, ``NVMe_TCP``).
PORT_KINDS = {'FC': 'fc', 'iSCSI': 'iscsi', 'NVMe_TCP': 'nvme'}


@dataclasses.dataclass(frozen=True)
class ArrayInfo:
    """The array facts the driver decides with."""

    serial: str
    model: str
    ucode: tuple
    srp: str
    service_levels: tuple
    workloads: tuple
    compression_capable: bool
    snapvx_capable: bool
    unisphere_version: Optional[str]

    @property
    def ucode_text(self) -> str:
        return '.'.join(str(p) for p in self.ucode)

    @property
    def next_gen(self) -> bool:
        """PowerMaxOS 5978 and later: no workloads, SnapVX extend."""
        return bool(self.ucode) and self.ucode[0] >= 5978

    @property
    def snap_ids(self) -> bool:
        """Snapshots are addressed by snap id rather than generation."""
        major, minor = (tuple(self.ucode) + (0, 0))[:2]
        return (major == 5978 and minor >= 660) or major >= 6079

    @property
    def rapid_delete(self) -> bool:
        """A device can be deleted without freeing its tracks first."""
        major, minor = (tuple(self.ucode) + (0, 0))[:2]
        return (major == 5978 and minor > 221) or major >= 6079

    @property
    def hybrid(self) -> bool:
        return self.model in HYBRID_MODELS

    @property
    def all_flash(self) -> bool:
        return not self.hybrid


def parse_ucode(text: str) -> tuple:
    """``'5978.669.669'`` → ``(5978, 669, 669)``; unknown parts are 0."""
    parts = []
    for piece in str(text or '').split('.'):
        digits = ''.join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def learn(system, sloprov, settings, unisphere_version) -> ArrayInfo:
    """Read the array's identity and capabilities.

    :raises ConfigError: when the configured array is not managed by this
        Unisphere
    """
    serial = system.serial
    try:
        detail = system.get_array()
    except exception.NotFound:
        raise exception.ConfigError(reason=_(
            'array %(array)s (powermax_array) is not managed by Unisphere '
            'at %(ip)s; it manages %(known)s') % {
                'array': serial, 'ip': settings.san_ip,
                'known': ', '.join(system.list_arrays()) or 'no array'})
    ucode = parse_ucode(detail.get('ucode') or detail.get('microcode'))
    model = detail.get('model', '')
    levels = list(sloprov.service_levels())
    if ucode and ucode[0] < 5978 and model not in HYBRID_MODELS:
        levels = [sl for sl in levels if sl not in AFA_PRE_5978_DROPPED]
    workloads = []
    if ucode and ucode[0] < 5978:
        workloads = [wl for wl in sloprov.workloads() if wl != 'NONE']
    info = ArrayInfo(
        serial=serial, model=model, ucode=ucode, srp=settings.srp,
        service_levels=tuple(levels), workloads=tuple(workloads),
        compression_capable=system.compression_capable(),
        snapvx_capable=system.snapvx_capable(),
        unisphere_version=unisphere_version)
    LOG.info('Array %(array)s: %(model)s, PowerMaxOS %(ucode)s, service '
             'levels %(sls)s, workloads %(wls)s.',
             {'array': serial, 'model': model, 'ucode': info.ucode_text,
              'sls': levels, 'wls': workloads or 'none'})
    if info.next_gen and settings.workload not in (None, '', 'NONE', 'None'):
        LOG.warning('Workload %(wl)s is ignored: PowerMaxOS %(ucode)s has '
                    'no workloads.', {'wl': settings.workload,
                                      'ucode': info.ucode_text})
    return info


def check(sloprov, info: ArrayInfo, settings, protocol: str) -> None:
    """Refuse an SRP, service level or port group the array lacks.

    :raises ConfigError: naming the wrong value and what exists
    """
    srps = sloprov.list_srps()
    if info.srp not in srps:
        raise exception.ConfigError(reason=_(
            'SRP %(srp)s (powermax_srp) does not exist on array %(array)s; '
            'it has %(srps)s') % {'srp': info.srp, 'array': info.serial,
                                  'srps': ', '.join(srps) or 'none'})
    level = settings.service_level
    if level and level not in ('None', 'NONE') and \
            level not in info.service_levels:
        raise exception.ConfigError(reason=_(
            'service level %(sl)s (powermax_service_level) is not offered by '
            'array %(array)s; valid: %(valid)s') % {
                'sl': level, 'array': info.serial,
                'valid': ', '.join(info.service_levels)})
    for group in settings.port_groups or ():
        check_port_group(sloprov, info, group, protocol)


def check_port_group(sloprov, info: ArrayInfo, name: str,
                     protocol: str) -> dict:
    """Refuse a missing port group, or one of another protocol's ports.

    :returns: the port group
    """
    try:
        group = sloprov.get_port_group(name)
    except exception.NotFound:
        existing = sloprov.list_port_groups()
        raise exception.ConfigError(reason=_(
            'port group %(pg)s does not exist on array %(array)s; it has '
            '%(pgs)s') % {'pg': name, 'array': info.serial,
                          'pgs': ', '.join(existing) or 'none'})
    kind = str(group.get('type') or group.get('port_group_protocol') or '')
    wanted = PORT_KINDS.get(protocol, 'fc')
    actual = next((k for k in ('iscsi', 'nvme') if k in kind.lower()),
                  'fc' if kind else wanted)
    if actual != wanted:
        raise exception.ConfigError(reason=_(
            'port group %(pg)s holds %(kind)s ports; the %(proto)s driver '
            'needs a port group of %(proto)s ports') % {
                'pg': name, 'kind': kind, 'proto': protocol})
    return group


def srp_capacity(sloprov, info: ArrayInfo) -> dict:
    """Pool capacity in GB from the SRP, for either capacity block.

    A stats refresh that cannot read the SRP fails: reporting no capacity
    would make the scheduler think the pools full (or, with
    over-subscription, empty).
    """
    srp = sloprov.get_srp(info.srp)
    if not isinstance(srp, dict):
        raise exception.PowerMaxError(reason=_(
            'Unisphere gave no capacity for SRP %(srp)s of array %(array)s') %
            {'srp': info.srp, 'array': info.serial})
    reserved = int(srp.get('reserved_cap_percent') or 0)
    block = srp.get('srp_capacity')
    if block:
        total = float(block.get('usable_total_tb') or 0) * TB
        used = float(block.get('usable_used_tb') or 0) * TB
        provisioned = float(block.get('subscribed_total_tb') or 0) * TB
        free = total - used
    else:
        effective = (srp.get('fba_srp_capacity') or {}).get('effective', {})
        total = float(effective.get('total_tb') or 0) * TB
        free = float(effective.get('free_tb') or 0) * TB
        provisioned = float(effective.get('used_tb') or 0) * TB
    return {'total': round(total, 2), 'free': round(free, 2),
            'provisioned': round(provisioned, 2),
            'reserved_percentage': reserved}
