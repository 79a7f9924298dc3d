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

"""SRDF replication, Synchronous mode, against both arrays of the fake."""

import ast
from concurrent import futures

from cinder import exception as cinder_exception
import ddt

from tests.fake_unisphere import data
from tests.unit import base

TARGET = data.POWERMAX_8000_R
RE_SG = 'OS-SRP_1-Diamond-NONE-RE-SG'
PLAIN_SG = 'OS-SRP_1-Diamond-NONE-SG'
LABEL = '23_24_007'


def rep_device(**changes):
    device = {'target_device_id': TARGET, 'remote_port_group': 'OS-fibre-PG',
              'remote_pool': 'SRP_1', 'rdf_group_label': LABEL}
    device.update(changes)
    return device


class ReplicationTestCase(base.DriverTestCase):
    """A backend with one Synchronous replication device."""

    rep = rep_device()

    def settings(self):
        values = super().settings()
        if self.rep is not None:
            values['replication_device'] = [self.rep]
        return values

    @property
    def rem(self):
        return self.fake.model.arrays[TARGET]

    def rep_type(self, **extra):
        specs = {'replication_enabled': '<is> True'}
        specs.update(extra)
        return self.volume_type(specs)

    def create_rep(self, size=1, **fields):
        return self.create(size, self.rep_type(), **fields)

    def all_at_once(self, func, volumes):
        """Run ``func`` on every volume in threads of its own.

        A volume takes the model update its call returns.

        :returns: the errors the calls raised
        """
        def run(volume):
            result = func(volume)
            if result:
                volume.update(result)

        with futures.ThreadPoolExecutor(max_workers=len(volumes)) as pool:
            done = [pool.submit(run, volume) for volume in volumes]
        return [f.exception() for f in done if f.exception() is not None]

    def r2_of(self, volume):
        return ast.literal_eval(volume.replication_driver_data)['device_id']

    def assertPaired(self, volume):
        """R1 on the primary, R2 on the target, synchronised, named."""
        r1, r2 = self.device_of(volume), self.r2_of(volume)
        pair = self.arr.rdf[7].pairs[r1]
        self.assertEqual((self.array, r1, TARGET, r2),
                         (pair.r1_sid, pair.r1_dev, pair.r2_sid, pair.r2_dev))
        self.assertIs(pair, self.rem.rdf[7].pairs[r2])
        self.assertEqual('Synchronous', pair.mode)
        ident = 'OS-' + volume.id
        self.assertEqual(ident, self.arr.volumes[r1].identifier)
        self.assertEqual(ident, self.rem.volumes[r2].identifier)
        self.assertIn(r1, self.arr.members(RE_SG))
        self.assertIn(r2, self.rem.members(RE_SG))
        self.assertEqual(self.arr.volumes[r1].cap_cyl,
                         self.rem.volumes[r2].cap_cyl)
        return r1, r2

    def assertUnpaired(self):
        self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertEqual({}, self.rem.rdf[7].pairs)

    def connector(self, host='RepHost'):
        found = {'host': host, 'wwpns': ['10000090fa0000%02x' % len(host)],
                 'initiator': 'iqn.1993-08.org.debian:01:%s' % host.lower(),
                 'multipath': True, 'ip': '10.0.0.9', 'platform': 'x86_64',
                 'os_type': 'linux2'}
        self.log_in(found)
        return found


