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

"""Helpers of the SRDF tests: both arrays of the default pair."""

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base

REMOTE = data.POWERMAX_8000_R
SG = 'OS-SRP_1-Diamond-NONE-RE-SG'


class SRDFTestCase(base.FakeTestCase):
    """Drives POWERMAX_8000 and its partner through ``requests``."""

    def setUp(self):
        super().setUp()
        self.now = [1000.0]
        self.fake.app.jobs.clock = lambda: self.now[0]

    @property
    def rem(self):
        return self.fake.model.arrays[REMOTE]

    def repl(self, method, path, body=None, params=None, sid=None):
        return self.call(method, path, body, params, category='replication',
                         sid=sid)

    def tick(self, seconds=1.0):
        """Let time pass; the next request completes what is due."""
        self.now[0] += seconds
        self.assertStatus(200, self.repl('GET', '/rdf_group'))

    def volume(self, device, sid=None):
        return self.assertStatus(200, self.call('GET', '/volume/%s' % device,
                                                sid=sid))

    def pair(self, device, number=7, sid=None):
        return self.assertStatus(200, self.repl(
            'GET', '/rdf_group/%d/volume/%s' % (number, device), sid=sid))

    def state(self, sg=SG, number=7, sid=None):
        return self.assertStatus(200, self.repl(
            'GET', '/storagegroup/%s/rdf_group/%d' % (sg, number), sid=sid))

    def devices(self, count=1):
        """``count`` unpaired volumes in storage group SG1."""
        if 'SG1' not in self.arr.storage_groups:
            self.create_sg('SG1')
        return self.create_volumes('SG1', count=count, name='OS-vol')

    def create_pairs(self, devices, mode='Synchronous', number=7, **extra):
        body = {'rdfMode': mode, 'rdfType': 'RDF1',
                'localDeviceListCriteriaParam': {'localDeviceList': devices}}
        body.update(extra)
        return self.repl('POST', '/rdf_group/%d/volume' % number, body)

    def protect_body(self, mode='Synchronous', number=7, remote_sg=SG,
                     **extra):
        body = {'replicationMode': mode, 'remoteSymmId': REMOTE,
                'rdfgNumber': number, 'remoteStorageGroupName': remote_sg,
                'remoteSLO': 'Diamond', 'establish': 'true',
                'metroBias': 'false'}
        body.update(extra)
        return body

    def protect(self, sg=SG, **extra):
        return self.repl('POST', '/storagegroup/%s/rdf_group' % sg,
                         self.protect_body(**extra))

    def protected(self, count=1, sg=SG, settle=True, **extra):
        """A storage group of ``count`` volumes protected in group 7."""
        self.create_sg(sg)
        devices = self.create_volumes(sg, count=count, name='OS-vol')
        self.assertStatus(201, self.protect(sg, **extra))
        if settle:
            self.tick()
        return devices

    def act(self, action, sg=SG, number=7, sid=None, **options):
        body = {'action': action}
        if options:
            body[action[:1].lower() + action[1:]] = options
        return self.repl('PUT', '/storagegroup/%s/rdf_group/%d' % (
            sg, number), body, sid=sid)

    def partner(self, device, number=7):
        return self.arr.rdf[number].pairs[device].remote(self.sid)[1]

    def remote_info(self, sgs=(SG,), force='false'):
        return {'remote_symmetrix_1_id': REMOTE,
                'remote_symmetrix_1_sgs': list(sgs), 'force': force}

    def teardown_pairs(self, sg=SG, number=7):
        """Suspend, unpair and delete both sides: the cleanup clients do."""
        devices = self.arr.members(sg)
        partners = [self.partner(d, number) for d in devices]
        self.assertStatus(204, self.repl(
            'DELETE', '/storagegroup/%s/rdf_group/%d' % (sg, number),
            params={'force': 'true'}))
        for sid, array, devs in ((self.sid, self.arr, devices),
                                 (REMOTE, self.rem, partners)):
            for group in list(array.groups_of(devs[0])):
                self.assertStatus(200, self.call(
                    'PUT', '/storagegroup/%s' % group,
                    {'editStorageGroupActionParam': {'removeVolumeParam': {
                        'volumeId': devs}}}, sid=sid))
                self.assertStatus(204, self.call(
                    'DELETE', '/storagegroup/%s' % group, sid=sid))
            for device in devs:
                self.assertStatus(204, self.call(
                    'DELETE', '/volume/%s' % device, sid=sid))
