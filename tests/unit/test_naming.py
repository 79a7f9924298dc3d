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

"""Tables for the names the driver gives things on the array.

Expected names are written out or computed here with ``hashlib`` from the
documented rule, never by calling the code under test; several come from
the in-tree driver's own documented examples, so a mismatch means objects
on existing arrays would no longer be found.
"""

import hashlib

import ddt

from cinder_powermax import naming
from tests import base as tests_base
from tests.unit import base

UUID = '2b06255d-f5f0-4520-a953-b029196add6a'
OTHER_UUID = 'ea95aa39-080b-4f11-9856-a03acf9112ad'
ARRAY = '000197800123'
MIB = 1024 * 1024


def md5(text):
    return hashlib.md5(text.lower().encode(), usedforsecurity=False
                       ).hexdigest()


def head_tail(text, limit):
    """The documented head-and-tail rule, written independently."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + text[-half:]


LONG_HOST = 'compute-node-0042-rack-17'           # 25 characters
LONG_HOST_LABEL = head_tail(LONG_HOST[-6:] + md5(LONG_HOST), 16)
LONG_PG = 'OS-fibre-production-PG'                # 22 characters
LONG_PG_LABEL = head_tail(LONG_PG[-6:] + md5(LONG_PG), 12)


@ddt.ddt
class TruncateTestCase(tests_base.TestCase):

    @ddt.unpack
    @ddt.data(('string', 10, 'string'),
              ('0123456789', 10, '0123456789'),
              ('0123456789A', 10, '012346789A'),
              ('abcdefghijklmnop', 10, 'abcdelmnop'),
              # An odd limit keeps limit // 2 at each end.
              ('abcdefghijklmnop', 19, 'abcdefghijklmnop'),
              ('abcdefghijklmnopqrstu', 19, 'abcdefghimnopqrstu'))
    def test_truncate_string(self, text, limit, expected):
        self.assertEqual(expected, naming.truncate_string(text, limit))


@ddt.ddt
class IdentifierTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.unpack
    @ddt.data((UUID, 'OS-' + UUID),
              ('volume-' + UUID, 'OS-' + UUID),
              (UUID.upper(), 'OS-' + UUID.upper()),
              ('%s-%s' % (OTHER_UUID, UUID), 'OS-' + OTHER_UUID))
    def test_volume_identifier(self, volume_id, expected):
        self.assertEqual(expected, naming.volume_identifier(volume_id))

    @ddt.data('', 'not-a-uuid', None, 42, UUID[:-1])
    def test_volume_identifier_without_uuid(self, volume_id):
        self.assertInvalid('volume_id', naming.volume_identifier, volume_id)

    @ddt.unpack
    @ddt.data((UUID, 'OS-2b06259196add6a'),
              (OTHER_UUID, 'OS-ea95aaacf9112ad'))
    def test_snapshot_name(self, snapshot_id, expected):
        name = naming.snapshot_name(snapshot_id)
        self.assertEqual(expected, name)
        self.assertEqual(18, len(name))
        self.assertEqual(('OS-' + snapshot_id)[:9] + snapshot_id[-9:], name)

    def test_snapshot_name_without_uuid(self):
        self.assertInvalid('snapshot_id', naming.snapshot_name, 'snap-1')

    @ddt.unpack
    @ddt.data(('0001A', UUID, 'temp-0001A-2b06255df529196add6a'),
              ('00A1B2C3', OTHER_UUID, 'temp-00A1B2C3-ea95aa390acf9112ad'))
    def test_temp_snapshot_name(self, device, target, expected):
        name = naming.temp_snapshot_name(device, target)
        self.assertEqual(expected, name)
        self.assertLessEqual(len(name), 32)
        self.assertTrue(naming.is_temp_snapshot_name(name))

    def test_temp_snapshot_name_is_per_target(self):
        self.assertEqual(naming.temp_snapshot_name('0001A', UUID),
                         naming.temp_snapshot_name('0001A', 'volume-' + UUID))
        self.assertNotEqual(naming.temp_snapshot_name('0001A', UUID),
                            naming.temp_snapshot_name('0001A', OTHER_UUID))
        self.assertNotEqual(naming.temp_snapshot_name('0001A', UUID),
                            naming.temp_snapshot_name('0001B', UUID))

    @ddt.unpack
    @ddt.data(('', UUID, 'source_device_id'),
              (None, UUID, 'source_device_id'),
              ('0001A/../x', UUID, 'source_device_id'),
              ('0123456789AB', UUID, 'source_device_id'),
              ('0001A', 'no-uuid', 'target_volume_id'))
    def test_temp_snapshot_name_invalid(self, device, target, key):
        self.assertInvalid(key, naming.temp_snapshot_name, device, target)

    @ddt.data('OS-2b06259196add6a', 'tempo', None, '')
    def test_is_not_temp_snapshot_name(self, name):
        self.assertFalse(naming.is_temp_snapshot_name(name))


@ddt.ddt
class PoolTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.unpack
    @ddt.data(
        ('Diamond+DSS+SRP_1+%s' % ARRAY, False,
         ('Diamond', 'DSS', 'SRP_1', ARRAY)),
        ('Diamond+DSS+SRP_1+%s' % ARRAY, True,
         ('Diamond', 'NONE', 'SRP_1', ARRAY)),
        ('Diamond+SRP_1+%s' % ARRAY, False,
         ('Diamond', 'NONE', 'SRP_1', ARRAY)),
        ('Gold+None+SRP_1+%s' % ARRAY, False,
         ('Gold', 'NONE', 'SRP_1', ARRAY)),
        ('Gold+none+SRP_1+%s' % ARRAY, False,
         ('Gold', 'NONE', 'SRP_1', ARRAY)),
        ('None+NONE+SRP_1+%s' % ARRAY, False, (None, 'NONE', 'SRP_1', ARRAY)),
        ('NONE+SRP_1+%s' % ARRAY, True, (None, 'NONE', 'SRP_1', ARRAY)),
        ('Optimized+NONE+SRP_2+%s' % ARRAY, False,
         ('Optimized', 'NONE', 'SRP_2', ARRAY)))
    def test_parse_pool_name(self, pool, next_gen, expected):
        spec = naming.parse_pool_name(pool, next_gen)
        self.assertEqual(expected, tuple(spec))
        self.assertEqual(expected[0], spec.service_level)
        self.assertEqual(expected[3], spec.array)

    @ddt.data('', 'Diamond', 'Diamond+SRP_1', 'a+b+c+d+e',
              'Diamond++SRP_1+%s' % ARRAY, 'Diamond+DSS+SRP_1+',
              '+SRP_1+%s' % ARRAY, None, 42)
    def test_parse_pool_name_invalid(self, pool):
        error = self.assertInvalid('pool_name', naming.parse_pool_name, pool)
        self.assertIn(repr(pool), str(error))
        self.assertIn('<ServiceLevel>+<Workload>+<SRP>+<ArrayID>', str(error))
        self.assertIn('<ServiceLevel>+<SRP>+<ArrayID>', str(error))

    @ddt.unpack
    @ddt.data(('Diamond', 'DSS', 'Diamond+DSS+SRP_1+%s' % ARRAY),
              ('Diamond', None, 'Diamond+SRP_1+%s' % ARRAY),
              (None, 'NONE', 'None+NONE+SRP_1+%s' % ARRAY),
              ('NONE', None, 'NONE+SRP_1+%s' % ARRAY))
    def test_pool_name(self, level, workload, expected):
        self.assertEqual(expected,
                         naming.pool_name(level, workload, 'SRP_1', ARRAY))

    @ddt.unpack
    @ddt.data(('Diamond', 'DSS', '%s#SRP_1#Diamond#DSS' % ARRAY),
              ('Diamond', None, '%s#SRP_1#Diamond' % ARRAY),
              (None, 'NONE', '%s#SRP_1#None#NONE' % ARRAY))
    def test_location_info(self, level, workload, expected):
        self.assertEqual(expected,
                         naming.location_info(ARRAY, 'SRP_1', level, workload))

    def test_location_info_without_workload_argument(self):
        self.assertEqual('%s#SRP_1#Gold' % ARRAY,
                         naming.location_info(ARRAY, 'SRP_1', 'Gold'))

    def test_pool_combinations_hybrid(self):
        pairs = naming.pool_combinations(['Diamond', 'Optimized'],
                                         ['DSS', 'OLTP'], False)
        expected = [
            ('Diamond', None), ('Optimized', None), ('NONE', None),
            ('None', None),
            ('Diamond', 'DSS'), ('Diamond', 'OLTP'), ('Diamond', 'NONE'),
            ('Diamond', 'None'),
            ('Optimized', 'NONE'), ('Optimized', 'None'),
            ('NONE', 'NONE'), ('NONE', 'None'),
            ('None', 'NONE'), ('None', 'None')]
        self.assertEqual(expected, pairs)

    @ddt.data(['DSS', 'OLTP'], [], ['NONE'])
    def test_pool_combinations_next_gen(self, workloads):
        pairs = naming.pool_combinations(['Diamond', 'Gold', 'Optimized'],
                                         workloads, True)
        self.assertEqual({None, 'NONE', 'None'}, {wl for __, wl in pairs})
        self.assertIn(('Gold', 'NONE'), pairs)
        self.assertIn(('Gold', None), pairs)
        self.assertIn(('None', 'NONE'), pairs)

    def test_pool_combinations_upgraded_all_flash(self):
        pairs = naming.pool_combinations(['Diamond', 'Gold'], ['DSS'], True,
                                         diamond_workloads=True)
        self.assertIn(('Diamond', 'DSS'), pairs)
        self.assertNotIn(('Gold', 'DSS'), pairs)

    def test_pool_combinations_no_duplicate_names(self):
        # The array's own list may already carry the none spellings.
        pairs = naming.pool_combinations(
            ['Diamond', 'Optimized', 'None', 'NONE', 'Diamond'],
            ['DSS', 'NONE', 'None', 'DSS'], False)
        names = [naming.pool_name(sl, wl, 'SRP_1', ARRAY) for sl, wl in pairs]
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(('Diamond', None), pairs[0])
        # Legacy 3-part aliases of every none pool are present.
        for sl, wl in pairs:
            if wl is not None and 'none' in (sl + wl).lower():
                self.assertIn((sl, None), pairs)

    def test_pool_combinations_no_workload_on_optimized(self):
        pairs = naming.pool_combinations(['Optimized'], ['DSS'], False)
        self.assertNotIn(('Optimized', 'DSS'), pairs)
        self.assertNotIn(('None', 'DSS'), pairs)


@ddt.ddt
class StorageGroupNameTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.unpack
    @ddt.data(
        (('SRP_1', 'Diamond', 'NONE'), {}, 'OS-SRP_1-Diamond-NONE-SG'),
        (('SRP_1', 'Diamond', None), {}, 'OS-SRP_1-Diamond-NONE-SG'),
        (('SRP_1', 'Diamond', 'None'), {}, 'OS-SRP_1-Diamond-NONE-SG'),
        (('SRP_1', 'Gold', 'DSS'), {'disable_compression': True},
         'OS-SRP_1-Gold-DSS-CD-SG'),
        (('SRP_1', 'Gold', 'DSS'), {'disable_compression': True,
                                    'rep_mode': 'Synchronous'},
         'OS-SRP_1-Gold-DSS-CD-RE-SG'),
        (('SRP_1', 'Diamond', 'NONE'), {'rep_mode': 'Asynchronous'},
         'OS-SRP_1-Diamond-NONE-RA-SG'),
        (('SRP_1', 'Diamond', 'NONE'), {'rep_mode': 'metro'},
         'OS-SRP_1-Diamond-NONE-RM-SG'),
        (('SRP_1', None, None), {}, 'OS-no_SLO-SG'),
        (('SRP_1', 'NONE', 'NONE'), {'disable_compression': True},
         'OS-no_SLO-SG'),
        (('SRP_1', None, None), {'rep_mode': 'Metro'}, 'OS-no_SLO-RM-SG'))
    def test_default_sg_name(self, args, kwargs, expected):
        self.assertEqual(expected, naming.default_sg_name(*args, **kwargs))

    @ddt.data('Adaptive', 'RE', 1)
    def test_unknown_rep_mode(self, mode):
        error = self.assertInvalid('rep_mode', naming.default_sg_name,
                                   'SRP_1', 'Diamond', 'NONE', rep_mode=mode)
        self.assertIn('Synchronous, Asynchronous, Metro', str(error))

    @ddt.unpack
    @ddt.data(('FC', 'F'), ('fc', 'F'), ('iSCSI', 'I'), ('ISCSI', 'I'),
              ('NVMe_TCP', 'NT'))
    def test_protocol_code(self, protocol, code):
        self.assertEqual(code, naming.protocol_code(protocol))

    @ddt.data('NFS', '', None)
    def test_unknown_protocol(self, protocol):
        self.assertInvalid('protocol', naming.initiator_group_name, 'HostX',
                           protocol)

    @ddt.unpack
    @ddt.data(('HostX', 'FC', 'OS-HostX-F-IG'),
              ('HostX', 'iSCSI', 'OS-HostX-I-IG'),
              (LONG_HOST_LABEL, 'FC', 'OS-%s-F-IG' % LONG_HOST_LABEL))
    def test_initiator_group_name(self, host, protocol, expected):
        self.assertEqual(expected,
                         naming.initiator_group_name(host, protocol))

    @ddt.unpack
    @ddt.data(('HostX', 'FC', 'OS-fibre-PG', 'OS-HostX-F-OS-fibre-PG'),
              ('HostX', 'iSCSI', 'OS-iscsi-PG', 'OS-HostX-I-OS-iscsi-PG'),
              (LONG_HOST_LABEL, 'FC', LONG_PG_LABEL,
               'OS-%s-F-%s' % (LONG_HOST_LABEL, LONG_PG_LABEL)))
    def test_masking_view_and_parent(self, host, protocol, pg, stem):
        self.assertEqual(stem + '-MV',
                         naming.masking_view_name(host, protocol, pg))
        self.assertEqual(stem + '-SG',
                         naming.parent_sg_name(host, protocol, pg))

    @ddt.unpack
    @ddt.data(('', 'OS-fibre-PG', 'host_label'),
              ('HostX', '', 'pg_label'),
              (None, 'OS-fibre-PG', 'host_label'))
    def test_masking_names_need_labels(self, host, pg, key):
        self.assertInvalid(key, naming.masking_view_name, host, 'FC', pg)
        self.assertInvalid(key, naming.parent_sg_name, host, 'FC', pg)

    @ddt.unpack
    @ddt.data(
        (('HostX', 'SRP_1', 'Diamond', 'DSS', 'OS-fibre-PG'), {},
         'OS-HostX-SRP_1-DiamondDSS-OS-fibre-PG'),
        (('HostX', 'SRP_1', 'Diamond', 'NONE', 'OS-fibre-PG'), {},
         'OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG'),
        (('HostX', 'SRP_1', 'Diamond', None, 'OS-fibre-PG'), {},
         'OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG'),
        (('HostX', 'SRP_1', 'Gold', 'OLTP', 'OS-fibre-PG'),
         {'disable_compression': True, 'rep_mode': 'Asynchronous'},
         'OS-HostX-SRP_1-GoldOLTP-OS-fibre-PG-CD-RA'),
        (('HostX', 'SRP_1', 'Platinum', 'OLTP_REP', 'OS-fibre-PG'), {},
         'OS-HostX-SRP_1-PlatiP_REP-OS-fibre-PG'),
        (('HostX', 'SRP_LONG_NAME_1', 'Gold', 'NONE', 'pg'), {},
         'OS-HostX-SRP_LONAME_1-GoldNONE-pg'),
        (('HostX', 'SRP_1', None, None, 'OS-fibre-PG'),
         {'disable_compression': True}, 'OS-HostX-No_SLO-OS-fibre-PG'),
        (('HostX', 'SRP_1', 'None', 'NONE', 'OS-fibre-PG'),
         {'rep_mode': 'Synchronous'}, 'OS-HostX-No_SLO-OS-fibre-PG-RE'))
    def test_child_sg_name(self, args, kwargs, expected):
        self.assertEqual(expected, naming.child_sg_name(*args, **kwargs))

    def test_child_sg_name_truncation_rule(self):
        srp, combo = 'SRP_ABCDEFGHIJKLMNOP', 'PlatinumOLTP_REP'
        name = naming.child_sg_name(LONG_HOST_LABEL, srp, 'Platinum',
                                    'OLTP_REP', LONG_PG_LABEL)
        self.assertEqual('OS-%s-%s-%s-%s' % (
            LONG_HOST_LABEL, srp[:6] + srp[-6:], combo[:5] + combo[-5:],
            LONG_PG_LABEL), name)

    @ddt.unpack
    @ddt.data((None, 'OS-HostX-No_SLO-OS-fibre-PG'),
              ('Metro', 'OS-HostX-No_SLO-OS-fibre-PG-RM'))
    def test_no_slo_child_sg_name(self, mode, expected):
        self.assertEqual(expected, naming.no_slo_child_sg_name(
            'HostX', 'OS-fibre-PG', mode))

    @ddt.unpack
    @ddt.data(('OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG', True),
              ('OS-HostX-SRP_1-GoldOLTP-OS-fibre-PG-CD-RA', True),
              ('OS-HostX-No_SLO-OS-fibre-PG-RE', True),
              ('OS-HostX-SRP_1-DiamodNONE-other-PG', False),
              ('OS-HostY-SRP_1-DiamodNONE-OS-fibre-PG', False),
              ('OS-HostX-F-OS-fibre-PG-SG', False),
              ('OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG-mine', False),
              ('HostX-SRP_1-DiamodNONE-OS-fibre-PG', False))
    def test_is_host_child_name(self, name, expected):
        self.assertEqual(expected, naming.is_host_child_name(
            name, 'HostX', 'OS-fibre-PG'))
        self.assertTrue(name.startswith(naming.host_child_stem('HostX')) or
                        not expected)


@ddt.ddt
class LabelTestCase(base.InvalidSpecMixin, tests_base.TestCase):

    @ddt.unpack
    @ddt.data(
        ('HostX', 'HostX'),
        ('HostX.example.com', 'HostX'),
        ('host_13_chars', 'host_13_chars'),
        ('exactly16chars__', 'exactly16chars__'),
        # Documented in-tree examples.
        ('my_short_host_greater_than_16chars', '6chars0bc43f914e'),
        (LONG_HOST, LONG_HOST_LABEL),
        (LONG_HOST + '.example.com', LONG_HOST_LABEL),
        ('Compute-Node-0042-Rack-17', 'ack-17' + md5(LONG_HOST)[:2]
         + md5(LONG_HOST)[-8:]))
    def test_short_host_name_default(self, host, expected):
        self.assertEqual(expected, naming.short_host_name(host))
        self.assertEqual(expected, naming.short_host_name(host, None))
        self.assertEqual(expected,
                         naming.short_host_name(host, 'shortHostName'))

    def test_long_host_label_is_first_8_and_last_8(self):
        label = naming.short_host_name(LONG_HOST)
        self.assertEqual(16, len(label))
        self.assertEqual('rack-17'[-6:] + md5(LONG_HOST)[:2], label[:8])
        self.assertEqual(md5(LONG_HOST)[-8:], label[8:])

    @ddt.unpack
    @ddt.data(
        # Documented in-tree examples.
        ('shortHostName[:10]uuid[:5]', 'my_short_host_name',
         'my_short_h94485'),
        ('shortHostName[:10]uuid[:5]', 'HostX', 'HostX699ea'),
        ('shortHostName[-10:]uuid[:5]', 'my_short_host_name',
         '_host_name94485'),
        ('shortHostName[:7]finance', 'my_short_host_name', 'my_shorfinance'),
        ('shortHostName[-6:]production', 'my_short_host_name',
         't_nameproduction'),
        ('shortHostName[:10]uuid[:6]', 'my_short_host_name.domain',
         'my_short_h' + md5('my_short_host_name')[:6]),
        ('shortHostName[:0]uuid[:16]', 'HostX', md5('HostX')[:16]),
        ('shortHostName[:4]a-b_c', 'HostX', 'Hosta-b_c'))
    def test_short_host_name_template(self, template, host, expected):
        self.assertEqual(expected, naming.short_host_name(host, template))

    @ddt.data('shortHstName', 'shortHostName[:10]uuid[:7]',
              'shortHostName[-10:]uuid[:7]', 'shortHostName[:7]f*n&nce',
              'shortHostName[:10uuid[:5]', 'shortHostName[:10finance',
              'shortHostName[6:]production', 'shortHostName[:10]uud[:5]',
              'shortHostName[-7:]production', 'shortHostName[-0:]x',
              'shortHostName[:5]', 'portGroupName', ' shortHostName', 42)
    def test_short_host_name_bad_template(self, template):
        error = self.assertInvalid('powermax_short_host_name_template',
                                   naming.short_host_name, 'my_host', template)
        self.assertIn('at most 16', str(error))

    @ddt.data('', None, '.example.com', 5)
    def test_short_host_name_needs_host(self, host):
        self.assertInvalid('host', naming.short_host_name, host)

    @ddt.unpack
    @ddt.data(
        ('my_pg', 'my_pg'),
        ('OS-fibre-PG', 'OS-fibre-PG'),
        ('exactly12chr', 'exactly12chr'),
        # Documented in-tree example.
        ('my_port_group_name', 'p_name5ba163'),
        (LONG_PG, LONG_PG_LABEL),
        (LONG_PG, 'ion-PG' + md5(LONG_PG)[-6:]))
    def test_port_group_label_default(self, pg, expected):
        self.assertEqual(expected, naming.port_group_label(pg))
        self.assertEqual(expected, naming.port_group_label(pg, ''))
        self.assertEqual(expected,
                         naming.port_group_label(pg, 'portGroupName'))

    @ddt.unpack
    @ddt.data(
        # Documented in-tree examples.
        ('portGroupName[:6]uuid[:5]', 'my_por3b02c'),
        ('portGroupName[-6:]uuid[:5]', 'p_name3b02c'),
        ('portGroupName[:6]test', 'my_portest'),
        ('portGroupName[-7:]test', 'up_nametest'),
        ('portGroupName[:6]uuid[:6]',
         'my_por' + md5('my_port_group_name')[:6]))
    def test_port_group_label_template(self, template, expected):
        self.assertEqual(expected, naming.port_group_label(
            'my_port_group_name', template))

    @ddt.data('portGr*upName', 'portGroupName[6:]test',
              'portGroupName[:10]test', 'portGroupName[:6]uuid[:7]',
              'shortHostName', 'portGroupName[-0:]uuid[:2]')
    def test_port_group_label_bad_template(self, template):
        error = self.assertInvalid(
            'powermax_port_group_name_template', naming.port_group_label,
            'my_port_group_name', template)
        self.assertIn('at most 12', str(error))

    def test_port_group_label_needs_name(self):
        self.assertInvalid('pg_name', naming.port_group_label, '')
