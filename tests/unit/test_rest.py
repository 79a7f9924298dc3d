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

"""The REST client against the fake Unisphere, in-process and over HTTPS."""

import logging
import time
import urllib.parse
import warnings

import ddt
import fixtures
import urllib3

from cinder_powermax import exception
from cinder_powermax import rest
from tests import base as tests_base
from tests.fake_unisphere import data
from tests.fake_unisphere import fixture as fake_fixture

SID = data.POWERMAX_8000


def endpoint_for(fake, url, **kwargs):
    parsed = urllib.parse.urlsplit(url)
    values = dict(host=parsed.hostname, port=parsed.port,
                  username=fake.username, password=fake.password,
                  verify=False)
    values.update(kwargs)
    return rest.Endpoint(**values)


class RestTestCase(tests_base.TestCase):

    version = 'V10.1.0.2'
    endpoints = ('127.0.0.1:8443',)

    def setUp(self):
        super().setUp()
        self.fake = self.useFixture(fake_fixture.FakeUnisphereFixture(
            version=self.version, endpoints=self.endpoints))
        self.sleeps = []

    def client(self, **kwargs):
        endpoints = kwargs.pop('endpoints', None) or [
            endpoint_for(self.fake, url) for url in self.fake.base_urls]
        kwargs.setdefault('sleep', self.sleeps.append)
        return rest.RestClient(endpoints, **kwargs)

    def sg_path(self, client, name=None):
        parts = ('storagegroup', name) if name else ('storagegroup',)
        return client.path('sloprovisioning', SID, *parts)

    def create_sg(self, client, name, asynchronous=False):
        body = {'storageGroupId': name, 'srpId': 'None', 'emulation': 'FBA'}
        if asynchronous:
            body['executionOption'] = 'ASYNCHRONOUS'
        return client.post(self.sg_path(client), body)


@ddt.ddt
class VersionTest(tests_base.TestCase):

    @ddt.data(
        ({'version': 'V10.1.0.2', 'api_version': '101',
          'supported_api_versions': ['101', '100', '92']}, '100'),
        ({'version': 'V10.0.0.1'}, '100'),
        ({'version': 'V9.2.1.4'}, '92'),
        ({'version': 'T9.2.0.501'}, '92'),
        ({'version': 'V11.0.0.1', 'supported_api_versions': ['110', '100']},
         '100'),
    )
    @ddt.unpack
    def test_choose(self, info, expected):
        self.assertEqual(expected, rest.choose_api_version(info))

    @ddt.data(
        {'version': 'V9.1.0.5'},
        {'version': 'V8.4.0.10'},
        {'version': 'V11.0.0.1', 'supported_api_versions': ['110', '104']},
        {'version': 'nonsense'},
        {},
    )
    def test_refused(self, info):
        self.assertRaises(exception.UnsupportedVersion,
                          rest.choose_api_version, info)


@ddt.ddt
class DiscoveryTest(RestTestCase):

    @ddt.data(('V10.1.0.2', '100'), ('V9.2.1.4', '92'))
    @ddt.unpack
    def test_discovers_prefix(self, version, prefix):
        fake = self.useFixture(fake_fixture.FakeUnisphereFixture(
            version=version, endpoints=('127.0.0.1:9443',)))
        client = self.client(
            endpoints=[endpoint_for(fake, fake.base_urls[0])])
        self.assertEqual(prefix, client.discover_version())
        # The chosen prefix really is the one the server serves.
        array = client.get(client.path('system', SID))
        self.assertEqual(SID, array['symmetrixId'])

    def test_too_old_refused(self):
        fake = self.useFixture(fake_fixture.FakeUnisphereFixture(
            version='V9.1.0.5', endpoints=('127.0.0.1:9444',)))
        client = self.client(
            endpoints=[endpoint_for(fake, fake.base_urls[0])])
        error = self.assertRaises(exception.UnsupportedVersion,
                                  client.discover_version)
        self.assertIn('V9.1.0.5', str(error))
        self.assertIn('9.2', str(error))

    def test_no_io_in_constructor(self):
        self.client()
        self.assertEqual([], self.fake.requests)

    def test_version_discovered_once(self):
        client = self.client()
        client.get(self.sg_path(client))
        client.get(self.sg_path(client))
        versions = [r for r in self.fake.requests if r.path.endswith(
            '/version')]
        self.assertEqual(1, len(versions))

    def test_headers_and_auth(self):
        client = self.client()
        session = client._session(client.endpoint)
        self.assertEqual('openstack', session.headers['Application-Type'])
        self.assertEqual('application/json', session.headers['Accept'])
        self.assertEqual(client.timeout, (30, 30))


