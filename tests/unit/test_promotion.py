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

"""Array promotion: the primary array is lost for good.

The loss is the fake's: every request naming the primary array fails
(503) and the RDF group's links are down. The backend fails over, is
"failed over" again to the promotion id, and its replicated volumes are
retyped off replication on the target array, which the backend then
serves as its own. Tests assert both arrays' devices, pairs and groups.
"""

from cinder import exception as cinder_exception

from cinder_powermax import options
from tests.unit import group_objects
from tests.unit import test_replication
from tests.unit import test_srdf_modes

TARGET = test_replication.TARGET
RE_SG = test_replication.RE_SG
PLAIN_SG = test_replication.PLAIN_SG
PROMOTION = options.PROMOTION_BACKEND_ID
TEMP_SG = 'OS-%s-temp-rdf-sg'


class PromotionMixin:
    """Lose the primary array, fail over and start the promotion."""

    number = 7

    def lose_primary(self):
        self.fake.model.set_rdf_link(self.array, self.number, False)
        self.fake.faults.add(path=self.array, count=None, status=503)

    def apply(self, volumes, updates):
        by_id = {v.id: v for v in volumes}
        for update in updates:
            by_id[update['volume_id']].update(update['updates'])

    def fail_over(self, volumes):
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, None)
        self.apply(volumes, updates)

    def promote(self, volumes):
        """Lose the primary, fail over and start the promotion."""
        self.lose_primary()
        self.fail_over(volumes)
        backend, updates, groups = self.driver.failover_host(
            self.ctx, volumes, PROMOTION)
        self.assertEqual((PROMOTION, [], []), (backend, updates, groups))

    def host(self, level='Diamond', serial=None):
        """The destination host Cinder's scheduler gives a retype."""
        serial = serial or self.array
        return {'host': 'host@backend#%s+NONE+SRP_1+%s' % (level, serial),
                'capabilities': {'location_info': '%s#SRP_1#%s#NONE' % (
                    serial, level)}}

    def retype(self, volume, vtype, host=None, driver=None):
        driver = driver or self.driver
        done = driver.retype(self.ctx, volume, vtype, {},
                             host or self.host())
        self.assertIsInstance(done, tuple)
        volume.volume_type, volume.volume_type_id = vtype, vtype.id
        volume.update(done[1])
        return done

    def unchanged(self, before):
        """Debris and changes since ``before``, but the lost halves.

        A pair deleted on the promoted array leaves its half on the lost
        primary, which cannot be told.
        """
        return [p for p in self.fake.check(before)
                if not p.startswith(self.array + ': half pair')]

    def writes(self, since):
        return [(r.method, r.path) for r in self.fake.requests[since:]
                if r.method != 'GET']

    def assertPromoted(self, volume, device, default_sg=PLAIN_SG,
                       label=test_replication.LABEL, management=None):
        """Unpaired on the target, in the plain default group alone."""
        self.assertEqual(('disabled', None), (
            volume.replication_status, volume.replication_driver_data))
        self.assertEqual('False', volume.metadata['ReplicationEnabled'])
        self.assertNotIn('R2-DeviceID', volume.metadata)
        self.assertIsNone(self.rem.pair_of(device))
        self.assertEqual([PLAIN_SG], self.rem.groups_of(device))
        self.assertEqual('OS-' + volume.id,
                         self.rem.volumes[device].identifier)
        self.assertEqual('host@backend#Diamond+NONE+SRP_1+%s' % TARGET,
                         volume.host)
        self.assertNotIn(TEMP_SG % label, self.rem.storage_groups)
        if management:
            self.assertNotIn(device, self.rem.members(management)
                             if management in self.rem.storage_groups
                             else [])


