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

"""The host side: initiators appear by logging in, not by being named."""

from tests.fake_unisphere import errors
from tests.unit.fake_unisphere import base

UNZONED = '10000090fadead01'


class LoginTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.device = self.unmasked_device()

    def connections(self, view):
        return self.assertStatus(200, self.call(
            'GET', '/maskingview/%s/connections' % view))[
                'maskingViewConnection']

    def test_named_but_never_logged_in(self):
        names = self.attach(self.device, hbas=(UNZONED,), log_in=False)
        detail = self.assertStatus(200, self.call('GET', '/initiator/%s' %
                                                  UNZONED))
        self.assertEqual((False, False, []), (
            detail['logged_in'], detail['on_fabric'],
            detail['symmetrixPortKey']))
        self.assertEqual(names['host'], detail['host'])
        # The view lists the host's initiator with its LUN, as no live
        # path: an iSCSI host logs in only once it has been given it.
        rows = self.connections(names['view'])
        self.assertTrue(rows)
        self.assertEqual({(UNZONED, False)},
                         {(r['initiatorId'], r['logged_in']) for r in rows})
        self.assertEqual({rows[0]['host_lun_address']},
                         {r['host_lun_address'] for r in rows})
        volume = self.assertStatus(200, self.call('GET', '/volume/%s' %
                                                  self.device))
        # Mapped on the port group's ports all the same.
        self.assertEqual(2, volume['num_of_front_end_paths'])

    def test_listed_by_bare_id_while_in_a_host(self):
        self.attach(self.device, hbas=(UNZONED,), log_in=False)
        body = self.assertStatus(200, self.call('GET', '/initiator', params={
            'initiator_hba': UNZONED, 'in_a_host': 'true'}))
        self.assertEqual([UNZONED], body['initiatorId'])

    def test_unknown_initiator_is_absent(self):
        self.assertEqual({}, self.assertStatus(200, self.call(
            'GET', '/initiator', params={'initiator_hba': UNZONED})))
        self.assertRefused(404, self.call('GET', '/initiator/%s' % UNZONED))

    def test_paths_only_on_ports_logged_in(self):
        self.fake.model.log_in(self.sid, base.WWPN_1, ['FA-1D:4'])
        names = self.attach(self.device, hbas=(base.WWPN_1, base.WWPN_2),
                            log_in=False)
        rows = self.connections(names['view'])
        self.assertEqual([(base.WWPN_1, 'FA-1D:4')], [
            (r['initiatorId'], r['dir_port']) for r in rows
            if r['logged_in']])
        self.assertEqual({base.WWPN_1, base.WWPN_2},
                         {r['initiatorId'] for r in rows})

    def test_log_out_keeps_the_record(self):
        names = self.attach(self.device, hbas=(base.WWPN_1,))
        self.fake.model.log_out(self.sid, base.WWPN_1, ['FA-1D:4'])
        rows = {r['dir_port']: r['logged_in']
                for r in self.connections(names['view'])}
        self.assertEqual({'FA-1D:4': False, 'FA-2D:4': True}, rows)
        self.fake.model.log_out(self.sid, base.WWPN_1)
        detail = self.assertStatus(200, self.call('GET', '/initiator/%s' %
                                                  base.WWPN_1))
        self.assertFalse(detail['logged_in'])
        self.assertNotIn('fcid', detail)

    def test_log_in_refuses_a_port_of_the_other_protocol(self):
        self.assertRaises(errors.ArrayError, self.fake.model.log_in, self.sid,
                          base.IQN, ['FA-1D:4'])
        self.assertNotIn(base.IQN, self.arr.initiators)

    def test_connector_logs_in_on_every_array(self):
        self.fake.model.log_in_connector({'wwpns': [base.WWPN_1],
                                          'initiator': base.IQN})
        for array in self.fake.model.arrays.values():
            self.assertTrue(array.initiators[base.WWPN_1].logged_in)
            self.assertEqual(
                sorted(p.key for d in array.directors.values()
                       for p in d.ports.values() if p.iscsi_target),
                sorted(array.initiators[base.IQN].ports))
