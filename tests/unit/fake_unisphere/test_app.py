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

"""The HTTP front: versions, auth, reads, filters, iterators and jobs."""

import ddt
import requests

from tests.fake_unisphere import data
from tests.fake_unisphere import fixture
from tests.unit.fake_unisphere import base


@ddt.ddt
class VersionTest(base.FakeTestCase):

    def test_10x_personality(self):
        body = self.assertStatus(200, self.session.get(self.root('/version')))
        self.assertEqual({'version': 'V10.1.0.2', 'api_version': '101',
                          'supported_api_versions': ['101', '100', '92']},
                         body)
        for api in ('101', '100', '92'):
            self.assertStatus(200, self.call('GET', '/srp', api=api))
        self.assertRefused(404, self.call('GET', '/srp', api='91'))

    @ddt.data(('V9.2.1.4', '92', '100'), ('V9.1.0.5', '91', '92'))
    @ddt.unpack
    def test_9x_personality(self, version, good, bad):
        fake = self.useFixture(fixture.FakeUnisphereFixture(
            version=version, endpoints=['127.0.0.1:9443']))
        session = requests.Session()
        session.auth = (fake.username, fake.password)
        root = 'https://127.0.0.1:9443/univmax/restapi'
        self.assertEqual({'version': version},
                         session.get(root + '/version').json())
        path = '/%s/sloprovisioning/symmetrix/%s/srp'
        self.assertEqual(200, session.get(root + path % (good, base.SID))
                         .status_code)
        self.assertEqual(404, session.get(root + path % (bad, base.SID))
                         .status_code)

    def test_wrong_password(self):
        self.session.auth = ('smc', 'nope')
        self.assertRefused(401, self.session.get(self.root('/version')),
                           'Unauthorized')
        self.session.auth = None
        self.assertRefused(401, self.call('GET', '/srp'))

    def test_unknown_url(self):
        self.assertRefused(404, self.call('GET', '/nothing-here'))
        self.assertRefused(404, self.call('GET', '/srp', sid='000199999999'))
        self.assertRefused(405, self.call('PATCH', '/srp'))

    def test_bad_json_refused(self):
        response = self.session.post(self.url('/storagegroup'),
                                     data='{not json')
        self.assertRefused(400, response, 'JSON')


@ddt.ddt
class ReadTest(base.FakeTestCase):

    @ddt.data((data.POWERMAX_8000, 'PowerMax_8000', 'ucode', '5978.669.669'),
              (data.POWERMAX_8500, 'PowerMax_8500', 'microcode',
               '6079.65.0'),
              (data.VMAX_AFA, 'VMAX250F', 'ucode', '5977.1125.1125'),
              (data.VMAX_HYBRID, 'VMAX100K', 'ucode', '5977.1125.1125'))
    @ddt.unpack
    def test_array_detail(self, sid, model, key, code):
        body = self.assertStatus(200, self.call('GET', '', category='system',
                                                sid=sid))
        self.assertEqual((sid, model, code),
                         (body['symmetrixId'], body['model'], body[key]))
        if key == 'microcode':
            self.assertNotIn('ucode', body)

    def test_array_lists(self):
        root = self.root('/100/sloprovisioning/symmetrix')
        self.assertEqual(sorted(data.ALL_ARRAYS), self.session.get(root)
                         .json()['symmetrixId'])
        capable = self.session.get(root, params={
            'compressionCapable': 'true'}).json()['symmetrixId']
        self.assertNotIn(data.VMAX_HYBRID, capable)
        self.assertIn(data.POWERMAX_8000, capable)
        caps = self.session.get(self.root(
            '/100/replication/capabilities/symmetrix')).json()
        self.assertTrue(all(c['snapVxCapable']
                            for c in caps['symmetrixCapability']))

    @ddt.data((data.POWERMAX_8000, 'srp_capacity'),
              (data.POWERMAX_8500, 'fba_srp_capacity'))
    @ddt.unpack
    def test_srp_capacity_block(self, sid, block):
        body = self.assertStatus(200, self.call('GET', '/srp/SRP_1',
                                                sid=sid))
        self.assertIn(block, body)
        self.assertEqual(0, body['reserved_cap_percent'])

    @ddt.data((data.POWERMAX_8000, []),
              (data.VMAX_AFA, ['DSS', 'OLTP', 'DSS_REP', 'OLTP_REP']))
    @ddt.unpack
    def test_service_levels_and_workloads(self, sid, workloads):
        self.assertEqual(workloads, self.call(
            'GET', '/workloadtype', sid=sid).json()['workloadId'])
        levels = self.call('GET', '/slo', sid=sid).json()['sloId']
        self.assertIn('Diamond', levels)
        detail = self.assertStatus(200, self.call('GET', '/slo/Diamond',
                                                  sid=sid))
        self.assertEqual('Diamond', detail['sloId'])

    def test_port_groups_and_ports(self):
        body = self.call('GET', '/portgroup/OS-fibre-PG').json()
        self.assertEqual([{'directorId': 'FA-1D', 'portId': '4'},
                          {'directorId': 'FA-2D', 'portId': '4'}],
                         body['symmetrixPortKey'])
        self.assertEqual('Fibre', body['type'])
        port = self.call('GET', '/director/FA-1D/port/4',
                         category='system').json()['symmetrixPort']
        self.assertEqual(('ON', 'Online'), (port['port_status'],
                                            port['director_status']))
        self.assertRegex(port['identifier'], '^[0-9a-f]{16}$')
        iscsi = self.call('GET', '/director/SE-1E/port/0',
                          category='system').json()['symmetrixPort']
        self.assertTrue(iscsi['identifier'].startswith('iqn.'))
        address = iscsi['ip_addresses'][0]
        physical = self.call('GET', '/director/SE-1E/port', params={
            'ip_list': address, 'iscsi_endpoint': 'false'},
            category='system').json()
        self.assertEqual([{'directorId': 'SE-1E', 'portId': '4'}],
                         physical['symmetrixPortKey'])

    def test_v4_port_group_type(self):
        body = self.call('GET', '/portgroup/OS-iscsi-PG',
                         sid=data.POWERMAX_8500).json()
        self.assertEqual('iSCSI', body['type'])
        fibre = self.call('GET', '/portgroup/OS-fibre-PG',
                          sid=data.POWERMAX_8500).json()
        self.assertEqual('SCSI_FC', fibre['type'])


class FilterTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.create_sg('OS-SG-abc')
        self.create_sg('OS-SG-xyz', slo=None)
        self.one = self.create_volumes('OS-SG-abc', name='OS-1234')[0]
        self.two = self.create_volumes('OS-SG-abc', name='other')[0]
        self.edit_sg('OS-SG-xyz', {'expandStorageGroupParam': {
            'addSpecificVolumeParam': {'volumeId': [self.two]}}})

    def volumes(self, **params):
        body = self.call('GET', '/volume', params=params).json()
        return [r['volumeId'] for r in body['resultList']['result']]

    def test_volume_filters(self):
        self.assertEqual([self.one], self.volumes(volume_identifier='OS-1234'))
        self.assertEqual([], self.volumes(volume_identifier='OS-123'))
        self.assertEqual([self.one], self.volumes(
            volume_identifier='<like>123'))
        self.assertEqual([self.two], self.volumes(storageGroupId='OS-SG-xyz'))
        self.assertEqual([self.one, self.two], self.volumes(emulation='FBA'))
        empty = self.call('GET', '/volume', params={
            'volume_identifier': 'none-such'}).json()
        self.assertEqual((0, []), (empty['count'],
                                   empty['resultList']['result']))

    def test_group_filters(self):
        def groups(**params):
            return self.call('GET', '/storagegroup', params=params).json()
        self.assertEqual(['OS-SG-abc'], groups(
            storageGroupId='OS-SG-abc')['storageGroupId'])
        self.assertEqual(['OS-SG-abc', 'OS-SG-xyz'], groups(
            storageGroupId='<like>sg-')['storageGroupId'])
        self.assertEqual(['OS-SG-abc', 'OS-SG-xyz'], groups(
            volumeId=self.two)['storageGroupId'])
        self.assertEqual({}, groups(child='true'))

    def test_private_volume_by_wwn(self):
        wwn = self.arr.volumes[self.one].wwn
        body = self.call('GET', 'https://127.0.0.1:8443/univmax/restapi/'
                         'private/100/sloprovisioning/symmetrix/%s/volume' %
                         self.sid, params={'wwn': wwn}).json()
        header = body['resultList']['result'][0]['volumeHeader']
        self.assertEqual((self.one, 'OS-1234', 'Diamond'),
                         (header['volumeId'], header['userDefinedIdentifier'],
                          header['serviceLevel']))

    def test_masking_view_and_initiator_filters(self):
        self.edit_sg('OS-SG-abc', {'removeVolumeParam': {
            'volumeId': [self.one]}})
        self.attach(self.one)
        views = self.call('GET', '/maskingview', params={
            'port_group_name': 'OS-fibre-PG',
            'host_or_host_group_name': 'OS-h1-F-IG'}).json()
        self.assertEqual(['OS-h1-F-OS-fibre-PG-MV'], views['maskingViewId'])
        self.assertEqual({}, self.call('GET', '/maskingview', params={
            'port_group_name': 'OS-iscsi-PG'}).json())
        self.fake.model.log_in(self.sid, '10000090fa000001', ['FA-1D:4'])
        free = self.call('GET', '/initiator', params={
            'in_a_host': 'false'}).json()
        self.assertEqual(['FA-1D:4:10000090fa000001'], free['initiatorId'])