class PromotionTest(PromotionMixin, test_replication.ReplicationTestCase):

    def test_promotion_sends_no_srdf_action(self):
        volumes = [self.create_rep(), self.create_rep(size=2)]
        pairs = [self.assertPaired(v) for v in volumes]
        self.lose_primary()
        self.fail_over(volumes)
        states = {r2: self.rem.rdf[7].pairs[r2].state for _r1, r2 in pairs}
        since = len(self.fake.requests)
        backend, updates, groups = self.driver.failover_host(
            self.ctx, volumes, PROMOTION)
        self.assertEqual((PROMOTION, [], []), (backend, updates, groups))
        self.assertEqual([], self.writes(since))
        self.assertEqual(states, {r2: self.rem.rdf[7].pairs[r2].state
                                  for _r1, r2 in pairs})
        self.assertEqual(TARGET, self.driver.common.array.serial)
        # A repeat changes nothing either.
        self.assertEqual(PROMOTION, self.driver.failover_host(
            self.ctx, volumes, PROMOTION)[0])
        self.assertEqual([], self.writes(since))

    def test_refused_when_not_failed_over(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidReplicationTarget,
            self.driver.failover_host, self.ctx, [volume], PROMOTION)
        self.assertIn('fail it over', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual(self.array, self.driver.common.array.serial)
        self.assertPaired(volume)
        self.assertEqual('enabled', volume.replication_status)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_other_secondary_ids_refused_while_promoting(self):
        self.promote([])
        for secondary in (None, 'backend_id_legacy_rep', TARGET):
            error = self.assertRaises(
                cinder_exception.InvalidReplicationTarget,
                self.driver.failover_host, self.ctx, [], secondary)
            self.assertIn('default', str(error))
        self.assertEqual(TARGET, self.driver.common.array.serial)

    def test_stats_repeat_the_pools_under_the_primary(self):
        before = self.driver.get_volume_stats(refresh=True)['pools']
        self.promote([])
        pools = self.driver.get_volume_stats(refresh=True)['pools']
        names = [p['pool_name'] for p in pools]
        self.assertEqual(2 * len(before), len(pools))
        self.assertEqual(sorted(p['pool_name'] for p in before),
                         sorted(n for n in names if n.endswith(self.array)))
        on_target = [n for n in names if n.endswith(TARGET)]
        self.assertEqual(len(before), len(on_target))
        self.assertIn('Diamond+NONE+SRP_1+%s' % self.array, names)
        for pool in pools:
            serial = pool['pool_name'].rpartition('+')[2]
            self.assertEqual(serial, pool['location_info'].split('#')[0])
            self.assertTrue(pool['replication_enabled'])
        # Failed over without promoting: the target's pools alone.
        self.driver.failover_completed(self.ctx, 'backend_id_legacy_rep')
        names = [p['pool_name'] for p in self.driver.get_volume_stats(
            refresh=True)['pools']]
        self.assertEqual(sorted(on_target), sorted(names))

    def test_retype_off_replication(self):
        volume = self.create_rep()
        r1, r2 = self.assertPaired(volume)
        self.fake.write(self.array, r1, 'own data')
        self.promote([volume])
        self.assertEqual(r2, self.device_of(volume))
        self.retype(volume, self.volume_type())
        self.assertPromoted(volume, r2)
        # The host of the promoted volume reaches the R2 and its data.
        connector = self.connector()
        info = self.driver.initialize_connection(volume, connector)
        self.assertEqual([(TARGET, r2)], self.fake.presented(info['data'],
                                                             connector))
        self.assertEqual('own data', self.fake.content(TARGET, r2))
        self.driver.terminate_connection(volume, connector)
        self.assertNotIn(RE_SG, self.rem.storage_groups)
        self.assertEqual({}, self.rem.rdf[7].pairs)
        # Nothing was asked of the lost primary: it keeps its R1, in its
        # group, and its half of the pair.
        self.assertIn(r1, self.arr.members(RE_SG))
        self.assertTrue(self.arr.rdf[7].pairs[r1].half)
        # No debris on either array but that half.
        self.assertEqual([], self.unchanged(None))

    def test_interrupted_retype_driven_again(self):
        volume = self.create_rep()
        r2 = self.assertPaired(volume)[1]
        self.promote([volume])
        old_type = volume.volume_type
        self.fake.faults.add(method='PUT', path=TARGET + '/storagegroup/' +
                             RE_SG, status=500)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.retype, self.ctx, volume,
                          self.volume_type(), {}, self.host())
        # Unpaired, the device is still in its replicated group.
        self.assertIsNone(self.rem.pair_of(r2))
        self.assertEqual([RE_SG], self.rem.groups_of(r2))
        self.assertNotIn(PLAIN_SG, self.rem.storage_groups)
        self.assertIs(old_type, volume.volume_type)
        self.retype(volume, self.volume_type())
        self.assertPromoted(volume, r2)

    def test_retype_from_a_pool_of_the_target(self):
        volume = self.create_rep()
        r2 = self.assertPaired(volume)[1]
        self.promote([volume])
        self.retype(volume, self.volume_type(), host=self.host(
            serial=TARGET))
        self.assertPromoted(volume, r2)

    def test_other_retypes_refused_with_nothing_changed(self):
        volume = self.create_rep()
        r2 = self.assertPaired(volume)[1]
        self.promote([volume])
        before = self.fake.snapshot()
        gold = 'Gold+SRP_1+%s' % self.array
        for vtype, host, named in (
                (self.volume_type({'pool_name': gold}), self.host('Gold'),
                 'service level'),
                (self.volume_type({'pool_name': 'Gold+SRP_1+%s' % TARGET}),
                 self.host('Gold', TARGET), 'Gold'),
                (self.volume_type({'storagetype:disablecompression':
                                   'True'}), None, 'compression'),
                (self.rep_type(), None, 'replicated too'),
                (self.volume_type(), {'host': 'host@other#Diamond+NONE+'
                                      'SRP_2+000197800999',
                                      'capabilities': {
                                          'location_info':
                                          '000197800999#SRP_2#Diamond'}},
                 'not on promoted array')):
            error = self.assertRaises(
                cinder_exception.InvalidInput, self.driver.retype,
                self.ctx, volume, vtype, {}, host or self.host())
            self.assertIn(named, str(error))
            self.assertIn('promoted', str(error))
            self.assertEqual([], self.unchanged(before))
        self.assertEqual([RE_SG], self.rem.groups_of(r2))
        self.assertIsNotNone(self.rem.pair_of(r2))

    def test_plain_volume_cannot_become_replicated(self):
        self.promote([])
        volume = self.create()
        before = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.retype, self.ctx,
            volume, self.rep_type(), {}, self.host(serial=TARGET))
        self.assertIn('not replicated', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual([PLAIN_SG], self.rem.groups_of(
            self.device_of(volume)))

    def test_replicated_create_refused(self):
        self.promote([])
        before = self.fake.snapshot()
        self.assertRaises(cinder_exception.InvalidInput, self.create_rep)
        self.assertEqual([], self.fake.check(before))

    def test_restart_while_promoting(self):
        volume = self.create_rep()
        r2 = self.assertPaired(volume)[1]
        self.promote([volume])
        driver = self.make_driver()
        driver.__init__(configuration=driver.configuration,
                        active_backend_id=PROMOTION)
        driver.do_setup(self.ctx)
        driver.check_for_setup_error()
        self.assertEqual(TARGET, driver.common.array.serial)
        self.assertIn('Diamond+NONE+SRP_1+%s' % self.array, [
            p['pool_name'] for p in driver.get_volume_stats(
                refresh=True)['pools']])
        self.retype(volume, self.volume_type(), driver=driver)
        self.assertPromoted(volume, r2)

    def test_active_active_promotion(self):
        volume = self.create_rep()
        self.lose_primary()
        backend, updates, _groups = self.driver.common.failover([volume])
        self.driver.failover_completed(self.ctx, backend)
        self.apply([volume], updates)
        backend, updates, _groups = self.driver.failover(
            self.ctx, [volume], PROMOTION)
        self.assertEqual((PROMOTION, []), (backend, updates))
        self.driver.failover_completed(self.ctx, backend)
        self.assertTrue(self.driver.common.promoting)
        r2 = self.device_of(volume)
        self.retype(volume, self.volume_type())
        self.assertPromoted(volume, r2)
        self.driver.failover_completed(self.ctx, None)
        self.assertFalse(self.driver.common.promoting)
        self.assertEqual(self.array, self.driver.common.array.serial)


class EndOfPromotionTest(PromotionMixin,
                         test_replication.ReplicationTestCase):

    def promoted_driver(self):
        """The backend configured for the promoted array, restarted."""
        driver = self.make_driver(powermax_array=TARGET,
                                  replication_device=None)
        driver.__init__(configuration=driver.configuration,
                        active_backend_id=PROMOTION)
        driver.do_setup(self.ctx)
        driver.check_for_setup_error()
        return driver

    def test_end_needs_the_promoted_array_configured(self):
        promoted, paired = self.create_rep(), self.create_rep()
        r2 = self.assertPaired(promoted)[1]
        self.promote([promoted, paired])
        self.retype(promoted, self.volume_type())
        before = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidReplicationTarget,
            self.driver.failover_host, self.ctx, [promoted, paired],
            'default')
        self.assertIn('powermax_array to %s' % TARGET, str(error))
        self.assertIn(paired.id, str(error))
        self.assertNotIn(promoted.id, str(error))
        self.assertEqual([], self.unchanged(before))
        self.assertTrue(self.driver.common.promoting)

        driver = self.promoted_driver()
        self.assertEqual(TARGET, driver.common.array.serial)
        backend, updates, _groups = driver.failover_host(
            self.ctx, [promoted, paired], 'default')
        self.assertEqual('default', backend)
        self.apply([promoted, paired], updates)
        self.assertEqual(('disabled', 'error'), (
            promoted.replication_status, paired.replication_status))
        self.assertFalse(driver.common.failed_over)
        self.assertFalse(driver.common.promoting)
        self.assertEqual(TARGET, driver.common.array.serial)
        # The backend serves the promoted volume as its own.
        driver.delete_volume(promoted)
        self.assertNotIn(r2, self.rem.volumes)
        self.assertNotIn(PLAIN_SG, self.rem.storage_groups)

    def test_volumes_of_the_lost_array_are_left_alone(self):
        plain = self.create()
        self.promote([plain])
        self.assertEqual('error', plain.status)
        driver = self.promoted_driver()
        _backend, updates, _groups = driver.failover_host(
            self.ctx, [plain], 'default')
        self.assertEqual([], updates)


