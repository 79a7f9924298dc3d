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

"""Shared helpers: a fresh fake and a ``requests`` session talking to it."""

import requests

from tests import base as tests_base
from tests.fake_unisphere import data
from tests.fake_unisphere import fixture

SID = data.POWERMAX_8000
WWPN_1 = '10000090fa8ec8b1'
WWPN_2 = '10000090fa8ec8b2'
IQN = 'iqn.1993-08.org.debian:01:2a3b4c5d'


class FakeTestCase(tests_base.TestCase):
    """Talks to the fake through ``requests``, never through driver code."""

    version = 'V10.1.0.2'
    api = '100'
    sid = SID

    def setUp(self):
        super().setUp()
        self.fake = self.useFixture(fixture.FakeUnisphereFixture(
            version=self.version))
        self.session = requests.Session()
        self.session.auth = (self.fake.username, self.fake.password)
        self.session.headers.update({'Content-Type': 'application/json',
                                     'Accept': 'application/json'})
        self.addCleanup(self.session.close)

    @property
    def arr(self):
        return self.fake.model.arrays[self.sid]

    def url(self, path, api=None, category='sloprovisioning', sid=None):
        """URL below ``/{api}/{category}/symmetrix/{sid}``."""
        return '%s/univmax/restapi/%s/%s/symmetrix/%s%s' % (
            self.fake.base_urls[0], api or self.api, category,
            sid or self.sid, path)

    def root(self, path):
        return '%s/univmax/restapi%s' % (self.fake.base_urls[0], path)

    def call(self, method, path, body=None, params=None, **kwargs):
        url = path if path.startswith('https://') else self.url(
            path, **kwargs)
        return self.session.request(method, url, json=body, params=params)

    def assertStatus(self, status, response):
        self.assertEqual(status, response.status_code, response.text)
        return response.json() if response.content else None

    def assertRefused(self, status, response, text=None):
        body = self.assertStatus(status, response)
        self.assertIn('message', body)
        if text:
            self.assertIn(text, body['message'])
        return body['message']

    # -- builders (synchronous unless asked) --------------------------------

    def create_sg(self, name, slo='Diamond', srp='SRP_1', workload='NONE',
                  no_compression=None, expect=201, **extra):
        body = {'storageGroupId': name, 'srpId': srp if slo else 'None',
                'emulation': 'FBA'}
        if slo:
            param = {'sloId': slo, 'workloadSelection': workload,
                     'volumeAttributes': [{'volume_size': '0',
                                           'capacityUnit': 'GB',
                                           'num_of_vols': 0}]}
            if no_compression is not None:
                param['noCompression'] = no_compression
            body['sloBasedStorageGroupParam'] = [param]
        body.update(extra)
        return self.assertStatus(expect, self.call('POST', '/storagegroup',
                                                   body))

    def edit_sg(self, name, action, asynchronous=False):
        body = {'editStorageGroupActionParam': action}
        if asynchronous:
            body['executionOption'] = 'ASYNCHRONOUS'
        return self.call('PUT', '/storagegroup/%s' % name, body)

    def add_volume_body(self, size='1', count=1, name=None, unit='GB'):
        attribute = {'num_of_vols': count, 'volume_size': size,
                     'capacityUnit': unit}
        if name:
            attribute['volumeIdentifier'] = {
                'volumeIdentifierChoice': 'identifier_name',
                'identifier_name': name}
        return {'expandStorageGroupParam': {'addVolumeParam': {
            'emulation': 'FBA', 'create_new_volumes': 'False',
            'volumeAttributes': [attribute]}}}

    def create_volumes(self, sg, size='1', count=1, name=None, unit='GB'):
        """New volumes in ``sg``; returns their device ids."""
        before = set(self.arr.volumes)
        self.assertStatus(200, self.edit_sg(
            sg, self.add_volume_body(size, count, name, unit)))
        return sorted(set(self.arr.volumes) - before)

    def unmasked_device(self):
        """A new device in no storage group (made in ``default``)."""
        self.create_sg('default')
        device = self.create_volumes('default')[0]
        self.edit_sg('default', {'removeVolumeParam': {
            'volumeId': [device]}})
        return device

    def run_job(self, response):
        """Poll the job of a 202 answer until it ends; returns the job."""
        job = self.assertStatus(202, response)
        for _ in range(20):
            job = self.assertStatus(200, self.session.get(self.root(
                '/%s/system/job/%s' % (self.api, job['jobId']))))
            if job['status'] in ('SUCCEEDED', 'FAILED'):
                return job
        self.fail('job %s never finished' % job['jobId'])

    def create_host(self, name, initiators, expect=201):
        return self.assertStatus(expect, self.call('POST', '/host', {
            'hostId': name, 'initiatorId': initiators}))

    def create_view(self, name, host, pg, sg, expect=201):
        return self.assertStatus(expect, self.call('POST', '/maskingview', {
            'maskingViewId': name,
            'hostOrHostGroupSelection': {
                'useExistingHostParam': {'hostId': host}},
            'portGroupSelection': {
                'useExistingPortGroupParam': {'portGroupId': pg}},
            'storageGroupSelection': {
                'useExistingStorageGroupParam': {'storageGroupId': sg}}}))

    def attach(self, device, host='OS-h1-F-IG', hbas=(WWPN_1, WWPN_2),
               log_in=True):
        """Cinder's shape: parent SG in a view, child SG holding ``device``.

        ``device`` must be in no FAST group. The ``hbas`` first log in on
        every FC port unless ``log_in`` is false. Returns the names used.
        """
        if log_in:
            for hba in hbas:
                self.fake.model.log_in(self.sid, hba)
        names = {'parent': 'OS-h1-F-OS-fibre-PG-SG',
                 'child': 'OS-h1-SRP_1-Diamond-OS-fibre-PG',
                 'host': host, 'view': 'OS-h1-F-OS-fibre-PG-MV'}
        self.create_sg(names['parent'], slo=None)
        self.create_sg(names['child'])
        self.assertStatus(200, self.edit_sg(names['parent'], {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': [names['child']]}}}))
        self.assertStatus(200, self.edit_sg(names['child'], {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': [device]}}}))
        self.create_host(host, list(hbas))
        self.create_view(names['view'], host, 'OS-fibre-PG',
                         names['parent'])
        return names
