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

"""Fibre Channel driver for Dell PowerMax and VMAX arrays."""

from cinder.common import constants
from cinder import interface
from cinder.volume import driver as cinder_driver
from cinder.volume.drivers.san import san
from cinder.zonemanager import utils as fczm_utils

from cinder_powermax import driver


@interface.volumedriver
class PowerMaxFCDriver(driver.PowerMaxDriverMixin, san.SanDriver,
                       cinder_driver.FibreChannelDriver):
    """Cinder volume driver for PowerMax over Fibre Channel."""

    PROTOCOL = 'FC'
    STORAGE_PROTOCOL = constants.FC

    def initialize_connection(self, volume, connector):
        attachment = self.common.initialize_connection(volume, connector)
        data = targets(attachment, connector)
        data.update(target_discovered=True, discard=True,
                    volume_id=volume.id)
        info = {'driver_volume_type': 'fibre_channel', 'data': data}
        fczm_utils.add_fc_zone(info)
        return info

    def terminate_connection(self, volume, connector, **kwargs):
        removed = self.common.terminate_connection(volume, connector)
        data = {}
        if connector and removed:
            # The host has no volume left behind these ports: the zone
            # manager may remove the zones now, and not before.
            data = zoning(connector, [p for ports in removed for p in ports])
        info = {'driver_volume_type': 'fibre_channel', 'data': data}
        fczm_utils.remove_fc_zone(info)
        return info


def targets(attachment, connector):
    """The target ports and LUN, zoned for every array that masks it.

    An SRDF/Metro volume is masked on two arrays, under a LUN of each:
    ``target_wwns`` and ``target_luns`` pair each port with its array's
    LUN, for os-brick; ``target_lun`` is the primary's.
    """
    each = attachment.each()
    data = zoning(connector, [p for a in each for p in a.ports])
    data['target_lun'] = attachment.lun
    if attachment.metro is not None:
        pairs = [(p.identifier.lower(), a.lun) for a in each
                 for p in a.ports]
        data.update(target_wwns=[w for w, _lun in pairs],
                    target_luns=[lun for _w, lun in pairs])
    return data


def zoning(connector, ports):
    """Target WWNs and the initiator-target map for pre-zoned fabrics."""
    targets = sorted({port.identifier.lower() for port in ports})
    initiators = [wwpn.lower() for wwpn in connector.get('wwpns') or ()]
    return {'target_wwn': targets,
            'initiator_target_map': {i: list(targets) for i in initiators}}


# The class name the VMAX-era documentation and cinder.conf files use.
VMAXFCDriver = PowerMaxFCDriver
