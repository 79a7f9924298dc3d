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

"""Volumes in protected storage groups, unprotect and SRDF debris.

Reference 9.3 (``remoteSymmSGInfoParam``), 15.3 (DELETE with ``force``)
and 15.4.
"""

import ddt

from tests.unit.fake_unisphere import srdf_base

REMOTE, SG = srdf_base.REMOTE, srdf_base.SG


@ddt.ddt
class RemoteInfoTest(srdf_base.SRDFTestCase):

    def add_body(self, force='false', **info):
        body = self.add_volume_body(name='OS-new')
        body['expandStorageGroupParam']['addVolumeParam'].update(
            create_new_volumes='True',
            remoteSymmSGInfoParam=dict(self.remote_info(force=force),
                                       **info))
        return body

    def test_add_volume_creates_and_pairs_the_r2(self):
        first = self.protected()[0]
        self.assertStatus(200, self.edit_sg(SG, self.add_body()))
        new = sorted(set(self.arr.storage_groups[SG].volumes) - {first})[0]
        r2 = self.partner(new)
        self.assertEqual(sorted([self.partner(first), r2]),
                         sorted(self.rem.storage_groups[SG].volumes))
        self.assertEqual(self.arr.volumes[new].cap_cyl,
                         self.rem.volumes[r2].cap_cyl)
        self.tick()
        self.assertEqual(['Synchronized'], self.state()['states'])
        self.assertEqual([], self.fake.check())

    def test_add_volume_asynchronously(self):
        self.protected()
        self.fake.latency.job_duration = 1.0
        response = self.edit_sg(SG, self.add_body(), asynchronous=True)
        self.assertEqual(1, len(self.rem.volumes))  # not yet
        self.now[0] += 1
        job = self.run_job(response)
        self.assertEqual('SUCCEEDED', job['status'], job['result'])
        self.assertEqual(2, len(self.rem.storage_groups[SG].volumes))
        self.assertTrue(any('Creating new Volumes' in t['description']
                            for t in job['task']))

    def test_add_specific_volume(self):
        self.protected()
        loose = self.devices()
        self.assertStatus(200, self.edit_sg('SG1', {'removeVolumeParam': {
            'volumeId': loose}}))
        self.assertStatus(200, self.edit_sg(SG, {'expandStorageGroupParam': {
            'addSpecificVolumeParam': {
                'volumeId': loose,
                'remoteSymmSGInfoParam': self.remote_info()}}}))
        self.assertIn(self.partner(loose[0]),
                      self.rem.storage_groups[SG].volumes)

    def test_add_specific_paired_volume_files_its_partner(self):
        first, second = self.protected(2)
        partners = [self.partner(first), self.partner(second)]
        for sid, device in ((self.sid, first), (REMOTE, partners[0])):
            self.assertStatus(201, self.call('POST', '/storagegroup', {
                'storageGroupId': 'MGMT', 'srpId': 'None',
                'emulation': 'FBA'}, sid=sid))
            self.assertStatus(200, self.call('PUT', '/storagegroup/MGMT', {
                'editStorageGroupActionParam': {'expandStorageGroupParam': {
                    'addSpecificVolumeParam': {'volumeId': [device]}}}},
                sid=sid))
        before = (set(self.arr.volumes), set(self.rem.volumes))
        self.assertStatus(200, self.edit_sg('MGMT', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': [second],
                'remoteSymmSGInfoParam': self.remote_info(['MGMT'])}}}))
        self.assertEqual(partners, self.rem.storage_groups['MGMT'].volumes)
        self.assertEqual(before, (set(self.arr.volumes),
                                  set(self.rem.volumes)))
        self.assertEqual(2, len(self.arr.rdf[7].pairs))

    def test_add_specific_paired_volume_changes_nothing(self):
        self.protected()
        other = self.devices()
        self.assertStatus(201, self.create_pairs(other, number=8))
        self.assertStatus(200, self.edit_sg('SG1', {'removeVolumeParam': {
            'volumeId': other}}))
        self.assertRefused(409, self.edit_sg(SG, {'expandStorageGroupParam': {
            'addSpecificVolumeParam': {
                'volumeId': other,
                'remoteSymmSGInfoParam': self.remote_info()}}}))
        self.assertNotIn(other[0], self.arr.storage_groups[SG].volumes)

    def test_remove_volume_takes_the_r2_out_and_deletes_the_pair(self):
        first, second = self.protected(2)
        r2 = self.partner(second)
        self.assertStatus(200, self.edit_sg(SG, {'removeVolumeParam': {
            'volumeId': [second],
            'remoteSymmSGInfoParam': self.remote_info()}}))
        self.assertNotIn(second, self.arr.storage_groups[SG].volumes)
        self.assertEqual([self.partner(first)],
                         self.rem.storage_groups[SG].volumes)
        # Both devices stay, unpaired, for the client to delete.
        self.assertNotIn(second, self.arr.rdf[7].pairs)
        self.assertNotIn(r2, self.rem.rdf[7].pairs)
        self.assertIn(second, self.arr.volumes)
        self.assertIn(r2, self.rem.volumes)
        self.assertIn(first, self.arr.rdf[7].pairs)
        for sid, device in ((None, second), (REMOTE, r2)):
            self.assertStatus(204, self.call('DELETE', '/volume/%s' % device,
                                             sid=sid))
        self.assertEqual([], self.fake.check())

    def test_remove_with_the_link_down_is_refused(self):
        _first, second = self.protected(2)
        self.fake.model.set_rdf_link(self.sid, 7, False)
        self.assertRefused(500, self.edit_sg(SG, {'removeVolumeParam': {
            'volumeId': [second],
            'remoteSymmSGInfoParam': self.remote_info()}}))
        self.assertIn(second, self.arr.storage_groups[SG].volumes)
        self.assertIn(second, self.arr.rdf[7].pairs)

    def test_force_alone_changes_nothing(self):
        self.create_sg('SG1')
        body = self.add_volume_body()
        body['expandStorageGroupParam']['addVolumeParam'][
            'remoteSymmSGInfoParam'] = {'force': 'true'}
        self.assertStatus(200, self.edit_sg('SG1', body))
        self.assertEqual({}, self.rem.volumes)

    @ddt.data(({'remote_symmetrix_1_sgs': ['nope']}, 404),
              ({'remote_symmetrix_1_id': '000197000456'}, 400),
              ({'remote_symmetrix_1_id': '000197000999'}, 404),
              ({'remote_symmetrix_2_id': REMOTE}, 400),
              ({'remote_symmetrix_1_sgs': [SG, SG]}, 400))
    @ddt.unpack
    def test_refusals(self, info, status):
        self.protected()
        before = (set(self.arr.volumes), set(self.rem.volumes))
        self.assertRefused(status, self.edit_sg(SG, self.add_body(**info)))
        self.assertEqual(before, (set(self.arr.volumes),
                                  set(self.rem.volumes)))

    def test_unprotected_group_is_refused(self):
        self.create_sg('SG1')
        body = self.add_body()
        self.assertRefused(400, self.edit_sg('SG1', body), 'not SRDF')
        self.assertEqual(({}, {}), (self.arr.volumes, self.rem.volumes))

    @ddt.data('Asynchronous', 'Active')
    def test_active_async_and_metro_need_force(self, mode):
        self.protected(mode=mode)
        self.assertRefused(409, self.edit_sg(SG, self.add_body()), 'force')
        self.assertStatus(200, self.edit_sg(SG, self.add_body(force='true')))
        self.assertEqual(2, len(self.rem.storage_groups[SG].volumes))

    def test_link_down_is_refused(self):
        self.protected()
        self.arr.rdf_link_down(7)
        self.assertRefused(500, self.edit_sg(SG, self.add_body()))
        self.assertEqual(1, len(self.arr.volumes))


