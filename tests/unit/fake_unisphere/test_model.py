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

"""Array rules of the fake, exercised over HTTP."""

import ddt

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base


@ddt.ddt
class StorageGroupRuleTest(base.FakeTestCase):

    def test_create_fast_group(self):
        body = self.create_sg('OS-SRP_1-Diamond-NONE-SG')
        self.assertEqual('Diamond', body['slo'])
        self.assertEqual('SRP_1', body['srp'])
        self.assertTrue(body['compression'])
        self.assertEqual('Standalone', body['type'])
        group = self.arr.storage_groups['OS-SRP_1-Diamond-NONE-SG']
        self.assertEqual(('Diamond', 'SRP_1', None, True),
                         (group.slo, group.srp, group.workload,
                          group.compression))

    def test_no_slo_group_reports_none(self):
        body = self.create_sg('OS-no_SLO-SG', slo=None)
        self.assertEqual('NONE', body['slo'])
        self.assertFalse(body['compression'])
        self.assertIsNone(self.arr.storage_groups['OS-no_SLO-SG'].slo)

    def test_no_compression(self):
        body = self.create_sg('CD-SG', no_compression='true')
        self.assertFalse(body['compression'])

    @ddt.data('', 'x' * 65, 'bad name', 'semi;colon', 'dot.ted')
    def test_bad_names_refused(self, name):
        self.assertRefused(400, self.call('POST', '/storagegroup', {
            'storageGroupId': name, 'srpId': 'None', 'emulation': 'FBA'}))
        self.assertEqual({}, self.arr.storage_groups)

    def test_duplicate_refused(self):
        self.create_sg('SG1')
        self.assertRefused(409, self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'None'}), 'already exists')

    def test_unknown_service_level_refused(self):
        self.assertRefused(400, self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'SRP_1',
            'sloBasedStorageGroupParam': [{'sloId': 'Titanium'}]}))

    def test_workload_only_on_5977(self):
        body = {'storageGroupId': 'SG1', 'srpId': 'SRP_1',
                'sloBasedStorageGroupParam': [{
                    'sloId': 'Diamond', 'workloadSelection': 'DSS',
                    'volumeAttributes': [{'num_of_vols': 0,
                                          'volume_size': '0',
                                          'capacityUnit': 'GB'}]}]}
        self.assertRefused(400, self.call('POST', '/storagegroup', body),
                           'Workload')
        response = self.call('POST', '/storagegroup', body,
                             sid=data.VMAX_AFA)
        self.assertEqual(201, response.status_code)
        self.assertEqual(
            'DSS',
            self.fake.model.arrays[data.VMAX_AFA].storage_groups[
                'SG1'].workload)

    def test_group_create_needs_volume_attributes(self):
        # The API requires volumeAttributes in sloBasedStorageGroupParam.
        self.assertRefused(400, self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'srpId': 'SRP_1',
            'sloBasedStorageGroupParam': [{'sloId': 'Diamond'}]}),
            'volumeAttributes')
        self.assertRefused(400, self.call('POST', '/storagegroup', {
            'storageGroupId': 'SG1', 'colour': 'red'}), 'colour')
        self.assertEqual({}, self.arr.storage_groups)

    def test_second_fast_group_refused(self):
        self.create_sg('SG1')
        self.create_sg('SG2', slo='Gold')
        self.create_sg('GVG', slo=None)
        device = self.create_volumes('SG1')[0]
        add = {'expandStorageGroupParam': {'addSpecificVolumeParam': {
            'volumeId': [device]}}}
        self.assertRefused(409, self.edit_sg('SG2', add), 'FAST')
        self.assertStatus(200, self.edit_sg('GVG', add))
        self.assertEqual(['GVG', 'SG1'], sorted(self.arr.groups_of(device)))

    def test_volumes_never_directly_in_parent(self):
        self.create_sg('parent', slo=None)
        self.create_sg('child')
        self.assertStatus(200, self.edit_sg('parent', {
            'expandStorageGroupParam': {'addExistingStorageGroupParam': {
                'storageGroupId': ['child']}}}))
        self.assertRefused(400, self.edit_sg(
            'parent', self.add_volume_body()), 'parent')
        devices = self.create_volumes('child', count=2)
        body = self.assertStatus(200, self.call('GET',
                                                '/storagegroup/parent'))
        self.assertEqual(2, body['num_of_vols'])
        self.assertEqual(['child'], body['child_storage_group'])
        self.assertEqual('Parent', body['type'])
        child = self.assertStatus(200, self.call('GET', '/storagegroup/child'))
        self.assertEqual(['parent'], child['parent_storage_group'])
        self.assertEqual('Child', child['type'])
        self.assertEqual(devices, self.arr.members('parent'))

    def test_group_with_volumes_is_deleted_leaving_them(self):
        # As the array does: the devices stay, in no storage group.
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.assertEqual(204, self.call('DELETE', '/storagegroup/SG1')
                         .status_code)
        self.assertNotIn('SG1', self.arr.storage_groups)
        self.assertIn(device, self.arr.volumes)
        self.assertEqual([], self.arr.groups_of(device))

    def test_group_in_a_view_cannot_be_deleted_with_volumes(self):
        self.create_sg('SG1')
        self.create_volumes('SG1')
        self.arr.create_host('H1', [])
        self.arr.create_view('MV1', 'H1', 'OS-fibre-PG', 'SG1')
        self.assertRefused(409, self.call('DELETE', '/storagegroup/SG1'))

    def test_uncascade_then_delete(self):
        self.create_sg('parent', slo=None)
        self.create_sg('child')
        self.edit_sg('parent', {'expandStorageGroupParam': {
            'addExistingStorageGroupParam': {'storageGroupId': ['child']}}})
        self.assertRefused(409, self.call('DELETE', '/storagegroup/child'))
        self.assertRefused(409, self.call('DELETE', '/storagegroup/parent'))
        self.assertRefused(400, self.edit_sg('child', {
            'removeStorageGroupParam': {'storageGroupId': ['parent'],
                                        'force': 'true'}}))
        self.assertStatus(200, self.edit_sg('parent', {
            'removeStorageGroupParam': {'storageGroupId': ['child'],
                                        'force': 'true'}}))
        self.assertEqual(204, self.call('DELETE', '/storagegroup/parent')
                         .status_code)

    def test_host_io_limits(self):
        self.create_sg('SG1')
        body = self.assertStatus(200, self.edit_sg('SG1', {
            'setHostIOLimitsParam': {'host_io_limit_io_sec': '4000',
                                     'dynamicDistribution': 'Always'}}))
        self.assertEqual({'host_io_limit_io_sec': '4000',
                          'dynamicDistribution': 'Always'},
                         body['hostIOLimit'])
        self.edit_sg('SG1', {'setHostIOLimitsParam': {
            'host_io_limit_mb_sec': '200'}})
        self.assertEqual('200', self.arr.storage_groups['SG1']
                         .host_io_limit['host_io_limit_mb_sec'])

    @ddt.data({'host_io_limit_io_sec': '99'},
              {'host_io_limit_io_sec': '100001'},
              {'host_io_limit_io_sec': '150'},
              {'host_io_limit_io_sec': 1000},
              {'host_io_limit_mb_sec': '0'},
              {'host_io_limit_mb_sec': '100001'},
              {'dynamicDistribution': 'Sometimes'},
              {'host_io_limit_io_sec': 'lots'})
    def test_host_io_limit_validation(self, params):
        self.create_sg('SG1')
        self.assertRefused(400, self.edit_sg('SG1', {
            'setHostIOLimitsParam': params}))
        self.assertIsNone(self.arr.storage_groups['SG1'].host_io_limit)

    def test_edit_slo_workload_srp_compression_rename(self):
        self.create_sg('SG1')
        self.edit_sg('SG1', {'editStorageGroupSLOParam': {'sloId': 'Gold'}})
        self.edit_sg('SG1', {'editCompressionParam': {'compression': False}})
        self.edit_sg('SG1', {'editStorageGroupSRPParam': {'srpId': 'SRP_1'}})
        self.assertRefused(400, self.edit_sg('SG1', {
            'editStorageGroupWorkloadParam': {'workloadSelection': 'OLTP'}}))
        body = self.assertStatus(200, self.edit_sg('SG1', {
            'renameStorageGroupParam': {'new_storage_Group_name': 'SG2'}}))
        self.assertEqual('SG2', body['storageGroupId'])
        group = self.arr.storage_groups['SG2']
        self.assertEqual(('Gold', False), (group.slo, group.compression))
        self.assertNotIn('SG1', self.arr.storage_groups)

    def test_compression_refused_on_hybrid(self):
        self.sid = data.VMAX_HYBRID
        for value in ('false', 'true'):
            self.create_sg('SG1', slo='Gold', no_compression=value,
                           expect=400)
        self.assertEqual({}, self.arr.storage_groups)
        self.create_sg('SG1', slo='Gold')
        self.assertFalse(self.arr.storage_groups['SG1'].compression)
        for value in (True, False):
            self.assertRefused(400, self.edit_sg('SG1', {
                'editCompressionParam': {'compression': value}}),
                'not supported')

    def test_exactly_one_action(self):
        self.create_sg('SG1')
        self.assertRefused(400, self.edit_sg('SG1', {
            'editStorageGroupSLOParam': {'sloId': 'Gold'},
            'editCompressionParam': {'compression': False}}))
        self.assertRefused(400, self.edit_sg('SG1', {}))

    def test_move_needs_force_with_view(self):
        self.create_sg('default')
        device = self.create_volumes('default')[0]
        self.create_sg('other', slo=None)
        self.create_sg('parent', slo=None)
        self.create_sg('child')
        self.edit_sg('parent', {'expandStorageGroupParam': {
            'addExistingStorageGroupParam': {'storageGroupId': ['child']}}})
        self.create_host('OS-h-F-IG', [base.WWPN_1])
        self.create_view('MV', 'OS-h-F-IG', 'OS-fibre-PG', 'parent')
        # Into a masked group: it only grants access, no force needed.
        move = {'moveVolumeToStorageGroupParam': {
            'volumeId': [device], 'storageGroupId': 'child'}}
        self.assertStatus(200, self.edit_sg('default', move))
        self.assertEqual(['child'], self.arr.groups_of(device))
        self.assertEqual({device: 1}, self.arr.masking_views['MV'].luns)
        # Out of a masked group takes the device from a host: force (and
        # the view must keep a volume, so another one stays).
        self.arr.refuse_emptying_views = False
        back = {'moveVolumeToStorageGroupParam': {
            'volumeId': [device], 'storageGroupId': 'default'}}
        self.assertRefused(409, self.edit_sg('child', back), 'force')
        back['moveVolumeToStorageGroupParam']['force'] = 'true'
        self.assertStatus(200, self.edit_sg('child', back))
        self.assertEqual(['default'], self.arr.groups_of(device))


