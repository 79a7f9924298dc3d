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

"""Driver setup, stats and pools, interface compliance and parity."""

import inspect
import logging

from cinder import exception as cinder_exception
from cinder.interface import volume_driver
from cinder.interface import volume_snapshot_revert
from cinder.volume import driver as cinder_driver
import ddt
import fixtures

from cinder_powermax import fc
from cinder_powermax import iscsi
from tests import base as tests_base
from tests.fake_unisphere import data
from tests.unit import base

POOL_KEYS = {
    'pool_name', 'total_capacity_gb', 'free_capacity_gb',
    'provisioned_capacity_gb', 'location_info', 'QoS_support',
    'thin_provisioning_support', 'thick_provisioning_support',
    'max_over_subscription_ratio', 'reserved_percentage', 'multiattach',
    'consistencygroup_support', 'consistent_group_snapshot_enabled',
    'replication_enabled', 'group_replication_enabled',
    'consistent_group_replication_enabled'}


@ddt.ddt
class SetupTest(base.DriverTestCase):

    def test_learns_array_once(self):
        info = self.driver.common.array
        self.assertEqual('PowerMax_8000', info.model)
        self.assertTrue(info.next_gen)
        self.assertTrue(info.compression_capable)
        self.assertIn('Diamond', info.service_levels)
        self.assertEqual((), info.workloads)
        before = len(self.fake.requests)
        self.driver.get_volume_stats(refresh=True)
        after = self.fake.requests[before:]
        # A stats refresh reads capacity only; the rest is known.
        self.assertEqual(1, len(after))
        self.assertIn('/srp/SRP_1', after[0].path)

    def test_stats_fail_when_the_srp_cannot_be_read(self):
        self.fake.faults.add(method='GET', path='/srp/SRP_1$', status=500,
                             count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.driver.get_volume_stats, refresh=True)

    def test_verification_off_warned_once(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='cinder_powermax', level=logging.WARNING))
        driver = self.make_driver(driver_ssl_cert_verify=False)
        driver.do_setup(self.ctx)
        for _ in range(3):
            driver.get_volume_stats(refresh=True)
        self.assertEqual(1, logger.output.count('verification of Unisphere '
                                                'is off'))

    def test_array_tagged_at_setup_once(self):
        self.arr.tags.append('prod')
        before = len(self.fake.requests)
        driver = self.make_driver(powermax_array_tag_list=['openstack',
                                                           'prod'])
        driver.do_setup(self.ctx)
        self.assertEqual(['prod', 'openstack'], self.arr.tags)
        edits = [r for r in self.fake.requests[before:]
                 if r.method == 'PUT']
        self.assertEqual(1, len(edits))
        # A restart finds the tags there and changes nothing.
        before = len(self.fake.requests)
        driver = self.make_driver(powermax_array_tag_list=['openstack'])
        driver.do_setup(self.ctx)
        self.assertEqual([], [r for r in self.fake.requests[before:]
                              if r.method != 'GET'])
        self.assertEqual(['prod', 'openstack'], self.arr.tags)

    def test_no_tag_calls_without_tags(self):
        before = len(self.fake.requests)
        self.make_driver().do_setup(self.ctx)
        self.assertEqual([], [r for r in self.fake.requests[before:]
                              if '/tag' in r.path or r.method != 'GET'])

    @ddt.data(
        ({'powermax_array': '000199999999'}, '000199999999'),
        ({'powermax_srp': 'SRP_9'}, 'SRP_9'),
        ({'powermax_service_level': 'Titanium'}, 'Titanium'),
        ({'powermax_port_groups': ['NO-SUCH-PG']}, 'NO-SUCH-PG'),
        ({'powermax_port_groups': ['OS-iscsi-PG']}, 'OS-iscsi-PG'),
    )
    @ddt.unpack
    def test_wrong_configuration_refused(self, overrides, named):
        def setup():
            driver = self.make_driver(**overrides)
            driver.do_setup(self.ctx)
            driver.check_for_setup_error()
        error = self.assertRaises(
            cinder_exception.InvalidConfigurationValue, setup)
        self.assertIn(named, str(error))
        self.assertFalse(any(r.method != 'GET' for r in self.fake.requests))

    def test_stats(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual(base.BACKEND, stats['volume_backend_name'])
        self.assertEqual('Dell EMC', stats['vendor_name'])
        self.assertEqual(fc.PowerMaxFCDriver.VERSION,
                         stats['driver_version'])
        self.assertEqual('FC', stats['storage_protocol'])
        names = [p['pool_name'] for p in stats['pools']]
        self.assertEqual(len(names), len(set(names)))
        self.assertIn('Diamond+NONE+SRP_1+%s' % self.array, names)
        self.assertIn('None+NONE+SRP_1+%s' % self.array, names)
        for pool in stats['pools']:
            self.assertEqual(POOL_KEYS, set(pool))
        pool = stats['pools'][0]
        srp = self.arr.srps['SRP_1']
        self.assertAlmostEqual(srp.total_gb, pool['total_capacity_gb'],
                               delta=1)
        self.assertAlmostEqual(srp.total_gb - srp.used_gb,
                               pool['free_capacity_gb'], delta=1)

    def test_reserved_is_larger_of_config_and_array(self):
        self.arr.srps['SRP_1'].reserved_cap_percent = 10
        self.config.config(group=base.BACKEND, reserved_percentage=5)
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual(10, stats['pools'][0]['reserved_percentage'])
        # cinder.conf is read at setup, as every option is.
        driver = self.make_driver(reserved_percentage=20)
        driver.do_setup(self.ctx)
        stats = driver.get_volume_stats(refresh=True)
        self.assertEqual(20, stats['pools'][0]['reserved_percentage'])


@ddt.ddt
class ArrayProfileTest(base.DriverTestCase):
    """Pools and capabilities per array generation."""

    array = data.VMAX_AFA

    def test_afa_5977_pools_have_workloads(self):
        info = self.driver.common.array
        self.assertFalse(info.next_gen)
        self.assertNotIn('Optimized', info.service_levels)
        stats = self.driver.get_volume_stats(refresh=True)
        names = [p['pool_name'] for p in stats['pools']]
        self.assertIn('Diamond+DSS+SRP_1+%s' % self.array, names)
        self.assertIn('Diamond+OLTP+SRP_1+%s' % self.array, names)

    def test_unknown_workload_refused(self):
        vtype = self.volume_type({'pool_name': 'Diamond+BATCH+SRP_1+%s' %
                                  self.array})
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_volume,
                                  self.volume(vtype=vtype))
        self.assertIn('BATCH', str(error))
        self.assertIn('OLTP', str(error))
        self.assertClean()

    def test_afa_workload_in_group_name(self):
        vtype = self.volume_type({'pool_name': 'Diamond+DSS+SRP_1+%s' %
                                  self.array})
        volume = self.create(vtype=vtype)
        group = self.arr.storage_groups['OS-SRP_1-Diamond-DSS-SG']
        self.assertEqual('DSS', group.workload)
        self.assertIn(self.device_of(volume), group.volumes)


