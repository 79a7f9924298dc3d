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

"""Replicated volumes made at array scale, as Cinder leaves them."""

from tests.fake_unisphere import data
from tests.fake_unisphere import populate_srdf
from tests.unit.fake_unisphere import base

GROUP = 'OS-SRP_1-Diamond-NONE-RE-SG'


class PopulatePairsTest(base.FakeTestCase):

    def test_pairs_as_cinder_leaves_them(self):
        remote = self.fake.model.arrays[data.POWERMAX_8000_R]
        names = ['OS-vol-%04d' % n for n in range(300)]
        pairs = populate_srdf.populate_pairs(self.fake.model, self.sid, 7,
                                             names)
        self.assertEqual(300, len(pairs))
        for name, (r1, r2) in zip(names, pairs):
            self.assertEqual(name, self.arr.volumes[r1].identifier)
            self.assertEqual(name, remote.volumes[r2].identifier)
            pair = self.arr.rdf[7].pairs[r1]
            self.assertIs(pair, remote.rdf[7].pairs[r2])
            self.assertEqual('Synchronized', pair.state)
        self.assertEqual([r1 for r1, _r2 in pairs],
                         self.arr.storage_groups[GROUP].volumes)
        self.assertEqual([r2 for _r1, r2 in pairs],
                         remote.storage_groups[GROUP].volumes)
        self.assertEqual('Diamond', remote.storage_groups[GROUP].slo)
        # Unisphere shows them as the R1s of SRDF pairs.
        detail = self.assertStatus(200, self.call(
            'GET', '/volume/%s' % pairs[0][0]))
        self.assertEqual('RDF1+TDEV', detail['type'])
        self.assertEqual([], self.fake.check())
