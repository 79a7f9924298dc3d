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

"""Rules where the fake was kinder than the array, and array limits."""

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base

FULL = {'allocate_capacity_for_each_vol': 'true',
        'persist_preallocated_capacity_through_reclaim_or_copy': 'true'}


class CreateRuleTest(base.FakeTestCase):

    def full_allocation_sg(self, name, expect):
        return self.create_sg(name, expect=expect, sloBasedStorageGroupParam=[
            dict(FULL, sloId='Diamond', workloadSelection='NONE',
                 volumeAttributes=[{'volume_size': '1', 'capacityUnit': 'GB',
                                    'num_of_vols': 1}])])

    def test_full_allocation_refused_on_v4(self):
        self.sid = data.POWERMAX_8500
        self.full_allocation_sg('SG1', 400)
        self.assertEqual(({}, {}), (self.arr.storage_groups,
                                    self.arr.volumes))

    def test_full_allocation_allocates_on_v3(self):
        srp = self.arr.srps['SRP_1']
        self.full_allocation_sg('SG1', 201)
        (volume,) = self.arr.volumes.values()
        self.assertTrue(volume.allocated)
        self.assertAlmostEqual(volume.cap_gb, srp.used_gb, delta=0.01)

    def test_unmodelled_parameter_refused(self):
        self.create_sg('SG1', expect=400, sloBasedStorageGroupParam=[{
            'sloId': 'Diamond', 'enable_mobility_id': 'true'}])
        self.assertEqual({}, self.arr.storage_groups)

    def test_identifier_plus_volume_id(self):
        self.create_sg('SG1')
        body = self.add_volume_body(count=2)
        body['expandStorageGroupParam']['addVolumeParam'][
            'volumeAttributes'][0]['volumeIdentifier'] = {
                'volumeIdentifierChoice': 'identifier_name_plus_volume_id',
                'identifier_name': 'vol'}
        self.assertStatus(200, self.edit_sg('SG1', body))
        self.assertEqual(['vol-%s' % d for d in sorted(self.arr.volumes)],
                         [self.arr.volumes[d].identifier
                          for d in sorted(self.arr.volumes)])

    def test_thin_subscription_beyond_usable(self):
        srp = self.arr.srps['SRP_1']
        srp.total_gb = 24.45 * 1024
        self.create_sg('SG1')
        self.create_volumes('SG1', size='31', count=3, unit='TB')
        self.assertGreater(srp.subscribed_gb, 3 * srp.total_gb)
        self.assertEqual(0.0, srp.used_gb)
        srp.subscription_limit_percent = 400
        self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body(
            '5', unit='TB')), 'subscription limit')


class SizeLimitTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.create_sg('SG1')

    def test_largest_device_accepted(self):
        self.create_volumes('SG1', size=str(data.MAX_DEVICE_CYL_5978),
                            unit='CYL')

    def test_device_past_maximum_refused(self):
        for size, unit in (('65', 'TB'),
                           (str(data.MAX_DEVICE_CYL_5978 + 1), 'CYL')):
            self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body(
                size, unit=unit)), 'maximum device size')
        self.assertEqual({}, self.arr.volumes)

    def test_expand_past_maximum_refused(self):
        device = self.create_volumes('SG1')[0]
        grow = {'editVolumeActionParam': {'expandVolumeParam': {
            'volumeAttribute': {'volume_size': '65', 'capacityUnit': 'TB'}}}}
        self.assertRefused(400, self.call('PUT', '/volume/%s' % device, grow),
                           'maximum device size')

    def test_hypermax_limit_is_16_tb(self):
        self.sid = data.VMAX_AFA
        self.create_sg('SG1')
        self.create_volumes('SG1', size='16', unit='TB')
        self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body(
            '17', unit='TB')), 'maximum device size')


class DeviceCountLimitTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.arr.max_sg_devices = 4
        self.create_sg('SG1')
        self.create_sg('SG2')

    def test_group_limit_on_create(self):
        self.create_volumes('SG1', count=4)
        self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body()),
                           'The maximum allowed devices for a storage group '
                           'has been exceeded')
        self.assertEqual(4, len(self.arr.volumes))

    def test_group_limit_on_add_and_move(self):
        self.create_volumes('SG1', count=4)
        extra = self.create_volumes('SG2', count=1)
        self.assertRefused(400, self.edit_sg('SG2', {
            'moveVolumeToStorageGroupParam': {
                'volumeId': extra, 'storageGroupId': 'SG1'}}), 'maximum')
        self.create_sg('GENERIC', slo=None)
        self.create_volumes('SG2', count=3)
        devices = sorted(self.arr.volumes)
        self.assertStatus(200, self.edit_sg('GENERIC', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': devices[:4]}}}))
        self.assertRefused(400, self.edit_sg('GENERIC', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': devices[4:5]}}}), 'maximum')

    def test_parent_counts_its_children(self):
        self.create_sg('PARENT', slo=None)
        self.create_volumes('SG1', count=3)
        self.create_volumes('SG2', count=2)
        self.assertStatus(200, self.edit_sg('PARENT', {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': ['SG1']}}}))
        self.assertRefused(400, self.edit_sg('PARENT', {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': ['SG2']}}}), 'maximum')
        self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body(
            count=2)), 'maximum')

    def test_array_limit(self):
        self.arr.max_devices = 3
        self.create_volumes('SG1', count=3)
        self.assertRefused(400, self.edit_sg('SG2', self.add_volume_body()),
                           'maximum number of devices')


class LastVolumeInViewTest(base.FakeTestCase):
    """With the rule on: a masking view never loses its last volume."""

    def setUp(self):
        super().setUp()
        self.arr.refuse_emptying_views = True
        self.device = self.unmasked_device()
        self.names = self.attach(self.device)

    def test_remove_and_move_of_last_volume_refused(self):
        child = self.names['child']
        self.assertRefused(409, self.edit_sg(child, {'removeVolumeParam': {
            'volumeId': [self.device]}}), 'delete the masking view first')
        self.assertRefused(409, self.edit_sg(child, {
            'moveVolumeToStorageGroupParam': {
                'volumeId': [self.device], 'storageGroupId': 'default',
                'force': 'true'}}), 'last volume')
        self.assertRefused(409, self.edit_sg(self.names['parent'], {
            'removeStorageGroupParam': {'storageGroupId': [child],
                                        'force': 'true'}}), 'last volume')
        self.assertEqual([self.device],
                         self.arr.storage_groups[child].volumes)

    def test_child_may_empty_while_the_view_keeps_volumes(self):
        self.create_sg('OTHER')
        other = self.create_volumes('OTHER')[0]
        self.assertStatus(200, self.edit_sg(self.names['parent'], {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': ['OTHER']}}}))
        self.assertStatus(200, self.edit_sg(self.names['child'], {
            'removeVolumeParam': {'volumeId': [self.device]}}))
        self.assertEqual({other: 2}, self.arr.masking_views[
            self.names['view']].luns)

    def test_move_to_another_child_of_the_view(self):
        self.create_sg('NOSLO', slo=None)
        self.assertStatus(200, self.edit_sg(self.names['parent'], {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': ['NOSLO']}}}))
        self.assertStatus(200, self.edit_sg(self.names['child'], {
            'moveVolumeToStorageGroupParam': {
                'volumeId': [self.device], 'storageGroupId': 'NOSLO',
                'force': 'true'}}))
        self.assertEqual({self.device: 1}, self.arr.masking_views[
            self.names['view']].luns)

    def test_allowed_once_the_view_is_gone(self):
        self.assertEqual(204, self.call('DELETE', '/maskingview/%s' %
                                        self.names['view']).status_code)
        self.assertStatus(200, self.edit_sg(self.names['child'], {
            'removeVolumeParam': {'volumeId': [self.device]}}))

    def test_off_by_default(self):
        self.arr.refuse_emptying_views = False
        self.assertStatus(200, self.edit_sg(self.names['child'], {
            'removeVolumeParam': {'volumeId': [self.device]}}))


class SeveralVolumesInOneEditTest(base.FakeTestCase):
    """``volumeAttributes`` is a list: one entry per new device."""

    def setUp(self):
        super().setUp()
        self.arr.max_sg_devices = 4
        self.create_sg('SG1')

    def several(self, *entries):
        return {'expandStorageGroupParam': {'addVolumeParam': {
            'emulation': 'FBA', 'create_new_volumes': 'True',
            'volumeAttributes': [
                {'num_of_vols': 1, 'volume_size': size,
                 'capacityUnit': 'GB',
                 'volumeIdentifier': {
                     'volumeIdentifierChoice': 'identifier_name',
                     'identifier_name': name}}
                for size, name in entries]}}}

    def test_each_entry_gets_its_own_device_and_identifier(self):
        job = self.run_job(self.edit_sg('SG1', self.several(
            ('1', 'OS-a'), ('2', 'OS-b'), ('1', 'OS-c')),
            asynchronous=True))
        self.assertEqual('SUCCEEDED', job['status'])
        named = {v.identifier: v.cap_gb for v in self.arr.volumes.values()}
        self.assertEqual({'OS-a': 1, 'OS-b': 2, 'OS-c': 1}, named)
        self.assertEqual(3, len(self.arr.members('SG1')))
        tasks = [t['description'] for t in job['task']]
        for device in self.arr.members('SG1'):
            self.assertTrue(any(t.endswith('[%s]' % device) for t in tasks))

    def test_an_edit_that_does_not_fit_makes_no_device(self):
        self.create_volumes('SG1', count=2)
        self.assertRefused(400, self.edit_sg('SG1', self.several(
            ('1', 'OS-a'), ('1', 'OS-b'), ('1', 'OS-c'))),
            'The maximum allowed devices for a storage group')
        self.assertEqual(2, len(self.arr.volumes))

    def test_one_bad_size_refuses_the_whole_edit(self):
        self.assertRefused(400, self.edit_sg('SG1', self.several(
            ('1', 'OS-a'), ('99999', 'OS-b'))), 'maximum device size')
        self.assertEqual({}, self.arr.volumes)
