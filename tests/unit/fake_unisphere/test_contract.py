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

"""The contract check: Dell's API description judging the fake's traffic.

Every test of the unit, sweep and functional suites has its exchanges
judged (see :mod:`tests.fake_unisphere.contract`); these tests show that
the judge can fail, that every route the fake serves is one the API
describes, and that the allow-list stays short and reasoned. Without the
description they are skipped, saying where it was looked for.
"""

import os
import re

import fixtures

from tests import base
from tests.fake_unisphere import contract
from tests.fake_unisphere import routing

SG = '/univmax/restapi/100/sloprovisioning/symmetrix/000197800123/' \
    'storagegroup'
JOB = {'jobId': '1', 'name': 'x', 'status': 'SUCCEEDED',
       'symmetrixId': '000197800123', 'username': 'smc',
       'last_modified_date': 'Sun Dec 06 16:00:00 2026'}
# 9.2's name of a filter whose 10.x name is iscsi_endpoint: the fake
# takes it on 9.2 only.
OLDER_RELEASES_ONLY = {'iscsi_target'}
ANY = re.compile(r'<any\(([^)]*)\):\w+>')
PARAM = re.compile(r'<(?:\w+:)?(\w+)>')


class ContractTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.judge = contract.judge()
        if self.judge is None:
            self.skipTest(contract.skip_reason())

    def check(self, method, path, query=None, body=None, status=200,
              answer=None, client=True):
        return self.judge.check(method, path, query or {}, body, status,
                                answer, client, True)

    def kinds(self, found):
        return sorted((v.side, v.location, v.kind) for v in found)


class JudgeTest(ContractTestCase):

    def test_a_described_exchange_passes(self):
        self.assertEqual([], self.check(
            'GET', SG + '/SG1', answer={'storageGroupId': 'SG1',
                                        'num_of_vols': 1}))

    def test_unknown_and_missing_fields_types_enums(self):
        found = self.check('POST', SG, body={
            'colour': 'red', 'emulation': 'XYZ',
            'sloBasedStorageGroupParam': [{'sloId': 1}]}, status=400)
        self.assertEqual([
            ('request', 'colour', 'unknown'),
            ('request', 'emulation', 'enum'),
            ('request', 'sloBasedStorageGroupParam.*.sloId', 'type'),
            ('request', 'sloBasedStorageGroupParam.*.volumeAttributes',
             'required'),
            ('request', 'storageGroupId', 'required')], self.kinds(found))

    def test_answers_judged_strictly(self):
        found = self.check('GET', SG + '/SG1', answer={
            'storageGroupId': 'SG1', 'number_of_vols': 1,
            'num_of_vols': 1.0})
        self.assertEqual([('answer', 'num_of_vols', 'type'),
                          ('answer', 'number_of_vols', 'unknown')],
                         self.kinds(found))

    def test_query_parameters(self):
        self.assertEqual([('query', 'colour', 'unknown')], self.kinds(
            self.check('GET', SG, {'colour': ['red']}, answer={})))
        rdf = ('/univmax/restapi/100/replication/symmetrix/000197800123/'
               'rdf_group')
        self.assertEqual([('query', 'volume_count', 'type')], self.kinds(
            self.check('GET', rdf, {'volume_count': ['>0']}, answer={})))

    def test_other_releases_judged_by_100(self):
        for api in ('101', '92'):
            found = self.check('GET', SG.replace('/100/', '/%s/' % api) +
                               '/SG1', answer={'bogus': 1})
            self.assertEqual([('answer', 'bogus', 'unknown'),
                              ('answer', 'storageGroupId', 'required')],
                             self.kinds(found))

    def test_a_202_carries_a_described_job(self):
        self.assertEqual([], self.check('PUT', SG + '/SG1', body={
            'editStorageGroupActionParam': {'renameStorageGroupParam': {
                'new_storage_Group_name': 'SG2'}}}, status=202, answer=JOB))
        found = self.check('PUT', SG + '/SG1', body={
            'editStorageGroupActionParam': {'renameStorageGroupParam': {
                'new_storage_Group_name': 'SG2'}}}, status=202,
            answer=dict(JOB, links=[{'key': 'self'}]))
        self.assertEqual([('answer', 'links.*.key', 'enum')],
                         self.kinds(found))

    def test_undescribed_routes_and_statuses(self):
        self.assertEqual([('route', '', 'undescribed')], self.kinds(
            self.check('GET', '/univmax/restapi/100/system/version',
                       answer={})))
        self.assertEqual([('answer', '', 'status')], self.kinds(
            self.check('DELETE', SG + '/SG1', status=200)))

    def test_who_is_judged(self):
        # A request the fake refused is the fake's test's business unless
        # a client sent it; one the fake accepted must be described.
        bad = {'colour': 'red', 'storageGroupId': 'SG1'}
        self.assertEqual([], self.check('POST', SG, body=bad, status=400,
                                        client=False))
        self.assertTrue(self.check('POST', SG, body=bad, status=400))
        self.assertTrue(self.check('POST', SG, body=bad, status=201,
                                   client=False, answer=None))

    def test_private_and_test_only_routes_are_counted_not_judged(self):
        before = dict(self.judge.counts)
        for path in ('/univmax/restapi/private/100/sloprovisioning/'
                     'symmetrix/000197800123/volume',
                     '/univmax/restapi/fake/symmetrix/000197800123/volume/'
                     '00001/content'):
            self.assertEqual([], self.check('GET', path, answer={'x': 1}))
        self.assertEqual(before.get('undescribed', 0) + 2,
                         self.judge.counts['undescribed'])

    def test_allow_list_is_short_and_reasoned(self):
        self.assertLessEqual(len(contract.ALLOWED), 10)
        for key, reason in contract.ALLOWED.items():
            self.assertEqual(5, len(key))
            self.assertGreater(len(reason), 30, key)
        # Booleans as strings are allowed in requests only.
        found = self.check('POST', SG, body={
            'storageGroupId': 'SG1', 'sloBasedStorageGroupParam': [{
                'noCompression': 'true', 'volumeAttributes': []}]},
            status=201, answer={'storageGroupId': 'SG1'})
        self.assertEqual([], found)