@ddt.ddt
class ErrorTest(RestTestCase):

    def test_not_found(self):
        client = self.client()
        error = self.assertRaises(exception.NotFound, client.get,
                                  self.sg_path(client, 'missing-SG'))
        self.assertEqual(404, error.status)
        self.assertEqual('GET', error.method)
        self.assertIn('missing-SG', error.path)
        self.assertTrue(error.detail)

    def test_unauthorized(self):
        url = self.fake.base_urls[0]
        client = self.client(endpoints=[endpoint_for(
            self.fake, url, password='wrong')])
        error = self.assertRaises(exception.Unauthorized,
                                  client.discover_version)
        self.assertEqual(401, error.status)

    def test_conflict(self):
        client = self.client()
        self.create_sg(client, 'dup-SG')
        error = self.assertRaises(exception.Conflict, self.create_sg,
                                  client, 'dup-SG')
        self.assertEqual(409, error.status)
        self.assertIn('already exists', error.detail)

    def test_bad_request(self):
        client = self.client()
        self.fake.off_contract('request', 'storageGroupId')
        self.assertRaises(exception.BadRequest, client.post,
                          self.sg_path(client), {'srpId': 'None'})

    @ddt.data((500, exception.UnisphereError, False),
              (503, exception.Unavailable, True))
    @ddt.unpack
    def test_server_errors(self, status, cls, retryable):
        client = self.client(max_attempts=1)
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup',
                             status=status, message='array said no')
        error = self.assertRaises(cls, client.get, self.sg_path(client))
        self.assertIs(type(error), cls)
        self.assertEqual(status, error.status)
        self.assertEqual('array said no', error.detail)
        self.assertEqual(retryable, error.retryable)


class StrictAnswerTest(RestTestCase):
    """An answer the client cannot read is never taken for success."""

    def test_truncated_get_is_read_again(self):
        client = self.client()
        client.discover_version()
        self.create_sg(client, 'read-SG')
        self.fake.faults.add(method='GET', path='/storagegroup/read-SG',
                             action='truncate')
        self.assertEqual('read-SG', client.get(
            self.sg_path(client, 'read-SG'))['storageGroupId'])

    def test_unreadable_get_names_the_request(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup',
                             action='html', count=None)
        error = self.assertRaises(exception.UnreadableAnswer, client.get,
                                  self.sg_path(client))
        self.assertEqual(('GET', 200), (error.method, error.status))
        self.assertIn('/storagegroup', str(error))
        self.assertIn('<!DOCTYPE html>', str(error))
        self.assertLess(len(str(error)), 600)
        self.assertTrue(error.retryable)

    def test_unreadable_answer_to_a_change_is_not_sent_again(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='PUT', action='truncate')
        self.create_sg(client, 'edit-SG')
        before = len(self.fake.requests)
        self.assertRaises(exception.UnreadableAnswer, client.put,
                          self.sg_path(client, 'edit-SG'), {
                              'editStorageGroupActionParam': {
                                  'setHostIOLimitsParam': {
                                      'host_io_limit_io_sec': '1000'}}})
        self.assertEqual(1, len(self.fake.requests) - before)

    def test_html_page_on_a_create_is_not_success(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='POST', action='html')
        self.assertRaises(exception.UnreadableAnswer, self.create_sg,
                          client, 'html-SG')
        self.assertNotIn('html-SG', self.fake.model.arrays[SID]
                         .storage_groups)

    def test_accepted_without_job_id(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='POST', status=202, message='accepted')
        error = self.assertRaises(exception.JobUnknown, self.create_sg,
                                  client, 'lost-SG', asynchronous=True)
        self.assertIn('/storagegroup', str(error))

    def test_404_while_polling_a_job_is_ridden_out(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='GET', path='/system/job/', status=404)
        self.create_sg(client, 'polled-SG', asynchronous=True)
        self.assertIn('polled-SG', self.fake.model.arrays[SID]
                      .storage_groups)

    def test_redirect_not_followed(self):
        client = self.client(max_attempts=1)
        client.discover_version()
        self.fake.faults.add(method='GET', status=302, message='moved')
        error = self.assertRaises(exception.UnisphereError, client.get,
                                  self.sg_path(client))
        self.assertEqual(302, error.status)


