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


"""The operator tools on the sandbox, as an operator runs them.

The sandbox (``python -m tools.demo --sandbox``) serves Cinder and the
fake Unisphere over HTTPS and writes the ``cinder.conf`` its services
read. ``cinder-powermax-check`` reads that file; ``cinder-powermax-audit``
reads it too and asks Cinder with the environment the sandbox prints,
after debris has been left on the array on purpose through Unisphere's
REST API.
"""

import configparser
import json
import os
import re
import signal
import subprocess
import sys
import threading
import uuid

import fixtures
from oslotest import base

from cinder_powermax import rest
from cinder_powermax.unisphere import replication
from cinder_powermax.unisphere import sloprovisioning
from tests.fake_unisphere import data
from tests.fake_unisphere import server
from tests.functional import test_demo
from tests.functional import test_openstack_cli

ARRAY = data.POWERMAX_8000
BIN = os.path.dirname(sys.executable)


class Sandbox(fixtures.Fixture):
    """The sandbox as a process: its environment and its cinder.conf."""

    def _setUp(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'tools.demo', '--sandbox', '--port', '0'],
            cwd=test_demo.ROOT, env=test_demo.clean_env(),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True)
        self.addCleanup(self.process.kill)
        timer = threading.Timer(300, self.process.kill)
        timer.start()
        self.addCleanup(timer.cancel)
        printed = []
        for line in self.process.stdout:
            printed.append(line)
            if 'press Ctrl-C' in line:
                break
        self.output = ''.join(printed)
        self.env = test_demo.exported(self.output)
        self.conf_path = re.search(r'cinder\.conf (\S+)',
                                   self.output).group(1)

    def stop(self):
        """Stop it; returns what it printed after Ctrl-C."""
        self.process.send_signal(signal.SIGINT)
        rest_of_output = self.process.stdout.read()
        self.process.wait(60)
        return rest_of_output

    def conf(self):
        # Not strict: replication_device is given once per device.
        parser = configparser.RawConfigParser(strict=False)
        parser.optionxform = str
        parser.read(self.conf_path)
        return parser


class ToolsTestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.sandbox = self.useFixture(Sandbox())

    def tool(self, name, *args, env=None):
        command = os.path.join(BIN, name)
        self.assertTrue(os.path.exists(command), command + ' not installed')
        return subprocess.run(
            [command] + list(args), env=dict(test_demo.clean_env(),
                                             **(env or {})),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=120)

    def edited_conf(self, **changes):
        """The sandbox's cinder.conf with ``changes`` in its FC backend.

        Edited line by line: an option given several times (each
        ``replication_device``) keeps all its lines.
        """
        with open(self.sandbox.conf_path) as conf:
            lines = conf.read().splitlines()
        start = lines.index('[powermax_fc]') + 1
        end = next((i for i in range(start, len(lines))
                    if lines[i].startswith('[')), len(lines))
        for key, value in changes.items():
            found = [i for i in range(start, end)
                     if lines[i].split('=')[0].strip() == key]
            line = '%s = %s' % (key, value)
            if found:
                lines[found[0]] = line
            else:
                lines.insert(start, line)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'cinder.conf')
        with open(path, 'w') as out:
            out.write('\n'.join(lines) + '\n')
        return path


class CheckTest(ToolsTestCase):

    def test_the_sandbox_conf_passes_and_mistakes_fail(self):
        done = self.tool('cinder-powermax-check', '--config-file',
                         self.sandbox.conf_path)
        self.assertEqual(0, done.returncode, done.stdout)
        for expected in ('[powermax_fc] FC driver',
                         '[powermax_iscsi] iSCSI driver',
                         'OK    TLS', 'port group OS-fibre-PG',
                         '2 iSCSI ports, all online'):
            self.assertIn(expected, done.stdout)
        self.assertNotIn(self.sandbox.conf().get('powermax_fc',
                                                 'san_password'),
                         done.stdout)
        self.assertIsNone(test_demo.NOISE.search(done.stdout), done.stdout)

        done = self.tool('cinder-powermax-check', '--config-file',
                         self.edited_conf(
                             powermax_port_groups='[OS-wrong-PG]'),
                         '--backend', 'powermax_fc')
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn('FAIL  port group OS-wrong-PG', done.stdout)
        self.assertNotIn('powermax_iscsi', done.stdout)

        wrong_ca = server.make_certificates(self.useFixture(
            fixtures.TempDir()).path)[0]
        done = self.tool('cinder-powermax-check', '--config-file',
                         self.edited_conf(driver_ssl_cert_path=wrong_ca))
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn('FAIL  TLS', done.stdout)
        self.assertIn('fix: set driver_ssl_cert_path', done.stdout)

        # Read-only: at the end the array holds what it was seeded with,
        # its port groups, and nothing else.
        left = self.sandbox.stop()
        self.assertEqual({'port_groups'}, set(re.findall(
            r'^  \d{12}: (\w+) ', left, re.M)), left)


