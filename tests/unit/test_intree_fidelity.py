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

"""The fake judged by a client written against real arrays.

The in-tree driver, unmodified and in a process of its own, runs its
replicated lifecycle in each SRDF mode (create, extend, snapshot, clone,
failover, failback, delete) and a consistent group's lifecycle against
the fake served over HTTPS. What it sends and what the fake answers is
judged by the API description as every exchange is; each run must pass,
carry the volumes' data where it belongs and leave both arrays as they
were.
"""

import json
import os
import subprocess
import sys
import urllib.parse

import ddt
import fixtures

from tests.bench import drivers
from tests.unit import base
from tools import cinderstack


@ddt.ddt
class InTreeFidelityTest(base.DriverTestCase):

    def run_intree(self, what):
        url, ca_path = self.fake.start_https()
        workdir = self.useFixture(fixtures.TempDir()).path
        sections = cinderstack.backend_options(
            self.array, urllib.parse.urlparse(url).port, ca_path,
            self.fake.username, self.fake.password)
        fc = dict(sections[drivers.BACKENDS['FC']],
                  volume_driver=drivers.CLASSES['intree']['FC'],
                  driver_ssl_cert_verify=False, driver_ssl_cert_path=None,
                  # Jobs of the fake finish by the next poll: no waiting.
                  interval=0, retries=200)
        sections = {drivers.BACKENDS['FC']: fc}
        for section, device in drivers.REP_BACKENDS.values():
            sections[section] = dict(fc, volume_backend_name=section,
                                     replication_device=device)
        sections['DEFAULT'] = {'enabled_backends': list(sections)}
        conf = cinderstack.write_conf(os.path.join(workdir, 'cinder.conf'),
                                      sections)
        out = os.path.join(workdir, 'outcome.json')
        env = {k: v for k, v in os.environ.items()
               if k not in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')}
        done = subprocess.run(
            [sys.executable, '-m', 'tests.unit.intree_lifecycle', conf,
             workdir, out, self.array, url, what], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=600)
        self.assertEqual(0, done.returncode, done.stdout[-2000:])
        with open(out) as outcome:
            error = json.load(outcome)['error']
        self.assertIsNone(error, error)

    @ddt.data(*drivers.REP_BACKENDS)
    def test_replicated_lifecycle(self, backend):
        baseline = self.fake.snapshot()
        self.run_intree(backend)
        self.assertEqual([], self.fake.check(baseline))

    def test_consistent_group_lifecycle(self):
        baseline = self.fake.snapshot()
        self.run_intree('group')
        self.assertEqual([], self.fake.check(baseline))
