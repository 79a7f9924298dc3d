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

"""SRDF replication through the Cinder API: a replicated type, attach,
``cinder failover-host`` and the failback, checked in Cinder and on both
arrays.
"""

import ast
import time

from cinder import context
from cinder import objects

from tests.fake_unisphere import data
from tests.functional import base
from tests.functional import test_attach

TARGET = data.POWERMAX_8000_R
RE_SG = 'OS-SRP_1-Diamond-NONE-RE-SG'
REP_DEVICE = {'target_device_id': TARGET,
              'remote_port_group': 'OS-fibre-PG', 'remote_pool': 'SRP_1',
              'rdf_group_label': '23_24_007'}
FC_HOST = '%s@%s' % (base.HOST, base.FC)


class ReplicatedTestCase(base.FunctionalTestCase):
    """Backends with replication devices towards the partner array.

    :attr:`devices` maps a backend to its ``replication_device`` values.
    """

    devices = {base.FC: [REP_DEVICE]}
    attach = test_attach.AttachTest.attach
    detach = test_attach.AttachTest.detach

    def _get_flags(self):
        flags = super()._get_flags()
        for backend, devices in self.devices.items():
            flags['%s.replication_device' % backend] = {'v': devices,
                                                        'g': backend}
        return flags

    @property
    def rem(self):
        return self.fake.model.arrays[TARGET]


class ReplicationTest(ReplicatedTestCase):

    def service(self):
        services = self.api.api_get('/os-services?binary=cinder-volume')
        return [s for s in services['services'] if s['host'] == FC_HOST][0]

    def failover(self, backend_id, expected):
        self.api.api_put('/os-services/failover_host', {
            'host': FC_HOST, 'backend_id': backend_id},
            check_response_status=[202])
        deadline = time.time() + base.TIMEOUT
        while self.service()['replication_status'] != expected:
            self.assertLess(time.time(), deadline, self.service())
            time.sleep(0.1)

    def pair(self, volume):
        r1 = self.device(volume)
        with self.fake.model.lock:
            return self.arr.rdf[7].pairs[r1]

    def test_replicated_volume_fails_over_and_back(self):
        self.assertEqual('enabled', self.service()['replication_status'])
        caps = [p['capabilities'] for p in self.get_pools()
                if p['name'].startswith(FC_HOST + '#')]
        self.assertTrue(all(c['replication_enabled'] for c in caps))
        self.volume_type('rep', replication_enabled='<is> True')
        volume = self.create_volume(1, 'rep')
        self.assertEqual('enabled', volume['replication_status'])
        pair = self.pair(volume)
        self.assertEqual((TARGET, 'Synchronous'), (pair.r2_sid, pair.mode))
        with self.fake.model.lock:
            self.assertIn(pair.r1_dev, self.arr.members(RE_SG))
            self.assertIn(pair.r2_dev, self.rem.members(RE_SG))
            self.assertEqual('OS-' + volume['id'],
                             self.rem.volumes[pair.r2_dev].identifier)
        self.assertEqual(pair.r2_dev, volume['metadata']['R2-DeviceID'])
        self.fake.write(base.ARRAY, pair.r1_dev, 'written-on-r1')
        # Synchronous: the R2 holds every write at once.
        self.assertEqual('written-on-r1', self.fake.content(TARGET,
                                                            pair.r2_dev))
        info, attached = self.attach(volume['id'], test_attach.FC_CONNECTOR)
        self.assertEqual([(base.ARRAY, pair.r1_dev)], self.fake.presented(
            info['data'], test_attach.FC_CONNECTOR))
        self.detach(attached)

        self.failover(None, 'failed-over')
        volume = self.wait_volume(volume['id'], ())
        self.assertEqual('failed-over', volume['replication_status'])
        self.assertEqual('Failed Over', pair.state)
        ctxt_volume = self.db_volume(volume['id'])
        self.assertEqual({'device_id': pair.r2_dev, 'array': TARGET},
                         ast.literal_eval(ctxt_volume.provider_location))
        # The volume attaches from the target array now: the host gets
        # the R2, holding the volume's data, and writes there.
        info, attached = self.attach(volume['id'], test_attach.FC_CONNECTOR)
        self.assertEqual([(TARGET, pair.r2_dev)], self.fake.presented(
            info['data'], test_attach.FC_CONNECTOR))
        self.assertEqual('written-on-r1', self.fake.content(TARGET,
                                                            pair.r2_dev))
        self.fake.write(TARGET, pair.r2_dev, 'written-on-r2')
        self.detach(attached)

        self.failover('default', 'enabled')
        volume = self.wait_volume(volume['id'], ())
        self.assertEqual('enabled', volume['replication_status'])
        self.assertIn(pair.state, ('SyncInProg', 'Synchronized'))
        # Failback brought the R2's writes home.
        self.assertEqual('written-on-r2', self.fake.content(base.ARRAY,
                                                            pair.r1_dev))
        info, attached = self.attach(volume['id'], test_attach.FC_CONNECTOR)
        self.assertEqual([(base.ARRAY, pair.r1_dev)], self.fake.presented(
            info['data'], test_attach.FC_CONNECTOR))
        self.detach(attached)
        self.delete_volume(volume['id'])
        with self.fake.model.lock:
            self.assertEqual({}, self.arr.rdf[7].pairs)
            self.assertEqual({}, self.rem.rdf[7].pairs)
        self.assertArrayClean()

    def db_volume(self, volume_id):
        return objects.Volume.get_by_id(context.get_admin_context(),
                                        volume_id)