@ddt.ddt
class SetupTest(ReplicationTestCase):

    def setup_error(self, **overrides):
        driver = self.make_driver(**overrides)
        error = self.assertRaises(
            cinder_exception.InvalidConfigurationValue,
            lambda: (driver.do_setup(self.ctx),
                     driver.check_for_setup_error()))
        return str(error)

    @ddt.unpack
    @ddt.data(
        ({'remote_pool': None}, 'remote_pool'),
        ({'rdf_group_label': ''}, 'rdf_group_label'),
        ({'colour': 'blue'}, 'colour'),
        ({'metro_use_bias': 'True'}, 'Metro'),
        ({'mode': 'async', 'allow_delete_metro': 'True'}, 'Metro'),
        ({'backend_id': 'pmax_failover_start_array_promotion'}, 'reserves'),
        ({'mode': 'fast'}, "'fast'"),
        ({'allow_extend': 'maybe'}, 'allow_extend'),
        ({'target_device_id': data.POWERMAX_8000}, 'target_device_id'),
        ({'target_device_id': '12'}, 'target_device_id'),
        ({'sync_retries': 'many'}, 'sync_retries'))
    def test_bad_key_refused(self, changes, named):
        device = {k: v for k, v in rep_device(**changes).items()
                  if v is not None}
        before = self.fake.snapshot()
        self.assertIn(named, self.setup_error(replication_device=[device]))
        self.assertEqual([], self.fake.check(before))

    @ddt.unpack
    @ddt.data(
        # Without backend ids both are the legacy one.
        ({}, {'mode': 'async', 'rdf_group_label': '23_24_008'},
         'backend_id_legacy_rep'),
        ({'backend_id': 'a'}, {'backend_id': 'b',
                               'rdf_group_label': '23_24_008'}, 'mode'),
        ({'backend_id': 'a'}, {'backend_id': 'b', 'mode': 'Metro'},
         '23_24_007'),
        ({'backend_id': 'a'}, {'backend_id': 'b', 'mode': 'Metro',
                               'rdf_group_label': '23_24_008',
                               'remote_pool': 'SRP_2'}, 'remote_pool'))
    def test_two_devices_must_differ(self, first, second, named):
        before = self.fake.snapshot()
        message = self.setup_error(replication_device=[
            rep_device(**first), rep_device(**second)])
        self.assertIn(named, message)
        self.assertEqual([], self.fake.check(before))

    def test_four_devices_refused(self):
        message = self.setup_error(replication_device=[
            rep_device(backend_id=str(n), mode=mode,
                       rdf_group_label='23_24_%03d' % n)
            for n, mode in ((7, 'sync'), (8, 'async'), (9, 'metro'),
                            (10, 'sync'))])
        self.assertIn('at most 3', message)

    @ddt.unpack
    @ddt.data(
        ({'rdf_group_label': '99_99_999'}, '23_24_007'),
        ({'remote_pool': 'SRP_9'}, 'SRP_1'),
        ({'remote_port_group': 'nope-PG'}, 'OS-fibre-PG'),
        ({'remote_port_group': 'OS-iscsi-PG'}, 'iscsi'),
        ({'target_device_id': '000197899999'}, TARGET))
    def test_array_checks(self, changes, valid):
        message = self.setup_error(replication_device=[rep_device(
            **changes)])
        self.assertIn(valid, message)
        self.assertIn(list(changes)[0], message)

    def test_offline_rdf_group_refused(self):
        self.fake.model.set_rdf_link(self.array, 7, False)
        self.assertIn('offline', self.setup_error())

    def test_all_optional_keys(self):
        driver = self.make_driver(replication_device=[rep_device(
            mode='Synchronous', allow_extend='True', metro_use_bias='False',
            allow_delete_metro='false', backend_id='dr_site',
            sync_interval='2', sync_retries='50')])
        driver.do_setup(self.ctx)
        driver.check_for_setup_error()
        device = driver.common.settings.replication
        self.assertEqual((True, 'dr_site', 2, 50), (
            device.allow_extend, device.backend_id, device.sync_interval,
            device.sync_retries))
        self.assertEqual([TARGET], driver.get_volume_stats(
            True)['replication_targets'])
        backend, _updates, _groups = driver.failover_host(self.ctx, [],
                                                          'dr_site')
        self.assertEqual('dr_site', backend)
        self.assertEqual(TARGET, driver.common.array.serial)

    def test_stats(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertTrue(stats['replication_enabled'])
        self.assertEqual([TARGET], stats['replication_targets'])
        for pool in stats['pools']:
            self.assertTrue(pool['replication_enabled'], pool['pool_name'])
            self.assertEqual(1, pool['replication_count'])
            self.assertEqual(['sync'], pool['replication_type'])
            self.assertIn(self.array, pool['pool_name'])


class NoReplicationTest(ReplicationTestCase):

    rep = None

    def test_replicated_type_refused(self):
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.create_rep)
        self.assertIn('replication_device', str(error))
        self.assertEqual([], self.fake.check(before))
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertFalse(stats['replication_enabled'])
        self.assertFalse(stats['pools'][0]['replication_enabled'])

    def test_failover_refused(self):
        self.assertRaises(cinder_exception.InvalidReplicationTarget,
                          self.driver.failover_host, self.ctx, [], None)


