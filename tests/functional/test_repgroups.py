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

"""Replication groups through the Cinder API, checked on both arrays.

The calls ``cinder group-create`` (a replication group type),
``create --group-id``, ``group-update``, ``group-disable-replication``,
``group-enable-replication``, ``group-failover-replication`` (over and
back) and ``group-delete`` make, as the seed's "Replication groups"
section runs them.
"""

import ast

from cinder import context
from cinder import objects

from cinder_powermax import naming
from tests.functional import base
from tests.functional import test_groups
from tests.functional import test_replication

TARGET = test_replication.TARGET
REP_SPECS = {'consistent_group_replication_enabled': '<is> True'}


class ReplicationGroupTest(test_groups.GroupTest):

    # GroupTest's scenarios run once, in GroupTest.
    test_group_life = None
    test_type_without_consistent_snapshots_is_cinders = None

    def _get_flags(self):
        flags = super()._get_flags()
        flags['%s.replication_device' % base.FC] = {
            'v': [test_replication.REP_DEVICE], 'g': base.FC}
        return flags

    @property
    def rem(self):
        return self.fake.model.arrays[TARGET]

    def group_action(self, group_id, action, expected, **body):
        self.api.api_post('/groups/%s/action' % group_id, {action: body},
                          check_response_status=[202])
        return self._wait_rep(group_id, expected)

    def _wait_rep(self, group_id, expected):
        def get(gid):
            group = self.api.api_get('/groups/%s' % gid)['group']
            return dict(group, status=group['replication_status'])
        return self.wait(get, group_id, ('enabling', 'disabling',
                                         'failing-over'), expected)

    def rem_devices(self, group):
        name = naming.group_sg_name(group['name'], group['id'])
        with self.fake.model.lock:
            return sorted(self.rem.storage_groups[name].volumes)

    def states(self, volumes):
        with self.fake.model.lock:
            return {self.arr.rdf[7].pairs[self.device(v)].state
                    for v in volumes}

    def location(self, volume):
        found = objects.Volume.get_by_id(context.get_admin_context(),
                                         volume['id'])
        return ast.literal_eval(found.provider_location)

    def test_replication_group_life(self):
        self.volume_type('rep', replication_enabled='<is> True')
        gtype = self.group_type('rg', **REP_SPECS)
        group = self.create_group('rep db', gtype['id'], ['rep'])
        self.assertEqual('enabled', group['replication_status'])
        self.assertEqual([], self.sg_devices(group))
        self.assertEqual([], self.rem_devices(group))

        members = [self.create_volume(1, 'rep', name='m%d' % n,
                                      group_id=group['id'])
                   for n in range(2)]
        late = self.create_volume(1, 'rep', name='late')
        self.update_group(group['id'], add=[late['id']])
        members.append(late)
        self.assertEqual(sorted(self.device(v) for v in members),
                         self.sg_devices(group))
        r2s = sorted(v['metadata']['R2-DeviceID'] for v in members)
        self.assertEqual(r2s, self.rem_devices(group))

        self.group_action(group['id'], 'disable_replication', 'disabled')
        self.assertEqual({'Suspended'}, self.states(members))
        self.group_action(group['id'], 'enable_replication', 'enabled')
        self.assertLessEqual(self.states(members),
                             {'SyncInProg', 'Synchronized'})

        r1s = {v['id']: self.device(v) for v in members}
        self.group_action(group['id'], 'failover_replication',
                          'failed-over', allow_attached_volume=False)
        self.assertEqual({'Failed Over'}, self.states(members))
        for volume in members:
            shown = self.api.get_volume(volume['id'])
            self.assertEqual('failed-over', shown['replication_status'])
            self.assertEqual(TARGET, self.location(volume)['array'])
        self.group_action(group['id'], 'failover_replication', 'enabled',
                          secondary_backend_id='default')
        for volume in members:
            self.assertEqual(
                {'array': self.arr.sid, 'device_id': r1s[volume['id']]},
                self.location(volume))

        # A copy of the group: Cinder's generic code clones each volume
        # into the new group, which pairs it and files both sides.
        clone = self.from_source('clone', source_group_id=group['id'])
        copies = self.group_volumes(clone['id'])
        self.assertEqual(3, len(copies))
        self.assertEqual(sorted(self.device(v) for v in copies),
                         self.sg_devices(clone))
        self.assertEqual(sorted(v['metadata']['R2-DeviceID']
                                for v in copies), self.rem_devices(clone))
        self.delete_group(clone['id'])

        self.update_group(group['id'], remove=[late['id']])
        self.assertNotIn(self.device(late), self.sg_devices(group))
        self.delete_group(group['id'])
        self.delete_volume(late['id'])
        with self.fake.model.lock:
            self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertArrayClean()