class HybridTest(base.DriverTestCase):

    array = data.VMAX_HYBRID
    service_level = 'Gold'

    def test_disable_compression_ignored(self):
        vtype = self.volume_type({'storagetype:disablecompression': 'True'})
        volume = self.create(vtype=vtype)
        group = self.arr.storage_groups['OS-SRP_1-Gold-NONE-SG']
        self.assertIn(self.device_of(volume), group.volumes)
        self.assertNotIn('OS-SRP_1-Gold-NONE-CD-SG',
                         self.arr.storage_groups)


class PowerMax8500Test(base.DriverTestCase):

    array = data.POWERMAX_8500

    def test_v4_capacity_block(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertGreater(stats['pools'][0]['total_capacity_gb'], 0)
        self.assertTrue(self.driver.common.array.snap_ids)

    def test_create_and_delete(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        self.assertClean()


class Unisphere92Test(base.DriverTestCase):

    version = 'V9.2.1.4'

    def test_works_over_92(self):
        volume = self.create()
        self.assertTrue(all('/92/' in r.path or r.path.endswith('/version')
                            or '/common/' in r.path
                            for r in self.fake.requests))
        self.driver.delete_volume(volume)
        self.assertClean()


class UnisphereFailoverTest(base.DriverTestCase):

    endpoints = ('127.0.0.1:8443', '127.0.0.2:8443')

    def settings(self):
        values = super().settings()
        values['u4p_failover_target'] = [
            'san_ip:127.0.0.2,san_api_port:8443,san_login:%s,'
            'san_password:%s' % (self.fake.username, self.fake.password)]
        return values

    def test_operations_continue_on_standby_and_fail_back(self):
        down = self.fake.faults.add(endpoint='127.0.0.1:8443',
                                    action='drop', count=None)
        volume = self.create()
        self.assertIn(self.device_of(volume), self.arr.volumes)
        self.assertEqual(
            '127.0.0.2', self.driver.common.arrays.client.endpoint.host)
        self.fake.faults.clear()
        self.assertGreater(down.hits, 0)
        # The client tries the primary again a minute after failing over;
        # the test does not wait that long.
        self.driver.common.arrays.client.fail_back_after = 0
        self.driver.get_volume_stats(refresh=True)
        self.assertEqual(
            '127.0.0.1', self.driver.common.arrays.client.endpoint.host)
        self.driver.delete_volume(volume)
        self.assertClean()


class ISCSISetupTest(base.DriverTestCase):

    driver_class = iscsi.PowerMaxISCSIDriver

    def test_stats_protocol(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual('iSCSI', stats['storage_protocol'])

    def test_fc_port_group_refused(self):
        driver = self.make_driver(powermax_port_groups=['OS-fibre-PG'])
        driver.do_setup(self.ctx)
        error = self.assertRaises(cinder_exception.InvalidConfigurationValue,
                                  driver.check_for_setup_error)
        self.assertIn('OS-fibre-PG', str(error))


@ddt.ddt
class ComplianceTest(tests_base.TestCase):

    @ddt.data(fc.PowerMaxFCDriver, iscsi.PowerMaxISCSIDriver)
    def test_volume_driver_interfaces(self, cls):
        # Cinder's interfaces check the required methods in
        # __subclasshook__, as cinder's own compliance test relies on.
        self.assertTrue(issubclass(cls, volume_driver.VolumeDriverCore))
        self.assertTrue(issubclass(
            cls, volume_snapshot_revert.VolumeSnapshotRevertDriver))
        self.assertTrue(issubclass(cls, cinder_driver.BaseVD))

    def test_fc_and_iscsi_expose_the_same_operations(self):
        def operations(cls):
            return {name for name, member in inspect.getmembers(
                cls, predicate=inspect.isfunction)
                if member.__module__.startswith('cinder_powermax')}
        fc_ops = operations(fc.PowerMaxFCDriver)
        self.assertIn('create_volume', fc_ops)
        self.assertEqual(fc_ops, operations(iscsi.PowerMaxISCSIDriver))
        self.assertEqual(fc.PowerMaxFCDriver.VERSION,
                         iscsi.PowerMaxISCSIDriver.VERSION)

    def test_vmax_aliases(self):
        self.assertIs(fc.VMAXFCDriver, fc.PowerMaxFCDriver)
        self.assertIs(iscsi.VMAXISCSIDriver, iscsi.PowerMaxISCSIDriver)
