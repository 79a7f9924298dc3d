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

"""SRDF groups and device pairs (reference 15.1, 15.2, 10.1, 10.4)."""

import ddt

from tests.unit.fake_unisphere import srdf_base

REMOTE = srdf_base.REMOTE


@ddt.ddt
class RdfGroupTest(srdf_base.SRDFTestCase):

    def test_default_groups_on_both_arrays(self):
        for sid, remote in ((self.sid, REMOTE), (REMOTE, self.sid)):
            body = self.assertStatus(200, self.repl('GET', '/rdf_group',
                                                    sid=sid))
            self.assertEqual([{'rdfgNumber': n, 'label': '23_24_%03d' % n,
                               'remote_symmetrix_id': remote,
                               'group_type': 'Dynamic'}
                              for n in (7, 8, 9)], body['rdfGroupID'])
            self.assertEqual(3, body['rdfg_count'])
            group = self.assertStatus(200, self.repl(
                'GET', '/rdf_group/7', sid=sid))
            self.assertEqual((7, remote, 7, 0, False, ['RF-1E:8', 'RF-2E:8']),
                             (group['rdfgNumber'], group['remoteSymmetrix'],
                              group['remoteRdfgNumber'], group['numDevices'],
                              group['offline'], group['localOnlinePorts']))

    def test_other_arrays_have_no_groups(self):
        self.assertEqual({'rdfg_count': 0, 'rdfGroupID': []},
                         self.assertStatus(200, self.repl(
                             'GET', '/rdf_group',
                             sid=srdf_base.data.VMAX_AFA)))

    @ddt.data(({'remote_symmetrix_id': REMOTE}, [7, 8, 9]),
              ({'remote_symmetrix_id': '000197000456'}, []),
              ({'rdf_mode': 'Synchronous'}, [7]),
              ({'rdf_mode': 'Asynchronous'}, []),
              ({'volume_count': '1'}, [7]),
              ({'volume_count': '0'}, [8, 9]),
              ({'group_type': 'Dynamic'}, [7, 8, 9]),
              ({'group_type': 'Metro'}, []))
    @ddt.unpack
    def test_list_filters(self, params, numbers):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device],
                                                 establish='true'))
        body = self.assertStatus(200, self.repl('GET', '/rdf_group',
                                                params=params))
        self.assertEqual(numbers, [g['rdfgNumber']
                                   for g in body.get('rdfGroupID', [])])

    def test_unknown_group(self):
        self.assertRefused(404, self.repl('GET', '/rdf_group/42'),
                           'The specified RA group is not valid')
        self.assertRefused(404, self.repl('GET', '/rdf_group/42/volume'))

    @ddt.data(('POST', '/rdf_group'), ('PUT', '/rdf_group/7'),
              ('DELETE', '/rdf_group/7'))
    @ddt.unpack
    def test_group_changes_not_modelled(self, method, path):
        self.assertRefused(405, self.repl(method, path, {'label': 'x'}))
        self.assertEqual(3, len(self.arr.rdf))


