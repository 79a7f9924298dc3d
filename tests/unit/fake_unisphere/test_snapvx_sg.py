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

"""SnapVX of whole storage groups (reference 11.2)."""

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base


class GroupSnapBase(base.FakeTestCase):
    """A group ``GRP`` of ``count`` volumes (they live in ``SG1``)."""

    level = 'Diamond'
    count = 3

    def setUp(self):
        super().setUp()
        self.now = [1000.0]
        self.fake.app.jobs.clock = lambda: self.now[0]
        self.create_sg('GRP', slo=None)
        self.create_sg('SG1', slo=self.level)
        self.devs = self.create_volumes('SG1', count=self.count)
        self.assertStatus(200, self.edit_sg('GRP', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': self.devs}}}))

    def rep(self, path, sg='GRP'):
        return self.url('/storagegroup/%s/snapshot%s' % (sg, path),
                        category='replication')

    def snap(self, name='gs1', sg='GRP', expect=201, **extra):
        body = {'snapshotName': name}
        body.update(extra)
        return self.assertStatus(expect, self.session.post(
            self.rep('', sg), json=body))

    def ids(self, name='gs1', sg='GRP'):
        return self.assertStatus(200, self.session.get(
            self.rep('/%s/snapid' % name, sg)))['snapids']

    def act(self, snap_id, body, name='gs1', expect=200):
        return self.assertStatus(expect, self.session.put(
            self.rep('/%s/snapid/%s' % (name, snap_id)), json=body))

    def target_group(self, count=3, size='1'):
        self.create_sg('TGT', slo=None)
        self.create_sg('TGT-VOLS', slo=self.level)
        devices = self.create_volumes('TGT-VOLS', size, count)
        self.assertStatus(200, self.edit_sg('TGT', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': devices}}}))
        return devices


class StorageGroupSnapVXTestCase(GroupSnapBase):

    def test_create_is_one_set_over_every_member(self):
        made = self.snap()
        # The create answer is the camelCase snapVXSnapshotGeneration;
        # only GET .../snapid/{id} answers snake_case.
        self.assertEqual((3, False, False, False), (
            made['numSourceVolumes'], made['isLinked'], made['isRestored'],
            made['isExpired']))
        self.assertNotIn('num_source_volumes', made)
        snap_ids = {i.snap_id for d in self.devs
                    for i in self.arr.snapshots_of(d)}
        self.assertEqual(1, len(snap_ids))
        self.assertEqual(sorted(snap_ids), self.ids())
        listed = self.assertStatus(200, self.session.get(self.rep('')))
        self.assertEqual(['gs1'], listed['name'])
        self.assertEqual(1, listed['snapshot_names_and_counts'][0][
            'snapshot_count'])

    def test_replication_view_of_the_group(self):
        self.snap()
        view = self.assertStatus(200, self.session.get(self.url(
            '/storagegroup/GRP', category='replication')))
        self.assertEqual(('GRP', 3, ['gs1'], False, False),
                         (view['name'], view['numDevicesNonGk'],
                          view['snapVXSnapshots'], view['isLinkTarget'],
                          view['rdf']))
        self.assertRefused(404, self.session.get(self.url(
            '/storagegroup/NOPE', category='replication')))

    def test_second_set_of_same_name_is_a_new_generation(self):
        self.snap()
        self.now[0] += 10
        self.snap()
        self.assertEqual(2, len(self.ids()))
        gens = self.assertStatus(200, self.session.get(
            self.rep('/gs1/generation')))
        self.assertEqual({'generations': [0, 1]}, gens)
        newest = self.assertStatus(200, self.session.get(
            self.rep('/gs1/generation/0')))
        self.assertEqual(3, newest['numSourceVolumes'])

    def test_create_refuses_empty_group_and_unmodelled_options(self):
        self.create_sg('EMPTY', slo=None)
        self.assertRefused(400, self.session.post(
            self.rep('', 'EMPTY'), json={'snapshotName': 'x'}), 'no volumes')
        self.assertRefused(400, self.session.post(
            self.rep(''), json={'snapshotName': 'x', 'secure': 24}))
        self.assertRefused(400, self.session.post(
            self.rep(''), json={'snapshotName': 'x', 'bothSides': True}))
        self.assertRefused(400, self.session.post(
            self.rep(''), json={'snapshotName': 'x', 'colour': 'red'}))
        self.assertRefused(400, self.session.post(
            self.rep(''), json={'snapshotName': 'bad name'}))
        self.assertRefused(404, self.session.post(
            self.rep('', 'NOPE'), json={'snapshotName': 'x'}))
        self.assertEqual({}, self.arr.snapshots)

    def test_asynchronous_create_runs_as_a_job(self):
        job = self.run_job(self.session.post(self.rep(''), json={
            'snapshotName': 'gs1', 'executionOption': 'ASYNCHRONOUS'}))
        self.assertEqual('SUCCEEDED', job['status'])
        self.assertEqual(1, len(self.ids()))

    def test_link_copy_unlink_terminate(self):
        self.snap()
        snap_id = self.ids()[0]
        targets = self.target_group()
        shown = self.act(snap_id, {'action': 'Link', 'link': {
            'storage_group_name': 'TGT', 'copy': True}})
        self.assertTrue(shown['isLinked'])
        self.assertEqual(['TGT'], shown['linked_storage_group_names'])
        got = self.assertStatus(200, self.session.get(
            self.rep('/gs1/snapid/%s' % snap_id)))
        self.assertEqual((True, snap_id, 3), (
            got['linked'], got['snapid'], got['num_source_volumes']))
        for source, target in zip(self.devs, targets):
            self.assertEqual(source, self.arr.links_to(target)[0][0])
        # Linked: terminate refused, nothing gone.
        self.assertRefused(409, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id), params={'force': 'true'}))
        self.now[0] += 1
        self.act(snap_id, {'action': 'Unlink', 'unlink': {
            'storage_group_name': 'TGT'}})
        self.assertFalse(any(self.arr.links_to(t) for t in targets))
        self.assertStatus(204, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id), params={'force': 'true'}))
        self.assertEqual({}, self.arr.snapshots)
        self.assertEqual([], self.ids())

    def test_link_refuses_mismatched_target(self):
        self.snap()
        snap_id = self.ids()[0]
        self.target_group(count=2)
        self.assertRefused(400, self.session.put(
            self.rep('/gs1/snapid/%s' % snap_id), json={
                'action': 'Link', 'link': {'storage_group_name': 'TGT'}}),
            'must match')
        self.assertRefused(400, self.session.put(
            self.rep('/gs1/snapid/%s' % snap_id), json={
                'action': 'Link', 'link': {'storage_group_name': 'TGT',
                                           'remote': True}}))
        self.assertRefused(400, self.session.put(
            self.rep('/gs1/snapid/%s' % snap_id), json={
                'action': 'Relink', 'relink': {}}), 'storage_group_name')
        self.assertFalse(any(i.links for d in self.devs
                             for i in self.arr.snapshots_of(d)))

    def test_link_needs_every_member_to_have_the_set(self):
        self.snap()
        snap_id = self.ids()[0]
        late = self.create_volumes('SG1')
        self.assertStatus(200, self.edit_sg('GRP', {
            'expandStorageGroupParam': {'addSpecificVolumeParam': {
                'volumeId': late}}}))
        self.target_group(count=4)
        self.assertRefused(400, self.session.put(
            self.rep('/gs1/snapid/%s' % snap_id), json={
                'action': 'Link', 'link': {'storage_group_name': 'TGT'}}),
            late[0])

    def test_terminate_acts_on_members_that_have_it(self):
        self.snap()
        snap_id = self.ids()[0]
        self.create_volumes('SG1')
        self.assertStatus(204, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id)))
        self.assertEqual({}, self.arr.snapshots)
        self.assertRefused(404, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id)))
        self.assertRefused(400, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id),
            params={'keep_count': '1'}))

    def test_restore_and_rename(self):
        self.snap()
        snap_id = self.ids()[0]
        self.fake.latency.job_duration = 5.0
        self.act(snap_id, {'action': 'Restore'})
        self.assertTrue(all(i.restore_link for d in self.devs
                            for i in self.arr.snapshots_of(d)))
        self.assertRefused(409, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id)), 'RestoreInProg')
        self.now[0] += 10
        for device in self.devs:
            self.assertStatus(204, self.session.delete(
                '%s/univmax/restapi/private/%s/replication/symmetrix/%s'
                '/snapshot/gs1' % (self.fake.base_urls[0], self.api,
                                   self.sid),
                json={'deviceNameListSource': [{'name': device}],
                      'snap_id': snap_id, 'restore': True}))
        shown = self.act(snap_id, {'action': 'Rename', 'rename': {
            'new_snapshot_name': 'gs2'}})
        self.assertEqual('gs2', shown['name'])
        self.assertEqual([], self.ids())
        self.assertEqual([snap_id], self.ids('gs2'))

    def test_a_restored_snapshot_is_terminated_with_its_restore(self):
        # The storage-group API has no other way to end a restore.
        self.snap()
        snap_id = self.ids()[0]
        self.act(snap_id, {'action': 'Restore'})
        self.now[0] += 1
        self.assertStatus(204, self.session.delete(
            self.rep('/gs1/snapid/%s' % snap_id)))
        self.assertEqual({}, self.arr.snapshots)

    def test_link_makes_a_missing_target_group(self):
        self.snap()
        snap_id = self.ids()[0]
        self.act(snap_id, {'action': 'Link', 'link': {
            'storage_group_name': 'NEW-TGT'}})
        targets = self.arr.members('NEW-TGT')
        self.assertEqual(3, len(targets))
        self.assertEqual(
            sorted(self.devs), sorted(self.arr.links_to(t)[0][0]
                                      for t in targets))
        self.assertEqual([self.arr.volumes[d].cap_cyl for d in self.devs],
                         [self.arr.volumes[t].cap_cyl for t in targets])

    def test_relink_moves_the_links_to_a_newer_set(self):
        self.snap()
        first = self.ids()[0]
        targets = self.target_group()
        self.act(first, {'action': 'Link', 'link': {
            'storage_group_name': 'TGT'}})
        self.now[0] += 1
        self.snap()
        second = [i for i in self.ids() if i != first][0]
        self.act(second, {'action': 'Relink', 'relink': {
            'storage_group_name': 'TGT'}})
        for target in targets:
            self.assertEqual(second, self.arr.links_to(target)[0][1].snap_id)

    def test_bulk_terminate_by_name(self):
        self.snap()
        self.now[0] += 1
        self.snap()
        self.snap('other')
        self.assertRefused(400, self.session.delete(self.rep('')))
        self.assertStatus(204, self.session.delete(
            self.rep(''), params={'snapshot_name': 'gs1'}))
        self.assertEqual([], self.ids())
        self.assertEqual(1, len(self.ids('other')))
        self.assertStatus(204, self.session.delete(
            self.rep(''), params={'terminate_all_snapshots': 'true'}))
        self.assertEqual({}, self.arr.snapshots)

    def test_groups_with_snapshots(self):
        url = self.url('/storagegroup', category='replication')
        self.assertEqual({'name': []}, self.assertStatus(200, self.session.get(
            url, params={'hasSnapshots': 'true'})))
        self.snap()
        self.assertEqual(['GRP', 'SG1'], self.assertStatus(
            200, self.session.get(url, params={'hasSnapshots': 'true'}))[
                'name'])


class GenerationOnlyTestCase(GroupSnapBase):
    """5977: no snap ids; the generation forms and camelCase bodies."""

    sid = data.VMAX_AFA
    level = 'Optimized'
    count = 2

    def test_snap_ids_are_refused(self):
        self.snap()
        self.assertRefused(400, self.session.get(self.rep('/gs1/snapid')),
                           'generation')

    def test_generation_link_and_terminate(self):
        self.snap()
        self.target_group(count=2)
        shown = self.assertStatus(200, self.session.put(
            self.rep('/gs1/generation/0'), json={
                'action': 'Link', 'link': {'linkStorageGroupName': 'TGT'}}))
        self.assertTrue(shown['isLinked'])
        self.assertStatus(200, self.session.put(
            self.rep('/gs1/generation/0'), json={
                'action': 'Unlink',
                'unlink': {'unlinkStorageGroupName': 'TGT'}}))
        self.assertStatus(204, self.session.delete(
            self.rep('/gs1/generation/0'), params={'force': 'true'}))
        self.assertEqual({}, self.arr.snapshots)
