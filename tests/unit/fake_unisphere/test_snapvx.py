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

"""SnapVX through the private volume-level endpoints (reference 11.1)."""

import ddt

from tests.fake_unisphere import data
from tests.fake_unisphere import snapvx
from tests.unit.fake_unisphere import base

SNAP_ID_ARRAYS = (data.POWERMAX_8000, data.POWERMAX_8500)
GEN_ARRAYS = (data.VMAX_AFA, data.VMAX_HYBRID)


class SnapVXTestCase(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.now = [1000.0]
        self.fake.app.jobs.clock = lambda: self.now[0]

    def use(self, sid):
        self.sid = sid

    def priv(self, path):
        return '%s/univmax/restapi/private/%s/replication/symmetrix/%s%s' % (
            self.fake.base_urls[0], self.api, self.sid, path)

    def devices(self, count=2, size='1', sg='SG1', name='OS-vol'):
        if sg not in self.arr.storage_groups:
            self.create_sg(sg, slo='Diamond' if self.arr.next_gen
                           else 'Optimized')
        return self.create_volumes(sg, size, count, name)

    def snap(self, name, sources, **extra):
        body = {'deviceNameListSource': [{'name': d} for d in sources],
                'bothSides': 'false', 'star': 'false', 'force': 'false'}
        body.update(extra)
        return self.session.post(self.priv('/snapshot/%s' % name),
                                 json=body)

    def modify(self, name, action, sources, targets=None, **extra):
        body = {'action': action,
                'deviceNameListSource': [{'name': d} for d in sources]}
        if targets is not None:
            body['deviceNameListTarget'] = [{'name': d} for d in targets]
        body.update(extra)
        return self.session.put(self.priv('/snapshot/%s' % name), json=body)

    def link(self, name, source, target, copy=False, **extra):
        extra.setdefault('generation', '0')
        return self.modify(name, 'Link', [source], [target],
                           copy='true' if copy else 'false', exact='false',
                           remote='false', symforce='false', **extra)

    def delete(self, name, sources, **extra):
        body = {'deviceNameListSource': [{'name': d} for d in sources]}
        body.update(extra)
        return self.session.delete(self.priv('/snapshot/%s' % name),
                                   json=body)

    def info(self, device):
        return self.assertStatus(200, self.session.get(
            self.priv('/volume/%s/snapshot' % device)))

    def volume(self, device):
        return self.assertStatus(200, self.call('GET', '/volume/%s' %
                                                device))

    def private_volume(self, device):
        wwn = self.arr.volumes[device].wwn
        body = self.assertStatus(200, self.session.get(self.url(
            '/volume', category='sloprovisioning').replace(
                '/univmax/restapi/', '/univmax/restapi/private/'),
            params={'wwn': wwn}))
        return body['resultList']['result'][0]


@ddt.ddt
class CreateTest(SnapVXTestCase):

    def test_create_and_list(self):
        source, other = self.devices()
        self.assertStatus(201, self.snap('snap1', [source]))
        body = self.info(source)
        self.assertEqual('%s:OS-vol' % source, body['deviceName'])
        self.assertEqual([], body['snapshotLnks'])
        [src] = body['snapshotSrcs']
        self.assertEqual('snap1', src['snapshotName'])
        self.assertEqual(0, src['generation'])
        self.assertIsInstance(src['snap_id'], int)
        self.assertGreater(src['snap_id'], 2 ** 32)
        self.assertEqual('Established', src['state'])
        self.assertFalse(src['expired'] or src['secured'] or
                         src['isRestored'])
        self.assertEqual([], src['linkedDevices'])
        self.assertTrue(self.volume(source)['snapvx_source'])
        self.assertFalse(self.volume(other)['snapvx_source'])
        self.assertEqual([], self.info(other)['snapshotSrcs'])
        [instance] = self.arr.snapshots_of(source)
        self.assertEqual(('snap1', src['snap_id'], 0, []),
                         (instance.name, instance.snap_id,
                          instance.generation, instance.links))
        finder = self.private_volume(source)['timeFinderInfo']
        self.assertTrue(finder['snapVXSrc'])
        self.assertFalse(finder['snapVXTgt'])
        header = finder['snapVXSession'][0]['srcSnapshotGenInfo'][0][
            'snapshotHeader']
        self.assertEqual(('snap1', 0, src['snap_id'], False),
                         (header['snapshotName'], header['generation'],
                          header['snapid'], header['expired']))
        self.assertEqual(1000000, header['timestamp'])

    def test_several_sources_share_a_snap_id(self):
        first, second = self.devices()
        self.assertStatus(201, self.snap('set', [first, second]))
        ids = {self.info(d)['snapshotSrcs'][0]['snap_id']
               for d in (first, second)}
        self.assertEqual(1, len(ids))

    @ddt.data('', 'a' * 33, 'bad.name', 'with space')
    def test_bad_name(self, name):
        source = self.devices(1)[0]
        response = self.session.post(
            self.priv('/snapshot/%s' % name),
            json={'deviceNameListSource': [{'name': source}]})
        self.assertIn(response.status_code, (400, 404, 405))
        self.assertEqual({}, self.arr.snapshots)

    def test_missing_device(self):
        self.assertRefused(404, self.snap('snap1', ['0FFFF']), '0FFFF')
        self.assertRefused(404, self.session.get(
            self.priv('/volume/0FFFF/snapshot')))

    def test_generations_shift(self):
        source = self.devices(1)[0]
        self.assertStatus(201, self.snap('snap', [source]))
        self.now[0] += 10
        self.assertStatus(201, self.snap('snap', [source]))
        self.assertStatus(201, self.snap('other', [source]))
        srcs = self.info(source)['snapshotSrcs']
        gens = {(s['snapshotName'], s['generation']): s['snap_id']
                for s in srcs}
        self.assertEqual({('snap', 0), ('snap', 1), ('other', 0)},
                         set(gens))
        self.assertGreater(gens['snap', 0], gens['snap', 1])
        older = self.assertStatus(200, self.session.get(self.priv(
            '/volume/%s/snapshot/snap/generation/1' % source)))
        self.assertEqual(gens['snap', 1], older['snapshotSrc']['snap_id'])
        named = self.assertStatus(200, self.session.get(self.priv(
            '/volume/%s/snapshot/snap' % source)))
        self.assertEqual([0, 1], named['generation'])
        self.assertRefused(404, self.session.get(self.priv(
            '/volume/%s/snapshot/nothing' % source)))
        # Renaming the newest makes the older one generation 0 again.
        self.assertStatus(200, self.modify(
            'snap', 'Rename', [source], [source], newsnapshotname='renamed',
            snap_id=gens['snap', 0]))
        names = {(i.name, i.generation): i.snap_id
                 for i in self.arr.snapshots_of(source)}
        self.assertEqual(gens['snap', 1], names['snap', 0])
        self.assertEqual(gens['snap', 0], names['renamed', 0])

    def test_max_sessions(self):
        source = self.devices(1)[0]
        for index in range(snapvx.MAX_SESSIONS - 1):
            self.arr.create_snapshot('s%d' % index, [source], 0.0)
        self.assertStatus(201, self.snap('last', [source]))
        self.assertRefused(409, self.snap('one-more', [source]),
                           'The maximum number of sessions has been '
                           'exceeded for the specified Source device')

    def test_ttl_expiry(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('ttl', [source], timeToLive=1,
                                         timeInHours='true'))
        self.assertStatus(201, self.snap('kept', [source], timeToLive=1,
                                         timeInHours='true'))
        self.assertStatus(200, self.link('kept', source, target))
        self.assertEqual(1, self.info(source)['snapshotSrcs'][0]['ttl'])
        self.now[0] += 3600
        srcs = self.info(source)['snapshotSrcs']
        self.assertEqual([('kept', True)],
                         [(s['snapshotName'], s['expired']) for s in srcs])


@ddt.ddt
class PersonalityTest(SnapVXTestCase):

    @ddt.data(*SNAP_ID_ARRAYS)
    def test_snap_id_capable(self, sid):
        self.use(sid)
        self.assertTrue(self.arr.snap_id_capable)
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(201, self.snap('s', [source]))
        older = [s for s in self.info(source)['snapshotSrcs']
                 if s['generation'] == 1][0]
        self.assertStatus(200, self.modify(
            's', 'Link', [source], [target], copy='false',
            snap_id=older['snap_id']))
        self.assertEqual(
            [older['snap_id']],
            [i.snap_id for i in self.arr.snapshots_of(source) if i.links])
        self.assertRefused(404, self.delete('s', [source], snap_id=12345),
                           'Snapshot s (snap_id 12345) cannot be found on '
                           'device %s' % source)
        self.assertStatus(204, self.delete('s', [source], generation=0))

    @ddt.data(*GEN_ARRAYS)
    def test_generation_only(self, sid):
        self.use(sid)
        self.assertFalse(self.arr.snap_id_capable)
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(201, self.snap('s', [source]))
        srcs = self.info(source)['snapshotSrcs']
        self.assertFalse(any('snap_id' in s for s in srcs))
        snap_id = self.arr.snapshots_of(source)[0].snap_id
        self.assertRefused(400, self.modify(
            's', 'Link', [source], [target], snap_id=snap_id), 'snap_id')
        self.assertRefused(400, self.delete('s', [source], snap_id=snap_id),
                           'snap_id')
        self.assertStatus(200, self.link('s', source, target,
                                         generation='1'))
        self.assertEqual([1], [i.generation
                               for i in self.arr.snapshots_of(source)
                               if i.links])
        header = self.private_volume(source)['timeFinderInfo'][
            'snapVXSession'][0]['srcSnapshotGenInfo'][0]['snapshotHeader']
        self.assertNotIn('snapid', header)
        self.assertStatus(204, self.delete('s', [source], generation=0))


class LinkTest(SnapVXTestCase):

    def test_copy_link_progresses_with_the_clock(self):
        self.fake.latency.job_duration = 5
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target, copy=True))
        link = self.info(source)['snapshotSrcs'][0]['linkedDevices'][0]
        self.assertEqual((target, 'CopyInProg', True, False, 0),
                         (link['targetDevice'], link['state'], link['copy'],
                          link['defined'], link['percentageCopied']))
        self.now[0] += 4
        self.assertEqual('CopyInProg', self.info(source)['snapshotSrcs'][0][
            'linkedDevices'][0]['state'])
        self.now[0] += 1
        link = self.info(source)['snapshotSrcs'][0]['linkedDevices'][0]
        self.assertEqual(('Copied', True, 100),
                         (link['state'], link['defined'],
                          link['percentageCopied']))
        [(src, instance, model_link)] = self.arr.links_to(target)
        self.assertEqual((source, 's', target, 'Copied', True, True),
                         (src, instance.name, model_link.target,
                          model_link.state, model_link.copy,
                          model_link.defined))
        # The target side.
        self.assertTrue(self.volume(target)['snapvx_target'])
        self.assertFalse(self.volume(target)['snapvx_source'])
        lnks = self.info(target)['snapshotLnks']
        self.assertEqual([(source, 'Copied', True, True)],
                         [(x['linkSourceName'], x['state'], x['copy'],
                           x['defined']) for x in lnks])
        finder = self.private_volume(target)['timeFinderInfo']
        self.assertTrue(finder['snapVXTgt'])
        info = finder['snapVXSession'][0]['tgtSrcSnapshotGenInfo']
        self.assertEqual(('s', source, target, instance.snap_id),
                         (info['snapshotName'], info['sourceDevice'],
                          info['targetDevice'], info['snapid']))

    def test_copy_link_with_zero_duration(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        body = self.assertStatus(200, self.link('s', source, target,
                                                copy=True))
        self.assertEqual('CopyInProg', body['snapshotSrcs'][0][
            'linkedDevices'][0]['state'])
        link = self.info(source)['snapshotSrcs'][0]['linkedDevices'][0]
        self.assertEqual(('Copied', True), (link['state'], link['defined']))

    def test_nocopy_link(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target))
        link = self.info(source)['snapshotSrcs'][0]['linkedDevices'][0]
        self.assertEqual(('Linked', False, True),
                         (link['state'], link['copy'], link['defined']))

    def test_link_rules(self):
        source, target, third = self.devices(3)
        small = self.devices(1, size='0.5', sg='SG2')[0]
        self.assertStatus(201, self.snap('s', [source]))
        self.assertRefused(404, self.link('nope', source, target),
                           'Snapshot nope (generation 0) cannot be found '
                           'on device %s' % source)
        self.assertRefused(404, self.link('s', source, '0FFFF'), '0FFFF')
        self.assertRefused(400, self.link('s', source, source), source)
        self.assertRefused(400, self.link('s', source, small), 'smaller')
        self.assertRefused(400, self.modify('s', 'Link', [source],
                                            [target, third]), 'parallel')
        self.assertStatus(200, self.link('s', source, target))
        self.assertRefused(409, self.link('s', source, target),
                           'already a SnapVX link target')
        self.assertStatus(201, self.snap('t', [third]))
        self.assertRefused(409, self.link('t', third, target),
                           'already a SnapVX link target')

    def test_unlink(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target))
        self.assertStatus(200, self.modify('s', 'Unlink', [source], [target],
                                           generation='0'))
        self.assertEqual([], self.info(source)['snapshotSrcs'][0][
            'linkedDevices'])
        self.assertFalse(self.volume(target)['snapvx_target'])
        self.assertRefused(404, self.modify('s', 'Unlink', [source],
                                            [target]),
                           'Device %s is not linked to snapshot s' % target)

    def test_delete_refused_with_links_then_allowed(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target))
        self.assertRefused(409, self.delete('s', [source], generation=0),
                           'linked target(s) %s' % target)
        self.assertStatus(200, self.modify('s', 'Unlink', [source],
                                           [target]))
        self.assertEqual(204, self.delete('s', [source],
                                          generation=0).status_code)
        self.assertEqual({}, self.arr.snapshots)
        self.assertFalse(self.volume(source)['snapvx_source'])