class RetryTest(RestTestCase):

    def test_get_retried_after_dropped_connection(self):
        client = self.client()
        self.create_sg(client, 'listed-SG')
        rule = self.fake.faults.add(method='GET', path='/storagegroup$',
                                    action='drop')
        result = client.get(self.sg_path(client))
        self.assertEqual(['listed-SG'], result['storageGroupId'])
        self.assertEqual(1, rule.hits)
        self.assertEqual(1, len(self.sleeps))

    def test_get_retried_after_503_with_backoff(self):
        client = self.client(max_attempts=4)
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup$',
                             status=503, count=3)
        client.get(self.sg_path(client))
        self.assertEqual(3, len(self.sleeps))
        self.assertEqual(sorted(self.sleeps), self.sleeps)

    def test_retries_are_bounded(self):
        client = self.client(max_attempts=3)
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup$',
                             status=503, count=None)
        self.assertRaises(exception.Unavailable, client.get,
                          self.sg_path(client))
        sgs = [r for r in self.fake.requests
               if r.path.endswith('/storagegroup')]
        self.assertEqual(3, len(sgs))

    def test_post_not_resent_after_dropped_connection(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='POST', path='/storagegroup$',
                             action='drop')
        self.assertRaises(exception.Unavailable, self.create_sg, client,
                          'once-SG')
        posts = [r for r in self.fake.requests if r.method == 'POST']
        self.assertEqual(1, len(posts))
        self.assertEqual([], self.sleeps)

    def test_client_errors_not_retried(self):
        client = self.client()
        self.assertRaises(exception.NotFound, client.get,
                          self.sg_path(client, 'nope'))
        self.assertEqual([], self.sleeps)

    def test_timeout_is_unavailable(self):
        client = self.client(max_attempts=1)
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup$',
                             action='timeout')
        self.assertRaises(exception.Unavailable, client.get,
                          self.sg_path(client))


class JobTest(RestTestCase):

    def test_async_job_followed_to_success(self):
        client = self.client()
        job = self.create_sg(client, 'async-SG', asynchronous=True)
        self.assertEqual('SUCCEEDED', job['status'])
        # The effect is visible once the call returns.
        sg = client.get(self.sg_path(client, 'async-SG'))
        self.assertEqual('async-SG', sg['storageGroupId'])
        self.assertTrue(any('/system/job/' in r.path
                            for r in self.fake.requests))

    def test_failed_job_raises_with_result(self):
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='POST', path='/storagegroup$',
                             action='fail_job', message='SE error 42')
        error = self.assertRaises(exception.JobFailed, self.create_sg,
                                  client, 'doomed-SG', asynchronous=True)
        self.assertEqual('FAILED', error.status)
        self.assertIn('SE error 42', str(error))
        self.assertRaises(exception.NotFound, client.get,
                          self.sg_path(client, 'doomed-SG'))

    def test_rule_violation_surfaces_as_failed_job(self):
        client = self.client()
        self.create_sg(client, 'twice-SG')
        self.assertRaises((exception.JobFailed, exception.Conflict),
                          self.create_sg, client, 'twice-SG',
                          asynchronous=True)

    def test_job_deadline(self):
        self.fake.latency.job_duration = 60
        client = self.client(job_deadline=0.3, sleep=lambda s: None)
        error = self.assertRaises(exception.JobTimeout, self.create_sg,
                                  client, 'slow-SG', asynchronous=True)
        self.assertIn('0.3', str(error))
        # It says what was awaited and what the array last said of it.
        self.assertIn('Unisphere job', str(error))
        self.assertEqual('RUNNING', error.last.upper())
        self.assertIn(error.last, str(error))

    def test_polls_back_off(self):
        self.fake.latency.job_duration = 0.6
        client = self.client(sleep=time.sleep)
        started = time.monotonic()
        self.create_sg(client, 'backoff-SG', asynchronous=True)
        took = time.monotonic() - started
        polls = [r for r in self.fake.requests if '/system/job/' in r.path]
        # Polled every quarter second after a first quarter: a job of
        # 0.6 s takes three polls and is seen done within 0.25 s, not one
        # poll every few seconds and not dozens.
        self.assertEqual(3, len(polls))
        self.assertLess(took, 0.6 + 0.25 + 0.2)


class PagingTest(RestTestCase):

    def test_three_pages_and_iterator_released(self):
        client = self.client()
        self.fake.model.page_size = 2
        body = {'executionOption': 'ASYNCHRONOUS',
                'editStorageGroupActionParam': {'expandStorageGroupParam': {
                    'addVolumeParam': {
                        'emulation': 'FBA', 'create_new_volumes': 'True',
                        'volumeAttributes': [{
                            'num_of_vols': 5, 'volume_size': '1',
                            'capacityUnit': 'GB',
                            'volumeIdentifier': {
                                'volumeIdentifierChoice': 'identifier_name',
                                'identifier_name': 'paged'}}]}}}}
        client.post(self.sg_path(client), {
            'storageGroupId': 'paged-SG', 'srpId': 'SRP_1',
            'emulation': 'FBA', 'sloBasedStorageGroupParam': [{
                'sloId': 'Diamond', 'workloadSelection': 'NONE',
                'volumeAttributes': [{'volume_size': '0',
                                      'capacityUnit': 'GB',
                                      'num_of_vols': 0}]}]})
        client.put(self.sg_path(client, 'paged-SG'), body)
        volumes = client.get_all(
            client.path('sloprovisioning', SID, 'volume'),
            {'volume_identifier': 'paged'})
        self.assertEqual(5, len(volumes))
        self.assertEqual(5, len({v['volumeId'] for v in volumes}))
        pages = [r for r in self.fake.requests
                 if r.method == 'GET' and '/common/Iterator/' in r.path]
        self.assertEqual(2, len(pages))
        deletes = [r for r in self.fake.requests
                   if r.method == 'DELETE' and '/common/Iterator/' in r.path]
        self.assertEqual(1, len(deletes))

    def test_single_page_needs_no_iterator_calls(self):
        client = self.client()
        self.assertEqual([], client.get_all(
            client.path('sloprovisioning', SID, 'volume'),
            {'volume_identifier': 'nothing-has-this-name'}))
        self.assertFalse(any('/common/Iterator/' in r.path
                             for r in self.fake.requests))


