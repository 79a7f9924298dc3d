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

"""An SRDF/Metro volume attached through the Cinder API.

The FC backend replicates in Metro mode over RDF group 9; a volume of its
replicated type is attached with ``os-initialize_connection``: the host
must be given the ports of both arrays and each array must mask its own
device of the pair; the detach unmasks both.
"""

from tests.functional import base
from tests.functional import test_attach
from tests.functional import test_replication

TARGET = test_replication.TARGET
RM_SG = 'OS-SRP_1-Diamond-NONE-RM-SG'
MANAGEMENT = 'OS-23_24_009-Metro-rdf-sg'
METRO_DEVICE = dict(test_replication.REP_DEVICE, mode='Metro',
                    rdf_group_label='23_24_009',
                    allow_delete_metro='True')
VIEW = 'OS-compute-1-F-OS-fibre-PG-MV'


class MetroAttachTest(test_replication.ReplicatedTestCase):

    devices = {base.FC: [METRO_DEVICE]}

    def wwns(self, array):
        group = array.port_groups['OS-fibre-PG']
        return sorted(array.port(d, p).identifier.lower()
                      for d, p in group.ports)

    def test_metro_volume_is_served_by_both_arrays(self):
        self.volume_type('metro', replication_enabled='<is> True')
        volume = self.create_volume(1, 'metro')
        self.assertEqual('enabled', volume['replication_status'])
        r1 = self.device(volume)
        with self.fake.model.lock:
            pair = self.arr.rdf[9].pairs[r1]
            r2 = pair.r2_dev
            self.assertEqual((TARGET, 'Active'), (pair.r2_sid, pair.mode))
            self.assertIn(r1, self.arr.members(RM_SG))
            self.assertIn(r2, self.rem.members(RM_SG))
            self.assertEqual([r1], self.arr.members(MANAGEMENT))
            self.assertEqual([r2], self.rem.members(MANAGEMENT))

        info, attached = self.attach(volume['id'], test_attach.FC_CONNECTOR)
        data = info['data']
        with self.fake.model.lock:
            both = sorted(self.wwns(self.arr) + self.wwns(self.rem))
            for array, device in ((self.arr, r1), (self.rem, r2)):
                self.assertEqual([VIEW], array.views_of_device(device),
                                 array.sid)
            luns = {w: self.arr.masking_views[VIEW].luns[r1]
                    for w in self.wwns(self.arr)}
            luns.update({w: self.rem.masking_views[VIEW].luns[r2]
                         for w in self.wwns(self.rem)})
        self.assertEqual(both, sorted(data['target_wwn']))
        for initiator in test_attach.FC_CONNECTOR['wwpns']:
            self.assertEqual(both, sorted(
                data['initiator_target_map'][initiator]))
        self.assertEqual(luns, dict(zip(data['target_wwns'],
                                        data['target_luns'])))

        self.detach(attached)
        with self.fake.model.lock:
            self.assertEqual([], self.arr.views_of_device(r1))
            self.assertEqual([], self.rem.views_of_device(r2))
            self.assertNotIn(VIEW, self.arr.masking_views)
            self.assertNotIn(VIEW, self.rem.masking_views)
            self.assertIn(r1, self.arr.members(RM_SG))
            self.assertIn(r2, self.rem.members(RM_SG))
        self.delete_volume(volume['id'])
        with self.fake.model.lock:
            self.assertEqual({}, self.arr.rdf[9].pairs)
            self.assertEqual({}, self.rem.rdf[9].pairs)
        self.assertArrayClean()
