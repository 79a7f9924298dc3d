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

"""Edits the fake refused and the array allows.

Service-level rename, port group add/remove/rename, masking view rename
(reference 8.2, 13.1, 14), and empty port groups.
"""

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base


def ports(*keys):
    return [{'directorId': d, 'portId': p} for d, p in keys]


class ServiceLevelRenameTest(base.FakeTestCase):

    def rename(self, slo, new, expect=200):
        return self.assertStatus(expect, self.call('PUT', '/slo/%s' % slo, {
            'editSloActionParam': {'renameSloParam': {'sloId': new}}}))

    def test_rename_keeps_base_and_groups(self):
        self.create_sg('SG1', slo='Gold')
        body = self.rename('Gold', 'Gold_Plus')
        self.assertEqual(('Gold_Plus', 'Gold'),
                         (body['sloId'], body['sloBaseId']))
        group = self.assertStatus(200, self.call('GET', '/storagegroup/SG1'))
        self.assertEqual(('Gold_Plus', 'Gold'),
                         (group['slo'], group['base_slo_name']))
        self.assertNotIn('Gold', self.call('GET', '/slo').json()['sloId'])

    def test_refusals(self):
        self.rename('Gold', 'Diamond', expect=409)
        self.rename('Tin', 'Lead', expect=404)
        self.assertStatus(400, self.call('PUT', '/slo/Gold', {
            'editSloActionParam': {'setWorkload': {}}}))


class PortGroupEditTest(base.FakeTestCase):

    def edit(self, pg, action, expect=200):
        body = {'editPortGroupActionParam': action}
        return self.assertStatus(expect, self.call(
            'PUT', '/portgroup/%s' % pg, body))

    def test_empty_port_group_then_ports(self):
        self.assertStatus(201, self.call('POST', '/portgroup', {
            'portGroupId': 'PG1', 'symmetrixPortKey': []}))
        self.create_sg('SG1', slo=None)
        self.create_host('H1', [base.WWPN_1])
        self.create_view('MV1', 'H1', 'PG1', 'SG1', expect=400)
        body = self.edit('PG1', {'addPortParam': {'port': ports(
            ('FA-1D', '4'), ('FA-2D', '4'))}})
        self.assertEqual(2, body['num_of_ports'])
        self.edit('PG1', {'addPortParam': {'port': ports(('SE-1E', '0'))}},
                  expect=400)
        self.edit('PG1', {'addPortParam': {'port': ports(('FA-1D', '4'))}},
                  expect=409)
        body = self.edit('PG1', {'removePortParam': {'port': ports(
            ('FA-1D', '4'))}})
        self.assertEqual([{'directorId': 'FA-2D', 'portId': '4'}],
                         body['symmetrixPortKey'])

    def test_last_port_stays_while_in_a_view(self):
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        names = self.attach(device)
        self.edit('OS-fibre-PG', {'removePortParam': {'port': ports(
            ('FA-1D', '4'))}})
        self.edit('OS-fibre-PG', {'removePortParam': {'port': ports(
            ('FA-2D', '4'))}}, expect=409)
        rows = self.call('GET', '/maskingview/%s/connections' %
                         names['view']).json()['maskingViewConnection']
        self.assertEqual({'FA-2D:4'}, {r['dir_port'] for r in rows})

    def test_rename_follows_views(self):
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        names = self.attach(device)
        self.edit('OS-fibre-PG', {'renamePortGroupParam': {
            'new_port_group_name': 'PG-new'}})
        self.assertEqual('PG-new', self.call('GET', '/maskingview/%s' %
                                             names['view']).json()[
                                                 'portGroupId'])
        self.edit('PG-new', {'renamePortGroupParam': {
            'new_port_group_name': 'OS-iscsi-PG'}}, expect=409)

    def test_v4_empty_group_names_its_protocol(self):
        self.sid = data.POWERMAX_8500
        self.assertStatus(400, self.call('POST', '/portgroup', {
            'portGroupId': 'PG1'}))
        body = self.assertStatus(201, self.call('POST', '/portgroup', {
            'portGroupId': 'PG1', 'port_group_protocol': 'iSCSI'}))
        self.assertEqual('iSCSI', body['port_group_protocol'])
        self.edit('PG1', {'addPortParam': {'port': ports(('OR-1C', '4'))}},
                  expect=400)


class MaskingViewRenameTest(base.FakeTestCase):

    def test_rename(self):
        self.create_sg('SG1')
        device = self.create_volumes('SG1')[0]
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId': [device]}})
        names = self.attach(device)
        body = self.assertStatus(200, self.call(
            'PUT', '/maskingview/%s' % names['view'], {
                'editMaskingViewActionParam': {'renameMaskingViewParam': {
                    'new_masking_view_name': 'MV-new'}}}))
        self.assertEqual('MV-new', body['maskingViewId'])
        self.assertEqual(['MV-new'], self.arr.views_of_host(names['host']))
        self.assertEqual({device: 1}, self.arr.masking_views['MV-new'].luns)
        self.assertStatus(404, self.call('GET', '/maskingview/%s' %
                                         names['view']))
        self.assertStatus(400, self.call('PUT', '/maskingview/MV-new', {
            'editMaskingViewActionParam': {'setLun': {}}}))
