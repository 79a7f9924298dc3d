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


"""The self-test against the fake Unisphere: its steps, its REST calls,
and that it leaves the array as it found it, also when a step fails."""

import io
import json

from cinder_powermax.cmd import cli
from cinder_powermax.cmd import selftest as selftest_cmd
from cinder_powermax import selftest
from tests import base as tests_base
from tests.unit import test_cmd

WWPN = '10000090fa0b5e01'


class SelfTestCommandTest(test_cmd.CommandTestCase):

    def setUp(self):
        super().setUp()
        self.arr.log_in(WWPN)

    def run_selftest(self, *argv, conf=None):
        out = io.StringIO()
        code = selftest_cmd.main(['--config-file', conf or self.conf(),
                                  '--backend', test_cmd.BACKEND] +
                                 list(argv), out=out)
        return code, out.getvalue()

    def test_lifecycle_passes_and_leaves_the_array_as_it_was(self):
        before = self.fake.snapshot()
        del self.fake.requests[:]
        code, output = self.run_selftest('--initiator', WWPN, '--yes',
                                         '--json')
        self.assertEqual(cli.CLEAN, code, output)
        document = json.loads(output)
        names = [s['step'] for s in document['steps']]
        self.assertEqual(['driver setup', 'create 1 GB volume', 'snapshot',
                          'clone', 'volume from snapshot', 'extend to 2 GB',
                          'attach to %s' % WWPN, 'detach'], names[:8])
        self.assertEqual(['delete volume', 'delete volume', 'delete '
                          'snapshot', 'delete volume',
                          'nothing left on the array'], names[8:])
        self.assertTrue(all(s['ok'] for s in document['steps']), output)
        # The calls counted are the requests the array received.
        self.assertEqual(len(self.fake.requests),
                         sum(s['calls'] for s in document['steps']))
        self.assertEqual([], document['left_behind'])
        self.assertEqual([], self.fake.check(before))

    def test_the_table(self):
        code, output = self.run_selftest('--yes')
        self.assertEqual(cli.CLEAN, code, output)
        self.assertRegex(output, r'create 1 GB volume +ok +\d+ +\d+\.\d\d')
        self.assertIn('PASSED: 11 steps', output)

    def test_a_failed_step_is_cleaned_up_and_exit_1(self):
        before = self.fake.snapshot()
        # The clone's link fails: its device and temporary snapshot, and
        # everything made before, must go.
        self.fake.faults.add(method='PUT', path='/snapshot/',
                             action='error', status=500,
                             message='injected')
        code, output = self.run_selftest('--yes', '--json')
        document = json.loads(output)
        self.assertEqual(cli.FOUND, code, output)
        failed = [s for s in document['steps'] if not s['ok']]
        self.assertEqual(['clone'], [s['step'] for s in failed], output)
        self.assertIn('injected', failed[0]['detail'])
        self.assertTrue(document['steps'][-1]['ok'], output)
        self.assertEqual([], self.fake.check(before))

    def test_an_initiator_of_the_other_protocol(self):
        code, _output = self.run_selftest(
            '--initiator', 'iqn.1993-08.org.debian:01:x', '--yes')
        self.assertEqual(cli.CANNOT, code)
        self.assertOneLineError(['not an FC WWPN'])

    def test_it_asks_first(self):
        out = io.StringIO()
        code = selftest_cmd.main(['--config-file', self.conf(), '--backend',
                                  test_cmd.BACKEND], out=out,
                                 answer=lambda prompt: 'no')
        self.assertEqual(cli.CLEAN, code)
        self.assertIn('nothing done', out.getvalue())
        self.assertEqual([], self.fake.check(self.baseline))


class ConnectorTest(tests_base.TestCase):

    def test_wwpn_and_iqn(self):
        self.assertEqual(['10000090fa0b5e01'], selftest.connector(
            '10:00:00:90:FA:0B:5E:01', 'FC')['wwpns'])
        self.assertEqual('iqn.2020-01.x:y', selftest.connector(
            'iqn.2020-01.x:y', 'iSCSI')['initiator'])
        self.assertRaises(ValueError, selftest.connector, WWPN, 'iSCSI')
        self.assertTrue(selftest.new_id().startswith(selftest.ID_PREFIX))