class CreateDeleteTest(ReplicationTestCase):

    def test_first_and_later_volumes(self):
        first = self.create_rep()
        self.assertEqual('enabled', first.replication_status)
        self.assertEqual({'device_id': self.r2_of(first), 'array': TARGET},
                         ast.literal_eval(first.replication_driver_data))
        self.assertPaired(first)
        before = len(self.fake.requests)
        second = self.create_rep(2)
        self.assertPaired(second)
        puts = [r for r in self.fake.requests[before:]
                if r.method in ('PUT', 'POST', 'DELETE')]
        # One storage-group edit makes the R1 and its R2; one rename.
        self.assertEqual(2, len(puts), [r.path for r in puts])
        for volume in (second, first):
            self.driver.delete_volume(volume)
        self.assertEqual({}, self.arr.rdf[7].pairs)
        self.assertEqual({}, self.rem.rdf[7].pairs)
        self.assertNotIn(RE_SG, self.arr.storage_groups)
        self.assertNotIn(RE_SG, self.rem.storage_groups)
        self.assertClean()

    def test_metadata(self):
        volume = self.create_rep()
        self.assertEqual('True', volume.metadata['ReplicationEnabled'])
        self.assertEqual(self.r2_of(volume), volume.metadata['R2-DeviceID'])
        self.assertEqual(TARGET, volume.metadata['R2-ArrayID'])
        self.assertEqual(LABEL, volume.metadata['RDFG-Label'])
        self.driver.delete_volume(volume)

    def test_plain_and_replicated_side_by_side(self):
        plain = self.create()
        replicated = self.create_rep()
        self.assertIn(self.device_of(plain), self.arr.members(PLAIN_SG))
        self.assertIsNone(self.arr.pair_of(self.device_of(plain)))
        self.assertNotIn(PLAIN_SG, self.rem.storage_groups)
        self.driver.delete_volume(replicated)
        self.assertIn(self.device_of(plain), self.arr.volumes)
        self.driver.delete_volume(plain)
        self.assertClean()

    def test_service_level_falls_back_on_the_target(self):
        self.rem.service_levels.remove('Gold')
        self.driver = self.make_driver()
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        volume = self.create(vtype=self.rep_type(
            pool_name='Gold+SRP_1+%s' % self.array))
        r1, r2 = self.device_of(volume), self.r2_of(volume)
        self.assertIn(r1, self.arr.members('OS-SRP_1-Gold-NONE-RE-SG'))
        self.assertIn(r2, self.rem.members('OS-no_SLO-RE-SG'))
        self.assertIsNone(self.rem.storage_groups['OS-no_SLO-RE-SG'].slo)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_delete_of_a_half_deleted_volume(self):
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        # An earlier delete removed the pair and died.
        self.arr.unpair(self.arr.rdf[7].pairs[r1])
        self.driver.delete_volume(volume)
        self.assertNotIn(r1, self.arr.volumes)
        self.assertNotIn(r2, self.rem.volumes)
        self.assertClean()

    def test_repeat_after_a_failed_create(self):
        self.fake.faults.add(method='GET', path='/rdf_group/7/volume/',
                             status=500)
        volume = self.volume(vtype=self.rep_type())
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.create_volume, volume)
        self.assertClean()
        volume.update(self.driver.create_volume(volume))
        self.assertPaired(volume)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_create_reuses_a_complete_pair(self):
        volume = self.volume(vtype=self.rep_type())
        update = self.driver.create_volume(volume)
        # Cinder lost the answer and drives the create again.
        again = self.driver.create_volume(volume)
        self.assertEqual(update['provider_location'],
                         again['provider_location'])
        volume.update(again)
        self.assertPaired(volume)
        self.assertEqual(1, len(self.arr.rdf[7].pairs))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_sixteen_concurrent_creates_and_deletes(self):
        vtype = self.rep_type()
        volumes = [self.volume(vtype=vtype) for _ in range(16)]
        self.assertEqual([], self.all_at_once(self.driver.create_volume,
                                              volumes))
        self.assertEqual(16, len(self.arr.rdf[7].pairs))
        for volume in volumes:
            self.assertPaired(volume)
        self.assertEqual([], self.all_at_once(self.driver.delete_volume,
                                              volumes))
        self.assertUnpaired()
        self.assertClean()


