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

"""NVMe/TCP on the fake's PowerMax 8500: hosts, endpoints, port groups."""

from tests.fake_unisphere import data
from tests.fake_unisphere import nvme
from tests.unit.fake_unisphere import base
from tests.unit.fake_unisphere import openapi

HOST_ID = '3f30847bfa1c5d94888ba11cb55a59e0'
NQN = 'nqn.2014-08.org.nvmexpress:uuid:3f30847b-fa1c-5d94-888b-a11cb55a59e0'
HOST = '%s:%s' % (NQN, HOST_ID)


class NVMeTest(base.FakeTestCase):

    sid = data.POWERMAX_8500

    def port(self, director, number, **kwargs):
        return self.assertStatus(200, self.call(
            'GET', '/director/%s/port/%s' % (director, number),
            category='system', **kwargs))['symmetrixPort']

    def test_endpoint_fields(self):
        port = self.port('OR-1C', '12')
        self.assertEqual(nvme.subsystem_nqn(self.sid), port['identifier'])
        self.assertEqual(['192.168.1.40'], port['ip_addresses'])
        self.assertIs(True, port['nvmetcp_endpoint'])
        self.assertEqual(['NVMe/TCP'], port['enabled_protocol'])

    @openapi.needed
    def test_endpoint_fields_are_the_spec_s(self):
        port = self.port('OR-1C', '12')
        self.assertLessEqual(set(port), openapi.properties('symmetrixPort'))
        self.assertLessEqual(set(port['enabled_protocol']),
                             openapi.enum('symmetrixPort',
                                          'enabled_protocol'))
        group = self.assertStatus(200, self.call('GET',
                                                 '/portgroup/OS-nvme-PG'))
        self.assertIn('port_group_protocol', openapi.properties('portGroup'))
        self.assertIn(group['port_group_protocol'], openapi.enum(
            'createPortGroupParam', 'port_group_protocol'))

    def test_endpoint_filter(self):
        found = self.assertStatus(200, self.call(
            'GET', '/director/OR-1C/port', category='system',
            params={'nvmetcp_endpoint': 'true'}))['symmetrixPortKey']
        self.assertEqual([{'directorId': 'OR-1C', 'portId': '12'}], found)

    def test_port_group_protocol(self):
        group = self.assertStatus(200, self.call('GET',
                                                 '/portgroup/OS-nvme-PG'))
        self.assertEqual('NVMe_TCP', group['port_group_protocol'])
        self.assertStatus(201, self.call('POST', '/portgroup', {
            'portGroupId': 'PG-N', 'port_group_protocol': 'NVMe_TCP',
            'symmetrixPortKey': [{'directorId': 'OR-3C', 'portId': '12'}]}))
        self.assertRefused(400, self.call('POST', '/portgroup', {
            'portGroupId': 'PG-X', 'port_group_protocol': 'NVMe_TCP',
            'symmetrixPortKey': [{'directorId': 'OR-1C', 'portId': '4'}]}))

    def test_host_logs_in_to_endpoints_only(self):
        initiator = self.fake.model.log_in(self.sid, HOST)
        self.assertEqual(['OR-1C:12', 'OR-2C:12', 'OR-3C:12', 'OR-4C:12'],
                         initiator.ports)
        self.assertRefused(400, self.call('POST', '/host', {
            'hostId': 'h', 'initiatorId': [NQN]}))

    def test_host_found_by_nqn_and_host_id(self):
        self.fake.model.log_in(self.sid, HOST)
        self.create_host('OS-h-NT-IG', [HOST])
        listed = self.assertStatus(200, self.call('GET', '/initiator', params={
            'initiator_hba': [NQN, HOST_ID], 'in_a_host': 'true'}))
        self.assertEqual(['OR-%dC:12:%s' % (n, HOST) for n in (1, 2, 3, 4)],
                         listed['initiatorId'])
        detail = self.assertStatus(200, self.call(
            'GET', '/initiator/%s' % listed['initiatorId'][0]))
        self.assertEqual('OS-h-NT-IG', detail['host'])
        # Another host id of the same NQN is another host.
        self.assertEqual({}, self.assertStatus(200, self.call(
            'GET', '/initiator', params={
                'initiator_hba': [NQN, '0' * 32]})))

    def test_nvme_port_group_refused_before_powermax_os_10(self):
        self.sid = data.POWERMAX_8000
        self.assertRefused(400, self.call('POST', '/portgroup', {
            'portGroupId': 'PG-N', 'port_group_protocol': 'NVMe_TCP',
            'symmetrixPortKey': []}), 'PowerMaxOS 10')
        self.assertNotIn('PG-N', self.arr.port_groups)
