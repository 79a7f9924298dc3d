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

"""The demo and the sandbox, run as README tells an operator to.

``python -m tools.demo`` is README's main job: its tour must end with
exit status 0 and no debris. ``--sandbox`` must print an environment with
which the ``openstack`` command works, and stop cleanly on Ctrl-C.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading

from oslotest import base

from tests.functional import test_openstack_cli

#: The shapes of the tour's lines: progress, headings, commands, answers
#: (indented), the array's holdings and the result. Python warnings and
#: log lines (shown with --verbose only) fit none of them.
TOUR_LINE = re.compile(r'^(|[A-Z][^:]* \.\.\.|== .+|\$ .+|  .+|'
                       r'array \d{12} now holds:|Cinder API on .+|'
                       r'every step succeeded .+)$')
NOISE = re.compile(r'Warning|warnings\.warn|DEBUG|INFO|ERROR|Traceback')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def clean_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith('OS_')}


class DemoTest(base.BaseTestCase):

    def test_tour(self):
        done = subprocess.run(
            [sys.executable, '-m', 'tools.demo'], cwd=ROOT,
            env=clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
        self.assertEqual(0, done.returncode, done.stdout)
        for expected in ('$ openstack volume create --size 1 --type gold '
                         'vol-a',
                         'masking view OS-compute-1-F-OS-fibre-PG-MV',
                         'masking view OS-compute-2-I-OS-iscsi-PG-MV',
                         "host I/O limits {'host_io_limit_io_sec': '500'",
                         'every step succeeded and the array holds no '
                         'debris'):
            self.assertIn(expected, done.stdout)
        self.assertTourAlone(done.stdout)

    def assertTourAlone(self, output):
        """Nothing but the tour: no warnings, no log lines."""
        lines = output.splitlines()
        self.assertEqual([], [line for line in lines
                              if not TOUR_LINE.match(line)])
        self.assertEqual([], [line for line in lines if NOISE.search(line)])

    def test_sandbox_serves_the_openstack_command(self):
        sandbox = subprocess.Popen(
            [sys.executable, '-m', 'tools.demo', '--sandbox', '--port', '0'],
            cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)
        self.addCleanup(sandbox.kill)
        timer = threading.Timer(300, sandbox.kill)
        timer.start()
        self.addCleanup(timer.cancel)
        printed = []
        for line in sandbox.stdout:
            printed.append(line)
            if 'press Ctrl-C' in line:
                break
        output = ''.join(printed)
        env = dict(re.findall(r'^  export (OS_\w+)=(\S+)$', output, re.M))
        self.assertEqual({'OS_AUTH_TYPE', 'OS_ENDPOINT', 'OS_TOKEN',
                          'OS_VOLUME_API_VERSION'}, set(env), output)
        self.assertIsNone(NOISE.search(output), output)

        def openstack(*args):
            done = subprocess.run(
                [test_openstack_cli.openstack_command()] + list(args) +
                ['-f', 'json'], env=dict(clean_env(), **env),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                universal_newlines=True, timeout=120)
            self.assertEqual(0, done.returncode, done.stderr)
            return json.loads(done.stdout) if done.stdout.strip() else None

        services = openstack('volume', 'service', 'list')
        self.assertEqual({('cinder-scheduler', 'up'),
                          ('cinder-volume', 'up')},
                         {(s['Binary'], s['State']) for s in services})
        # The scheduler and the FC, iSCSI and NVMe/TCP backends.
        self.assertEqual(4, len(services))
        vtype = openstack('volume', 'type', 'create', '--property',
                          'volume_backend_name=powermax_fc', 'gold')
        openstack('volume', 'create', '--size', '1', '--type',
                  vtype['name'], 'vol-1')
        self.assertEqual([('vol-1', 'available')],
                         [(v['Name'], v['Status'])
                          for v in self.wait_created(openstack)])

        # Stopped, the sandbox reports what the operator left: the volume.
        sandbox.send_signal(signal.SIGINT)
        rest = sandbox.stdout.read()
        self.assertEqual(0, sandbox.wait(60), output + rest)
        self.assertIn('== Sandbox stopped', rest)
        self.assertRegex(rest, r'volumes \d{5}')

    def wait_created(self, openstack):
        for _attempt in range(60):
            volumes = openstack('volume', 'list')
            if all(v['Status'] != 'creating' for v in volumes):
                return volumes
        self.fail('the volume stayed creating: %s' % volumes)
