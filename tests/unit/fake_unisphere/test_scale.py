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

"""An array at production size: populated, consistent, its lists right.

Speed is the benchmark's business; this checks that the populated array
obeys the rules and that the one-pass list code answers what the
per-object code answers.
"""

from tests.unit.fake_unisphere import base


class PopulateTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.counts = self.fake.populate(self.sid, devices=10000,
                                         hosts=1000)

    def test_counts_and_leak_check(self):
        self.assertEqual({'devices': 10000, 'hosts': 1000, 'views': 1000,
                          'storage_groups': 2002}, self.counts)
        self.assertEqual(10000, len(self.arr.volumes))
        self.assertEqual([], self.fake.check())
        self.assertLessEqual(max(len(g.volumes) for g in
                                 self.arr.storage_groups.values()), 4096)

    def test_hosts_are_attached_and_logged_in(self):
        view = self.arr.masking_views['OS-pop00999-F-OS-fibre-PG-MV']
        self.assertEqual([1, 2, 3, 4, 5], sorted(view.luns.values()))
        rows = self.call('GET', '/maskingview/%s/connections' % view.name,
                         params={'volume_id': min(view.luns)}).json()
        self.assertEqual(4, len(rows['maskingViewConnection']))
        self.assertTrue(all(r['logged_in']
                            for r in rows['maskingViewConnection']))

    def test_child_filter_matches_per_group_answer(self):
        device = sorted(self.arr.masking_views[
            'OS-pop00007-F-OS-fibre-PG-MV'].luns)[0]
        body = self.call('GET', '/storagegroup', params={
            'child': 'true', 'volumeId': device}).json()
        self.assertEqual(['OS-pop00007-SRP_1-DiamondNONE-OS-fibre-PG'],
                         body['storageGroupId'])
        children = self.call('GET', '/storagegroup', params={
            'child': 'true'}).json()['storageGroupId']
        self.assertEqual(sorted(c for g in self.arr.storage_groups.values()
                                for c in g.children), sorted(children))

    def test_private_list_matches_single_answers(self):
        self.fake.model.page_size = 10000
        body = self.call('GET', '/volume', api='100',
                         category='sloprovisioning').json()
        self.assertEqual(10000, body['count'])
        detail = self.session.get(self.root(
            '/private/100/sloprovisioning/symmetrix/%s/volume' % self.sid)
        ).json()['resultList']['result']
        for entry in (detail[0], detail[-1]):
            header = entry['volumeHeader']
            device = header['volumeId']
            self.assertEqual(
                (self.arr.groups_of(device),
                 len(self.arr.views_of_device(device))),
                (header['storageGroup'], header['numSymDevMaskingViews']))

    def test_default_group_is_full(self):
        self.assertEqual(4096, len(self.arr.storage_groups[
            'OS-SRP_1-Diamond-NONE-SG'].volumes))
        self.assertRefused(400, self.edit_sg('OS-SRP_1-Diamond-NONE-SG',
                                             self.add_volume_body()),
                           'maximum allowed devices')
