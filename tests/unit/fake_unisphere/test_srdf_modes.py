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

"""SRDF/A and SRDF/Metro rules: whole-group actions, bias, exemption."""

import ddt

from tests.unit.fake_unisphere import srdf_base

REMOTE, SG = srdf_base.REMOTE, srdf_base.SG
MGMT = 'OS-23_24_007-%s-rdf-sg'
TOGETHER = 'all the devices of an SRDF/A or SRDF/Metro group are acted on '


class ModesTestCase(srdf_base.SRDFTestCase):

    def split_group(self, mode):
        """RDF group 7 with 3 pairs: 2 in SG, 1 in SG2."""
        devices = self.protected(2, mode=mode)
        devices += self.protected(1, sg='SG2', mode=mode, remote_sg='SG2')
        self.assertEqual(3, len(self.arr.rdf[7].pairs))
        return devices

    def management_group(self, devices, mode='Asynchronous', sid=None):
        """The client's management group holding ``devices``."""
        name = MGMT % mode
        body = {'storageGroupId': name, 'srpId': 'None', 'emulation': 'FBA'}
        self.assertStatus(201, self.call('POST', '/storagegroup', body,
                                         sid=sid))
        if devices:
            self.assertStatus(200, self.call(
                'PUT', '/storagegroup/%s' % name,
                {'editStorageGroupActionParam': {'expandStorageGroupParam': {
                    'addSpecificVolumeParam': {'volumeId': devices}}}},
                sid=sid))
        return name

    def states(self, number=7, array=None):
        array = array or self.arr
        return {d: p.state for d, p in array.rdf[number].pairs.items()}

    def set_states(self, state, number=7):
        for pair in self.arr.rdf[number].pairs.values():
            pair.state = state

    def witness_group(self):
        self.arr.add_rdf_group(10, '23_24_010', REMOTE, 11,
                               ([('RF-1E', '8')], [('RF-1E', '8')]),
                               witness=True)

    def group_view(self, number=7, sid=None):
        return self.assertStatus(200, self.repl(
            'GET', '/rdf_group/%d' % number, sid=sid))


@ddt.ddt
class TogetherTest(ModesTestCase):

    @ddt.data(('Asynchronous', 'Suspend', 'Consistent'),
              ('Asynchronous', 'Split', 'Consistent'),
              ('Asynchronous', 'Failover', 'Consistent'),
              ('Asynchronous', 'Resume', 'Suspended'),
              ('Asynchronous', 'Establish', 'Suspended'),
              ('Asynchronous', 'Failback', 'Failed Over'),
              ('Asynchronous', 'Swap', 'Failed Over'),
              ('Active', 'Suspend', 'ActiveBias'),
              ('Active', 'Split', 'ActiveBias'),
              ('Active', 'Resume', 'Suspended'),
              ('Active', 'Establish', 'Suspended'))
    @ddt.unpack
    def test_a_subset_is_refused(self, mode, action, state):
        devices = self.split_group(mode)
        self.set_states(state)
        message = self.assertRefused(409, self.act(action))
        self.assertIn('RDF group 7 holds 3 devices and the storage group 2 '
                      'of them; ' + TOGETHER, message)
        self.assertRefused(409, self.act(action, sid=REMOTE), TOGETHER)
        self.assertEqual({state}, set(self.states().values()))
        mgmt = self.management_group(devices, 'Metro' if mode == 'Active'
                                     else mode)
        self.assertStatus(200, self.act(action, sg=mgmt))
        self.assertNotIn(state, set(self.states().values()))

    def test_synchronous_pairs_act_per_storage_group(self):
        devices = self.split_group('Synchronous')
        self.assertStatus(200, self.act('Suspend'))
        self.assertEqual(['Suspended', 'Suspended', 'Synchronized'],
                         [self.states()[d] for d in devices])

    def test_cons_exempt_suspends_an_async_subset(self):
        devices = self.split_group('Asynchronous')
        self.assertStatus(200, self.act('Suspend', force='true',
                                        consExempt='true'))
        self.assertEqual(['Suspended', 'Suspended', 'Consistent'],
                         [self.states()[d] for d in devices])
        # The exempt pairs leave while the rest keeps replicating.
        self.assertStatus(204, self.repl(
            'DELETE', '/storagegroup/%s/rdf_group/7' % SG,
            params={'force': 'true'}))
        self.assertEqual({devices[2]: 'Consistent'}, self.states())

    def test_cons_exempt_is_for_async_only(self):
        self.split_group('Active')
        self.assertRefused(400, self.act('Suspend', consExempt='true'),
                           'not in asynchronous mode')

    @ddt.data('Asynchronous', 'Active')
    def test_unprotect_of_an_active_subset_is_refused(self, mode):
        self.split_group(mode)
        self.assertRefused(409, self.repl(
            'DELETE', '/storagegroup/%s/rdf_group/7' % SG,
            params={'force': 'true'}), TOGETHER)
        self.assertEqual(3, len(self.arr.rdf[7].pairs))

    @ddt.data('Asynchronous', 'Active')
    def test_unprotect_of_a_suspended_subset(self, mode):
        devices = self.split_group(mode)
        self.set_states('Suspended')
        self.assertStatus(204, self.repl(
            'DELETE', '/storagegroup/%s/rdf_group/7' % SG,
            params={'force': 'true'}))
        self.assertEqual([devices[2]], sorted(self.arr.rdf[7].pairs))