class Unisphere92Test(ReplicationTestCase):
    """Unisphere 9.2 gives a device's RDF group as a bare number."""

    version = 'V9.2.1.4'

    def test_create_failover_delete(self):
        volumes = [self.create_rep(), self.create_rep()]
        for volume in volumes:
            self.assertPaired(volume)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, None)
        self.assertEqual(['failed-over'] * 2, [
            u['updates']['replication_status'] for u in updates])
        self.driver.failover_host(self.ctx, volumes, 'default')
        for volume in volumes:
            self.driver.delete_volume(volume)
        self.assertUnpaired()
        self.assertClean()


class ExtendTest(ReplicationTestCase):
    """Both arrays on PowerMaxOS 5978: online, without allow_extend."""

    def test_both_sides_grow_online(self):
        other = self.create_rep()
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        start = len(self.fake.requests)
        self.driver.extend_volume(volume, 3)
        self.assertEqual((3.0, 3.0), (self.arr.volumes[r1].cap_gb,
                                      self.rem.volumes[r2].cap_gb))
        # The pair replicated throughout: no SRDF action, no group made.
        self.assertEqual([], [(r.method, r.path)
                              for r in self.fake.requests[start:]
                              if r.method != 'GET' and (
                                  '/rdf_group' in r.path or
                                  r.path.endswith('/storagegroup'))])
        self.assertIn(self.arr.rdf[7].pairs[r1].state,
                      ('SyncInProg', 'Synchronized'))
        self.assertEqual(1.0, self.arr.volumes[self.device_of(other)].cap_gb)
        for item in (volume, other):
            self.driver.delete_volume(item)
        self.assertClean()

    def failed_extend(self, volume):
        """Extend ``volume`` to 2 GB with its expansion refused."""
        r1 = self.device_of(volume)
        self.fake.faults.add(method='PUT', path='/volume/%s' % r1,
                             status=500)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.extend_volume, volume, 2)
        return r1

    def test_failed_extend_can_be_repeated(self):
        volume = self.create_rep()
        r1 = self.failed_extend(volume)
        self.assertEqual(1.0, self.arr.volumes[r1].cap_gb)
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2.0, self.rem.volumes[self.r2_of(volume)].cap_gb)
        self.driver.delete_volume(volume)
        self.assertClean()