class RestoreTest(SnapVXTestCase):

    def test_restore_and_terminate(self):
        self.fake.latency.job_duration = 5
        source = self.devices(1)[0]
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.modify(
            's', 'Restore', [source], [source], star='false',
            force='false'))
        src = self.info(source)['snapshotSrcs'][0]
        self.assertEqual([(source, 'RestoreInProg')],
                         [(x['targetDevice'], x['state'])
                          for x in src['linkedDevices']])
        self.assertFalse(self.volume(source)['snapvx_target'])
        self.assertRefused(409, self.delete('s', [source], restore=True),
                           'still in progress')
        self.now[0] += 5
        src = self.info(source)['snapshotSrcs'][0]
        self.assertEqual('Restored', src['linkedDevices'][0]['state'])
        self.assertTrue(src['isRestored'])
        self.assertRefused(409, self.delete('s', [source]),
                           'restore session')
        self.assertEqual(204, self.delete('s', [source],
                                          restore=True).status_code)
        src = self.info(source)['snapshotSrcs'][0]
        self.assertEqual([], src['linkedDevices'])
        self.assertRefused(400, self.delete('s', [source], restore=True),
                           'no restore session')
        self.assertEqual(204, self.delete('s', [source]).status_code)

    def test_restore_refused_while_copying(self):
        self.fake.latency.job_duration = 5
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target, copy=True))
        self.assertRefused(409, self.modify('s', 'Restore', [source],
                                            [source]),
                           'Link must be fully copied for this operation '
                           'to proceed')
        self.assertRefused(400, self.modify('s', 'Restore', [source],
                                            [target]), 'source')
        self.now[0] += 5
        self.assertStatus(200, self.modify('s', 'Restore', [source],
                                           [source]))


