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

"""Storage-group SRDF, link loss and SRDF leak checks (15.3-15.5)."""

import ddt

from tests.unit.fake_unisphere import srdf_base

REMOTE, SG = srdf_base.REMOTE, srdf_base.SG


@ddt.ddt
class ProtectTest(srdf_base.SRDFTestCase):

    def test_protect_creates_remote_group_and_r2s(self):
        self.fake.latency.job_duration = 1.0  # the copy takes a second
        devices = self.protected(2, settle=False)
        remote = self.rem.storage_groups[SG]
        self.assertEqual(('SRP_1', 'Diamond', 2),
                         (remote.srp, remote.slo, len(remote.volumes)))
        self.assertEqual(sorted(self.partner(d) for d in devices),
                         sorted(remote.volumes))
        self.assertEqual(['SyncInProg'], self.state()['states'])
        self.tick()
        state = self.state()
        self.assertEqual((['R1'], ['Synchronized'], ['Synchronous'], 7),
                         (state['volumeRdfTypes'], state['states'],
                          state['modes'], state['rdfGroupNumber']))
        remote_state = self.state(sid=REMOTE)
        self.assertEqual(['R2'], remote_state['volumeRdfTypes'])
        self.assertEqual({'rdfgs': [7]}, self.assertStatus(200, self.repl(
            'GET', '/storagegroup/%s/rdf_group' % SG)))
        self.assertEqual([], self.fake.check())

    def test_protect_without_a_group_number(self):
        # The array picks an online group to the remote array.
        self.create_sg(SG)
        device = self.create_volumes(SG)[0]
        body = self.protect_body()
        del body['rdfgNumber']
        self.assertStatus(201, self.repl(
            'POST', '/storagegroup/%s/rdf_group' % SG, body))
        self.assertIn(device, self.arr.rdf[7].pairs)

    def test_replication_view_of_a_group(self):
        self.create_sg('plain')
        self.create_volumes('plain', name='OS-plain')
        view = self.assertStatus(200, self.repl('GET', '/storagegroup/plain'))
        self.assertEqual((False, [], 1), (
            view['rdf'], view['rdf_groups'], view['numDevicesNonGk']))
        self.assertNotIn('remote_storage_groups', view)
        self.assertNotIn('parentName', view)
        self.protected(2)
        # The 10.0 parameters PyU4V sends on every call.
        view = self.assertStatus(200, self.repl(
            'GET', '/storagegroup/' + SG, params={
                'include_remote_sgs': 'true', 'exclude_manual_snaps': 'false',
                'exclude_sl_snaps': 'true'}))
        self.assertEqual((True, [7], 2, 0), (
            view['rdf'], view['rdf_groups'], view['numDevicesNonGk'],
            view['numSnapVXSnapshots']))
        self.assertEqual([{'symmetrix_id': REMOTE, 'storage_group_id': SG}],
                         view['remote_storage_groups'])
        remote = self.assertStatus(200, self.repl(
            'GET', '/storagegroup/' + SG, sid=REMOTE))
        self.assertEqual((True, [7]), (remote['rdf'], remote['rdf_groups']))
        self.assertStatus(404, self.repl('GET', '/storagegroup/nope'))
        self.assertStatus(400, self.repl('GET', '/storagegroup/' + SG,
                                         params={'include_remote': 'true'}))

    def test_protect_asynchronously(self):
        self.fake.latency.job_duration = 1.0
        self.create_sg(SG)
        device = self.create_volumes(SG)[0]
        self.assertStatus(202, self.protect(executionOption='ASYNCHRONOUS'))
        self.assertEqual({}, self.rem.storage_groups)
        self.tick(1)
        self.assertIn(device, self.arr.rdf[7].pairs)
        self.tick(1)
        self.assertEqual(['Synchronized'], self.state()['states'])

    def test_protect_into_existing_remote_group(self):
        self.assertStatus(201, self.call(
            'POST', '/storagegroup', {'storageGroupId': SG,
                                      'srpId': 'None', 'emulation': 'FBA'},
            sid=REMOTE))
        self.protected()
        self.assertEqual(1, len(self.rem.storage_groups[SG].volumes))

    @ddt.data(({'remoteSymmId': '000197000456'}, 400),
              ({'rdfgNumber': None}, 400),
              ({'rdfgNumber': 42}, 404),
              ({'replicationMode': 'AdaptiveCopyWP'}, 400),
              ({'remoteSLO': 'Tin'}, 400),
              ({'remoteStorageGroupName': 'bad name'}, 400),
              ({'forceNewRdfGroup': 'true'}, 400))
    @ddt.unpack
    def test_refusals(self, extra, status):
        self.create_sg(SG)
        self.create_volumes(SG)
        self.assertRefused(status, self.protect(**extra))
        self.assertEqual(({}, {}), (self.arr.rdf[7].pairs,
                                    self.rem.storage_groups))

    def test_remote_group_without_service_level(self):
        self.protected(remoteSLO='NONE')
        self.assertIsNone(self.rem.storage_groups[SG].slo)

    def test_empty_group_is_refused(self):
        self.create_sg(SG)
        self.assertRefused(400, self.protect(), 'no devices')

    def test_paired_devices_are_refused(self):
        self.protected()
        self.assertRefused(409, self.protect(number=8), 'already')

    def test_unprotected_group_has_no_state(self):
        self.create_sg(SG)
        self.create_volumes(SG)
        self.assertEqual({'rdfgs': []}, self.assertStatus(200, self.repl(
            'GET', '/storagegroup/%s/rdf_group' % SG)))
        self.assertRefused(404, self.repl(
            'GET', '/storagegroup/%s/rdf_group/7' % SG))
        self.assertRefused(404, self.repl(
            'GET', '/storagegroup/nope/rdf_group'))