@ddt.ddt
class PairTest(srdf_base.SRDFTestCase):

    def test_create_makes_r2_on_remote(self):
        self.fake.latency.job_duration = 2.0
        device = self.devices()[0]
        job = self.assertStatus(202, self.create_pairs(
            [device], establish='true', executionOption='ASYNCHRONOUS'))
        self.assertEqual({}, self.arr.rdf[7].pairs)  # effect at completion
        self.now[0] += 2
        job = self.assertStatus(200, self.session.get(self.root(
            '/100/system/job/%s' % job['jobId'])))
        self.assertEqual('SUCCEEDED', job['status'], job['result'])
        self.assertIn(device, self.arr.rdf[7].pairs)
        r2 = self.partner(device)
        self.assertEqual(self.arr.volumes[device].cap_cyl,
                         self.rem.volumes[r2].cap_cyl)
        self.assertEqual([], self.rem.groups_of(r2))
        self.assertIs(self.arr.rdf[7].pairs[device], self.rem.rdf[7].pairs[r2])
        pair = self.pair(device)
        self.assertEqual(('SyncInProg', 'Synchronous', r2, 'Ready',
                          'Write Disabled', 'RDF1+TDEV'),
                         (pair['rdfpairState'], pair['rdfMode'],
                          pair['remoteVolumeName'], pair['localVolumeState'],
                          pair['remoteVolumeState'], pair['volumeConfig']))
        self.tick(2)
        self.assertEqual('Synchronized', self.pair(device)['rdfpairState'])
        remote = self.pair(r2, sid=REMOTE)
        self.assertEqual((device, 'Write Disabled', 'RDF2+TDEV'),
                         (remote['remoteVolumeName'],
                          remote['localVolumeState'], remote['volumeConfig']))

    def test_volume_views(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        r2 = self.partner(device)
        body = self.volume(device)
        self.assertEqual(('RDF1+TDEV', [{'rdf_group_number': 7,
                                         'label': '23_24_007'}]),
                         (body['type'], body['rdfGroupId']))
        self.assertEqual('RDF2+TDEV', self.volume(r2, sid=REMOTE)['type'])
        self.assertNotIn('volume_identifier', self.volume(r2, sid=REMOTE))
        listed = self.assertStatus(200, self.call(
            'GET', '/volume', params={'rdf_group_number': '7'}))
        self.assertEqual([{'volumeId': device}],
                         listed['resultList']['result'])
        self.assertEqual(0, self.assertStatus(200, self.call(
            'GET', '/volume', params={'rdf_group_number': '8'}))['count'])
        self.assertEqual({'name': [r2]}, self.assertStatus(200, self.repl(
            'GET', '/rdf_group/7/volume', sid=REMOTE)))

    def test_private_rdf_info(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        self.tick()
        private = self.assertStatus(200, self.session.get(
            self.url('/volume').replace('/restapi/', '/restapi/private/'),
            params={'wwn': self.arr.volumes[device].wwn}))
        [entry] = private['resultList']['result']
        info = entry['rdfInfo']
        self.assertTrue(info['RDF'] and info['dynamicRDF'])
        [session] = info['RDFSession']
        self.assertEqual(('Ready', 'Synchronous', 'Synchronized',
                          self.partner(device), REMOTE, 7, 7),
                         (session['SRDFStatus'],
                          session['SRDFReplicationMode'],
                          session['pairState'], session['remoteDeviceID'],
                          session['remoteSymmetrixID'],
                          session['SRDFGroupNumber'],
                          session['SRDFRemoteGroupNumber']))
        self.assertEqual('RDF1+TDEV',
                         entry['volumeHeader']['configuration'])

    def test_rdf_group_id_is_a_list_on_every_release(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        for api in ('92', '100'):
            self.assertEqual(
                [{'rdf_group_number': 7, 'label': '23_24_007'}],
                self.assertStatus(200, self.call(
                    'GET', '/volume/%s' % device, api=api))['rdfGroupId'])

    def test_volume_count_is_a_whole_number(self):
        # The API describes volume_count as an integer, not a comparison.
        for wanted in ('>0', '<1'):
            self.assertRefused(400, self.repl(
                'GET', '/rdf_group', params={'volume_count': wanted}),
                'volume_count')

    def test_without_establish_pairs_are_suspended(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device]))
        self.tick()
        self.assertEqual('Suspended', self.pair(device)['rdfpairState'])

    @ddt.data(({'rdfMode': 'AdaptiveCopyDisk'}, 400),
              ({'rdfType': 'RDF2'}, 400),
              ({'rdfType': None}, 400),
              ({'metroBias': 'false'}, 400),
              ({'localDeviceAutoCriteriaParam': {'pairCount': 1}}, 400),
              ({'format': 'true'}, 400),
              ({'establish': 'maybe'}, 400))
    @ddt.unpack
    def test_refusals(self, extra, status):
        device = self.devices()[0]
        self.assertRefused(status, self.create_pairs([device], **extra))
        self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertEqual({}, self.rem.volumes)

    def test_already_paired(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        self.assertRefused(409, self.create_pairs([device], number=8),
                           'already an SRDF device')
        self.assertEqual(1, len(self.rem.volumes))

    def test_unknown_device(self):
        self.devices()
        self.assertRefused(404, self.create_pairs(['0ABCD']))

    @ddt.data('Asynchronous', 'Active')
    def test_active_async_or_metro_group_needs_exempt(self, mode):
        first, second = self.devices(2)
        self.assertStatus(201, self.create_pairs([first], mode,
                                                 establish='true'))
        self.tick()
        self.assertRefused(409, self.create_pairs([second], mode),
                           'consistency exemption')
        self.assertStatus(201, self.create_pairs([second], mode,
                                                 exempt='true'))

    def test_group_keeps_one_mode_for_async(self):
        first, second = self.devices(2)
        self.assertStatus(201, self.create_pairs([first], 'Asynchronous'))
        self.assertRefused(409, self.create_pairs([second], 'Synchronous'),
                           'cannot also hold')

    def test_delete_sync_pair_keeps_both_devices(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        r2 = self.partner(device)
        self.assertStatus(204, self.repl('DELETE',
                                         '/rdf_group/7/volume/%s' % device))
        self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertEqual({}, self.rem.rdf[7].pairs)
        self.assertIn(r2, self.rem.volumes)
        self.assertEqual('TDEV', self.volume(device)['type'])
        self.assertRefused(404, self.repl('GET',
                                          '/rdf_group/7/volume/%s' % device))

    @ddt.data('Asynchronous', 'Active')
    def test_async_and_metro_pairs_must_be_suspended(self, mode):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], mode,
                                                 establish='true'))
        self.tick()
        self.assertRefused(409, self.repl(
            'DELETE', '/rdf_group/7/volume/%s' % device), 'suspend it')
        self.arr.rdf[7].pairs[device].state = 'Suspended'
        self.assertStatus(204, self.repl(
            'DELETE', '/rdf_group/7/volume/%s' % device))

    def test_paired_device_cannot_be_deleted(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        r2 = self.partner(device)
        self.assertStatus(200, self.edit_sg('SG1', {'removeVolumeParam': {
            'volumeId': [device]}}))
        for sid, dev in ((self.sid, device), (REMOTE, r2)):
            self.assertRefused(409, self.call('DELETE', '/volume/%s' % dev,
                                              sid=sid), 'SRDF device')

    def test_expand_needs_rdf_group_number(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device], establish='true'))
        r2 = self.partner(device)

        def expand(**extra):
            param = {'volumeAttribute': {'volume_size': '2',
                                         'capacityUnit': 'GB'}}
            param.update(extra)
            return self.call('PUT', '/volume/%s' % device, {
                'editVolumeActionParam': {'expandVolumeParam': param}})
        self.assertRefused(409, expand(), 'rdfGroupNumber')
        self.assertRefused(400, expand(rdfGroupNumber=8))
        self.assertStatus(200, expand(rdfGroupNumber=7))
        self.assertEqual((2.0, 2.0), (self.arr.volumes[device].cap_gb,
                                      self.rem.volumes[r2].cap_gb))

    def test_rdf_group_number_on_unpaired_expand(self):
        device = self.devices()[0]
        self.assertRefused(400, self.call('PUT', '/volume/%s' % device, {
            'editVolumeActionParam': {'expandVolumeParam': {
                'volumeAttribute': {'volume_size': '2'},
                'rdfGroupNumber': 7}}}))


