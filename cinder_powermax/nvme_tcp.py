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

"""NVMe/TCP driver for Dell PowerMax 2500 and 8500 arrays.

Masking is the same as for FC and iSCSI (initiator groups of host NQNs,
port groups of NVMe/TCP endpoints, views named ``OS-<host>-NT-<pg>-MV``).
The host connects with os-brick's NVMe-oF connector to the portals of the
port group's endpoints, TCP port 4420, and finds the volume by its
namespace GUID. The target NQN is the endpoints' identifier, as Unisphere
reports it, so cinder-volume needs no ``nvme discover`` of its own.
"""

import re

from cinder.common import constants
from cinder import exception
from cinder import interface
from cinder.volume import driver as cinder_driver
from cinder.volume.drivers.san import san

from cinder_powermax import driver
from cinder_powermax.i18n import _

NVME_TCP_PORT = 4420
TRANSPORT = 'tcp'
#: The arrays that serve NVMe/TCP (PowerMaxOS 10), as Unisphere names them.
MODELS = ('PowerMax_2500', 'PowerMax_8500')
#: The first Unisphere release that reports NVMe/TCP endpoints and NGUIDs.
MIN_UNISPHERE_MAJOR = 10
_MAJOR = re.compile(r'^[A-Za-z]?(\d+)\.')


@interface.volumedriver
class PowerMaxNVMETCPDriver(driver.PowerMaxDriverMixin, san.SanDriver,
                            cinder_driver.VolumeDriver):
    """Cinder volume driver for PowerMax over NVMe/TCP."""

    PROTOCOL = 'NVMe_TCP'
    STORAGE_PROTOCOL = constants.NVMEOF_TCP

    def check_for_setup_error(self):
        """Refuse an array, a Unisphere or a replication NVMe cannot use.

        Checked before the port groups, so the error names the cause.
        """
        common = self.common
        replicators = common.state.replicators
        serials = [common.settings.array] + [r.target for r in replicators]
        for serial in serials:
            refusal = unsupported(common.arrays.get(serial).info)
            if refusal:
                raise exception.InvalidConfigurationValue(refusal)
        for replicator in replicators:
            if replicator.device.metro:
                raise exception.InvalidConfigurationValue(_(
                    'replication_device %s is SRDF/Metro: the NVMe/TCP '
                    'driver replicates in Synchronous or Asynchronous mode '
                    'only') % replicator.device.backend_id)
        super().check_for_setup_error()

    def initialize_connection(self, volume, connector):
        attachment = self.common.initialize_connection(volume, connector)
        return {'driver_volume_type': 'nvmeof',
                'data': targets(attachment, volume.id)}

    def terminate_connection(self, volume, connector, **kwargs):
        self.common.terminate_connection(volume, connector)


def unsupported(info):
    """Why an array cannot serve NVMe/TCP; None when it can.

    :param info: the array's :class:`arrayinfo.ArrayInfo`
    """
    match = _MAJOR.match(str(info.unisphere_version or ''))
    if match is None or int(match.group(1)) < MIN_UNISPHERE_MAJOR:
        return _('NVMe/TCP needs Unisphere for PowerMax %(min)d or later; '
                 'array %(array)s is managed by Unisphere %(ver)s') % {
            'min': MIN_UNISPHERE_MAJOR, 'array': info.serial,
            'ver': info.unisphere_version or 'of an unknown release'}
    if info.model.lower() not in {m.lower() for m in MODELS}:
        return _('array %(array)s is a %(model)s; NVMe/TCP needs a '
                 '%(models)s') % {'array': info.serial, 'model': info.model,
                                  'models': ' or '.join(MODELS)}
    return None


def targets(attachment, volume_id):
    """The connection properties os-brick's NVMe-oF connector takes.

    The portals of the endpoints that serve the port group's subsystem
    (the first port's NQN), in the order the attach chose the ports.
    """
    if not attachment.nguid:
        raise exception.VolumeBackendAPIException(data=_(
            'Unisphere reports no NVMe namespace GUID (nguid) for the '
            'device of volume %s; NVMe/TCP needs Unisphere 10 or later') %
            volume_id)
    nqn = attachment.ports[0].identifier
    portals = [(address, NVME_TCP_PORT, TRANSPORT)
               for port in attachment.ports if port.identifier == nqn
               for address in port.ips]
    if not nqn or not portals:
        raise exception.VolumeBackendAPIException(data=_(
            'the port group of masking view %s has no NVMe/TCP endpoint '
            'with an address and an NQN') % attachment.view)
    return {'portals': portals, 'target_nqn': nqn,
            'volume_nguid': attachment.nguid, 'discard': True}