class AuditTest(ToolsTestCase):

    def unisphere(self):
        """The sandbox's Unisphere, reached as its cinder.conf says."""
        conf = self.sandbox.conf()
        client = rest.RestClient([rest.Endpoint(
            '127.0.0.1', conf.getint('powermax_fc', 'san_api_port'),
            conf.get('powermax_fc', 'san_login'),
            conf.get('powermax_fc', 'san_password'),
            conf.get('powermax_fc', 'driver_ssl_cert_path'))])
        self.addCleanup(client.close)
        return (sloprovisioning.SloProvisioning(client, ARRAY),
                replication.Replication(client, ARRAY))

    def leave_debris(self):
        """An orphaned device with a clone's snapshot, an empty group."""
        sloprov, snapvx = self.unisphere()
        sloprov.create_storage_group('OS-SRP_1-Silver-NONE-SG', srp='SRP_1',
                                     service_level='Silver')
        identifier = 'OS-%s' % uuid.uuid4()
        sloprov.create_volume_in_group('OS-SRP_1-Silver-NONE-SG', 1,
                                       identifier)
        device = sloprov.find_volumes(identifier)[0]
        temp = 'temp-%s-snapshot_for_clone' % device
        snapvx.create_snapshot(temp, device)
        sloprov.create_storage_group('OS-SRP_1-Bronze-NONE-SG', srp='SRP_1',
                                     service_level='Bronze')
        return device, temp

    def openstack(self, *args):
        done = subprocess.run(
            [test_openstack_cli.openstack_command()] + list(args),
            env=dict(test_demo.clean_env(), **self.sandbox.env),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=120)
        self.assertEqual(0, done.returncode, done.stdout)

    def test_finds_and_cleans_debris_left_on_purpose(self):
        self.openstack('volume', 'create', '--size', '1', 'kept')
        device, temp = self.leave_debris()
        audit = ('cinder-powermax-audit', '--config-file',
                 self.sandbox.conf_path, '--backend', 'powermax_fc',
                 '--temp-ttl', '0')
        done = self.tool(*audit, env=self.sandbox.env)
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn('3 finding(s)', done.stdout)
        for kind, name in (('device', device), ('snapshot', temp),
                           ('group', 'OS-SRP_1-Bronze-NONE-SG')):
            self.assertRegex(done.stdout, r'%s +%s' % (kind, name))

        done = self.tool(*(audit + ('--clean', '--yes')),
                         env=self.sandbox.env)
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertRegex(done.stdout, r'device +%s +deleted' % device)

        done = self.tool(*audit, env=self.sandbox.env)
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertIn('nothing left behind', done.stdout)
        # What Cinder knows stays: the volume and its group, nothing else.
        left = self.sandbox.stop()
        self.assertNotIn('Silver', left)
        self.assertNotIn('Bronze', left)
        self.assertRegex(left, r'volumes \d{5}')


def one_line_error(test, done, *words):
    """Exit status 2 and one line naming the fix, no traceback."""
    test.assertEqual(2, done.returncode, done.stdout)
    lines = done.stdout.splitlines()
    test.assertEqual(1, len(lines), done.stdout)
    test.assertIn('; fix: ', lines[0])
    for word in words:
        test.assertIn(word, lines[0])


class ToolErrorsTest(ToolsTestCase):
    """What scripts see when the tools cannot do their work."""

    def test_each_failure_is_one_line_with_its_fix(self):
        conf = self.sandbox.conf_path
        audit = ('cinder-powermax-audit', '--backend', 'powermax_fc',
                 '--config-file')
        one_line_error(self, self.tool('cinder-powermax-check',
                                       '--config-file', '/nowhere.conf'),
                       '/nowhere.conf does not exist', '--config-file')
        one_line_error(self, self.tool(*audit, conf),
                       'Cinder credentials are incomplete', 'OS_AUTH_URL')
        one_line_error(self, self.tool(*audit, conf, env={
            'OS_AUTH_TYPE': 'admin_token', 'OS_TOKEN': 'admin:admin',
            'OS_ENDPOINT': 'http://127.0.0.1:9/v3'}),
            "Cinder's API cannot be reached", 'OS_ENDPOINT')
        one_line_error(self, self.tool(*audit, self.edited_conf(
            san_password='not-the-password'), env=self.sandbox.env),
            'refused the credentials', 'san_password')
        one_line_error(self, self.tool(*audit, self.edited_conf(
            san_api_port=9), env=self.sandbox.env),
            'Unisphere 127.0.0.1:9 cannot be reached', 'san_ip')
        debug = self.tool(*(audit + (conf, '--debug')))
        self.assertEqual(2, debug.returncode)
        self.assertIn('Traceback', debug.stdout)


