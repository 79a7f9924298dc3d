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

"""Data identity: what each device presents, and how the array moves it.

A token stands for a device's data; the test-only route writes and reads
it. SnapVX captures it, a link and a restore present it, an unlink before
the copy finished leaves part of it; an SRDF pair carries it to the R2 at
once (Synchronous, Metro) or by the group's lag (Asynchronous), a
failover presents the R2's and a failback brings it back to the R1.
"""

from tests.fake_unisphere import snapvx
from tests.unit.fake_unisphere import srdf_base

REMOTE = srdf_base.REMOTE
SG = srdf_base.SG


class ContentTestCase(srdf_base.SRDFTestCase):

    def route(self, method, sid, device, token=None):
        """The test-only route, as an out-of-process test would use it."""
        return self.session.request(
            method, '%s/univmax/restapi/fake/symmetrix/%s/volume/%s/'
            'content' % (self.fake.base_urls[0], sid, device),
            json=None if token is None else {'content': token})


class SnapVXContentTest(ContentTestCase):

    def setUp(self):
        super().setUp()
        self.create_sg('SG1')
        self.source, self.target = self.create_volumes('SG1', count=2)

    def test_new_devices_are_blank_and_take_writes(self):
        self.assertEqual('', self.fake.content(self.sid, self.source))
        self.assertStatus(200, self.route('PUT', self.sid, self.source, 'A'))
        self.assertEqual({'content': 'A'}, self.assertStatus(
            200, self.route('GET', self.sid, self.source)))
        self.assertEqual('', self.fake.content(self.sid, self.target))
        self.assertRefused(404, self.route('GET', self.sid, 'FFFFF'))

    def test_snapshot_link_restore(self):
        self.fake.write(self.sid, self.source, 'A')
        with self.fake.model.lock:
            self.arr.create_snapshot('s1', [self.source], self.now[0])
        self.fake.write(self.sid, self.source, 'B')
        with self.fake.model.lock:
            self.arr.link_snapshot('s1', [(self.source, self.target)],
                                   self.now[0], 5.0, copy=True)
        # Presented at once, whatever the copy's progress.
        self.assertEqual('A', self.fake.content(self.sid, self.target))
        self.tick(10)
        with self.fake.model.lock:
            self.arr.unlink_snapshot('s1', [(self.source, self.target)])
            self.arr.restore_snapshot('s1', [self.source], self.now[0], 0)
        self.assertEqual(('A', 'A'), (
            self.fake.content(self.sid, self.target),
            self.fake.content(self.sid, self.source)))

    def test_unlink_before_the_copy_leaves_part_of_it(self):
        self.fake.write(self.sid, self.source, 'A')
        with self.fake.model.lock:
            self.arr.create_snapshot('s1', [self.source], self.now[0])
            self.arr.link_snapshot('s1', [(self.source, self.target)],
                                   self.now[0], 5.0, copy=True)
            self.arr.unlink_snapshot('s1', [(self.source, self.target)])
        self.assertEqual(snapvx.torn('A'),
                         self.fake.content(self.sid, self.target))


class SRDFContentTest(ContentTestCase):

    def pair_up(self, mode):
        self.protected(mode=mode)
        device = self.arr.members(SG)[0]
        return device, self.partner(device)

    def test_synchronous_carries_writes_at_once(self):
        device, r2 = self.pair_up('Synchronous')
        self.fake.write(self.sid, device, 'A')
        self.assertEqual('A', self.fake.content(REMOTE, r2))
        # The R2 is Write Disabled until a failover.
        self.assertRefused(409, self.route('PUT', REMOTE, r2, 'X'),
                           'Write Disabled')
        self.assertStatus(200, self.act('Failover'))
        self.fake.write(REMOTE, r2, 'B')
        self.assertRefused(409, self.route('PUT', self.sid, device, 'X'),
                           'Write Disabled')
        self.assertEqual('A', self.fake.content(self.sid, device))
        self.assertStatus(200, self.act('Failback'))
        self.tick()
        self.assertEqual(('B', 'B'), (self.fake.content(self.sid, device),
                                      self.fake.content(REMOTE, r2)))

    def test_asynchronous_trails_by_the_lag(self):
        device, r2 = self.pair_up('Asynchronous')
        self.fake.set_rdf_lag(self.sid, 7, 30)
        self.fake.write(self.sid, device, 'A')
        self.tick(10)
        self.assertEqual('', self.fake.content(REMOTE, r2))
        self.tick(30)
        self.assertEqual('A', self.fake.content(REMOTE, r2))
        # A failover inside the lag presents what had arrived.
        self.fake.write(self.sid, device, 'B')
        self.assertStatus(200, self.act('Failover'))
        self.tick(60)
        self.assertEqual('A', self.fake.content(REMOTE, r2))

    def test_suspended_pairs_carry_nothing(self):
        device, r2 = self.pair_up('Synchronous')
        self.fake.write(self.sid, device, 'A')
        self.assertStatus(200, self.act('Suspend'))
        self.fake.write(self.sid, device, 'B')
        self.assertEqual('A', self.fake.content(REMOTE, r2))
        self.assertStatus(200, self.act('Resume'))
        self.tick()
        self.assertEqual('B', self.fake.content(REMOTE, r2))

    def test_metro_writes_either_side(self):
        self.protected(mode='Active', metroBias='true')
        device = self.arr.members(SG)[0]
        r2 = self.partner(device)
        self.fake.write(REMOTE, r2, 'A')
        self.assertEqual('A', self.fake.content(self.sid, device))
        self.fake.write(self.sid, device, 'B')
        self.assertEqual('B', self.fake.content(REMOTE, r2))
