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

"""Attach and detach through the Cinder API, for FC and for iSCSI.

The calls a compute host's attach makes (``os-reserve``,
``os-initialize_connection``, ``os-attach``) and its detach
(``os-terminate_connection``, ``os-detach``), with the connectors os-brick
sends; the array must hold the seeds' masking objects while attached and
none of them after.
"""

from tests.functional import base

FC_CONNECTOR = {
    'host': 'compute-1', 'ip': '192.0.2.11', 'platform': 'x86_64',
    'os_type': 'linux', 'multipath': True,
    'initiator': 'iqn.1993-08.org.debian:01:compute-1',
    'wwpns': ['10000090fa0b1001', '10000090fa0b1002'],
    'wwnns': ['20000090fa0b1001', '20000090fa0b1002']}
ISCSI_CONNECTOR = {
    'host': 'compute-2', 'ip': '192.0.2.12', 'platform': 'x86_64',
    'os_type': 'linux', 'multipath': True,
    'initiator': 'iqn.1993-08.org.debian:01:compute-2'}


class AttachTest(base.FunctionalTestCase):

    def attach(self, volume_id, connector):
        self.action(volume_id, 'os-reserve', {})
        info = self.action(volume_id, 'os-initialize_connection',
                           {'connector': connector})['connection_info']
        self.action(volume_id, 'os-attach', {
            'host_name': connector['host'], 'mountpoint': '/dev/sdb',
            'mode': 'rw'})
        volume = self.wait_volume(volume_id, ('attaching',), 'in-use')
        self.assertEqual([connector['host']],
                         [a['host_name'] for a in volume['attachments']])
        return info, volume

    def detach(self, volume):
        connector = {'host': volume['attachments'][0]['host_name']}
        connector.update(FC_CONNECTOR if connector['host'] == 'compute-1'
                         else ISCSI_CONNECTOR)
        self.action(volume['id'], 'os-terminate_connection',
                    {'connector': connector})
        self.action(volume['id'], 'os-detach', {
            'attachment_id': volume['attachments'][0]['attachment_id']})
        return self.wait_volume(volume['id'], ('detaching', 'in-use'),
                                'available')

    def assertMasked(self, device, view, ig, parent, child, initiators):
        with self.fake.model.lock:
            self.assertIn(view, self.arr.masking_views)
            mv = self.arr.masking_views[view]
            self.assertEqual(ig, mv.host)
            self.assertEqual(parent, mv.storage_group)
            self.assertEqual([child],
                             sorted(self.arr.storage_groups[parent].children))
            self.assertIn(device, self.arr.storage_groups[child].volumes)
            self.assertEqual('Diamond', self.arr.storage_groups[child].slo)
            self.assertIn(device, mv.luns)
            self.assertEqual(sorted(initiators), sorted(
                i.lower() for i in self.arr.hosts[ig].initiators))
            return mv.luns[device]

    def assertPresents(self, data, connector, device, token):
        """The host reaches the volume's own device, and its data."""
        self.assertEqual([(base.ARRAY, device)],
                         self.fake.presented(data, connector))
        self.assertEqual(token, self.fake.content(base.ARRAY, device))

    def assertUnmasked(self, device, host):
        stem = 'OS-%s-' % host
        with self.fake.model.lock:
            self.assertEqual([base.DEFAULT_SG], self.arr.groups_of(device))
            self.assertEqual([], self.arr.views_of_device(device))
            self.assertEqual([], [n for n in list(self.arr.masking_views) +
                                  list(self.arr.hosts) +
                                  list(self.arr.storage_groups)
                                  if n.startswith(stem)])

    def test_fc_attach_extend_in_use_detach(self):
        self.volume_type('fc', pool_name=base.pool(),
                         **{'storagetype:portgroupname': 'OS-fibre-PG'})
        volume = self.create_volume(1, 'fc')
        device = self.device(volume)
        self.fake.write(base.ARRAY, device, 'fc-volume')
        info, volume = self.attach(volume['id'], FC_CONNECTOR)
        self.assertEqual('fibre_channel', info['driver_volume_type'])
        data = info['data']
        self.assertPresents(data, FC_CONNECTOR, device, 'fc-volume')
        with self.fake.model.lock:
            wwns = sorted(self.arr.port(d, p).identifier.lower()
                          for d, p in self.arr.port_groups[
                              'OS-fibre-PG'].ports)
        self.assertEqual(wwns, sorted(data['target_wwn']))
        self.assertEqual({w: wwns for w in FC_CONNECTOR['wwpns']},
                         {k: sorted(v) for k, v in
                          data['initiator_target_map'].items()})
        lun = self.assertMasked(
            device, 'OS-compute-1-F-OS-fibre-PG-MV', 'OS-compute-1-F-IG',
            'OS-compute-1-F-OS-fibre-PG-SG',
            'OS-compute-1-SRP_1-DiamodNONE-OS-fibre-PG',
            FC_CONNECTOR['wwpns'])
        self.assertEqual(int(lun), int(data['target_lun']))

        # Extend while attached (microversion 3.42).
        self.action(volume['id'], 'os-extend', {'new_size': 2})
        volume = self.wait_volume(volume['id'], ('extending',), 'in-use')
        self.assertEqual(2, volume['size'])
        self.assertEqual(2.0, self.arr.volumes[device].cap_gb)

        self.detach(volume)
        self.assertUnmasked(device, 'compute-1')
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_iscsi_attach_detach(self):
        self.volume_type('iscsi', backend=base.ISCSI, pool_name=base.pool(),
                         **{'storagetype:portgroupname': 'OS-iscsi-PG'})
        volume = self.create_volume(1, 'iscsi')
        self.assertTrue(volume['os-vol-host-attr:host'].startswith(
            '%s@%s#' % (base.HOST, base.ISCSI)))
        device = self.device(volume)
        self.fake.write(base.ARRAY, device, 'iscsi-volume')
        info, volume = self.attach(volume['id'], ISCSI_CONNECTOR)
        self.assertEqual('iscsi', info['driver_volume_type'])
        data = info['data']
        self.assertPresents(data, ISCSI_CONNECTOR, device, 'iscsi-volume')
        with self.fake.model.lock:
            ports = [self.arr.port(d, p) for d, p in
                     self.arr.port_groups['OS-iscsi-PG'].ports]
            portals = sorted('%s:3260' % p.ip_addresses[0] for p in ports)
            iqns = sorted(p.identifier for p in ports)
        self.assertEqual(portals, sorted(data['target_portals']))
        self.assertEqual(iqns, sorted(data['target_iqns']))
        lun = self.assertMasked(
            device, 'OS-compute-2-I-OS-iscsi-PG-MV', 'OS-compute-2-I-IG',
            'OS-compute-2-I-OS-iscsi-PG-SG',
            'OS-compute-2-SRP_1-DiamodNONE-OS-iscsi-PG',
            [ISCSI_CONNECTOR['initiator']])
        self.assertEqual([int(lun)] * len(portals),
                         [int(x) for x in data['target_luns']])
        self.detach(volume)
        self.assertUnmasked(device, 'compute-2')
        self.delete_volume(volume['id'])
        self.assertArrayClean()
