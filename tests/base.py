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

"""The test case every test of the project derives from.

oslotest's base, as Cinder's own tests use it: the ``OS_*`` variables
tox sets decide what is captured. What a test prints and what the driver
logs while it runs are kept with that test (shown when it fails), so a
run prints the runner's results and nothing else. Logs are captured
(unless ``OS_LOG_CAPTURE`` is false) at INFO unless ``OS_DEBUG`` asks for
more: DEBUG would build every operation's metadata table and cost the
suite time.
"""

import logging
import os

import fixtures
from oslotest import base

FORMAT = '%(levelname)8s [%(name)s] %(message)s'
TRUE_VALUES = ('True', 'true', '1', 'yes')


class TestCase(base.BaseTestCase):
    """A test with its output and its log captured."""

    def _fake_logs(self):
        if os.environ.get('OS_DEBUG'):
            super()._fake_logs()
            return
        if os.environ.get('OS_LOG_CAPTURE', '1') in TRUE_VALUES:
            self.log_fixture = self.useFixture(fixtures.FakeLogger(
                format=FORMAT, level=logging.INFO, nuke_handlers=True))
