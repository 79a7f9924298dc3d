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


"""The legacy XML file edited while the driver runs (seed 000)."""

import logging
import os

import fixtures

from cinder_powermax import legacyxml
from cinder_powermax import options
from tests.unit import base
from tests.unit import test_attach

XML = """<?xml version="1.0" encoding="UTF-8" ?>
<EMC>
   <PortGroups><PortGroup>%(pg)s</PortGroup></PortGroups>
   <ServiceLevel>%(sl)s</ServiceLevel>
</EMC>
"""


class LegacyXmlReloadTest(base.DriverTestCase):

    def settings(self):
        values = super().settings()
        # The port groups and service level come from the XML file.
        del values['powermax_port_groups'], values['powermax_service_level']
        self.path = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'cinder_dell_emc_config.xml')
        self.stamp = 1_000_000_000
        self.edit('OS-fibre-PG', 'Diamond')
        values['cinder_dell_emc_config_file'] = self.path
        return values

    def setUp(self):
        super().setUp()
        self.logger = self.useFixture(fixtures.FakeLogger(
            name='cinder_powermax.legacyxml', level=logging.INFO))

    def edit(self, pg, sl, text=None):
        with open(self.path, 'w') as out:
            out.write(text if text is not None else XML % {'pg': pg,
                                                           'sl': sl})
        # A distinct modification time, as a later edit has.
        self.stamp += 10 ** 9
        os.utime(self.path, ns=(self.stamp, self.stamp))

    def attach_port_group(self, host):
        volume = self.create()
        self.driver.initialize_connection(
            volume, test_attach.fc_connector(host=host,
                                             wwpns=('10000090fa0b%04x' % len(
                                                 self.arr.masking_views),)))
        views = [v for v in self.arr.masking_views.values()
                 if v.name.startswith('OS-%s-' % host)]
        return views[0].port_group

    def test_an_edit_takes_effect_without_a_restart(self):
        self.assertEqual('OS-fibre-PG', self.attach_port_group('hostA'))
        self.edit('OS-fibre2-PG', 'Gold')
        self.assertEqual('OS-fibre2-PG', self.attach_port_group('hostB'))
        self.assertIn('OS-SRP_1-Gold-NONE-SG', self.arr.storage_groups)
        self.assertIn('now', self.logger.output)

    def test_a_broken_file_keeps_the_last_good_settings(self):
        self.edit(None, None, text='<EMC><PortGroups>')
        self.assertEqual('OS-fibre-PG', self.attach_port_group('hostA'))
        self.assertIn('is not used', self.logger.output)
        self.assertIn('OS-fibre-PG', self.logger.output)

    def test_a_port_group_the_array_lacks_is_refused(self):
        self.edit('OS-nowhere-PG', 'Diamond')
        self.assertEqual('OS-fibre-PG', self.attach_port_group('hostA'))
        self.assertIn('OS-nowhere-PG', self.logger.output)
        # Fixed, the file is used again.
        self.edit('OS-fibre2-PG', 'Diamond')
        self.assertEqual('OS-fibre2-PG', self.attach_port_group('hostB'))

    def test_an_unchanged_file_is_not_read_again(self):
        settings = self.driver.common.settings
        self.assertIsInstance(settings, legacyxml.LiveSettings)
        self.useFixture(fixtures.MockPatch(
            'cinder_powermax.options.get_backend_settings',
            side_effect=AssertionError('read again')))
        self.assertEqual(['OS-fibre-PG'], settings.port_groups)


class WithoutXmlTest(base.DriverTestCase):

    def test_cinder_conf_settings_are_not_watched(self):
        settings = options.get_backend_settings(self.driver.configuration)
        self.assertIs(settings, legacyxml.watch(self.driver.configuration,
                                                settings))