@ddt.ddt
class UnprotectTest(srdf_base.SRDFTestCase):

    def delete(self, **params):
        return self.repl('DELETE', '/storagegroup/%s/rdf_group/7' % SG,
                         params=params)

    def test_force_deletes_active_sync_pairs(self):
        device = self.protected()[0]
        r2 = self.partner(device)
        self.assertRefused(409, self.delete(), 'force')
        self.assertStatus(204, self.delete(force='true'))
        self.assertEqual(({}, {}), (self.arr.rdf[7].pairs,
                                    self.rem.rdf[7].pairs))
        self.assertEqual([r2], self.rem.storage_groups[SG].volumes)
        self.assertEqual('TDEV', self.volume(r2, sid=REMOTE)['type'])

    def test_suspended_sync_pairs_need_no_force(self):
        self.protected()
        self.assertStatus(200, self.act('Suspend'))
        self.assertStatus(204, self.delete())

    @ddt.data('Asynchronous', 'Active')
    def test_async_and_metro_must_be_suspended(self, mode):
        self.protected(mode=mode)
        self.assertRefused(409, self.delete(force='true'), 'suspend')
        self.assertStatus(200, self.act('Suspend', force='true'))
        self.assertStatus(204, self.delete(force='true'))

    @ddt.data('keepR1', 'keepR2', 'star', 'bypass')
    def test_unmodelled_options(self, option):
        self.protected()
        self.assertRefused(400, self.delete(force='true', **{option: 'true'}))
        self.assertEqual(1, len(self.arr.rdf[7].pairs))


