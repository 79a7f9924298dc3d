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

"""The leak and invariant checker of the fixture."""

from tests.unit.fake_unisphere import base


class CheckTest(base.FakeTestCase):

    def test_fresh_fake_is_clean(self):
        self.assertEqual([], self.fake.check())
        self.fake.assert_clean(self.fake.snapshot())

    def test_empty_openstack_group(self):
        self.create_sg('OS-empty-SG')
        self.create_sg('not-openstack', slo=None)
        problems = self.fake.check()
        self.assertEqual(1, len(problems))
        self.assertIn('storage group OS-empty-SG is empty', problems[0])
        self.assertRaises(AssertionError, self.fake.assert_clean)

    def test_volume_in_no_group(self):
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        self.assertEqual(['%s: volume %s is in no storage group' % (
            self.sid, device)], self.fake.check())

    def test_view_without_volumes_and_lonely_host(self):
        self.create_sg('parent', slo=None)
        self.create_host('OS-h-F-IG', [base.WWPN_1])
        self.create_host('OS-lonely-F-IG', [base.WWPN_2])
        self.create_view('MV', 'OS-h-F-IG', 'OS-fibre-PG', 'parent')
        problems = '\n'.join(self.fake.check())
        self.assertIn('masking view MV exposes no volume', problems)
        self.assertIn('host OS-lonely-F-IG is in no masking view', problems)
        self.assertNotIn('OS-h-F-IG', problems)

    def test_unfinished_job(self):
        self.fake.latency.job_duration = 3600
        self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'None',
            'executionOption': 'ASYNCHRONOUS'})
        self.assertIn('is still CREATED', self.fake.check()[0])

    def test_baseline_diff(self):
        self.create_sg('SG1')
        self.create_sg('SG2')
        keep = self.create_volumes('SG1')[0]
        baseline = self.fake.snapshot()
        self.assertEqual([], self.fake.check(baseline))
        self.create_volumes('SG1')
        self.edit_sg('SG2', {'renameStorageGroupParam': {
            'new_storage_Group_name': 'SG3'}})
        self.create_host('H1', [])
        problems = self.fake.check(baseline)
        self.assertEqual([
            '%s: new host H1' % self.sid,
            '%s: new storage group SG3' % self.sid,
            '%s: storage group SG2 is gone' % self.sid,
            '%s: new volume 00002' % self.sid], problems)
        self.assertIn(keep, self.arr.volumes)
        error = self.assertRaises(AssertionError, self.fake.assert_clean,
                                  baseline)
        self.assertIn('new host H1', str(error))
