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

"""Volume metadata for Cinder, and the debug-level metadata tables.

With the driver's logger at DEBUG, every successful operation logs a
two-column table of what the array now holds for the volume, so support can
correlate a Cinder volume with its device without querying the array. A
failure to build the table never fails the operation.
"""

import datetime
import platform

from oslo_log import log as logging

from cinder_powermax import naming
from cinder_powermax import utils
from cinder_powermax import version

LOG = logging.getLogger(__name__)


def volume_metadata(array, spec, device):
    """Metadata merged into the Cinder volume after create and clone."""
    return {
        'DeviceID': device,
        'ArrayID': array.serial,
        'ArrayModel': array.model,
        'ServiceLevel': spec.service_level or 'None',
        'Workload': spec.workload,
        'SRP': spec.srp,
        'Emulation': 'FBA',
        'Configuration': 'TDEV',
        'CompressionDisabled': str(spec.compression_disabled),
        'ReplicationEnabled': 'False',
    }


def new_volume_update(array, volume, spec, device, operation) -> dict:
    """What Cinder keeps of a volume given a new device.

    Its location and its metadata; the operation's table is logged.

    :param array: the array's :class:`cinder_powermax.arrayinfo.ArrayInfo`
    """
    log_operation(operation, volume, spec, device, array)
    merged = dict(volume.metadata or {})
    merged.update(volume_metadata(array, spec, device))
    return {'provider_location': utils.build_provider_location(
        {'array': array.serial, 'device_id': device}),
        'metadata': merged}


#: What a replicated volume adds to :func:`volume_metadata`.
REPLICATION_KEYS = ('R2-DeviceID', 'R2-ArrayID', 'ReplicationMode',
                    'RDFG-Label')


def with_replication(metadata, r2, target, mode, label):
    """A volume's metadata with its R2 and RDF group."""
    merged = dict(metadata or {})
    merged.update({'ReplicationEnabled': 'True', 'R2-DeviceID': r2,
                   'R2-ArrayID': target, 'ReplicationMode': mode,
                   'RDFG-Label': label})
    return merged


def without_replication(metadata):
    """A volume's metadata once it is no longer replicated."""
    kept = {k: v for k, v in (metadata or {}).items()
            if k not in REPLICATION_KEYS}
    if 'ReplicationEnabled' in kept:
        kept['ReplicationEnabled'] = 'False'
    return kept


#: The keys of an operation's table, in the order of the seed's example.
SEED_KEYS = (
    'service_level', 'is_compression_disabled',
    'powermax_cinder_driver_version', 'identifier_name', 'openstack_release',
    'volume_id', 'storage_model', 'successful_operation', 'default_sg_name',
    'device_id', 'unisphere_for_powermax_version', 'workload',
    'openstack_version', 'volume_updated_time', 'platform', 'python_version',
    'volume_size', 'srp', 'openstack_name', 'storage_firmware_version',
    'serial_number')
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'


def _table(rows):
    """The two-column ``Key | Value`` table of the seed, borders included."""
    width = max([len('Key')] + [len(key) for key in rows])
    value_width = max([len('Value')] + [len(str(v)) for v in rows.values()])
    rule = '+-%s-+-%s-+' % ('-' * width, '-' * value_width)

    def line(key, value):
        return '| %s | %s |' % (key.ljust(width), str(value).ljust(
            value_width))
    body = [line(key, value) for key, value in rows.items()]
    return '\n'.join([rule, line('Key', 'Value'), rule] + body + [rule])


def _openstack_versions():
    """Cinder's release and version strings, as the in-tree driver logs."""
    try:
        from cinder import version as cinder_version
        info = cinder_version.version_info
        return info.release_string(), info.version_string()
    except Exception:  # the tables are for support, not a dependency
        return 'unknown', 'unknown'


def version_rows(array, driver_version):
    """The version keys every table carries.

    :param array: the :class:`cinder_powermax.arrayinfo.ArrayInfo`
    :param driver_version: this driver's version
    :returns: ``{key: value}``
    """
    release, openstack = _openstack_versions()
    return {
        'powermax_cinder_driver_version': driver_version,
        'openstack_release': release,
        'openstack_version': openstack,
        'platform': platform.platform(),
        'python_version': platform.python_version(),
        'unisphere_for_powermax_version': array.unisphere_version,
        'serial_number': array.serial,
        'storage_model': array.model,
        'storage_firmware_version': array.ucode_text,
    }