@ddt.ddt
class ActionTest(srdf_base.SRDFTestCase):

    def assertState(self, state, sg=SG):
        self.tick()
        self.assertEqual([state], self.state(sg)['states'])

    def test_cycle(self):
        device = self.protected()[0]
        for action, state in (('Suspend', 'Suspended'),
                              ('Resume', 'Synchronized'),
                              ('Split', 'Split'),
                              ('Establish', 'Synchronized'),
                              ('Failover', 'Failed Over'),
                              ('Failback', 'Synchronized')):
            self.assertStatus(200, self.act(action))
            self.assertState(state)
            self.assertEqual([state], self.state(sid=REMOTE)['states'])
        self.assertEqual('Ready', self.pair(device)['localVolumeState'])

    def test_failover_swaps_write_access(self):
        device = self.protected()[0]
        self.assertStatus(200, self.act('Failover'))
        pair = self.pair(device)
        self.assertEqual(('Failed Over', 'Write Disabled', 'Ready'),
                         (pair['rdfpairState'], pair['localVolumeState'],
                          pair['remoteVolumeState']))
        remote = self.pair(self.partner(device), sid=REMOTE)
        self.assertEqual('Ready', remote['localVolumeState'])

    def test_failback_from_suspended(self):
        device = self.protected()[0]
        self.assertStatus(200, self.act('Suspend'))
        self.assertStatus(200, self.act('Failback'))
        self.tick()
        self.assertEqual('Synchronized', self.pair(device)['rdfpairState'])

    def test_split_opens_the_r2(self):
        device = self.protected()[0]
        self.assertStatus(200, self.act('Split'))
        self.assertEqual(('Ready', 'Ready'), (
            self.pair(device)['localVolumeState'],
            self.pair(device)['remoteVolumeState']))

    def test_swap_exchanges_roles(self):
        device = self.protected()[0]
        r2 = self.partner(device)
        self.assertStatus(200, self.act('Failover'))
        self.assertStatus(200, self.act('Swap'))
        self.assertEqual(['R2'], self.state()['volumeRdfTypes'])
        self.assertEqual(['R1'], self.state(sid=REMOTE)['volumeRdfTypes'])
        self.assertEqual('RDF1+TDEV', self.volume(r2, sid=REMOTE)['type'])
        self.assertStatus(200, self.act('Establish', sid=REMOTE))
        self.assertState('Synchronized')
        self.assertEqual('Write Disabled',
                         self.pair(device)['localVolumeState'])

    @ddt.data(('Resume', 'Synchronized'), ('Failback', 'Synchronized'),
              ('Resume', 'Failed Over'),
              ('Establish', 'Synchronized'), ('Swap', 'Synchronized'),
              ('Suspend', 'Failed Over'), ('Split', 'Suspended'))
    @ddt.unpack
    def test_action_from_wrong_state(self, action, state):
        device = self.protected()[0]
        self.arr.rdf[7].pairs[device].state = state
        self.assertRefused(409, self.act(action), 'needs one of')
        self.assertEqual(state, self.arr.rdf[7].pairs[device].state)

    def test_actions_are_async_capable(self):
        self.protected()
        self.fake.latency.job_duration = 1.0
        body = {'action': 'Suspend', 'executionOption': 'ASYNCHRONOUS'}
        self.assertStatus(202, self.repl(
            'PUT', '/storagegroup/%s/rdf_group/7' % SG, body))
        self.assertEqual(['Synchronized'], self.state()['states'])
        self.tick(1)
        self.assertEqual(['Suspended'], self.state()['states'])

    def test_cons_exempt_needs_async(self):
        self.protected()
        self.assertRefused(400, self.act('Suspend', consExempt='true'),
                           'The device is not in asynchronous mode')

    def test_cons_exempt_on_async(self):
        self.protected(mode='Asynchronous')
        self.assertEqual(['Consistent'], self.state()['states'])
        self.assertStatus(200, self.act('Suspend', force='true',
                                        consExempt='true'))

    @ddt.data('Failover', 'Failback', 'Swap')
    def test_metro_has_no_failover(self, action):
        self.protected(mode='Active')
        self.assertEqual(['ActiveBias'], self.state()['states'])
        self.assertRefused(400, self.act(action), 'Metro')

    @ddt.data(({'action': 'Restore'}, 'not supported'),
              ({'action': 'SetBias'}, 'not supported'),
              ({'action': 'Suspend', 'suspend': {'star': 'true'}}, 'star'),
              ({'action': 'Suspend', 'suspend': {'nope': 'true'}}, 'nope'))
    @ddt.unpack
    def test_unmodelled_requests_are_refused(self, body, text):
        self.protected()
        self.assertRefused(400, self.repl(
            'PUT', '/storagegroup/%s/rdf_group/7' % SG, body), text)

    def test_all_devices_must_be_in_the_group(self):
        self.protected()
        loose = self.create_volumes(SG)[0]
        self.assertRefused(409, self.act('Suspend'), loose)
        self.assertIn('holds devices outside its RDF group: %s' % loose,
                      '\n'.join(self.fake.check()))


