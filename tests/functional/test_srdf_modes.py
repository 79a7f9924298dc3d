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

"""SRDF Asynchronous and Metro replication through the Cinder API.

The Fibre Channel backend replicates in Asynchronous mode over RDF group
8, the iSCSI backend in Metro mode over RDF group 9, each to the same
target array. Replicated types are made through the API; every check
reads both arrays: the pairs and their mode, the replicated default
groups (``-RA``, ``-RM``) and the RDF group's management group, which
holds exactly the group's devices on each array and goes with the last.
"""

from tests.functional import base
from tests.functional import test_replication

TARGET = test_replication.TARGET
ASYNC_DEVICE = dict(test_replication.REP_DEVICE, mode='Asynchronous',
                    rdf_group_label='23_24_008', allow_extend='True')
METRO_DEVICE = dict(test_replication.REP_DEVICE, mode='Metro',
                    rdf_group_label='23_24_009', allow_delete_metro='True',
                    remote_port_group='OS-iscsi-PG')
#: backend: (replication device, RDF group, management group, default
#: group, the pairs' mode, their states while replicating)
MODES = {
    base.FC: (ASYNC_DEVICE, 8, 'OS-23_24_008-Asynchronous-rdf-sg',
              'OS-SRP_1-Diamond-NONE-RA-SG', 'Asynchronous',
              ('SyncInProg', 'Consistent')),
    base.ISCSI: (METRO_DEVICE, 9, 'OS-23_24_009-Metro-rdf-sg',
                 'OS-SRP_1-Diamond-NONE-RM-SG', 'Active',
                 ('SyncInProg', 'ActiveBias', 'ActiveActive')),
}


class SrdfModesTest(test_replication.ReplicatedTestCase):

    devices = {backend: [mode[0]] for backend, mode in MODES.items()}

    def create_replicated(self, type_name, size=1):
        volume = self.create_volume(size, type_name)
        self.assertEqual('enabled', volume['replication_status'])
        return volume

    def assertModePaired(self, backend, volume):
        """The volume's pair, in the backend's mode, on both arrays.

        :returns: (R1, R2)
        """
        _device, number, _sg, default_sg, mode, states = MODES[backend]
        r1 = self.device(volume)
        with self.fake.model.lock:
            pair = self.arr.rdf[number].pairs[r1]
            r2 = pair.r2_dev
            self.assertIs(pair, self.rem.rdf[number].pairs[r2])
            self.assertEqual((TARGET, mode), (pair.r2_sid, pair.mode))
            self.assertIn(pair.state, states)
            self.assertEqual('OS-' + volume['id'],
                             self.rem.volumes[r2].identifier)
            self.assertEqual(float(volume['size']),
                             self.rem.volumes[r2].cap_gb)
            self.assertEqual(float(volume['size']),
                             self.arr.volumes[r1].cap_gb)
            self.assertIn(r1, self.arr.members(default_sg))
            self.assertIn(r2, self.rem.members(default_sg))
        self.assertEqual(r2, volume['metadata']['R2-DeviceID'])
        return r1, r2

    def assertManaged(self, backend, devices):
        """The management groups hold exactly ``devices``' pairs.

        :param devices: (R1, R2) of each volume; none: the groups are gone
        """
        _device, number, management, *_rest = MODES[backend]
        with self.fake.model.lock:
            for array, side in ((self.arr, 0), (self.rem, 1)):
                wanted = sorted(d[side] for d in devices)
                self.assertEqual(wanted, sorted(array.rdf[number].pairs))
                if not wanted:
                    self.assertNotIn(management, array.storage_groups)
                    continue
                self.assertEqual(wanted,
                                 sorted(array.members(management)))

    def test_async_create_extend_delete(self):
        self.volume_type('async', base.FC, replication_enabled='<is> True')
        first = self.create_replicated('async')
        second = self.create_replicated('async', size=2)
        pairs = [self.assertModePaired(base.FC, v) for v in (first, second)]
        self.assertEqual('Asynchronous', first['metadata']['ReplicationMode'])
        self.assertManaged(base.FC, pairs)

        self.action(first['id'], 'os-extend', {'new_size': 3})
        first = self.wait_volume(first['id'], ('extending',), 'available')
        self.assertEqual(3, first['size'])
        self.assertEqual(pairs[0], self.assertModePaired(base.FC, first))
        self.assertManaged(base.FC, pairs)

        # The pair that stays keeps replicating.
        self.delete_volume(first['id'])
        self.assertEqual(pairs[1], self.assertModePaired(base.FC, second))
        self.assertManaged(base.FC, pairs[1:])
        self.delete_volume(second['id'])
        self.assertManaged(base.FC, ())
        self.assertArrayClean()

    def test_metro_create_delete(self):
        self.volume_type('metro', base.ISCSI,
                         replication_enabled='<is> True')
        volumes = [self.create_replicated('metro')
                   for _ in range(2)]
        pairs = [self.assertModePaired(base.ISCSI, v) for v in volumes]
        self.assertEqual('Metro', volumes[0]['metadata']['ReplicationMode'])
        self.assertManaged(base.ISCSI, pairs)

        # The group was suspended whole for the delete, then established.
        self.delete_volume(volumes[0]['id'])
        self.assertEqual(pairs[1],
                         self.assertModePaired(base.ISCSI, volumes[1]))
        self.assertManaged(base.ISCSI, pairs[1:])
        self.delete_volume(volumes[1]['id'])
        self.assertManaged(base.ISCSI, ())
        self.assertArrayClean()