class AuditAttachedTest(ToolsTestCase):
    """The audit against volumes attached through the attachment API."""

    def cinder(self, *args):
        done = self.tool('cinder', *args, env=self.sandbox.env)
        self.assertEqual(0, done.returncode, done.stdout)
        return done.stdout

    def field(self, table, name):
        return re.search(r'^\| %s +\| (\S+) +\|$' % name, table,
                         re.M).group(1)

    def test_attached_home_is_kept_and_a_reset_volume_is_reported(self):
        self.cinder('type-create', 'silver')
        self.cinder('type-key', 'silver', 'set',
                    'volume_backend_name=powermax_iscsi')
        volume = self.field(self.cinder('create', '--volume-type', 'silver',
                                        '--name', 'att', '1'), 'id')
        cinderstack_wait(self, volume, 'available')
        server = str(uuid.uuid4())
        attachment = self.field(self.cinder(
            'attachment-create', '--connect', 'True', '--initiator',
            'iqn.1993-08.org.debian:01:compute-2', '--ip', '192.0.2.12',
            '--host', 'compute-2', '--multipath', 'True', 'att', server),
            'id')
        self.cinder('attachment-complete', attachment)
        cinderstack_wait(self, volume, 'in-use')
        audit = ('cinder-powermax-audit', '--config-file',
                 self.sandbox.conf_path, '--json')
        done = self.tool(*audit, env=self.sandbox.env)
        # The attached volume's default group is empty, and not debris.
        self.assertEqual(0, done.returncode, done.stdout)
        # As an operator's reset-state leaves it: free in Cinder, still
        # masked to the host.
        self.cinder('reset-state', '--attach-status', 'detached', '--state',
                    'available', 'att')
        done = self.tool(*audit, env=self.sandbox.env)
        self.assertEqual(1, done.returncode, done.stdout)
        findings = [f for b in json.loads(done.stdout)['backends']
                    for f in b['findings']]
        self.assertEqual([('masked volume', False)],
                         [(f['kind'], f['cleanable']) for f in findings])


def cinderstack_wait(test, volume, status):
    """Wait until the sandbox's volume reaches ``status``."""
    env = test.sandbox.env
    for _attempt in range(120):
        shown = test.tool('cinder', 'show', volume, env=env).stdout
        found = re.search(r'^\| status +\| (\S+) +\|$', shown, re.M)
        if found and found.group(1) == status:
            return
    test.fail('volume %s did not become %s' % (volume, status))


class SelfTestTest(ToolsTestCase):
    """cinder-powermax-selftest on the sandbox's arrays, over HTTPS."""

    def test_both_backends_pass_and_leave_nothing(self):
        conf = self.sandbox.conf_path
        done = self.tool('cinder-powermax-selftest', '--config-file', conf,
                         '--backend', 'powermax_fc', '--initiator',
                         '10000090fa0b1001', '--yes', '--json')
        self.assertEqual(0, done.returncode, done.stdout)
        steps = {s['step']: s for s in json.loads(done.stdout)['steps']}
        for name in ('create 1 GB volume', 'attach to 10000090fa0b1001',
                     'create replicated volume (sync)',
                     'delete replicated volume',
                     'nothing left on the array'):
            self.assertTrue(steps[name]['ok'], done.stdout)
            self.assertGreater(steps[name]['calls'], 0)
        done = self.tool('cinder-powermax-selftest', '--config-file', conf,
                         '--backend', 'powermax_iscsi', '--initiator',
                         'iqn.1993-08.org.debian:01:compute-2', '--yes')
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertRegex(done.stdout, r'attach to iqn\S+ +ok')
        self.assertIn('PASSED', done.stdout)
        left = self.sandbox.stop()
        self.assertEqual({'port_groups'}, set(re.findall(
            r'^  \d{12}: (\w+) ', left, re.M)), left)
