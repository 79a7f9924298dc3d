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

"""The NVMe/TCP backend through the Cinder API, on a PowerMax 8500.

A cinder-volume service loads ``cinder_powermax.nvme_tcp`` from
``volume_driver``; a compute host's attach, an in-use extend and the
detach go through the API with the connector os-brick sends for an NVMe
host, and the array holds the host's masking while attached and nothing
after.
"""

import uuid

from os_brick.initiator.connectors import nvmeof

from tests.fake_unisphere import nvme
from tests.functional import base
from tools import cinderstack

HOST_ID = str(uuid.uuid5(uuid.NAMESPACE_DNS, 'compute-3'))
NVME_CONNECTOR = {
    'host': 'compute-3', 'ip': '192.0.2.13', 'platform': 'x86_64',
    'os_type': 'linux', 'multipath': True, 'nvme_native_multipath': True,
    'nqn': 'nqn.2014-08.org.nvmexpress:uuid:%s' % HOST_ID,
    'nvme_hostid': HOST_ID, 'uuid': HOST_ID}
HOST_NQN = '%s:%s' % (NVME_CONNECTOR['nqn'], HOST_ID.replace('-', ''))


class NVMeTCPTest(base.FunctionalTestCase):

    backends = tuple(base.BACKENDS) + (base.NVME,)

    @property
    def arr(self):
        return self.fake.model.arrays[base.NVME_ARRAY]

    def test_attach_extend_in_use_detach(self):
        pools = {p['name']: p['capabilities'] for p in self.get_pools()}
        nvme_pool = '%s@%s#%s' % (base.HOST, base.NVME, cinderstack.pool_name(
            base.NVME_ARRAY))
        self.assertEqual('NVMe-TCP', pools[nvme_pool]['storage_protocol'])
        self.volume_type('nvme', backend=base.NVME,
                         pool_name=cinderstack.pool_name(base.NVME_ARRAY))
        volume = self.create_volume(1, 'nvme')
        self.assertEqual(nvme_pool, volume['os-vol-host-attr:host'])
        device = self.device(volume)

        self.action(volume['id'], 'os-reserve', {})
        info = self.action(volume['id'], 'os-initialize_connection',
                           {'connector': NVME_CONNECTOR})['connection_info']
        self.action(volume['id'], 'os-attach', {
            'host_name': 'compute-3', 'mountpoint': '/dev/nvme0n1',
            'mode': 'rw'})
        volume = self.wait_volume(volume['id'], ('attaching',), 'in-use')

        self.assertEqual('nvmeof', info['driver_volume_type'])
        data = info['data']
        with self.fake.model.lock:
            ports = [self.arr.port(d, p) for d, p in
                     self.arr.port_groups['OS-nvme-PG'].ports]
            nguid = self.arr.volumes[device].wwn[:32]
            view = self.arr.masking_views['OS-compute-3-NT-OS-nvme-PG-MV']
            self.assertEqual([HOST_NQN],
                             self.arr.hosts[view.host].initiators)
            self.assertIn(device, view.luns)
        self.assertEqual(sorted([a, 4420, 'tcp'] for p in ports
                                for a in p.ip_addresses),
                         sorted(list(p) for p in data['portals']))
        self.assertEqual(nvme.subsystem_nqn(base.NVME_ARRAY),
                         data['target_nqn'])
        self.assertEqual(nguid, data['volume_nguid'])
        # What Nova hands os-brick, after the API's JSON round trip.
        (target,) = nvmeof.NVMeOFConnProps(dict(data)).targets
        self.assertEqual(str(uuid.UUID(nguid)), target.nguid)

        self.action(volume['id'], 'os-extend', {'new_size': 2})
        volume = self.wait_volume(volume['id'], ('extending',), 'in-use')
        self.assertEqual(2.0, self.arr.volumes[device].cap_gb)

        self.action(volume['id'], 'os-terminate_connection',
                    {'connector': NVME_CONNECTOR})
        self.action(volume['id'], 'os-detach', {
            'attachment_id': volume['attachments'][0]['attachment_id']})
        self.wait_volume(volume['id'], ('detaching', 'in-use'), 'available')
        with self.fake.model.lock:
            self.assertEqual([], self.arr.views_of_device(device))
            self.assertEqual([], [n for n in list(self.arr.hosts) + list(
                self.arr.storage_groups) if n.startswith('OS-compute-3-')])
        self.delete_volume(volume['id'])
        self.assertArrayClean()