class LegacyExtendTest(ReplicationTestCase):
    """The target on HyperMax OS 5977: suspend, grow, resume."""

    def settings(self):
        # Before the driver learns the arrays.
        self.rem.ucode = '5977.1125.1125'
        return super().settings()

    def test_refused_without_allow_extend(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.extend_volume, volume, 2)
        self.assertIn('allow_extend', str(error))
        self.assertIn('5977', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual(1.0, self.arr.volumes[self.device_of(volume)].cap_gb)
        self.driver.delete_volume(volume)


class AllowExtendTest(LegacyExtendTest):

    rep = rep_device(allow_extend='True')
    test_refused_without_allow_extend = None

    def test_both_sides_grow(self):
        other = self.create_rep()
        volume = self.create_rep()
        self.driver.extend_volume(volume, 3)
        r1, r2 = self.assertPaired(volume)
        self.assertEqual(3.0, self.arr.volumes[r1].cap_gb)
        self.assertEqual(3.0, self.rem.volumes[r2].cap_gb)
        self.assertEqual(1.0, self.arr.volumes[self.device_of(other)].cap_gb)
        self.assertIn(self.arr.rdf[7].pairs[r1].state,
                      ('SyncInProg', 'Synchronized'))
        self.assertNotIn('OS-%s-temp-rdf-sg' % LABEL, self.arr.storage_groups)
        for item in (volume, other):
            self.driver.delete_volume(item)
        self.assertClean()

    failed_extend = ExtendTest.failed_extend

    def test_failed_extend_resumes(self):
        volume = self.create_rep()
        r1 = self.failed_extend(volume)
        self.assertNotEqual('Suspended', self.arr.rdf[7].pairs[r1].state)
        self.assertNotIn('OS-%s-temp-rdf-sg' % LABEL, self.arr.storage_groups)
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2.0, self.rem.volumes[self.r2_of(volume)].cap_gb)
        self.driver.delete_volume(volume)
        self.assertClean()


class SnapshotCloneTest(ReplicationTestCase):

    def test_snapshot_and_replicated_clone(self):
        source = self.create_rep()
        snap = self.take_snapshot(source)
        r1 = self.device_of(source)
        self.assertTrue(self.arr.is_snapvx_source(r1))
        clone = self.volume(vtype=self.rep_type())
        clone.update(self.driver.create_volume_from_snapshot(clone, snap))
        self.assertPaired(clone)
        copy = self.volume(vtype=self.rep_type())
        copy.update(self.driver.create_cloned_volume(copy, source))
        self.assertPaired(copy)
        plain = self.volume()
        update = self.driver.create_cloned_volume(plain, source)
        self.assertNotIn('replication_driver_data', update)
        plain.update(update)
        self.assertIsNone(self.arr.pair_of(self.device_of(plain)))
        self.driver.delete_snapshot(snap)
        for volume in (copy, clone, plain, source):
            self.driver.delete_volume(volume)
        self.assertUnpaired()
        self.assertClean()


