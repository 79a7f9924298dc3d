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

"""The committed sample configuration is what the options say now."""

import difflib
import os

import fixtures
from oslo_config import generator

from tests import base as tests_base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, 'etc', 'cinder_powermax.conf.sample')
GENERATOR_CONF = os.path.join(ROOT, 'etc', 'oslo-config-generator',
                              'cinder_powermax.conf')


class SampleConfigTest(tests_base.TestCase):

    def test_the_committed_sample_is_current(self):
        fresh = os.path.join(self.useFixture(fixtures.TempDir()).path,
                             'sample.conf')
        # What "tox -e genconfig" runs, written elsewhere.
        generator.main(['--config-file', GENERATOR_CONF,
                        '--output-file', fresh])
        with open(SAMPLE) as committed, open(fresh) as generated:
            old, new = committed.readlines(), generated.readlines()
        self.assertEqual(old, new, 'etc/cinder_powermax.conf.sample is '
                         'stale; run "tox -e genconfig" and commit it:\n' +
                         ''.join(difflib.unified_diff(
                             old, new, 'committed', 'generated')))
