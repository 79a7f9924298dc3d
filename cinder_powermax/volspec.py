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

"""From a Cinder volume and its type to what the array must hold.

:func:`resolve` reads the volume type's extra specs and QoS specs once,
validates all of them against the array before anything is created, and
returns a :class:`VolumeSpec`: the service level, workload and compression
of the volume, the default storage group it lives in, and the port group it
asks for at attach time.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from cinder.volume import qos_specs as cinder_qos
from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import storagegroups
from cinder_powermax import utils

LOG = logging.getLogger(__name__)

POOL_NAME = 'pool_name'
DISABLE_COMPRESSION = 'storagetype:disablecompression'
PORT_GROUP = 'storagetype:portgroupname'
REPLICATION_ENABLED = 'replication_enabled'
REPLICATION_DEVICE = 'storagetype:replication_device_backend_id'
BACKEND_QOS_CONSUMERS = ('back-end', 'both')
# Without a service level in the type or in cinder.conf, the first of these
# the array offers is used, as operators of earlier drivers expect.
FALLBACK_LEVELS = ('Optimized', 'Diamond')


@dataclasses.dataclass(frozen=True)
class VolumeSpec:
    """The array intent for one volume."""

    service_level: Optional[str]
    workload: str
    srp: str
    array: str
    compression_disabled: bool
    port_group: Optional[str]
    group: storagegroups.GroupSpec
    #: the backend's replication device for a replicated type, else None
    replication: Optional[object] = None
    #: the numbered default group the device must go back to, when it
    #: must be that one: a replicated device's partner is in the group
    #: of that number on the other array (None: the one being filled)
    home: Optional[int] = None


def type_specs(volume) -> tuple[dict, dict]:
    """The extra specs and back-end QoS specs of the volume's type."""
    if not volume.volume_type_id:
        return {}, {}
    return vtype_specs(volume.volume_type)


def vtype_specs(vtype) -> tuple[dict, dict]:
    """The extra specs and back-end QoS specs of a volume type object.

    QoS specs the object has not loaded are read by their id, never
    through the object: loading them into the volume's type makes the
    volume fail to save afterwards (Cinder could then not even set it to
    ``error``).
    """
    extra = dict(vtype.extra_specs or {})
    qos = {}
    if not vtype.qos_specs_id:
        return extra, qos
    if vtype.obj_attr_is_set('qos_specs'):
        specs = vtype.qos_specs
        consumer, values = (specs.consumer, specs.specs) if specs else (
            None, None)
    else:
        found = cinder_qos.get_qos_specs(vtype._context, vtype.qos_specs_id)
        consumer, values = found.get('consumer'), found.get('specs')
    if consumer in BACKEND_QOS_CONSUMERS:
        qos = dict(values or {})
    return extra, qos


def _level_and_workload(extra, array, settings):
    pool = extra.get(POOL_NAME)
    if pool:
        spec = naming.parse_pool_name(pool, array.next_gen)
        # While failed over, the types still name the primary's pools.
        if (spec.array, spec.srp) not in ((array.serial, array.srp),
                                          (settings.array, settings.srp)):
            raise exception.InvalidSpec(
                key=POOL_NAME, value=pool,
                reason=_('this backend serves SRP %(srp)s on array '
                         '%(array)s') % {'srp': array.srp,
                                         'array': array.serial})
        return spec.service_level, spec.workload, POOL_NAME
    level = settings.service_level
    if level in ('None', 'NONE'):
        level = None
    elif not level:
        level = next((sl for sl in FALLBACK_LEVELS
                      if sl in array.service_levels), None)
        LOG.warning('No service level in the volume type or in '
                    'powermax_service_level; using %(sl)s.', {'sl': level})
    workload = settings.workload or 'NONE'
    if array.next_gen or workload in ('None', 'none'):
        workload = 'NONE'
    return level, workload, 'powermax_service_level'


def _on_target(level, workload, array):
    """The service level and workload an SRDF target array can give.

    A level or workload the target lacks falls back on none, with a
    warning: the R2 (and the volume, once failed over) still gets made.
    """
    if level and level not in array.service_levels:
        LOG.warning('Service level %(sl)s is not offered by SRDF target '
                    'array %(array)s; its storage group there has no '
                    'service level.', {'sl': level, 'array': array.serial})
        return None, 'NONE'
    if workload != 'NONE' and workload not in array.workloads:
        LOG.warning('Workload %(wl)s is not offered by SRDF target array '
                    '%(array)s; NONE is used there.',
                    {'wl': workload, 'array': array.serial})
        workload = 'NONE'
    return level, workload