class FailoverTest(ReplicationTestCase):

    def apply(self, volumes, updates):
        by_id = {v.id: v for v in volumes}
        for update in updates:
            by_id[update['volume_id']].update(update['updates'])

    def test_failover_and_failback(self):
        volumes = [self.create_rep(), self.create_rep(size=2)]
        plain = self.create()
        pairs = [self.assertPaired(v) for v in volumes]
        backend, updates, groups = self.driver.failover_host(
            self.ctx, volumes + [plain], None)
        self.assertEqual(('backend_id_legacy_rep', []), (backend, groups))
        self.apply(volumes + [plain], updates)
        self.assertEqual('error', plain.status)
        for volume, (r1, r2) in zip(volumes, pairs):
            self.assertEqual('failed-over', volume.replication_status)
            self.assertEqual({'array': TARGET, 'device_id': r2},
                             ast.literal_eval(volume.provider_location))
            self.assertEqual('Failed Over', self.arr.rdf[7].pairs[r1].state)
        self.assertNotIn('OS-%s-temp-rdf-sg' % LABEL, self.rem.storage_groups)
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertIn(TARGET, stats['pools'][0]['pool_name'])
        # The volumes live on the target now.
        connector = self.connector()
        self.driver.initialize_connection(volumes[0], connector)
        self.assertTrue(self.rem.views_of_device(pairs[0][1]))
        self.assertFalse(self.arr.views_of_device(pairs[0][0]))
        self.driver.terminate_connection(volumes[0], connector)
        self.assertRaises(cinder_exception.InvalidReplicationTarget,
                          self.driver.failover_host, self.ctx, volumes, None)
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, 'default')
        self.assertEqual('default', backend)
        self.apply(volumes, updates)
        for volume, (r1, r2) in zip(volumes, pairs):
            self.assertEqual('enabled', volume.replication_status)
            self.assertEqual(r1, self.device_of(volume))
            self.assertIn(self.arr.rdf[7].pairs[r1].state,
                          ('SyncInProg', 'Synchronized'))
        self.assertIn(self.array, self.driver.get_volume_stats(
            refresh=True)['pools'][0]['pool_name'])
        for volume in volumes + [plain]:
            self.driver.delete_volume(volume)
        self.assertClean()

    def failover_calls(self, volumes, secondary):
        before = len(self.fake.requests)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, secondary)
        self.apply(volumes, updates)
        return len(self.fake.requests) - before

    def test_calls_do_not_grow_with_the_volumes(self):
        # Each device's identity is checked in one listing of its array,
        # not by a read per volume.
        one = [self.create_rep()]
        four = [self.create_rep() for _ in range(4)]
        calls = [(self.failover_calls(volumes, None),
                  self.failover_calls(volumes, 'default'))
                 for volumes in (one, four)]
        self.assertEqual(calls[0], calls[1])
        for volume in one + four:
            self.assertEqual('enabled', volume.replication_status)

    def test_a_broken_pair_does_not_hold_the_others_back(self):
        volumes = [self.create_rep(), self.create_rep()]
        good, broken = [self.assertPaired(v) for v in volumes]
        # Someone deleted the second volume's pair and R2 on the array.
        self.arr.unpair(self.arr.rdf[7].pairs[broken[0]])
        self.rem.remove_volumes(RE_SG, [broken[1]])
        self.rem.delete_volume(broken[1])
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, None)
        self.apply(volumes, updates)
        self.assertEqual('failed-over', volumes[0].replication_status)
        self.assertEqual('Failed Over', self.arr.rdf[7].pairs[good[0]].state)
        self.assertEqual('error', volumes[1].replication_status)
        self.assertEqual(broken[0], self.device_of(volumes[1]))
        self.assertNotIn('OS-%s-temp-rdf-sg' % LABEL, self.rem.storage_groups)
        self.driver.failover_host(self.ctx, volumes[:1], 'default')
        self.driver.delete_volume(volumes[0])
        self.arr.remove_volumes(RE_SG, [broken[0]])
        self.arr.delete_volume(broken[0])
        for array in (self.arr, self.rem):
            array.delete_group(RE_SG)
        self.assertClean()

    def test_failover_with_the_primary_lost(self):
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.fake.model.set_rdf_link(self.array, 7, False)
        self.fake.faults.add(path=self.array, count=None, status=503)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [volume], None)
        self.apply([volume], updates)
        self.assertEqual('failed-over', volume.replication_status)
        self.assertEqual('Failed Over', self.rem.rdf[7].pairs[r2].state)
        self.assertEqual('Ready', self.rem.rdf[7].pairs[r2].volume_state(
            'R2'))
        self.fake.faults.clear()
        self.fake.model.set_rdf_link(self.array, 7, True)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [volume], 'default')
        self.apply([volume], updates)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_restart_failed_over(self):
        volume = self.create_rep()
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [volume], None)
        self.apply([volume], updates)
        # The primary array is out of reach: the restart never asks for it.
        self.fake.faults.add(path=self.array, count=None, status=503)
        driver = self.make_driver()
        driver.__init__(configuration=driver.configuration,
                        active_backend_id='backend_id_legacy_rep')
        driver.do_setup(self.ctx)
        driver.check_for_setup_error()
        self.assertEqual(TARGET, driver.common.array.serial)
        self.assertIn(TARGET, driver.get_volume_stats(
            refresh=True)['pools'][0]['pool_name'])
        r1, r2 = self.r2_of(volume), self.device_of(volume)
        self.assertEqual(TARGET, ast.literal_eval(
            volume.provider_location)['array'])
        snap = self.snapshot(volume)
        driver.create_snapshot(snap)
        self.assertTrue(self.rem.is_snapvx_source(r2))
        self.assertEqual(r1, self.arr.rdf[7].pairs[r1].r1_dev)
        driver.delete_snapshot(snap)
        self.assertRaises(cinder_exception.InvalidInput,
                          driver.extend_volume, volume, 2)
        self.fake.faults.clear()
        driver.failover_host(self.ctx, [volume], 'default')
        self.driver.delete_volume(volume)

    def test_active_active(self):
        volume = self.create_rep()
        backend, updates, _groups = self.driver.failover(
            self.ctx, [volume], None)
        # The cluster's failover leaves the state to failover_completed.
        self.assertEqual(self.array, self.driver.common.array.serial)
        self.driver.failover_completed(self.ctx, backend)
        self.assertEqual(TARGET, self.driver.common.array.serial)
        self.apply([volume], updates)
        _backend, updates, _groups = self.driver.failover(
            self.ctx, [volume], 'default')
        self.driver.failover_completed(self.ctx, '')
        self.assertEqual(self.array, self.driver.common.array.serial)
        self.apply([volume], updates)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_the_in_tree_secondary_id(self):
        backend, _updates, _groups = self.driver.failover_host(
            self.ctx, [], 'failed over')
        self.assertEqual(TARGET, self.driver.common.array.serial)
        self.driver.failover_host(self.ctx, [], 'default')
        self.assertEqual(self.array, self.driver.common.array.serial)

    def test_bad_secondary_ids(self):
        for secondary in ('default', 'elsewhere'):
            self.assertRaises(cinder_exception.InvalidReplicationTarget,
                              self.driver.failover_host, self.ctx, [],
                              secondary)

    def test_replicated_create_refused_while_failed_over(self):
        self.driver.failover_host(self.ctx, [], None)
        self.assertRaises(cinder_exception.InvalidInput, self.create_rep)
        plain = self.create()
        self.assertIn(self.device_of(plain), self.rem.volumes)
        self.driver.delete_volume(plain)
        self.driver.failover_host(self.ctx, [], 'default')
        self.assertClean()