@ddt.ddt
class OtherObjectsTest(SnapVXTestCase):

    def _free(self, *devices):
        self.edit_sg('SG1', {'removeVolumeParam': {'volumeId':
                                                   list(devices)}})

    def test_volume_delete_refused_for_source_and_target(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target))
        self._free(source, target)
        self.assertRefused(409, self.call('DELETE', '/volume/%s' % source),
                           'SnapVX source')
        self.assertRefused(409, self.call('DELETE', '/volume/%s' % target),
                           'SnapVX link target')
        self.assertStatus(200, self.modify('s', 'Unlink', [source],
                                           [target]))
        self.assertEqual(204, self.call('DELETE', '/volume/%s' % target)
                         .status_code)
        self.assertEqual(204, self.delete('s', [source]).status_code)
        self.assertEqual(204, self.call('DELETE', '/volume/%s' % source)
                         .status_code)

    @ddt.data((data.VMAX_AFA, 409), (data.POWERMAX_8000, 200),
              (data.POWERMAX_8500, 200))
    @ddt.unpack
    def test_expand_snapshot_source(self, sid, status):
        self.use(sid)
        source = self.devices(1)[0]
        self.assertStatus(201, self.snap('s', [source]))
        response = self.call('PUT', '/volume/%s' % source, {
            'editVolumeActionParam': {'expandVolumeParam': {
                'volumeAttribute': {'volume_size': '2',
                                    'capacityUnit': 'GB'}}}})
        if status == 409:
            self.assertRefused(409, response, 'SnapVX source')
        else:
            self.assertEqual(2.0, self.assertStatus(200, response)['cap_gb'])