def _replication(extra, settings):
    """The replication device of a replicated type, else None.

    With one device it serves every replicated type; with several, the
    type names its device by ``backend_id`` in
    ``storagetype:replication_device_backend_id``.
    """
    if not _true_or_false(extra, REPLICATION_ENABLED):
        return None
    if settings.replication is None:
        raise exception.InvalidSpec(
            key=REPLICATION_ENABLED, value=extra[REPLICATION_ENABLED],
            reason=_('this backend has no replication_device; configure '
                     'one in cinder.conf or use a type without '
                     'replication_enabled'))
    wanted = str(extra.get(REPLICATION_DEVICE) or '').strip()
    valid = ', '.join(d.backend_id for d in settings.replications)
    if not wanted:
        if len(settings.replications) == 1:
            return settings.replication
        raise exception.InvalidSpec(
            key=REPLICATION_DEVICE, value=None,
            reason=_('this backend has several replication devices; the '
                     'type must name one by its backend_id: %s') % valid)
    device = settings.replication_by_id(wanted)
    if device is None:
        raise exception.InvalidSpec(
            key=REPLICATION_DEVICE, value=wanted,
            reason=_('no replication_device of this backend has that '
                     'backend_id; valid: %s') % valid)
    return device


def _check_level(level, workload, array, source):
    if level and level not in array.service_levels:
        raise exception.InvalidSpec(
            key=source, value=level,
            reason=_('array %(array)s offers the service levels %(valid)s '
                     'or None') % {'array': array.serial,
                                   'valid': ', '.join(array.service_levels)})
    if workload != 'NONE':
        if not level:
            raise exception.InvalidSpec(
                key=source, value=workload,
                reason=_('a workload needs a service level'))
        if workload not in array.workloads:
            raise exception.InvalidSpec(
                key=source, value=workload,
                reason=_('array %(array)s offers the workloads %(valid)s '
                         'or NONE') % {
                    'array': array.serial,
                    'valid': ', '.join(array.workloads) or 'none'})


def _true_or_false(extra, key) -> bool:
    """A boolean extra spec, strictly.

    Anything but a spelling of true or false is refused rather than read
    as false.
    """
    value = extra.get(key)
    if value is None or utils.is_true(value) or utils.is_false(value):
        return utils.is_true(value)
    raise exception.InvalidSpec(
        key=key, value=value,
        reason=_('expected True or False (or <is> True, <is> False)'))


def _compression(extra, level, array):
    """Whether the volume's storage group runs without compression.

    The one rule: a group without a service level never compresses;
    with one, ``storagetype:disablecompression`` decides, on arrays that
    can compress at all.
    """
    wanted = _true_or_false(extra, DISABLE_COMPRESSION)
    if not level:
        return True
    if wanted and not array.compression_capable:
        LOG.warning('%(key)s is ignored: array %(array)s (%(model)s) does '
                    'not compress.', {'key': DISABLE_COMPRESSION,
                                      'array': array.serial,
                                      'model': array.model})
        return False
    return wanted


def resolve(volume, array, settings) -> VolumeSpec:
    """Validate the volume's type and work out its array intent.

    :raises InvalidSpec: for a pool, service level, workload, SRP, array or
        QoS value the backend cannot honour; nothing has been changed yet
    """
    return resolve_specs(*type_specs(volume), array, settings)


def resolve_specs(extra, qos, array, settings) -> VolumeSpec:
    """:func:`resolve` for a type's extra specs and back-end QoS specs."""
    level, workload, source = _level_and_workload(extra, array, settings)
    home = array.serial == settings.array
    if not home:
        level, workload = _on_target(level, workload, array)
    _check_level(level, workload, array, source)
    disabled = _compression(extra, level, array)
    limits = utils.qos_limits(qos)
    replication = _replication(extra, settings)
    group = storagegroups.GroupSpec(
        name=naming.default_sg_name(
            array.srp, level, workload, disabled,
            replication.mode if replication else None),
        srp=array.srp if level else None,
        service_level=level, workload=workload,
        no_compression=(disabled if array.compression_capable and level
                        else None),
        host_io_limits=limits)
    return VolumeSpec(service_level=level, workload=workload, srp=array.srp,
                      array=array.serial, compression_disabled=disabled,
                      port_group=extra.get(PORT_GROUP) if home else None,
                      group=group, replication=replication)


def unreplicated(spec: VolumeSpec) -> VolumeSpec:
    """The spec of the same type without replication (its plain group)."""
    name = naming.default_sg_name(spec.srp, spec.service_level,
                                  spec.workload, spec.compression_disabled)
    return dataclasses.replace(
        spec, replication=None,
        group=dataclasses.replace(spec.group, name=name))


def pool_stats(array, level, workload, capacity, reserved, ratio) -> dict:
    """One pool's stats; every pool carries the same keys."""
    return {
        'pool_name': naming.pool_name(level, workload, array.srp,
                                      array.serial),
        'total_capacity_gb': capacity['total'],
        'free_capacity_gb': capacity['free'],
        'provisioned_capacity_gb': capacity['provisioned'],
        'location_info': naming.location_info(array.serial, array.srp,
                                              level, workload),
        'QoS_support': True,
        'thin_provisioning_support': True,
        'thick_provisioning_support': False,
        'max_over_subscription_ratio': ratio,
        'reserved_percentage': reserved,
        'multiattach': True,
        'consistencygroup_support': False,
        'consistent_group_snapshot_enabled': True,
        'replication_enabled': False,
        'group_replication_enabled': False,
        'consistent_group_replication_enabled': False,
    }