class RetypeManageTest(ReplicationTestCase):

    def host(self, level='Diamond'):
        return {'host': 'host@other#%s+SRP_1+%s' % (level, self.array),
                'capabilities': {'location_info': '%s#SRP_1#%s#NONE' % (
                    self.array, level)}}

    def retype(self, volume, vtype):
        done = self.driver.retype(self.ctx, volume, vtype, {}, self.host())
        if done:
            volume.volume_type, volume.volume_type_id = vtype, vtype.id
            if isinstance(done, tuple):
                volume.update(done[1])
        return done

    def test_to_replicated_and_back(self):
        keeper = self.create_rep()
        volume = self.create()
        device = self.device_of(volume)
        self.assertTrue(self.retype(volume, self.rep_type()))
        self.assertEqual('enabled', volume.replication_status)
        self.assertEqual(device, self.assertPaired(volume)[0])
        self.assertEqual((self.r2_of(volume), 'True', device), (
            volume.metadata['R2-DeviceID'],
            volume.metadata['ReplicationEnabled'],
            volume.metadata['DeviceID']))
        self.assertNotIn(PLAIN_SG, self.arr.storage_groups)
        r2 = self.r2_of(volume)
        self.assertTrue(self.retype(volume, self.volume_type()))
        self.assertEqual('disabled', volume.replication_status)
        self.assertNotIn('R2-DeviceID', volume.metadata)
        self.assertEqual('False', volume.metadata['ReplicationEnabled'])
        self.assertIsNone(self.arr.pair_of(device))
        self.assertNotIn(r2, self.rem.volumes)
        self.assertEqual([PLAIN_SG], self.arr.groups_of(device))
        self.assertPaired(keeper)
        for item in (volume, keeper):
            self.driver.delete_volume(item)
        self.assertClean()

    def test_first_volume_of_the_group(self):
        volume = self.create()
        self.assertTrue(self.retype(volume, self.rep_type()))
        self.assertPaired(volume)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_failed_pairing_leaves_the_volume_as_it_was(self):
        volume = self.create()
        device = self.device_of(volume)
        before = self.fake.snapshot()
        self.fake.faults.add(method='GET', path='/rdf_group/7/volume/',
                             status=500)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.retype, volume, self.rep_type())
        self.assertEqual([], self.fake.check(before))
        self.assertEqual([PLAIN_SG], self.arr.groups_of(device))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_attached_goes_by_migration(self):
        volume = self.create()
        self.driver.initialize_connection(volume, self.connector())
        self.assertFalse(self.retype(volume, self.rep_type()))
        self.driver.terminate_connection(volume, self.connector())
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_manage_into_a_replicated_type(self):
        self.arr.create_group('user_sg', srp='SRP_1', slo='Gold')
        keeper = self.arr.create_volumes('user_sg', 1, 547, 'keeper')[0]
        device = self.arr.create_volumes('user_sg', 1, 547, 'appvol')[0]
        volume = self.volume(vtype=self.rep_type())
        volume.update(self.driver.manage_existing(volume,
                                                  {'source-id': device}))
        self.assertEqual(device, self.assertPaired(volume)[0])
        self.assertNotIn(PLAIN_SG, self.arr.storage_groups)
        self.driver.delete_volume(volume)
        self.assertEqual(['user_sg'], self.arr.groups_of(keeper))


