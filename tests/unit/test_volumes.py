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

"""Create, delete, extend, compression and QoS against the fake array."""

import ast
from concurrent import futures
import logging

from cinder import exception as cinder_exception
import ddt
import fixtures

from cinder_powermax import volspec
from tests.fake_unisphere import data
from tests.unit import base

SID = data.POWERMAX_8000


@ddt.ddt
class CreateVolumeTest(base.DriverTestCase):

    def test_create_in_default_group(self):
        volume = self.create(size=2)
        device = self.device_of(volume)
        dev = self.arr.volumes[device]
        self.assertEqual('OS-%s' % volume.id, dev.identifier)
        self.assertEqual(2.0, dev.cap_gb)
        group = self.arr.storage_groups['OS-SRP_1-Diamond-NONE-SG']
        self.assertEqual({device}, set(group.volumes))
        self.assertEqual('Diamond', group.slo)
        self.assertEqual('SRP_1', group.srp)
        self.assertTrue(group.compression)
        location = ast.literal_eval(volume.provider_location)
        self.assertEqual({'array': SID, 'device_id': device}, location)
        self.assertEqual(device, volume.metadata['DeviceID'])
        self.assertEqual([], self.fake.check())

    def test_second_volume_shares_group(self):
        one = self.create()
        two = self.create()
        group = self.arr.storage_groups['OS-SRP_1-Diamond-NONE-SG']
        self.assertEqual({self.device_of(one), self.device_of(two)},
                         set(group.volumes))

    @ddt.data(
        ({'pool_name': 'Gold+SRP_1+%s' % SID}, 'OS-SRP_1-Gold-NONE-SG',
         'Gold', True),
        ({'pool_name': 'Silver+NONE+SRP_1+%s' % SID},
         'OS-SRP_1-Silver-NONE-SG', 'Silver', True),
        ({'pool_name': 'Bronze+SRP_1+%s' % SID,
          'storagetype:disablecompression': '<is> True'},
         'OS-SRP_1-Bronze-NONE-CD-SG', 'Bronze', False),
        ({'storagetype:disablecompression': 'True'},
         'OS-SRP_1-Diamond-NONE-CD-SG', 'Diamond', False),
        ({'pool_name': 'None+SRP_1+%s' % SID}, 'OS-no_SLO-SG', None, None),
        # PowerMaxOS 5978 has no workloads: a VMAX-era pool still works.
        ({'pool_name': 'Diamond+OLTP+SRP_1+%s' % SID},
         'OS-SRP_1-Diamond-NONE-SG', 'Diamond', True),
    )
    @ddt.unpack
    def test_pool_and_extra_specs(self, specs, group_name, level,
                                  compression):
        volume = self.create(vtype=self.volume_type(specs))
        group = self.arr.storage_groups[group_name]
        self.assertIn(self.device_of(volume), group.volumes)
        self.assertEqual(level or 'NONE', group.slo or 'NONE')
        if compression is not None:
            self.assertEqual(compression, group.compression)

    @ddt.data('yes', '1', 'disabled', '<is> maybe', 'Truee')
    def test_disable_compression_needs_true_or_false(self, value):
        baseline = self.fake.snapshot()
        vtype = self.volume_type({'storagetype:disablecompression': value})
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.create, vtype=vtype)
        self.assertIn('storagetype:disablecompression', str(error))
        self.assertIn(value, str(error))
        self.assertClean(baseline)

    def test_long_bad_input_quoted_short(self):
        vtype = self.volume_type({'pool_name': 'x' * 5000})
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.create, vtype=vtype)
        self.assertIn('pool_name', str(error))
        self.assertLess(len(str(error)), 800)

    def test_port_group_extra_spec_kept(self):
        vtype = self.volume_type({'storagetype:portgroupname':
                                  'OS-fibre2-PG'})
        volume = self.volume(vtype=vtype)
        spec = volspec.resolve(volume, self.driver.common.array,
                               self.driver.common.settings)
        self.assertEqual('OS-fibre2-PG', spec.port_group)

    def test_repeated_create_reuses_device(self):
        volume = self.volume()
        first = self.driver.create_volume(volume)
        second = self.driver.create_volume(volume)
        self.assertEqual(first['provider_location'],
                         second['provider_location'])
        named = [v for v in self.arr.volumes.values()
                 if v.identifier == 'OS-%s' % volume.id]
        self.assertEqual(1, len(named))

    @ddt.data(
        ({'pool_name': 'Titanium+SRP_1+%s' % SID}, 'Titanium'),
        ({'pool_name': 'Diamond+SRP_9+%s' % SID}, 'SRP_9'),
        ({'pool_name': 'Diamond+SRP_1+000199999999'}, '000199999999'),
        ({'pool_name': 'Diamond'}, 'Diamond'),
        ({'pool_name': 'a+b+c+d+e'}, 'a+b+c+d+e'),
    )
    @ddt.unpack
    def test_bad_pool_refused(self, specs, named):
        volume = self.volume(vtype=self.volume_type(specs))
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_volume, volume)
        if named:
            self.assertIn(named, str(error))
        self.assertClean()
        self.assertFalse(any(r.method != 'GET' for r in self.fake.requests))

    @ddt.data(0, -1, 1.5, 'ten', None)
    def test_bad_size_refused(self, size):
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_volume,
                                  _SizedVolume(self.volume(), size))
        self.assertIn(str(size), str(error))
        self.assertClean()