@ddt.ddt
class BiasTest(ModesTestCase):

    def test_witness_group_without_bias_is_active_active(self):
        self.witness_group()
        self.protected(mode='Active', number=10)
        self.assertEqual(['ActiveActive'], self.state(number=10)['states'])
        view = self.group_view(11, sid=REMOTE)
        self.assertEqual((True, True, False, False),
                         (view['witnessConfigured'], view['witnessEffective'],
                          view['biasConfigured'], view['biasEffective']))

    def test_protect_with_bias_on_a_witness_group(self):
        self.witness_group()
        self.protected(mode='Active', number=10, metroBias='true')
        self.assertEqual(['ActiveBias'], self.state(number=10)['states'])
        self.assertEqual(['ActiveBias'],
                         self.state(number=11, sid=REMOTE)['states'])
        for number, sid in ((10, None), (11, REMOTE)):
            view = self.group_view(number, sid=sid)
            self.assertEqual((True, False, True, True),
                             (view['witnessConfigured'],
                              view['witnessEffective'],
                              view['biasConfigured'], view['biasEffective']))

    def test_pair_create_with_bias(self):
        self.witness_group()
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs(
            [device], 'Active', number=10, establish='true', bias='true'))
        self.tick()
        self.assertEqual('ActiveBias',
                         self.pair(device, number=10)['rdfpairState'])

    def test_pair_create_names_bias_not_metro_bias(self):
        # metroBias belongs to the storage-group calls; the pair create
        # takes bias, as the API describes it.
        self.witness_group()
        device = self.devices()[0]
        self.assertRefused(400, self.create_pairs(
            [device], 'Active', number=10, metroBias='true'), 'bias')
        self.assertEqual({}, self.arr.rdf[10].pairs)

    def test_establish_chooses_bias_or_witness(self):
        self.witness_group()
        self.protected(mode='Active', number=10)
        for bias, state in (('true', 'ActiveBias'),
                            ('false', 'ActiveActive')):
            self.assertStatus(200, self.act('Suspend', number=10))
            self.assertStatus(200, self.act('Establish', number=10,
                                            metroBias=bias))
            self.tick()
            self.assertEqual([state], self.state(number=10)['states'])
            self.assertEqual(bias == 'true',
                             self.group_view(10)['biasEffective'])

    def test_without_witness_bias_is_used(self):
        self.protected(mode='Active')
        self.assertStatus(200, self.act('Suspend'))
        self.assertStatus(200, self.act('Establish'))
        self.tick()
        self.assertEqual(['ActiveBias'], self.state()['states'])
        view = self.group_view()
        self.assertEqual((['Active'], True, False, 'Metro', False, True),
                         (view['modes'], view['metro'], view['async'],
                          view['type'], view['witnessConfigured'],
                          view['biasEffective']))

    def test_async_group_view(self):
        self.protected(2, mode='Asynchronous')
        view = self.group_view(sid=REMOTE)
        self.assertEqual((['Asynchronous'], False, True, 'Dynamic', False, 2),
                         (view['modes'], view['metro'], view['async'],
                          view['type'], view['biasConfigured'],
                          view['numDevices']))

    @ddt.data('Synchronous', 'Asynchronous')
    def test_bias_on_other_modes_is_refused(self, mode):
        self.create_sg(SG)
        device = self.create_volumes(SG)[0]
        self.assertRefused(400, self.protect(mode=mode, metroBias='true'),
                           'Metro')
        self.assertRefused(400, self.create_pairs([device], mode,
                                                  bias='true'), 'Metro')
        self.assertEqual(({}, {}), (self.arr.rdf[7].pairs, self.rem.volumes))

    @ddt.data(('Synchronous', 'Establish', 'Suspended'),
              ('Active', 'Suspend', 'ActiveBias'),
              ('Active', 'Resume', 'Suspended'))
    @ddt.unpack
    def test_bias_on_other_actions_is_refused(self, mode, action, state):
        self.protected(mode=mode)
        self.set_states(state)
        self.assertRefused(400, self.act(action, metroBias='true'),
                           'metroBias')
        self.assertEqual({state}, set(self.states().values()))

    def test_bias_for_a_group_using_its_witness_is_refused(self):
        self.witness_group()
        self.protected(mode='Active', number=10)
        self.assertStatus(200, self.act('Suspend', number=10))
        device = self.devices()[0]
        self.assertRefused(409, self.create_pairs(
            [device], 'Active', number=10, bias='true'), 'Establish')
        self.assertEqual(1, len(self.arr.rdf[10].pairs))


