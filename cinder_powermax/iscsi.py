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

"""iSCSI driver for Dell PowerMax and VMAX arrays."""

from cinder.common import constants
from cinder import exception
from cinder import interface
from cinder.volume.drivers.san import san

from cinder_powermax import driver
from cinder_powermax.i18n import _

ISCSI_PORT = 3260


@interface.volumedriver
class PowerMaxISCSIDriver(driver.PowerMaxDriverMixin, san.SanISCSIDriver):
    """Cinder volume driver for PowerMax over iSCSI."""

    PROTOCOL = 'iSCSI'
    STORAGE_PROTOCOL = constants.ISCSI

    def initialize_connection(self, volume, connector):
        attachment = self.common.initialize_connection(volume, connector)
        data = targets(attachment, connector.get('multipath'))
        data.update(target_discovered=True, discard=True,
                    volume_id=volume.id)
        settings = self.common.settings
        if settings.use_chap_auth:
            data.update(auth_method='CHAP',
                        auth_username=settings.chap_username,
                        auth_password=settings.chap_password)
        return {'driver_volume_type': 'iscsi', 'data': data}

    def terminate_connection(self, volume, connector, **kwargs):
        self.common.terminate_connection(volume, connector)


def targets(attachment, multipath):
    """Single-path keys, plus the lists os-brick uses for multipath.

    An SRDF/Metro volume adds its other array's portals, each with the
    LUN of that array's view; the single-path keys are the primary's.
    """
    portals, iqns, luns = [], [], []
    for each in attachment.each():
        found = _portals(each)
        portals += [portal for portal, _iqn in found]
        iqns += [iqn for _portal, iqn in found]
        luns += [each.lun] * len(found)
    data = {'target_portal': portals[0], 'target_iqn': iqns[0],
            'target_lun': attachment.lun}
    if multipath:
        data.update(target_portals=portals, target_iqns=iqns,
                    target_luns=luns)
    return data


def _portals(attachment):
    """(portal, IQN) of each address of the ports of one array's view."""
    found = [('%s:%d' % (address, ISCSI_PORT), port.identifier.split(',')[0])
             for port in attachment.ports for address in port.ips]
    if not found:
        raise exception.VolumeBackendAPIException(data=_(
            'the port group of masking view %s has no iSCSI portal') %
            attachment.view)
    return found


# The class name the VMAX-era documentation and cinder.conf files use.
VMAXISCSIDriver = PowerMaxISCSIDriver