class LeakCheckTest(SnapVXTestCase):

    def test_temp_snapshot_and_anonymous_target_reported(self):
        source = self.devices(1)[0]
        bare = self.devices(1, name=None)[0]
        baseline = self.fake.snapshot()
        self.assertStatus(201, self.snap('temp-%s-clone' % source, [source]))
        self.assertStatus(201, self.snap('kept', [source]))
        self.assertStatus(200, self.link('kept', source, bare))
        problems = '\n'.join(self.fake.check())
        self.assertIn('SnapVX snapshot temp-%s-clone of %s' % (source,
                                                               source),
                      problems)
        self.assertIn('is linked to %s, a volume with no identifier' % bare,
                      problems)
        self.assertNotIn('kept of %s (snap_id %s) is left' % (source, ''),
                         problems)
        diff = '\n'.join(self.fake.check(baseline))
        self.assertIn('new snapshot kept of %s' % source, diff)
        self.assertIn('new snapvx link kept of %s' % source, diff)
        self.assertIn('-> %s' % bare, diff)

    def test_named_link_is_legitimate(self):
        source, target = self.devices()
        self.assertStatus(201, self.snap('s', [source]))
        self.assertStatus(200, self.link('s', source, target))
        self.assertEqual([], self.fake.check())
        baseline = self.fake.snapshot()
        self.assertStatus(200, self.modify('s', 'Unlink', [source],
                                           [target]))
        self.assertIn('is gone', '\n'.join(self.fake.check(baseline)))


