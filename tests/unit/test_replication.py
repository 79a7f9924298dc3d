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

"""SRDF replication, Synchronous mode, against both arrays of the fake."""

import ast

from tests.fake_unisphere import data
from tests.unit import base

TARGET = data.POWERMAX_8000_R
RE_SG = 'OS-SRP_1-Diamond-NONE-RE-SG'
PLAIN_SG = 'OS-SRP_1-Diamond-NONE-SG'
LABEL = '23_24_007'


def rep_device(**changes):
    device = {'target_device_id': TARGET, 'remote_port_group': 'OS-fibre-PG',
              'remote_pool': 'SRP_1', 'rdf_group_label': LABEL}
    device.update(changes)
    return device


class ReplicationTestCase(base.DriverTestCase):
    """A backend with one Synchronous replication device."""

    rep = rep_device()

    def settings(self):
        values = super().settings()
        if self.rep is not None:
            values['replication_device'] = [self.rep]
        return values

    @property
    def rem(self):
        return self.fake.model.arrays[TARGET]

    def rep_type(self, **extra):
        specs = {'replication_enabled': '<is> True'}
        specs.update(extra)
        return self.volume_type(specs)

    def create_rep(self, size=1, **fields):
        return self.create(size, self.rep_type(), **fields)

    def r2_of(self, volume):
        return ast.literal_eval(volume.replication_driver_data)['device_id']

    def assertPaired(self, volume):
        """R1 on the primary, R2 on the target, synchronised, named."""
        r1, r2 = self.device_of(volume), self.r2_of(volume)
        pair = self.arr.rdf[7].pairs[r1]
        self.assertEqual((self.array, r1, TARGET, r2),
                         (pair.r1_sid, pair.r1_dev, pair.r2_sid, pair.r2_dev))
        self.assertIs(pair, self.rem.rdf[7].pairs[r2])
        self.assertEqual('Synchronous', pair.mode)
        ident = 'OS-' + volume.id
        self.assertEqual(ident, self.arr.volumes[r1].identifier)
        self.assertEqual(ident, self.rem.volumes[r2].identifier)
        self.assertIn(r1, self.arr.members(RE_SG))
        self.assertIn(r2, self.rem.members(RE_SG))
        self.assertEqual(self.arr.volumes[r1].cap_cyl,
                         self.rem.volumes[r2].cap_cyl)
        return r1, r2


class CreateDeleteTest(ReplicationTestCase):

    def test_first_and_later_volumes(self):
        first = self.create_rep()
        self.assertEqual('enabled', first.replication_status)
        self.assertEqual({'device_id': self.r2_of(first), 'array': TARGET},
                         ast.literal_eval(first.replication_driver_data))
        self.assertPaired(first)
        before = len(self.fake.requests)
        second = self.create_rep(2)
        self.assertPaired(second)
        puts = [r for r in self.fake.requests[before:]
                if r.method in ('PUT', 'POST', 'DELETE')]
        # One storage-group edit makes the R1 and its R2; one rename.
        self.assertEqual(2, len(puts), [r.path for r in puts])
        for volume in (second, first):
            self.driver.delete_volume(volume)
        self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertEqual({}, self.rem.rdf[7].pairs)
        self.assertNotIn(RE_SG, self.arr.storage_groups)
        self.assertNotIn(RE_SG, self.rem.storage_groups)
        self.assertClean()