class RouteTest(ContractTestCase):

    def test_every_route_the_fake_serves_is_described(self):
        undescribed = []
        for template, methods, _func, query in routing.ROUTES:
            if template.startswith(('/private/', contract.TEST_ONLY)):
                continue
            for path in self.paths(template):
                described = self.judge.template(path)
                for method in methods:
                    undescribed += self.departures(
                        described, method, template,
                        set(query) - OLDER_RELEASES_ONLY)
        self.assertEqual([], undescribed)

    @staticmethod
    def paths(template):
        """The concrete paths of a route template, one per ``any()``."""
        match = ANY.search(template)
        if match:
            return [p for word in match.group(1).split(',')
                    for p in RouteTest.paths(template.replace(
                        match.group(0), word.strip(), 1))]
        return [PARAM.sub(r'{\1}', template).replace('{ver}', '100')]

    def departures(self, described, method, template, query):
        operation = self.judge.operations.get((described, method))
        if operation is None:
            return ['%s %s' % (method, template)]
        extra = query - set(operation.parameters)
        return ['%s %s ?%s' % (method, template, ','.join(sorted(extra)))
                ] if extra else []


class SkipTest(base.TestCase):

    def test_absent_description_skips_with_where_it_looked(self):
        self.useFixture(fixtures.EnvironmentVariable(
            contract.SPEC_ENV, '/nonexistent/spec.yaml'))
        self.assertIsNone(contract.judge())
        self.assertIn('/nonexistent/spec.yaml', contract.skip_reason())
        self.assertIn(contract.SPEC_ENV, contract.skip_reason())

    def test_default_place_is_beside_the_repository(self):
        self.assertEqual(
            os.path.join(os.path.dirname(contract.REPO_ROOT), 'shared',
                         'reference', 'unisphere-openapi-10.0.yaml'),
            contract.DEFAULT_SPEC)
