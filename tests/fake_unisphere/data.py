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

"""Array profiles the fake Unisphere starts with.

Plain data only: the model turns a profile into arrays, SRPs, directors,
ports and port groups. Serial numbers, WWNs, IQNs and NQNs are made up.
"""

from tests.fake_unisphere import nvme

POWERMAX_8000 = '000197800123'
POWERMAX_8500 = '000120001234'
# A PowerMax 2500 serves NVMe/TCP too; not in ALL_ARRAYS (tests that want
# it name it).
POWERMAX_2500 = '000120005678'
VMAX_AFA = '000197000456'
VMAX_HYBRID = '000195000789'
# The SRDF partner of POWERMAX_8000 (reference section 15's example pair).
POWERMAX_8000_R = '000197800124'

ALL_ARRAYS = (POWERMAX_8000, POWERMAX_8500, VMAX_AFA, VMAX_HYBRID,
              POWERMAX_8000_R)

FULL_LEVELS = ('Diamond', 'Platinum', 'Gold', 'Silver', 'Bronze',
               'Optimized')
WORKLOADS_5977 = ('DSS', 'OLTP', 'DSS_REP', 'OLTP_REP')

# 100 TB usable in every SRP, expressed in GB as the model keeps it.
SRP_TOTAL_GB = 100 * 1024.0

# "The maximum allowed devices for a storage group has been exceeded"
# past 4,096 devices (users of Dell's CSI driver hit it).
MAX_SG_DEVICES = 4096
# Devices one array holds (64K on PowerMax; not in the reference, a
# round figure the scaling benchmark stays far below).
MAX_ARRAY_DEVICES = 64000
# Largest single device, in cylinders: 64 TiB rounded up to a cylinder
# on PowerMaxOS 5978 and 6079 (Dell's CSI driver uses the same byte
# figure, 70368745881600); 16 TiB on HyperMax OS 5977.
MAX_DEVICE_CYL_5978 = 35791395
MAX_DEVICE_CYL_5977 = 8947849


def _v3_ports(prefix_fc=('FA-1D', 'FA-2D'), prefix_iscsi=('SE-1E', 'SE-2E'),
              octet=0):
    """Front-end ports of a V3 array (FA- for FC, SE- for iSCSI)."""
    ports = []
    for index, director in enumerate(prefix_fc):
        for number in ('4', '5'):
            ports.append({
                'director': director, 'port': number, 'protocol': 'FC',
                'identifier': '50000973%04x%04x' % (
                    octet * 16 + index + 1, int(number) + 0xb000)})
    for index, director in enumerate(prefix_iscsi):
        address = '192.168.%d.%d' % (octet, 10 + index)
        ports.append({
            'director': director, 'port': '0', 'protocol': 'iSCSI',
            'iscsi_target': True, 'ip_addresses': [address],
            'identifier': 'iqn.1992-04.com.emc:6000097%05d%s' % (
                octet, director.replace('-', '').lower())})
        ports.append({
            'director': director, 'port': '4', 'protocol': 'iSCSI',
            'iscsi_target': False, 'ip_addresses': [address],
            'identifier': None})
    return ports


def _port_groups(fc, iscsi):
    return {
        'OS-fibre-PG': [(d, '4') for d in fc],
        'OS-fibre2-PG': [(d, '5') for d in fc],
        'OS-iscsi-PG': [(d, '0') for d in iscsi],
    }


V4_FC, V4_ISCSI = ('OR-1C', 'OR-2C'), ('OR-3C', 'OR-4C')
V4_NVME = ('OR-1C', 'OR-2C', 'OR-3C', 'OR-4C')


def _v4_profile(sid, model, octet):
    """A PowerMaxOS 10 array: FC, iSCSI and NVMe/TCP on OR- directors.

    Two NVMe/TCP port groups of two endpoints each, as a backend that
    balances load between port groups has.
    """
    groups = _port_groups(V4_FC, V4_ISCSI)
    groups.update({'OS-nvme-PG': [(d, '12') for d in V4_NVME[:2]],
                   'OS-nvme2-PG': [(d, '12') for d in V4_NVME[2:]]})
    return {
        'model': model, 'microcode': '6079.65.0',
        'max_device_cyl': MAX_DEVICE_CYL_5978,
        'service_levels': FULL_LEVELS, 'workloads': (),
        'compression_capable': True, 'v4': True,
        'ports': _v3_ports(V4_FC, V4_ISCSI, octet=octet) +
        nvme.endpoints(sid, V4_NVME, octet),
        'port_groups': groups,
    }


PROFILES = {
    POWERMAX_8000: {
        'model': 'PowerMax_8000', 'ucode': '5978.669.669',
        'max_device_cyl': MAX_DEVICE_CYL_5978,
        'service_levels': FULL_LEVELS, 'workloads': (),
        'compression_capable': True, 'v4': False,
        'ports': _v3_ports(octet=0),
        'port_groups': _port_groups(('FA-1D', 'FA-2D'), ('SE-1E', 'SE-2E')),
    },
    POWERMAX_8500: _v4_profile(POWERMAX_8500, 'PowerMax_8500', 1),
    POWERMAX_2500: _v4_profile(POWERMAX_2500, 'PowerMax_2500', 5),
    VMAX_AFA: {
        'model': 'VMAX250F', 'ucode': '5977.1125.1125',
        'max_device_cyl': MAX_DEVICE_CYL_5977,
        'service_levels': ('Diamond', 'Optimized'),
        'workloads': WORKLOADS_5977,
        'compression_capable': True, 'v4': False,
        'ports': _v3_ports(octet=2),
        'port_groups': _port_groups(('FA-1D', 'FA-2D'), ('SE-1E', 'SE-2E')),
    },
    POWERMAX_8000_R: {
        'model': 'PowerMax_8000', 'ucode': '5978.669.669',
        'max_device_cyl': MAX_DEVICE_CYL_5978,
        'service_levels': FULL_LEVELS, 'workloads': (),
        'compression_capable': True, 'v4': False,
        'ports': _v3_ports(octet=4),
        'port_groups': _port_groups(('FA-1D', 'FA-2D'), ('SE-1E', 'SE-2E')),
    },
    VMAX_HYBRID: {
        'model': 'VMAX100K', 'ucode': '5977.1125.1125',
        'max_device_cyl': MAX_DEVICE_CYL_5977,
        'service_levels': ('Optimized',) + FULL_LEVELS[:-1],
        'workloads': WORKLOADS_5977,
        'compression_capable': False, 'v4': False,
        'ports': _v3_ports(octet=3),
        'port_groups': _port_groups(('FA-1D', 'FA-2D'), ('SE-1E', 'SE-2E')),
    },
}

# RDF groups between arrays, made on both sides. Labels follow the
# "<local sid tail>_<remote sid tail>_<group>" habit of the reference's
# examples; one group per mode a backend may use (mode is per pair).
_RDF_PORTS = ([('RF-1E', '8'), ('RF-2E', '8')],
              [('RF-1E', '8'), ('RF-2E', '8')])
RDF_GROUPS = tuple(
    {'sids': (POWERMAX_8000, POWERMAX_8000_R), 'numbers': (number, number),
     'label': '23_24_%03d' % number, 'ports': _RDF_PORTS}
    for number in (7, 8, 9))
