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

"""Tables for the pure helpers: extra specs, QoS, locations, sizes."""

import ddt

from cinder_powermax import utils
from tests import base as tests_base
from tests.unit import base

ARRAY = '000197800123'
MIB = 1024 * 1024


@ddt.ddt
class ExtraSpecTestCase(tests_base.TestCase):

    @ddt.data(True, 'True', 'true', '<is> True', '<is> true', 'TRUE',
              ' <is>True ')
    def test_is_true(self, value):
        self.assertTrue(utils.is_true(value))

    @ddt.data(False, None, 'False', '<is> False', 'yes', 1, '', 'truex')
    def test_is_not_true(self, value):
        self.assertFalse(utils.is_true(value))


@ddt.ddt
class QosTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.unpack
    @ddt.data(
        (None, {}),
        ({}, {}),
        ({'total_iops_sec': '100'}, {'host_io_limit_io_sec': 100}),
        ({'total_iops_sec': 100000}, {'host_io_limit_io_sec': 100000}),
        ({'total_bytes_sec': str(MIB)}, {'host_io_limit_mb_sec': 1}),
        ({'total_bytes_sec': str(MIB + 1)}, {'host_io_limit_mb_sec': 2}),
        ({'total_bytes_sec': str(MIB * 3 // 2)}, {'host_io_limit_mb_sec': 2}),
        ({'total_bytes_sec': str(100000 * MIB)},
         {'host_io_limit_mb_sec': 100000}),
        ({'total_iops_sec': '500', 'total_bytes_sec': '104857600',
          'DistributionType': 'always'},
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Always'}),
        ({'total_iops_sec': '500', 'DistributionType': 'ONFAILURE'},
         {'host_io_limit_io_sec': 500, 'dynamicDistribution': 'OnFailure'}),
        ({'total_bytes_sec': '104857600', 'DistributionType': 'never'},
         {'host_io_limit_mb_sec': 100, 'dynamicDistribution': 'Never'}),
        # A distribution type alone has no limit to distribute.
        ({'DistributionType': 'Always'}, {}),
        # Front-end only keys are the hypervisor's business.
        ({'read_iops_sec': '5', 'total_iops_sec': '200'},
         {'host_io_limit_io_sec': 200}))
    def test_qos_limits(self, specs, expected):
        self.assertEqual(expected, utils.qos_limits(specs))

    @ddt.unpack
    @ddt.data(
        ('total_iops_sec', '99', '100 to 100000'),
        ('total_iops_sec', '100001', '100 to 100000'),
        ('total_iops_sec', '0', '100 to 100000'),
        ('total_iops_sec', '-500', '100 to 100000'),
        ('total_iops_sec', '500.5', '100 to 100000'),
        ('total_iops_sec', 'lots', '100 to 100000'),
        ('total_iops_sec', True, '100 to 100000'),
        ('total_bytes_sec', str(MIB - 1), '1048576'),
        ('total_bytes_sec', str(100000 * MIB + 1), '104857600000'),
        ('total_bytes_sec', '1e9', '104857600000'),
        ('DistributionType', 'Sometimes', 'Never, OnFailure, Always'),
        ('DistributionType', '', 'Never, OnFailure, Always'))
    def test_qos_limits_invalid(self, key, value, valid):
        error = self.assertInvalid(key, utils.qos_limits, {key: value})
        self.assertIn(repr(value), str(error))
        self.assertIn(valid, str(error))

    def test_invalid_distribution_alone_still_raises(self):
        self.assertInvalid('DistributionType', utils.qos_limits,
                           {'DistributionType': 'Sometimes'})

    # Seed 001, QoS use cases 1-4: the array state before, the QoS spec,
    # and the keys the driver must send.
    SPEC = {'total_iops_sec': '500', 'total_bytes_sec': '104857600',
            'DistributionType': 'Always'}

    @ddt.unpack
    @ddt.named_data(
        ['use_case_1_default_values', None, SPEC,
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Always'}],
        ['use_case_2_preset_limits',
         {'host_io_limit_io_sec': '2000', 'host_io_limit_mb_sec': '2000',
          'dynamicDistribution': 'Never'}, SPEC,
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Always'}],
        ['use_case_3_distribution_only',
         {'host_io_limit_io_sec': '500', 'host_io_limit_mb_sec': '100',
          'dynamicDistribution': 'Always'},
         dict(SPEC, DistributionType='OnFailure'),
         {'dynamicDistribution': 'OnFailure'}],
        ['use_case_4_distribution_alone', None,
         {'DistributionType': 'Always'}, {}])
    def test_seed_use_cases(self, current, spec, expected):
        self.assertEqual(expected,
                         utils.qos_changes(current, utils.qos_limits(spec)))

    @ddt.unpack
    @ddt.data(
        # Nothing wanted: nothing sent, whatever the array has.
        ({'host_io_limit_io_sec': '500'}, {}, {}),
        (None, None, {}),
        # Already there (Unisphere answers with strings).
        ({'host_io_limit_io_sec': '500', 'host_io_limit_mb_sec': '100',
          'dynamicDistribution': 'Always'},
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Always'}, {}),
        ({'host_io_limit_io_sec': 500}, {'host_io_limit_io_sec': 500}, {}),
        ({'dynamicDistribution': 'always'},
         {'dynamicDistribution': 'Always'}, {}),
        # NoLimit, missing and N/A all mean no limit yet.
        ({'host_io_limit_io_sec': 'NoLimit',
          'host_io_limit_mb_sec': 'nolimit', 'dynamicDistribution': 'N/A'},
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Never'},
         {'host_io_limit_io_sec': 500, 'host_io_limit_mb_sec': 100,
          'dynamicDistribution': 'Never'}),
        ({}, {'host_io_limit_mb_sec': 100}, {'host_io_limit_mb_sec': 100}),
        # Only the changed limit is sent; the other is left alone.
        ({'host_io_limit_io_sec': '500', 'host_io_limit_mb_sec': '100'},
         {'host_io_limit_io_sec': 600, 'host_io_limit_mb_sec': 100},
         {'host_io_limit_io_sec': 600}),
        ({'host_io_limit_io_sec': '500', 'host_io_limit_mb_sec': '100'},
         {'host_io_limit_io_sec': 500},
         {}))
    def test_qos_changes(self, current, wanted, expected):
        self.assertEqual(expected, utils.qos_changes(current, wanted))


@ddt.ddt
class ProviderLocationTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.data({'array': ARRAY, 'device_id': '0001A'},
              {'source_id': '0001A', 'snap_name': 'OS-2b06259196add6a'},
              {'array': ARRAY, 'device_id': '0001A', 'extra': [1, None]})
    def test_round_trip(self, location):
        text = utils.build_provider_location(location)
        self.assertEqual(str(location), text)
        self.assertEqual(location, utils.parse_provider_location(text))

    def test_in_tree_text(self):
        text = "{'array': '000197800123', 'device_id': '00001'}"
        self.assertEqual({'array': ARRAY, 'device_id': '00001'},
                         utils.parse_provider_location(text))

    def test_smis_keybindings(self):
        text = str({'classname': 'Symm_StorageVolume',
                    'keybindings': {'CreationClassName': 'Symm_StorageVolume',
                                    'SystemName': 'SYMMETRIX-+-' + ARRAY,
                                    'DeviceID': '0123A',
                                    'SystemCreationClassName':
                                        'Symm_StorageSystem'}})
        location = utils.parse_provider_location(text)
        self.assertEqual('0123A', location['device_id'])
        self.assertEqual(ARRAY, location['array'])
        self.assertEqual('0123A', location['keybindings']['DeviceID'])

    @ddt.data(None, '', '   ')
    def test_nothing_stored(self, text):
        self.assertEqual({}, utils.parse_provider_location(text))

    @ddt.data('garbage', "{'array': ", "['array', '1']", '42',
              "__import__('os').system('true')", "{'a': open('x')}",
              "{'a': 1} + {}", b"{'a': 1}", {'array': ARRAY})
    def test_garbage(self, text):
        self.assertInvalid('provider_location',
                           utils.parse_provider_location, text)

    @ddt.data({'array': object()}, {'array': float('inf')}, "{'array': '1'}",
              {'array': float('nan')})
    def test_build_refuses_unreadable(self, location):
        self.assertInvalid('provider_location',
                           utils.build_provider_location, location)


@ddt.ddt
class SizeTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.data(1, 16384)
    def test_validate_size(self, size):
        self.assertEqual(size, utils.validate_size(size))

    @ddt.data(0, -1, 1.5, 1.0, '1', None, True, False)
    def test_validate_size_invalid(self, size):
        self.assertInvalid('size', utils.validate_size, size)