class LinkTest(srdf_base.SRDFTestCase):

    def test_link_down_partitions_both_sides(self):
        device = self.protected()[0]
        self.arr.rdf_link_down(7)
        self.assertEqual(['Partitioned'], self.state()['states'])
        self.assertEqual(['Partitioned'], self.state(sid=REMOTE)['states'])
        group = self.assertStatus(200, self.repl('GET', '/rdf_group/7',
                                                 sid=REMOTE))
        self.assertEqual((True, []), (group['offline'],
                                      group['remoteOnlinePorts']))
        self.assertRefused(500, self.act('Resume'), 'offline')
        self.assertRefused(500, self.create_pairs(self.devices()))
        self.assertIn(device, self.arr.rdf[7].pairs)

    def test_failover_without_link(self):
        device = self.protected()[0]
        self.arr.rdf_link_down(7)
        self.assertStatus(200, self.act('Failover', sid=REMOTE))
        self.assertEqual('Ready', self.pair(self.partner(device),
                                            sid=REMOTE)['localVolumeState'])
        self.assertRefused(500, self.act('Failback'))
        self.arr.rdf_link_up(7)
        self.assertEqual(['Failed Over'], self.state()['states'])
        self.assertStatus(200, self.act('Failback'))
        self.tick()
        self.assertEqual(['Synchronized'], self.state()['states'])

    def test_link_up_leaves_pairs_suspended(self):
        self.protected()
        self.arr.rdf_link_down(7)
        self.rem.rdf_link_up(7)
        self.assertEqual(['Suspended'], self.state()['states'])
        self.assertStatus(200, self.act('Resume'))
        self.tick()
        self.assertEqual(['Synchronized'], self.state()['states'])


class WitnessTest(srdf_base.SRDFTestCase):

    def test_metro_with_witness_is_active_active(self):
        self.arr.add_rdf_group(10, '23_24_010', REMOTE, 11,
                               ([('RF-1E', '8')], [('RF-1E', '8')]),
                               witness=True)
        device = self.protected(mode='Active', number=10)[0]
        self.assertEqual(['ActiveActive'],
                         self.state(number=10)['states'])
        pair = self.pair(device, number=10)
        self.assertEqual(('Ready', 'Ready', 11),
                         (pair['localVolumeState'],
                          pair['remoteVolumeState'],
                          pair['remoteRdfGroupNumber']))
        group = self.assertStatus(200, self.repl('GET', '/rdf_group/11',
                                                 sid=REMOTE))
        self.assertEqual((True, True, False, 'Metro'),
                         (group['witnessConfigured'],
                          group['witnessEffective'],
                          group['biasConfigured'], group['type']))