class DebrisTest(srdf_base.SRDFTestCase):

    def test_full_teardown_is_clean(self):
        baseline = self.fake.snapshot()
        self.protected(2)
        self.assertIn('%s: new rdf pair' % self.sid,
                      '\n'.join(self.fake.check(baseline)))
        self.teardown_pairs()
        self.assertEqual([], self.fake.check(baseline))

    def test_missing_device_and_r2_without_r1(self):
        device = self.protected()[0]
        r2 = self.partner(device)
        self.arr.storage_groups[SG].volumes.remove(device)
        del self.arr.volumes[device]  # what no API call can do
        problems = '\n'.join(self.fake.check())
        self.assertIn('%s: pair' % self.sid, problems)
        self.assertIn('device %s is gone' % device, problems)
        self.assertIn('R2 %s is left without its R1 %s' % (r2, device),
                      problems)

    def test_pair_known_to_one_side(self):
        device = self.protected()[0]
        self.rem.rdf[7].pairs.clear()
        self.assertIn('is unknown to %s' % REMOTE,
                      '\n'.join(self.fake.check()))
        self.assertIsNotNone(device)

    def test_r2_left_in_no_group(self):
        device = self.devices()[0]
        self.assertStatus(201, self.create_pairs([device]))
        self.assertIn('%s: volume %s is in no storage group' % (
            REMOTE, self.partner(device)), '\n'.join(self.fake.check()))


class AtomicityTest(srdf_base.SRDFTestCase):

    def test_no_room_for_the_r2_leaves_nothing(self):
        self.protected()
        # Pools are thin: only a subscription limit refuses a new device.
        srp = self.rem.srps['SRP_1']
        srp.subscription_limit_percent = 100
        srp.total_gb = srp.subscribed_gb
        body = self.add_volume_body(name='OS-new')
        body['expandStorageGroupParam']['addVolumeParam'][
            'remoteSymmSGInfoParam'] = self.remote_info()
        before = (set(self.arr.volumes), set(self.rem.volumes))
        self.assertRefused(400, self.edit_sg(SG, body), 'subscription')
        self.assertEqual(before, (set(self.arr.volumes),
                                  set(self.rem.volumes)))
        self.assertEqual([], self.fake.check())

    def test_remote_info_on_move_is_refused(self):
        first = self.protected()[0]
        self.create_sg('SG2')
        self.assertRefused(400, self.edit_sg(SG, {
            'moveVolumeToStorageGroupParam': {
                'volumeId': [first], 'storageGroupId': 'SG2',
                'remoteSymmSGInfoParam': self.remote_info()}}))
        self.assertIn(first, self.arr.storage_groups[SG].volumes)
