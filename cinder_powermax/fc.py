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

from cinder_powermax import driver


@interface.volumedriver
class PowerMaxFCDriver(driver.PowerMaxDriverMixin, san.SanDriver,
                       cinder_driver.FibreChannelDriver):
    """Cinder volume driver for PowerMax over Fibre Channel."""

    PROTOCOL = 'FC'
    STORAGE_PROTOCOL = constants.FC


# The class name the VMAX-era documentation and cinder.conf files use.
VMAXFCDriver = PowerMaxFCDriver
