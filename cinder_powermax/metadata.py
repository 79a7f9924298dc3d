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


def _table(rows):
    width = max(len(key) for key in rows)
    lines = ['+-%s-+-%s' % ('-' * width, '-' * 40)]
    for key, value in rows.items():
        lines.append('| %s | %s' % (key.ljust(width), value))
    lines.append(lines[0])
    return '\n'.join(lines)


def log_operation(operation, obj, spec, device, array):
    """Log the metadata table of a successful operation at DEBUG."""
    if not LOG.isEnabledFor(logging.DEBUG):
        return
    try:
        rows = {
            'successful_operation': operation,
            'openstack_id': obj.id,
            'openstack_name': getattr(obj, 'display_name', None) or obj.id,
            'device_id': device,
            'array': array.serial,
            'srp': array.srp,
            'volume_size': getattr(obj, 'size', None) or
            getattr(obj, 'volume_size', None),
            'updated_time': datetime.datetime.utcnow().isoformat(),
        }
        if spec is not None:
            rows.update({
                'service_level': spec.service_level or 'None',
                'workload': spec.workload,
                'is_compression_disabled': spec.compression_disabled,
                'default_sg_name': spec.group.name,
                'port_group': spec.port_group or '',
            })
        LOG.debug('PowerMax volume metadata:\n%(table)s',
                  {'table': _table(rows)})
    except Exception as exc:  # never fail an operation for a log line
        LOG.debug('Could not build the metadata table: %(err)s',
                  {'err': exc})


def log_version_table(array, driver_version):
    """Log the versions in play once, at setup, at DEBUG."""
    if not LOG.isEnabledFor(logging.DEBUG):
        return
    LOG.debug('PowerMax driver versions:\n%(table)s', {'table': _table({
        'powermax_cinder_driver_version': driver_version,
        'python_version': platform.python_version(),
        'unisphere_for_powermax_version': array.unisphere_version,
        'serial_number': array.serial,
        'storage_model': array.model,
        'storage_firmware_version': array.ucode_text,
    })})