def _spec_rows(spec, obj, array):
    """Service level, workload, compression and default group.

    From the operation's spec when it has one; otherwise (delete, extend,
    snapshots) from the metadata :func:`volume_metadata` stored on the
    volume at create, so that the table needs no call to the array.
    """
    if spec is not None:
        level, workload = spec.service_level, spec.workload
        srp, disabled = spec.srp, spec.compression_disabled
        group = spec.group.name
    else:
        meta = _stored_metadata(obj)
        level = meta.get('ServiceLevel')
        workload = meta.get('Workload') or naming.NONE
        srp = meta.get('SRP') or array.srp
        disabled = meta.get('CompressionDisabled') == 'True'
        group = naming.default_sg_name(srp, level, workload, disabled) \
            if level else 'unknown'
    return {'service_level': level or 'None',
            'workload': workload or naming.NONE, 'srp': srp,
            'is_compression_disabled': 'yes' if disabled else 'no',
            'default_sg_name': group}


def _stored_metadata(obj):
    volume = _field(obj, 'volume') if _is_snapshot(obj) else obj
    return dict(_field(volume, 'metadata') or {})


def _is_snapshot(obj):
    return 'volume_id' in getattr(obj, 'fields', {}) or \
        _field(obj, 'volume_size') is not None


def _field(obj, name):
    """A field of a Cinder object, None when unset (not lazy-loaded)."""
    try:
        return getattr(obj, name, None)
    except Exception:  # oslo.versionedobjects refuses unset fields
        return None


def _volume_rows(operation, obj, device):
    volume_id = _field(obj, 'volume_id') or obj.id
    updated = _field(obj, 'updated_at') or datetime.datetime.now(
        datetime.timezone.utc)
    return {
        'successful_operation': operation,
        'volume_id': volume_id,
        'identifier_name': naming.PREFIX + volume_id,
        'openstack_name': _field(obj, 'display_name') or obj.id,
        'device_id': device,
        'volume_size': _field(obj, 'size') or _field(obj, 'volume_size'),
        'volume_updated_time': updated.strftime(TIME_FORMAT),
    }


def operation_rows(operation, obj, spec, device, array, driver_version):
    """Every row of an operation's table, in the seed's order.

    :param operation: ``create``, ``delete``, ``attach`` ...
    :param obj: the Cinder volume or snapshot
    :param spec: the operation's :class:`cinder_powermax.volspec.VolumeSpec`
        or None
    :param device: the device id
    :param array: the :class:`cinder_powermax.arrayinfo.ArrayInfo`
    :param driver_version: this driver's version
    :returns: ``{key: value}``, the seed's keys first
    """
    found = version_rows(array, driver_version)
    found.update(_volume_rows(operation, obj, device))
    found.update(_spec_rows(spec, obj, array))
    rows = {key: found.pop(key) for key in SEED_KEYS}
    if _is_snapshot(obj):
        rows['snapshot_id'] = obj.id
    if spec is not None and spec.port_group:
        rows['port_group'] = spec.port_group
    return rows


def log_operation(operation, obj, spec, device, array, driver_version=None):
    """Log the metadata table of a successful operation at DEBUG.

    :param driver_version: this driver's version (the package's by default)
    """
    if not LOG.isEnabledFor(logging.DEBUG):
        return
    try:
        rows = operation_rows(operation, obj, spec, device, array,
                              driver_version or version.VERSION)
        LOG.debug('PowerMax volume metadata:\n%(table)s',
                  {'table': _table(rows)})
    except Exception as exc:  # never fail an operation for a log line
        LOG.debug('Could not build the metadata table: %(err)s',
                  {'err': exc})


def log_version_table(array, driver_version):
    """Log the versions in play once, at setup, at DEBUG."""
    if not LOG.isEnabledFor(logging.DEBUG):
        return
    LOG.debug('PowerMax driver versions:\n%(table)s',
              {'table': _table(version_rows(array, driver_version))})