class PairCreateTest(ModesTestCase):

    def active_group(self, mode):
        first, second = self.devices(2)
        self.assertStatus(201, self.create_pairs([first], mode,
                                                 establish='true'))
        self.tick()
        return first, second

    def test_async_exempt_pair_joins_suspended(self):
        first, second = self.active_group('Asynchronous')
        self.assertStatus(201, self.create_pairs(
            [second], 'Asynchronous', invalidateR2='true', exempt='true'))
        self.tick()
        self.assertEqual({first: 'Consistent', second: 'Suspended'},
                         self.states())

    def test_async_exempt_pair_with_establish(self):
        self.fake.latency.job_duration = 1.0
        first, second = self.active_group('Asynchronous')
        self.assertStatus(201, self.create_pairs(
            [second], 'Asynchronous', invalidateR2='true', exempt='true',
            establish='true'))
        self.assertEqual('SyncInProg', self.states()[second])
        self.tick()
        self.assertEqual({first: 'Consistent', second: 'Consistent'},
                         self.states())

    def test_metro_exempt_pair_joins_suspended(self):
        first, second = self.active_group('Active')
        self.assertStatus(201, self.create_pairs([second], 'Active',
                                                 exempt='true'))
        self.tick()
        self.assertEqual({first: 'ActiveBias', second: 'Suspended'},
                         self.states())

    def test_metro_exempt_pair_cannot_establish(self):
        _first, second = self.active_group('Active')
        self.assertRefused(400, self.create_pairs(
            [second], 'Active', exempt='true', establish='true'),
            'establish all of its devices together')
        self.assertEqual(1, len(self.rem.volumes))

    def test_metro_exempt_needs_5978(self):
        self.arr.ucode = '5977.1125.1125'
        _first, second = self.active_group('Active')
        self.assertRefused(400, self.create_pairs(
            [second], 'Active', exempt='true'),
            'consistency exemption for SRDF/Metro needs PowerMaxOS 5978')
        self.assertEqual(1, len(self.rem.volumes))
        # The older way: suspend the group, then add without exemption.
        self.set_states('Suspended')
        self.assertStatus(201, self.create_pairs([second], 'Active'))


class HalfPairTest(ModesTestCase):

    def lose_link(self, mode='Synchronous'):
        device = self.protected(mode=mode)[0]
        r2 = self.partner(device)
        self.arr.rdf_link_down(7)
        return device, r2

    def delete_pair(self, device, sid=None):
        return self.repl('DELETE', '/rdf_group/7/volume/%s' % device, sid=sid)

    def test_delete_with_the_link_down_keeps_the_other_half(self):
        device, r2 = self.lose_link()
        self.assertStatus(200, self.act('Failover', sid=REMOTE))
        self.assertStatus(204, self.delete_pair(r2, sid=REMOTE))
        self.assertEqual(({}, 'TDEV', 'Ready'), (
            self.rem.rdf[7].pairs, self.volume(r2, sid=REMOTE)['type'],
            self.pair(device)['remoteVolumeState']))
        self.assertIn(r2, self.rem.volumes)
        self.assertIsNotNone(self.arr.pair_of(device))
        pair = self.pair(device)
        self.assertEqual(('Failed Over', r2),
                         (pair['rdfpairState'], pair['remoteVolumeName']))
        self.assertIn('%s: half pair of device %s in RDF group 7: its '
                      'partner %s on %s was deleted while the link was down'
                      % (self.sid, device, r2, REMOTE),
                      '\n'.join(self.fake.check()))

    def test_the_last_half_goes_with_the_link_up(self):
        device, r2 = self.lose_link('Asynchronous')
        self.assertStatus(204, self.delete_pair(r2, sid=REMOTE))
        self.rem.rdf_link_up(7)
        self.assertEqual('Partitioned', self.pair(device)['rdfpairState'])
        # The remote device is paired anew before the old half goes.
        self.assertStatus(201, self.repl('POST', '/rdf_group/7/volume', {
            'rdfMode': 'Asynchronous', 'rdfType': 'RDF1',
            'localDeviceListCriteriaParam': {
                'localDeviceList': [r2]}}, sid=REMOTE))
        new_pair = self.rem.rdf[7].pairs[r2]
        self.assertStatus(204, self.delete_pair(device))
        self.assertIs(new_pair, self.rem.rdf[7].pairs[r2])
        self.assertNotIn(device, self.arr.rdf[7].pairs)
        self.assertNotIn('half pair', '\n'.join(self.fake.check()))

    def test_both_halves_go_with_the_link_down(self):
        device, r2 = self.lose_link()
        self.assertStatus(204, self.delete_pair(device))
        self.assertStatus(204, self.delete_pair(r2, sid=REMOTE))
        self.assertEqual(({}, {}), (self.arr.rdf[7].pairs,
                                    self.rem.rdf[7].pairs))
        self.assertEqual([], self.fake.check())

    def test_active_async_pair_is_refused_online(self):
        device = self.protected(mode='Asynchronous')[0]
        self.assertRefused(409, self.delete_pair(device), 'suspend it')
        self.assertEqual(1, len(self.rem.rdf[7].pairs))