class RdfDirectorTest(srdf_base.SRDFTestCase):

    def test_directors_and_ports(self):
        self.assertEqual({'directorId': ['RF-1E', 'RF-2E']},
                         self.assertStatus(200, self.repl(
                             'GET', '/rdf_director')))
        director = self.assertStatus(200, self.repl(
            'GET', '/rdf_director/RF-1E', sid=REMOTE))
        self.assertEqual(('RF-1E', 1, True), (director['directorId'],
                                              director['directorNumber'],
                                              director['online']))
        self.assertEqual({'portNumber': ['8']}, self.assertStatus(
            200, self.repl('GET', '/rdf_director/RF-1E/port')))
        port = self.assertStatus(200, self.repl(
            'GET', '/rdf_director/RF-1E/port/8'))
        self.assertEqual((True, self.sid, 'RF-1E', 8),
                         (port['online'], port['symmetrixID'],
                          port['directorId'], port['portNumber']))
        remote = self.assertStatus(200, self.repl(
            'GET', '/rdf_director/RF-1E/port/8/remote_port'))['remotePort']
        self.assertEqual({(REMOTE, 'RF-1E', 8), (REMOTE, 'RF-2E', 8)},
                         {(p['symmetrixID'], p['directorId'],
                           p['portNumber']) for p in remote})
        self.assertRefused(404, self.repl('GET', '/rdf_director/RF-9E'))
        self.assertRefused(404, self.repl('GET',
                                          '/rdf_director/RF-1E/port/9'))

    def test_ports_go_offline_with_every_group(self):
        self.fake.model.set_rdf_link(self.sid, 7, False)
        self.assertTrue(self.assertStatus(200, self.repl(
            'GET', '/rdf_director/RF-1E/port/8'))['online'])
        for number in (8, 9):
            self.fake.model.set_rdf_link(REMOTE, number, False)
        self.assertFalse(self.assertStatus(200, self.repl(
            'GET', '/rdf_director/RF-1E/port/8'))['online'])
        self.assertFalse(self.arr.rdf[9].online)
        self.fake.model.set_rdf_link(self.sid, 9, True)
        self.assertTrue(self.rem.rdf[9].online)