class AsyncTest(SnapVXTestCase):

    def test_async_create_link_delete(self):
        source, target = self.devices()
        job = self.run_job(self.snap('s', [source],
                                     executionOption='ASYNCHRONOUS'))
        self.assertEqual('SUCCEEDED', job['status'])
        self.assertEqual(1, len(self.arr.snapshots_of(source)))
        job = self.run_job(self.modify('s', 'Link', [source], [target],
                                       copy='true',
                                       executionOption='ASYNCHRONOUS'))
        self.assertEqual('SUCCEEDED', job['status'])
        job = self.run_job(self.delete('s', [source],
                                       executionOption='ASYNCHRONOUS'))
        self.assertEqual('FAILED', job['status'])
        self.assertIn('linked target', job['result'])
        self.assertEqual('Copied', self.info(source)['snapshotSrcs'][0][
            'linkedDevices'][0]['state'])
        self.run_job(self.modify('s', 'Unlink', [source], [target],
                                 executionOption='ASYNCHRONOUS'))
        job = self.run_job(self.delete('s', [source],
                                       executionOption='ASYNCHRONOUS'))
        self.assertEqual('SUCCEEDED', job['status'])
        self.assertEqual([], self.arr.snapshots_of(source))
        self.assertEqual([], self.fake.check())