@ddt.ddt
class ManagementGroupTest(ModesTestCase):

    def problems(self):
        return '\n'.join(self.fake.check())

    @ddt.data(('Asynchronous', 'Asynchronous'), ('Active', 'Metro'))
    @ddt.unpack
    def test_a_matching_group_is_clean(self, mode, name):
        devices = self.protected(2, mode=mode)
        self.management_group(devices, name)
        partners = [self.partner(d) for d in devices]
        self.management_group(partners, name, sid=REMOTE)
        self.assertEqual([], self.fake.check())

    def test_missing_and_extra_devices(self):
        devices = self.protected(2, mode='Asynchronous')
        loose = self.devices()[0]
        name = self.management_group([devices[0], loose])
        problems = self.problems()
        what = 'RDF management storage group %s (RDF group 7)' % name
        self.assertIn('%s: %s lacks devices paired in it: %s' % (
            self.sid, what, devices[1]), problems)
        self.assertIn('%s holds devices not paired in it: %s' % (
            what, loose), problems)

    def test_an_empty_group(self):
        device = self.protected(mode='Asynchronous')[0]
        name = self.management_group([])
        problems = self.problems()
        self.assertIn('storage group %s is empty' % name, problems)
        self.assertIn('lacks devices paired in it: %s' % device, problems)

    def test_the_mode_must_match(self):
        devices = self.protected(mode='Asynchronous')
        self.management_group(devices, 'Metro')
        self.assertIn('is for Active pairs; the RDF group holds Asynchronous '
                      'pairs', self.problems())

    def test_other_labels_are_not_management_groups(self):
        device = self.devices()[0]
        self.assertStatus(201, self.call(
            'POST', '/storagegroup', {'storageGroupId':
                                      'OS-other-Metro-rdf-sg',
                                      'srpId': 'None', 'emulation': 'FBA'}))
        self.assertStatus(200, self.edit_sg('OS-other-Metro-rdf-sg', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': [device]}}}))
        self.assertEqual([], self.fake.check())

    def test_adding_a_metro_volume_the_way_clients_do(self):
        """Suspend all, pair with exemption, file it, establish all."""
        self.fake.latency.job_duration = 1.0
        first, second = self.devices(2)
        self.management_group([first], 'Metro')
        self.assertStatus(201, self.protect(
            MGMT % 'Metro', mode='Active', remote_sg=MGMT % 'Metro',
            remoteSLO='NONE', metroBias='true'))
        self.tick()
        self.assertStatus(200, self.act('Suspend', sg=MGMT % 'Metro'))
        self.assertStatus(201, self.create_pairs([second], 'Active',
                                                 exempt='true'))
        self.assertIn('lacks devices paired in it: %s' % second,
                      '\n'.join(self.fake.check()))
        for sid, device in ((None, second), (REMOTE, self.partner(second))):
            self.assertStatus(200, self.call(
                'PUT', '/storagegroup/%s' % (MGMT % 'Metro'),
                {'editStorageGroupActionParam': {'expandStorageGroupParam': {
                    'addSpecificVolumeParam': {'volumeId': [device]}}}},
                sid=sid))
        self.assertStatus(200, self.act('Establish', sg=MGMT % 'Metro',
                                        metroBias='true'))
        self.tick()
        self.assertEqual({first: 'ActiveBias', second: 'ActiveBias'},
                         self.states())
        self.assertEqual([], self.fake.check())