@ddt.ddt
class VolumeRuleTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.create_sg('SG1')

    @ddt.data(('1', 'GB', 547, 1026.0, 1.0),
              ('2', 'GB', 1093, 2049.0, 2.0),
              ('100', 'MB', 54, 101.0, 0.1),
              ('1000', 'CYL', 1000, 1875.0, 1.83))
    @ddt.unpack
    def test_geometry(self, size, unit, cyl, mb, gb):
        self.assertStatus(200, self.edit_sg('SG1', self.add_volume_body(
            size, unit=unit)))
        body = self.assertStatus(200, self.call('GET', '/volume/00001'))
        self.assertEqual((cyl, mb, gb),
                         (body['cap_cyl'], body['cap_mb'], body['cap_gb']))
        self.assertRegex(body['wwn'], '^[0-9A-F]{32}$')

    def test_identifier_and_rename(self):
        device = self.create_volumes('SG1', name='OS-one')[0]
        self.assertRegex(device, '^[0-9A-F]{5}$')
        self.assertEqual('OS-one', self.arr.volumes[device].identifier)
        body = self.assertStatus(200, self.call(
            'PUT', '/volume/%s' % device, {'editVolumeActionParam': {
                'modifyVolumeIdentifierParam': {'volumeIdentifier': {
                    'volumeIdentifierChoice': 'identifier_name',
                    'identifier_name': 'OS-two'}}}}))
        self.assertEqual('OS-two', body['volume_identifier'])
        body = self.assertStatus(200, self.call(
            'PUT', '/volume/%s' % device, {'editVolumeActionParam': {
                'modifyVolumeIdentifierParam': {'volumeIdentifier': {
                    'volumeIdentifierChoice': 'none'}}}}))
        self.assertNotIn('volume_identifier', body)
        self.assertIsNone(self.arr.volumes[device].identifier)

    def test_expand_only_grows_and_consumes_capacity(self):
        device = self.create_volumes('SG1', size='2')[0]
        srp = self.arr.srps['SRP_1']
        self.arr.set_allocated(self.arr.volumes[device], True)
        used = srp.used_gb
        grow = {'editVolumeActionParam': {'expandVolumeParam': {
            'volumeAttribute': {'volume_size': '5', 'capacityUnit': 'GB'}}}}
        self.assertStatus(200, self.call('PUT', '/volume/%s' % device, grow))
        self.assertEqual(5.0, self.arr.volumes[device].cap_gb)
        self.assertAlmostEqual(used + 3, srp.used_gb, delta=0.01)
        shrink = {'editVolumeActionParam': {'expandVolumeParam': {
            'volumeAttribute': {'volume_size': 4, 'capacityUnit': 'GB'}}}}
        self.assertRefused(400, self.call('PUT', '/volume/%s' % device,
                                          shrink))
        self.assertEqual(5.0, self.arr.volumes[device].cap_gb)

    def test_delete_refused_in_group_then_frees_capacity(self):
        srp = self.arr.srps['SRP_1']
        before = (srp.used_gb, srp.subscribed_gb)
        device = self.create_volumes('SG1', size='10')[0]
        self.assertGreater(srp.subscribed_gb, before[1])
        self.assertRefused(409, self.call('DELETE', '/volume/%s' % device),
                           'SG1')
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        self.assertEqual(204, self.call('DELETE', '/volume/%s' % device)
                         .status_code)
        self.assertEqual(before, (srp.used_gb, srp.subscribed_gb))
        self.assertRefused(404, self.call('GET', '/volume/%s' % device))

    def test_delete_refused_with_snapshots(self):
        device = self.create_volumes('SG1')[0]
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        self.arr.create_snapshot('a-snapshot', [device], 0.0)
        self.assertRefused(409, self.call('DELETE', '/volume/%s' % device),
                           'snapshots')

    def test_allocated_volume_needs_free_before_5978_221(self):
        self.sid = data.VMAX_AFA
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.arr.volumes[device].allocated = True
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        self.assertRefused(409, self.call('DELETE', '/volume/%s' % device),
                           'free')
        self.assertStatus(200, self.call('PUT', '/volume/%s' % device, {
            'editVolumeActionParam': {'freeVolumeParam': {
                'free_volume': 'true'}}}))
        self.assertEqual(204, self.call('DELETE', '/volume/%s' % device)
                         .status_code)

    def test_no_capacity_left(self):
        self.arr.srps['SRP_1'].total_gb = 5
        self.arr.srps['SRP_1'].subscription_limit_percent = 100
        self.assertRefused(400, self.edit_sg('SG1', self.add_volume_body(
            '6')), 'subscription limit')
        self.assertEqual({}, self.arr.volumes)


class MaskingRuleTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.device = self.unmasked_device()
        self.names = self.attach(self.device)

    def test_view_state(self):
        view = self.arr.masking_views[self.names['view']]
        self.assertEqual({self.device: 1}, view.luns)
        body = self.assertStatus(200, self.call(
            'GET', '/maskingview/%s/connections' % self.names['view'],
            params={'volume_id': self.device}))
        rows = body['maskingViewConnection']
        self.assertEqual(4, len(rows))  # 2 initiators x 2 ports
        self.assertEqual({'0001'}, {r['host_lun_address'] for r in rows})
        volume = self.assertStatus(200, self.call('GET', '/volume/%s' %
                                                  self.device))
        # Mapped on each of the port group's two ports.
        self.assertEqual(2, volume['num_of_front_end_paths'])
        self.assertEqual([self.names['child']], volume['storageGroupId'])

    def test_next_lun_for_later_volumes(self):
        devices = self.create_volumes(self.names['child'], count=2)
        luns = self.arr.masking_views[self.names['view']].luns
        self.assertEqual([2, 3], [luns[d] for d in devices])
        self.edit_sg(self.names['child'], {'removeVolumeParam': {
            'volumeId': [devices[0]]}})
        self.assertNotIn(devices[0], luns)
        self.assertEqual(1, luns[self.device])

    def test_in_use_objects_cannot_be_deleted(self):
        self.assertRefused(409, self.call('DELETE', '/storagegroup/%s' %
                                          self.names['parent']))
        self.assertRefused(409, self.call('DELETE', '/host/%s' %
                                          self.names['host']))
        self.assertRefused(409, self.call('DELETE',
                                          '/portgroup/OS-fibre-PG'))
        self.assertRefused(409, self.call('DELETE', '/volume/%s' %
                                          self.device))
        self.assertEqual(204, self.call('DELETE', '/maskingview/%s' %
                                        self.names['view']).status_code)
        self.assertEqual(204, self.call('DELETE', '/host/%s' %
                                        self.names['host']).status_code)

    def test_initiator_in_one_host_only(self):
        self.assertRefused(409, self.call('POST', '/host', {
            'hostId': 'other', 'initiatorId': [base.WWPN_1]}), 'only')
        self.create_host('other', [])
        self.assertRefused(409, self.call('PUT', '/host/other', {
            'editHostActionParam': {'addInitiatorParam': {
                'initiator': [base.WWPN_2]}}}))
        self.assertEqual([], self.arr.hosts['other'].initiators)

    def test_view_components_must_exist(self):
        for host, pg, sg, text in (
                ('nohost', 'OS-fibre-PG', 'default', 'Initiator Group'),
                (self.names['host'], 'nopg', 'default', 'Port Group'),
                (self.names['host'], 'OS-fibre2-PG', 'nosg',
                 'Storage Group')):
            self.assertRefused(404, self.call('POST', '/maskingview', {
                'maskingViewId': 'MV2',
                'hostOrHostGroupSelection': {
                    'useExistingHostParam': {'hostId': host}},
                'portGroupSelection': {
                    'useExistingPortGroupParam': {'portGroupId': pg}},
                'storageGroupSelection': {
                    'useExistingStorageGroupParam': {
                        'storageGroupId': sg}}}),
                text + ' on Symmetrix cannot be found')

    def test_host_and_port_group_in_several_views(self):
        # The array allows it (a boot LUN view beside a data view).
        self.create_view('MV2', self.names['host'], 'OS-fibre-PG',
                         'default')
        self.assertEqual(['MV2', self.names['view']],
                         sorted(self.arr.views_of_host(self.names['host'])))
        self.create_view(self.names['view'], self.names['host'],
                         'OS-iscsi-PG', 'default', expect=409)

    def test_create_host_inline(self):
        self.create_sg('SG9', slo=None)
        self.assertStatus(201, self.call('POST', '/maskingview', {
            'maskingViewId': 'MV9',
            'hostOrHostGroupSelection': {'createHostParam': {
                'hostId': 'H9', 'initiatorId': [base.IQN]}},
            'portGroupSelection': {
                'useExistingPortGroupParam': {'portGroupId': 'OS-iscsi-PG'}},
            'storageGroupSelection': {'useExistingStorageGroupParam': {
                'storageGroupId': 'SG9'}}}))
        self.assertEqual([base.IQN], self.arr.hosts['H9'].initiators)
        self.assertEqual('MV9', self.arr.views_of_host('H9')[0])

    def test_logged_in_initiators_listed_per_port(self):
        body = self.assertStatus(200, self.call('GET', '/initiator', params={
            'initiator_hba': base.WWPN_1}))
        self.assertEqual(['FA-1D:4:%s' % base.WWPN_1,
                          'FA-1D:5:%s' % base.WWPN_1,
                          'FA-2D:4:%s' % base.WWPN_1,
                          'FA-2D:5:%s' % base.WWPN_1], body['initiatorId'])
        detail = self.assertStatus(200, self.call(
            'GET', '/initiator/%s' % body['initiatorId'][0]))
        self.assertEqual(self.names['host'], detail['host'])
