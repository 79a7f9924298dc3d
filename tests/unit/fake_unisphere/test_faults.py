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

"""Fault injection, latency, the request log and several endpoints."""

import time

import ddt
import requests

from tests.fake_unisphere import app
from tests.fake_unisphere import fixture
from tests.unit.fake_unisphere import base


@ddt.ddt
class FaultTest(base.FakeTestCase):

    def create_body(self, name, asynchronous=False):
        body = {'storageGroupId': name, 'srpId': 'None'}
        if asynchronous:
            body['executionOption'] = 'ASYNCHRONOUS'
        return body

    def test_error_on_nth_call_only(self):
        rule = self.fake.faults.add(method='post', path=r'/storagegroup$',
                                    nth=2, status=503, message='busy')
        self.assertStatus(201, self.call('POST', '/storagegroup',
                                         self.create_body('SG1')))
        self.assertRefused(503, self.call('POST', '/storagegroup',
                                          self.create_body('SG2')), 'busy')
        self.assertNotIn('SG2', self.arr.storage_groups)
        self.assertStatus(201, self.call('POST', '/storagegroup',
                                         self.create_body('SG2')))
        self.assertEqual((3, 1), (rule.matches, rule.hits))

    def test_count_none_is_forever_and_clear(self):
        rule = self.fake.faults.add(path='/srp', count=None)
        for _ in range(3):
            self.assertRefused(500, self.call('GET', '/srp'))
        self.assertEqual(3, rule.hits)
        self.fake.faults.clear()
        self.assertStatus(200, self.call('GET', '/srp'))

    @ddt.data(('drop', requests.exceptions.ConnectionError),
              ('timeout', requests.exceptions.ReadTimeout))
    @ddt.unpack
    def test_transport_faults_change_nothing(self, action, exc):
        self.fake.faults.add(method='POST', action=action)
        self.assertRaises(exc, self.call, 'POST', '/storagegroup',
                          self.create_body('SG1'))
        self.assertEqual({}, self.arr.storage_groups)
        self.assertIsNone(self.fake.requests[-1].status)
        self.assertStatus(201, self.call('POST', '/storagegroup',
                                         self.create_body('SG1')))

    def test_delay(self):
        self.fake.faults.add(path='/srp', action='delay', delay=0.2)
        start = time.monotonic()
        self.assertStatus(200, self.call('GET', '/srp'))
        self.assertGreaterEqual(time.monotonic() - start, 0.2)

    def test_request_delay(self):
        self.fake.latency.request_delay = 0.05
        start = time.monotonic()
        self.call('GET', '/srp')
        self.call('GET', '/slo')
        self.assertGreaterEqual(time.monotonic() - start, 0.1)

    def test_fail_job_async(self):
        self.fake.faults.add(method='POST', action='fail_job',
                             message='array said no')
        job = self.run_job(self.call('POST', '/storagegroup',
                                     self.create_body('SG1', True)))
        self.assertEqual(('FAILED', 'array said no'),
                         (job['status'], job['result']))
        self.assertEqual({}, self.arr.storage_groups)

    def test_fail_job_sync_is_an_error(self):
        self.fake.faults.add(method='POST', action='fail_job', status=500,
                             message='array said no')
        self.assertRefused(500, self.call('POST', '/storagegroup',
                                          self.create_body('SG1')),
                           'array said no')
        self.assertEqual({}, self.arr.storage_groups)

    def test_fail_job_applied_makes_the_change(self):
        self.fake.faults.add(method='POST', action='fail_job_applied',
                             message='lost track')
        job = self.run_job(self.call('POST', '/storagegroup',
                                     self.create_body('SG1', True)))
        self.assertEqual(('FAILED', 'lost track'),
                         (job['status'], job['result']))
        self.assertIn('SG1', self.arr.storage_groups)

    def test_fail_job_applied_sync(self):
        self.fake.faults.add(method='POST', action='fail_job_applied')
        self.assertRefused(500, self.call('POST', '/storagegroup',
                                          self.create_body('SG1')))
        self.assertIn('SG1', self.arr.storage_groups)

    def test_stuck_job_runs_until_the_rule_goes(self):
        self.fake.faults.add(method='POST', action='stuck_job')
        answer = self.call('POST', '/storagegroup',
                           self.create_body('SG1', True))
        self.assertStatus(202, answer)
        job_id = answer.json()['jobId']
        for _ in range(3):
            job = self.session.get(self.root(
                '/%s/system/job/%s' % (self.api, job_id))).json()
            self.assertEqual('RUNNING', job['status'])
        self.assertEqual({}, self.arr.storage_groups)
        self.fake.faults.clear()
        job = self.session.get(self.root(
            '/%s/system/job/%s' % (self.api, job_id))).json()
        self.assertEqual('SUCCEEDED', job['status'])
        self.assertIn('SG1', self.arr.storage_groups)

    @ddt.data(('die', False), ('die_after', True))
    @ddt.unpack
    def test_client_dies_before_or_after_the_change(self, action, made):
        self.fake.faults.add(method='POST', action=action)
        self.assertRaises(app.ClientDied, self.call, 'POST', '/storagegroup',
                          self.create_body('SG1'))
        self.assertEqual(made, 'SG1' in self.arr.storage_groups)
        # Dead, it sends nothing more.
        self.assertRaises(app.ClientDied, self.call, 'POST', '/storagegroup',
                          self.create_body('SG2'))
        self.assertNotIn('SG2', self.arr.storage_groups)

    def test_truncate_does_the_work_and_cuts_the_answer(self):
        self.fake.faults.add(method='POST', action='truncate')
        answer = self.call('POST', '/storagegroup', self.create_body('SG1'))
        self.assertEqual(201, answer.status_code)
        self.assertRaises(ValueError, answer.json)
        self.assertIn('SG1', self.arr.storage_groups)

    def test_html_page_does_nothing(self):
        self.fake.faults.add(method='POST', action='html')
        answer = self.call('POST', '/storagegroup', self.create_body('SG1'))
        self.assertEqual(200, answer.status_code)
        self.assertIn('text/html', answer.headers['Content-Type'])
        self.assertRaises(ValueError, answer.json)
        self.assertEqual({}, self.arr.storage_groups)

    def test_request_log(self):
        # An unknown query parameter is refused, and logged as sent.
        self.call('POST', '/storagegroup', self.create_body('SG1'),
                  params={'x': '1'})
        record = self.fake.requests[-1]
        self.assertEqual(
            ('POST', '/univmax/restapi/100/sloprovisioning/symmetrix/%s/'
             'storagegroup' % self.sid, {'x': '1'}, 'SG1', 400,
             '127.0.0.1:8443'),
            (record.method, record.path, record.query,
             record.body['storageGroupId'], record.status, record.endpoint))

    def test_other_urls_untouched(self):
        adapter = self.session.get_adapter('https://example.invalid/x')
        self.assertIsInstance(adapter, requests.adapters.HTTPAdapter)


class EndpointTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.fake = self.useFixture(fixture.FakeUnisphereFixture(
            endpoints=('127.0.0.1:8443', '127.0.0.2:8443')))

    def test_two_servers_one_model(self):
        self.assertEqual(['https://127.0.0.1:8443', 'https://127.0.0.2:8443'],
                         self.fake.base_urls)
        self.fake.faults.add(endpoint='127.0.0.1:8443', action='drop',
                             count=None)
        self.assertRaises(requests.exceptions.ConnectionError,
                          self.session.get, self.root('/version'))
        second = 'https://127.0.0.2:8443/univmax/restapi/100/sloprovisioning' \
                 '/symmetrix/%s/storagegroup' % self.sid
        self.assertEqual(201, self.session.post(second, json={
            'storageGroupId': 'SG1', 'srpId': 'None'}).status_code)
        self.assertIn('SG1', self.arr.storage_groups)
        self.assertEqual(['127.0.0.1:8443', '127.0.0.2:8443'],
                         [r.endpoint for r in self.fake.requests])