class AttachTest(ReplicationTestCase):

    def test_attach_the_r1(self):
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        connector = self.connector()
        self.driver.initialize_connection(volume, connector)
        self.assertTrue(self.arr.views_of_device(r1))
        self.assertFalse(self.rem.views_of_device(r2))
        # The seeds' child group of a replicated volume: the -RE suffix.
        self.assertEqual(['OS-RepHost-SRP_1-DiamodNONE-OS-fibre-PG-RE'],
                         self.arr.groups_of(r1))
        self.assertIs(self.arr.rdf[7].pairs[r1], self.rem.rdf[7].pairs[r2])
        self.driver.terminate_connection(volume, connector)
        self.assertIn(r1, self.arr.members(RE_SG))
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_attach_without_service_level(self):
        volume = self.create(vtype=self.rep_type(
            pool_name='None+SRP_1+%s' % self.array))
        r1, r2 = self.device_of(volume), self.r2_of(volume)
        self.assertIn(r1, self.arr.members('OS-no_SLO-RE-SG'))
        self.assertIn(r2, self.rem.members('OS-no_SLO-RE-SG'))
        connector = self.connector()
        self.driver.initialize_connection(volume, connector)
        # Non-FAST, replicated: the seeds' child name keeps the -RE.
        child = 'OS-RepHost-No_SLO-OS-fibre-PG-RE'
        self.assertEqual([child], self.arr.groups_of(r1))
        self.assertIsNone(self.arr.storage_groups[child].slo)
        self.assertIn(child, self.arr.storage_groups[
            'OS-RepHost-F-OS-fibre-PG-SG'].children)
        self.assertNotIn('OS-RepHost-No_SLO-OS-fibre-PG',
                         self.arr.storage_groups)
        self.driver.terminate_connection(volume, connector)
        self.assertEqual(['OS-no_SLO-RE-SG'], self.arr.groups_of(r1))
        self.assertNotIn(child, self.arr.storage_groups)
        self.driver.delete_volume(volume)
        self.assertClean()