class _SizedVolume:
    """A volume whose size bypasses the object field's coercion."""

    def __init__(self, volume, size):
        self._volume = volume
        self.size = size

    def __getattr__(self, name):
        return getattr(self._volume, name)


@ddt.ddt
class QosTest(base.DriverTestCase):

    def group(self):
        return self.arr.storage_groups['OS-SRP_1-Diamond-NONE-SG']

    def preset(self, limits):
        sloprov = self.driver.common.arrays.get().sloprov
        sloprov.create_storage_group(
            'OS-SRP_1-Diamond-NONE-SG', srp='SRP_1',
            service_level='Diamond', workload='NONE', no_compression=False)
        sloprov.set_host_io_limits('OS-SRP_1-Diamond-NONE-SG', limits)

    QOS = {'total_iops_sec': '500', 'total_bytes_sec': '104857600',
           'DistributionType': 'Always'}

    def test_use_case_1_default_values(self):
        self.create(vtype=self.volume_type(qos=self.QOS))
        self.assertEqual({'host_io_limit_io_sec': '500',
                          'host_io_limit_mb_sec': '100',
                          'dynamicDistribution': 'Always'},
                         self.group().host_io_limit)

    def test_use_case_2_preset_limits_replaced(self):
        self.preset({'host_io_limit_io_sec': 2000,
                     'host_io_limit_mb_sec': 2000,
                     'dynamicDistribution': 'Never'})
        self.create(vtype=self.volume_type(qos=self.QOS, consumer='both'))
        self.assertEqual({'host_io_limit_io_sec': '500',
                          'host_io_limit_mb_sec': '100',
                          'dynamicDistribution': 'Always'},
                         self.group().host_io_limit)

    def test_use_case_3_distribution_changed(self):
        self.preset({'host_io_limit_io_sec': 500,
                     'host_io_limit_mb_sec': 100,
                     'dynamicDistribution': 'Always'})
        qos = dict(self.QOS, DistributionType='OnFailure')
        self.create(vtype=self.volume_type(qos=qos))
        self.assertEqual('OnFailure',
                         self.group().host_io_limit['dynamicDistribution'])

    def test_use_case_4_distribution_alone_changes_nothing(self):
        self.create(vtype=self.volume_type(
            qos={'DistributionType': 'Always'}))
        self.assertFalse(self.group().host_io_limit)

    def test_front_end_qos_ignored(self):
        self.create(vtype=self.volume_type(qos=self.QOS,
                                           consumer='front-end'))
        self.assertFalse(self.group().host_io_limit)

    @ddt.data({'total_iops_sec': '99'}, {'total_iops_sec': '100001'},
              {'total_bytes_sec': '1048575'},
              {'total_iops_sec': '500', 'DistributionType': 'Sometimes'},
              {'total_iops_sec': 'many'}, {'total_iops_sec': '150'})
    def test_invalid_qos_refused_before_anything(self, qos):
        volume = self.volume(vtype=self.volume_type(qos=qos))
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_volume, volume)
        self.assertIn(list(qos.values())[-1], str(error))
        self.assertClean()


