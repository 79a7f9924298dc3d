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


"""The metadata tables in the log, against the layout of seed 001 §16."""

import logging
import re

import fixtures

from cinder_powermax import metadata
from tests.unit import base
from tests.unit import test_retype

ROW = re.compile(r'^\| (\S+) +\| (.*?) *\|$')


def tables(output):
    """Each logged table as ``{key: value}``, in order."""
    found, rows = [], None
    for line in output.splitlines():
        match = ROW.match(line)
        if match and match.group(1) == 'Key':
            rows = {}
            found.append(rows)
        elif match and rows is not None:
            rows[match.group(1)] = match.group(2)
    return found


class MetadataTableTest(base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.logger = self.useFixture(fixtures.FakeLogger(
            name='cinder_powermax.metadata', level=logging.DEBUG))

    def test_create_table_has_the_seed_keys_in_order(self):
        volume = self.create()
        table = tables(self.logger.output)[-1]
        self.assertEqual(list(metadata.SEED_KEYS), list(table))
        self.assertEqual('create', table['successful_operation'])
        self.assertEqual(volume.id, table['volume_id'])
        self.assertEqual('OS-' + volume.id, table['identifier_name'])
        self.assertEqual(self.device_of(volume), table['device_id'])
        self.assertEqual(self.array, table['serial_number'])
        self.assertEqual('V10.1.0.2', table['unisphere_for_powermax_version'])
        self.assertRegex(table['volume_updated_time'],
                         r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$')

    def test_delete_table_names_the_group_the_volume_was_in(self):
        volume = self.create()
        self.driver.delete_volume(volume)
        table = tables(self.logger.output)[-1]
        self.assertEqual('delete', table['successful_operation'])
        self.assertEqual('Diamond', table['service_level'])
        self.assertEqual('NONE', table['workload'])
        self.assertEqual('no', table['is_compression_disabled'])
        self.assertEqual('OS-SRP_1-Diamond-NONE-SG', table['default_sg_name'])
        self.assertEqual(list(metadata.SEED_KEYS), list(table))

    def test_snapshot_table_names_the_source_volume(self):
        volume = self.create()
        snap = self.take_snapshot(volume)
        table = tables(self.logger.output)[-1]
        self.assertEqual('createSnapshot', table['successful_operation'])
        self.assertEqual(volume.id, table['volume_id'])
        self.assertEqual(snap.id, table['snapshot_id'])

    def test_a_retype_in_place_logs_the_new_type(self):
        volume = self.create()
        gold = self.volume_type({'pool_name': test_retype.GOLD})
        self.assertTrue(self.driver.retype(self.ctx, volume, gold, {},
                                           test_retype.host(
                                               test_retype.GOLD)))
        table = tables(self.logger.output)[-1]
        self.assertEqual('retype', table['successful_operation'])
        self.assertEqual('Gold', table['service_level'])
        self.assertEqual('OS-SRP_1-Gold-NONE-SG', table['default_sg_name'])
        self.assertEqual(self.device_of(volume), table['device_id'])

    def test_a_retype_left_to_cinder_logs_nothing(self):
        volume = self.create()
        logged = len(tables(self.logger.output))
        gold = self.volume_type({'pool_name': test_retype.GOLD})
        self.assertFalse(self.driver.retype(
            self.ctx, volume, gold, {},
            test_retype.host(test_retype.GOLD, srp='SRP_2')))
        self.assertEqual(logged, len(tables(self.logger.output)))

    def test_snapshot_manage_logs_its_table(self):
        volume = self.create()
        self.arr.create_snapshot('appsnap', [self.device_of(volume)], 0)
        snap = self.snapshot(volume)
        snap.update(self.driver.manage_existing_snapshot(
            snap, {'source-name': 'appsnap'}))
        table = tables(self.logger.output)[-1]
        self.assertEqual('manageSnapshot', table['successful_operation'])
        self.assertEqual(volume.id, table['volume_id'])
        self.assertEqual(snap.id, table['snapshot_id'])
        self.assertEqual(self.device_of(volume), table['device_id'])

    def test_layout_is_a_bordered_key_value_table(self):
        self.create()
        lines = self.logger.output.splitlines()
        first = lines.index(next(line for line in lines
                                 if line.startswith('| Key ')))
        rule = lines[first - 1]
        self.assertRegex(rule, r'^\+-+\+-+\+$')
        self.assertEqual(rule, lines[first + 1])
        self.assertTrue(all(len(line) == len(rule)
                            for line in lines[first - 1:first + 24]))