class FailoverTest(RestTestCase):

    endpoints = ('127.0.0.1:8443', '127.0.0.2:8443')

    def test_fails_over_to_second_endpoint(self):
        self.fake.faults.add(endpoint='127.0.0.1:8443', action='drop',
                             count=None)
        client = self.client()
        self.assertEqual('100', client.discover_version())
        self.assertEqual('127.0.0.2', client.endpoint.host)
        client.get(self.sg_path(client))
        served = {r.endpoint for r in self.fake.requests
                  if r.status is not None}
        self.assertEqual({'127.0.0.2:8443'}, served)

    def test_fails_back_when_primary_answers(self):
        self.fake.faults.add(endpoint='127.0.0.1:8443', action='drop',
                             count=None)
        client = self.client()
        client.discover_version()
        self.assertEqual('127.0.0.2', client.endpoint.host)
        self.assertFalse(client.fail_back())
        self.fake.faults.clear()
        self.assertTrue(client.fail_back())
        self.assertEqual('127.0.0.1', client.endpoint.host)

    def test_all_endpoints_down(self):
        self.fake.faults.add(action='drop', count=None)
        client = self.client(max_attempts=4)
        error = self.assertRaises(exception.Unavailable,
                                  client.discover_version)
        self.assertIsNone(error.status)


class SecretTest(RestTestCase):

    def test_password_never_logged(self):
        logger = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        client = self.client()
        client.discover_version()
        self.fake.faults.add(method='GET', path='/storagegroup$',
                             action='drop')
        client.get(self.sg_path(client))
        # Not a call of the 10.0 API: it only has to reach the fake.
        self.fake.off_contract(
            'request', 'editInitiatorActionParam.'
            'modify_initiator_chap_authentication_param')
        chap = {'editInitiatorActionParam': {
            'modify_initiator_chap_authentication_param': {
                'action': 'Set', 'set': {'credential': 'user',
                                         'secret': 'chap-s3cret'}}}}
        self.assertRaises(exception.UnisphereError, client.put,
                          client.path('sloprovisioning', SID, 'initiator',
                                      'nosuch'), chap)
        self.assertIn('Unisphere request', logger.output)
        self.assertNotIn(self.fake.password, logger.output)
        self.assertNotIn('chap-s3cret', logger.output)
        self.assertNotIn(self.fake.password, repr(client.endpoint))


class HttpsTest(tests_base.TestCase):

    def setUp(self):
        super().setUp()
        self.fake = self.useFixture(fake_fixture.FakeUnisphereFixture())
        self.url, self.ca_path = self.fake.start_https()

    def test_verified_against_generated_ca(self):
        client = rest.RestClient([endpoint_for(
            self.fake, self.url, verify=self.ca_path)])
        self.addCleanup(client.close)
        self.assertEqual('100', client.discover_version())
        srp = client.get(client.path('sloprovisioning', SID, 'srp', 'SRP_1'))
        self.assertEqual('SRP_1', srp['srpId'])

    def test_untrusted_certificate_refused(self):
        client = rest.RestClient([endpoint_for(
            self.fake, self.url, verify=True)])
        self.addCleanup(client.close)
        error = self.assertRaises(exception.TLSError,
                                  client.discover_version)
        self.assertIn('CA bundle', str(error))

    def test_unverified_warning_not_repeated(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            client = rest.RestClient([endpoint_for(
                self.fake, self.url, verify=False)])
            self.addCleanup(client.close)
            client.discover_version()
            for _ in range(3):
                client.get(client.path('sloprovisioning', SID, 'srp'))
        insecure = [w for w in caught
                    if issubclass(w.category,
                                  urllib3.exceptions.InsecureRequestWarning)]
        # Once per process at most (an earlier test may have had it).
        self.assertLessEqual(len(insecure), 1)