class AsyncPromotionTest(PromotionMixin, test_srdf_modes.ModeTestCase):

    number = 8

    def test_retype_off_replication(self):
        volumes = [self.create_rep(), self.create_rep()]
        pairs = [self.assertModePaired(v, ('SyncInProg', 'Consistent'))
                 for v in volumes]
        self.promote(volumes)
        self.retype(volumes[0], self.volume_type())
        self.assertPromoted(volumes[0], pairs[0][1],
                            label=test_srdf_modes.LABELS[8],
                            management=self.management)
        # The other pair is still filed in the management group.
        self.assertEqual([pairs[1][1]], self.rem.members(self.management))
        self.retype(volumes[1], self.volume_type())
        self.assertPromoted(volumes[1], pairs[1][1],
                            label=test_srdf_modes.LABELS[8],
                            management=self.management)
        self.assertNotIn(self.management, self.rem.storage_groups)
        self.assertNotIn(self.default_sg, self.rem.storage_groups)
        self.assertEqual({}, self.rem.rdf[8].pairs)
        self.assertEqual(sorted(p[1] for p in pairs),
                         self.rem.members(PLAIN_SG))


class MetroPromotionTest(PromotionMixin,
                         test_replication.ReplicationTestCase):
    """A Synchronous device, to fail over, and a Metro device."""

    rep = None

    def settings(self):
        values = super().settings()
        values['replication_device'] = [
            test_replication.rep_device(backend_id='sync'),
            test_replication.rep_device(
                backend_id='metro', mode='Metro',
                rdf_group_label=test_srdf_modes.LABELS[9])]
        return values

    def typed(self, backend_id):
        return self.rep_type(
            **{'storagetype:replication_device_backend_id': backend_id})

    def test_active_metro_group_suspended_first(self):
        sync = self.create(1, self.typed('sync'))
        metro = [self.create(1, self.typed('metro')) for _ in range(2)]
        # The primary's Unisphere is lost; the Metro links still work.
        self.promote([sync] + metro)
        r2s = [self.device_of(v) for v in metro]
        management = 'OS-%s-Metro-rdf-sg' % test_srdf_modes.LABELS[9]
        self.assertEqual({'ActiveBias'}, {
            self.rem.rdf[9].pairs[d].state for d in r2s})
        self.retype(metro[0], self.volume_type())
        self.assertPromoted(metro[0], r2s[0],
                            label=test_srdf_modes.LABELS[9],
                            management=management)
        # The group was suspended to let the pair go; the other stays so.
        self.assertEqual([r2s[1]], self.rem.members(management))
        self.assertEqual('Suspended', self.rem.rdf[9].pairs[r2s[1]].state)
        self.assertEqual(sorted(['OS-SRP_1-Diamond-NONE-RM-SG', management]),
                         sorted(self.rem.groups_of(r2s[1])))


class GroupPromotionTest(PromotionMixin, group_objects.GroupTestMixin,
                         test_replication.ReplicationTestCase):

    def setUp(self):
        super().setUp()
        self.vtype = self.rep_type()

    def test_volumes_only_leave_groups(self):
        group = self.group(
            'rg', specs={'consistent_group_replication_enabled':
                         '<is> True'})
        self.driver.create_group(self.ctx, group)
        members = [self.member(group), self.member(group)]
        r2s = [self.assertPaired(v)[1] for v in members]
        name = self.sg(group)
        self.promote(members)
        before = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidInput, self.driver.update_group,
            self.ctx, group, [members[0]], [members[1]])
        self.assertIn('only leave', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertEqual(sorted(r2s), self.rem.members(name))
        self.assertEqual((None, None, None), self.driver.update_group(
            self.ctx, group, [], [members[0]]))
        self.assertEqual([r2s[1]], self.rem.members(name))
        self.retype(members[0], self.volume_type())
        self.assertPromoted(members[0], r2s[0])