class PagingTest(base.FakeTestCase):

    def test_three_pages(self):
        self.fake.model.page_size = 2
        self.create_sg('SG1')
        devices = self.create_volumes('SG1', count=5)
        first = self.call('GET', '/volume').json()
        self.assertEqual((5, 2, 1, 2), (first['count'], first['maxPageSize'],
                                        first['resultList']['from'],
                                        first['resultList']['to']))
        seen = [r['volumeId'] for r in first['resultList']['result']]
        page_url = self.root('/common/Iterator/%s/page' % first['id'])
        for start, end in ((3, 4), (5, 5)):
            page = self.assertStatus(200, self.session.get(
                page_url, params={'from': start, 'to': end}))
            self.assertEqual((start, end), (page['from'], page['to']))
            seen += [r['volumeId'] for r in page['result']]
        self.assertEqual(devices, seen)
        self.assertRefused(400, self.session.get(page_url, params={
            'from': 5, 'to': 6}))
        iterator = self.root('/common/Iterator/%s' % first['id'])
        self.assertEqual(204, self.session.delete(iterator).status_code)
        self.assertRefused(404, self.session.get(page_url, params={
            'from': 1, 'to': 2}))
        self.assertRefused(404, self.session.delete(iterator))


class JobTest(base.FakeTestCase):

    def test_effect_applied_only_when_job_completes(self):
        self.create_sg('SG1')
        response = self.edit_sg('SG1', self.add_volume_body(name='OS-v'),
                                asynchronous=True)
        job = self.assertStatus(202, response)
        self.assertEqual('CREATED', job['status'])
        self.assertEqual({}, self.arr.volumes)
        self.assertIn('/storagegroup/SG1', job['resourceLink'])
        done = self.run_job(response)
        self.assertEqual('SUCCEEDED', done['status'])
        device = list(self.arr.volumes)[0]
        descriptions = [t['description'] for t in done['task']]
        creating = [d for d in descriptions if 'Creating new Volumes' in d]
        self.assertEqual(device, creating[0].split()[-1][1:-1])

    def test_job_duration(self):
        clock = [100.0]
        self.fake.app.jobs.clock = lambda: clock[0]
        self.fake.latency.job_duration = 5
        response = self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'None',
            'executionOption': 'ASYNCHRONOUS'})
        job = self.assertStatus(202, response)
        poll = self.root('/100/system/job/%s' % job['jobId'])
        self.assertEqual('RUNNING', self.session.get(poll).json()['status'])
        self.assertEqual({}, self.arr.storage_groups)
        self.assertEqual(1, len(self.fake.check()))
        clock[0] += 5
        self.assertEqual('SUCCEEDED', self.session.get(poll).json()['status'])
        self.assertIn('SG1', self.arr.storage_groups)
        per_array = self.root('/100/system/symmetrix/%s/job/%s' % (
            self.sid, job['jobId']))
        self.assertEqual('SUCCEEDED', self.session.get(per_array)
                         .json()['status'])

    def test_rule_violation_fails_job(self):
        self.create_sg('SG1')
        job = self.run_job(self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'None',
            'executionOption': 'ASYNCHRONOUS'}))
        self.assertEqual('FAILED', job['status'])
        self.assertIn('already exists', job['result'])

    def test_malformed_async_refused_at_once(self):
        self.create_sg('SG1')
        self.assertRefused(400, self.edit_sg('SG1', {'addVolume': {}},
                                             asynchronous=True))
        self.assertEqual({}, self.fake.model.jobs)

    def test_unknown_job(self):
        self.assertRefused(404, self.session.get(self.root(
            '/100/system/job/42')))