class DeleteVolumeTest(base.DriverTestCase):

    def test_delete_removes_device_and_empty_group(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        self.assertNotIn(self.device_of(volume), self.arr.volumes)
        self.assertNotIn('OS-SRP_1-Diamond-NONE-SG',
                         self.arr.storage_groups)
        self.assertClean()

    def test_delete_keeps_group_with_other_volumes(self):
        one = self.create()
        two = self.create()
        self.driver.delete_volume(one)
        group = self.arr.storage_groups['OS-SRP_1-Diamond-NONE-SG']
        self.assertEqual({self.device_of(two)}, set(group.volumes))

    def test_delete_is_idempotent(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        self.driver.delete_volume(volume)
        self.assertClean()

    def test_delete_never_created(self):
        self.driver.delete_volume(self.volume())
        self.assertClean()

    def test_device_of_another_volume_untouched(self):
        mine = self.create()
        other = self.volume(provider_location=mine.provider_location)
        self.driver.delete_volume(other)
        self.assertIn(self.device_of(mine), self.arr.volumes)

    def test_capacity_returned_to_srp(self):
        srp = self.arr.srps['SRP_1']
        before = srp.subscribed_gb
        volume = self.create(size=10)
        self.assertGreater(srp.subscribed_gb, before)
        self.driver.delete_volume(volume)
        self.assertEqual(before, srp.subscribed_gb)


class ExtendVolumeTest(base.DriverTestCase):

    def test_extend(self):
        volume = self.create(size=1)
        self.driver.extend_volume(volume, 5)
        self.assertEqual(5.0, self.arr.volumes[self.device_of(volume)].cap_gb)

    def test_shrink_refused(self):
        volume = self.create(size=4)
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.extend_volume, volume, 2)
        self.assertIn('only grow', str(error))
        self.assertEqual(4.0, self.arr.volumes[self.device_of(volume)].cap_gb)

    def test_extend_missing_device(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        self.assertRaises(cinder_exception.InvalidInput,
                          self.driver.extend_volume, volume, 3)


class MetadataLogTest(base.DriverTestCase):

    def test_table_logged_at_debug_only(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='cinder_powermax.metadata', level=logging.DEBUG))
        volume = self.create()
        self.assertIn('successful_operation', logger.output)
        self.assertIn('| create', logger.output)
        self.assertIn(self.device_of(volume), logger.output)
        self.assertIn('OS-SRP_1-Diamond-NONE-SG', logger.output)

    def test_no_table_above_debug(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='cinder_powermax.metadata', level=logging.INFO))
        self.create()
        self.assertNotIn('successful_operation', logger.output)


class DefaultGroupRaceTest(base.DriverTestCase):
    """Creating into a default group while another operation empties it."""

    GROUP = 'OS-SRP_1-Diamond-NONE-SG'

    def test_create_whose_group_went_while_its_job_ran(self):
        keeper = self.create()
        rule = self.fake.faults.add(
            method='PUT', path='/storagegroup/%s$' % self.GROUP,
            action='fail_job',
            message='The requested storage group cannot be found')
        volume = self.create()
        self.assertEqual(1, rule.hits)
        device = self.device_of(volume)
        self.assertIn(device, self.arr.storage_groups[self.GROUP].volumes)
        self.assertEqual([device], [d for d, v in self.arr.volumes.items()
                                    if v.identifier == 'OS-' + volume.id])
        self.driver.delete_volume(volume)
        self.driver.delete_volume(keeper)
        self.assertClean()

    def test_other_job_failures_are_not_retried(self):
        first = self.create()
        baseline = self.fake.snapshot()
        self.fake.faults.add(method='PUT', path='/storagegroup/%s$' %
                             self.GROUP, action='fail_job',
                             message='Insufficient capacity')
        before = len(self.fake.requests)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.create)
        creates = [r for r in self.fake.requests[before:]
                   if r.method == 'PUT' and 'addVolumeParam' in str(r.body)]
        self.assertEqual(1, len(creates))
        self.assertClean(baseline)
        self.driver.delete_volume(first)

    def test_concurrent_creates_and_deletes_in_one_group(self):
        self.fake.latency.job_duration = 0.02
        vtype = self.volume_type()

        def cycle(_):
            for _round in range(3):
                volume = self.create(vtype=vtype)
                self.driver.delete_volume(volume)

        with futures.ThreadPoolExecutor(max_workers=8) as pool:
            for job in [pool.submit(cycle, n) for n in range(8)]:
                job.result()
        self.assertClean()
