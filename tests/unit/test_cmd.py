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


"""The operator commands as scripts use them: exit statuses, one-line
errors with their fix and no traceback, and ``--json``."""

import io
import json
import os

import fixtures

from cinder_powermax import audit
from cinder_powermax.cmd import audit as audit_cmd
from cinder_powermax.cmd import check
from cinder_powermax.cmd import cli
from tests.unit import base
from tests.unit import test_audit

#: Not the driver's backend: the test's overrides of that section would
#: hide what the file says.
BACKEND = 'powermax_cmd'


class CommandTestCase(base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        # The commands read Cinder's credentials from the environment.
        for name in [n for n in os.environ if n.startswith('OS_')]:
            self.useFixture(fixtures.EnvironmentVariable(name))

    def conf(self, **changes):
        values = {'volume_driver': 'cinder_powermax.fc.PowerMaxFCDriver',
                  'san_ip': '127.0.0.1', 'san_api_port': '8443',
                  'san_login': self.fake.username,
                  'san_password': self.fake.password,
                  'powermax_array': self.array, 'powermax_srp': 'SRP_1',
                  'powermax_port_groups': '[OS-fibre-PG]',
                  'driver_ssl_cert_verify': 'False'}
        values.update(changes)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'cinder.conf')
        with open(path, 'w') as out:
            out.write('[DEFAULT]\nenabled_backends = %s\n\n[%s]\n' % (
                BACKEND, BACKEND))
            out.writelines('%s = %s\n' % kv for kv in values.items())
        return path

    def assertOneLineError(self, words):
        """One line on stderr, naming the fix, and no traceback."""
        lines = self.stderr.getvalue().splitlines()
        self.assertEqual(1, len(lines), self.stderr.getvalue())
        self.assertIn('; fix: ', lines[0])
        for word in words:
            self.assertIn(word, lines[0])
        self.assertNotIn(self.fake.password, lines[0])


class CheckCommandTest(CommandTestCase):

    def run_check(self, *argv):
        out = io.StringIO()
        return check.main(list(argv), out=out), out.getvalue()

    def test_a_missing_file_is_one_line_and_status_2(self):
        code, output = self.run_check('--config-file', '/nonexistent.conf')
        self.assertEqual(cli.CANNOT, code)
        self.assertEqual('', output)
        self.assertOneLineError(['/nonexistent.conf does not exist',
                                 '--config-file'])

    def test_an_unknown_backend_is_one_line_and_status_2(self):
        code, _output = self.run_check('--config-file', self.conf(),
                                       '--backend', 'nope')
        self.assertEqual(cli.CANNOT, code)
        self.assertOneLineError(['backend nope is not in enabled_backends'])

    def test_debug_shows_the_traceback(self):
        code, _output = self.run_check('--config-file', '/nonexistent.conf',
                                       '--debug')
        self.assertEqual(cli.CANNOT, code)
        self.assertIn('Traceback', self.stderr.getvalue())

    def test_json_and_the_standby_warning(self):
        code, output = self.run_check('--config-file', self.conf(), '--json')
        self.assertEqual(cli.CLEAN, code, output)
        document = json.loads(output)
        self.assertEqual(0, document['exit_status'])
        backend, = document['backends']
        self.assertEqual((BACKEND, 'FC', 0), (
            backend['backend'], backend['protocol'], backend['failed']))
        checks = {c['check']: c for c in backend['checks']}
        self.assertEqual('WARN', checks['Unisphere standby']['status'])
        self.assertIn('u4p_failover_target', checks['Unisphere standby'][
            'fix'])
        self.assertEqual('OK', checks['array']['status'])

    def test_a_standby_is_named(self):
        code, output = self.run_check('--config-file', self.conf(
            u4p_failover_target='san_ip:10.0.0.51,san_login:smc,'
            'san_password:secret,driver_ssl_cert_verify:False'), '--json')
        checks = {c['check']: c for c in json.loads(output)['backends'][0][
            'checks']}
        self.assertEqual(('OK', '10.0.0.51:8443'), (
            checks['Unisphere standby']['status'],
            checks['Unisphere standby']['detail']))
        self.assertNotIn('secret', output)

    def test_json_of_a_failure_has_status_1(self):
        code, output = self.run_check('--config-file', self.conf(
            powermax_srp='SRP_9'), '--json')
        self.assertEqual(cli.FOUND, code)
        self.assertEqual(1, json.loads(output)['exit_status'])

    def test_json_of_an_error(self):
        code, output = self.run_check('--config-file', '/nonexistent.conf',
                                      '--json')
        self.assertEqual(cli.CANNOT, code)
        document = json.loads(output)
        self.assertEqual(2, document['exit_status'])
        self.assertIn('does not exist', document['error'])
        self.assertIn('--config-file', document['fix'])


class AuditCommandTest(CommandTestCase):

    def run_audit(self, *argv, cinder=None):
        out = io.StringIO()
        cinder = cinder or test_audit.FakeCinder()
        return (audit_cmd.main(list(argv), out=out, cinder=cinder),
                out.getvalue())

    def test_clean_array_is_0_debris_is_1(self):
        code, output = self.run_audit('--config-file', self.conf())
        self.assertEqual(cli.CLEAN, code, output)
        self.assertIn('nothing left behind', output)
        self.create()  # a device no Cinder volume knows
        code, output = self.run_audit('--config-file', self.conf())
        self.assertEqual(cli.FOUND, code, output)
        self.assertIn('1 finding(s)', output)

    def test_all_of_it_removed_is_0(self):
        orphan = self.create()
        code, output = self.run_audit('--config-file', self.conf(),
                                      '--clean', '--yes')
        self.assertEqual(cli.CLEAN, code, output)
        self.assertNotIn(self.device_of(orphan), self.arr.volumes)

    def test_wrong_unisphere_password_is_one_line_and_status_2(self):
        code, output = self.run_audit('--config-file', self.conf(
            san_password='wrong-one'))
        self.assertEqual(cli.CANNOT, code, output)
        self.assertOneLineError(['[%s] Unisphere 127.0.0.1:8443 refused '
                                 'the credentials' % BACKEND,
                                 'san_password'])
        self.assertNotIn('wrong-one', self.stderr.getvalue())

    def test_missing_cinder_credentials_are_one_line(self):
        out = io.StringIO()
        code = audit_cmd.main(['--config-file', self.conf()], out=out)
        self.assertEqual(cli.CANNOT, code)
        self.assertOneLineError(['Cinder credentials are incomplete',
                                 'OS_AUTH_URL', 'openrc'])

    def test_admin_token_without_endpoint(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_AUTH_TYPE',
                                                     'admin_token'))
        out = io.StringIO()
        code = audit_cmd.main(['--config-file', self.conf()], out=out)
        self.assertEqual(cli.CANNOT, code)
        self.assertOneLineError(['OS_ENDPOINT'])

    def test_json(self):
        orphan = self.create()
        code, output = self.run_audit('--config-file', self.conf(), '--json')
        self.assertEqual(cli.FOUND, code)
        document = json.loads(output)
        self.assertEqual(1, document['exit_status'])
        backend, = document['backends']
        self.assertEqual(self.array, backend['array'])
        self.assertEqual([(audit.DEVICE, self.device_of(orphan), True)],
                         [(f['kind'], f['name'], f['cleanable'])
                          for f in backend['findings']])

    def test_json_of_a_backend_that_cannot_be_audited(self):
        code, output = self.run_audit('--config-file', self.conf(
            san_password='wrong-one'), '--json')
        self.assertEqual(cli.CANNOT, code)
        backend, = json.loads(output)['backends']
        self.assertIn('refused the credentials', backend['error'])
        self.assertEqual('', self.stderr.getvalue())

    def test_json_clean_needs_yes(self):
        self.assertRaises(SystemExit, audit_cmd.parse_args,
                          ['--json', '--clean'])


class AuditFindingsTest(base.DriverTestCase):
    """What the audit says of volumes Cinder shows attached or free."""

    def scan(self, known):
        context = self.driver.common._array()
        return audit.scan(test_audit.inventory.Inventory(
            context.sloprov.client, self.array), known)

    def test_an_attached_volumes_home_group_is_not_debris(self):
        volume = self.create()
        self.driver.initialize_connection(volume, test_audit.CONNECTOR)
        home = 'OS-SRP_1-Diamond-NONE-SG'
        self.assertEqual([], self.arr.members(home))
        meta = {'SRP': 'SRP_1', 'ServiceLevel': 'Diamond',
                'Workload': 'NONE', 'CompressionDisabled': 'False',
                'ReplicationEnabled': 'False'}
        self.assertEqual(home, audit.home_group(meta))
        unknown_home = audit.Known(frozenset([volume.id]), frozenset(),
                                   {volume.id: ('vol', 'in-use')})
        self.assertIn((audit.GROUP, home), {
            (f.kind, f.name) for f in self.scan(unknown_home)})
        known = audit.Known(frozenset([volume.id]), frozenset(),
                            {volume.id: ('vol', 'in-use')},
                            homes=frozenset([home]))
        self.assertEqual([], self.scan(known))

    def test_a_volume_masked_while_cinder_shows_it_available(self):
        volume = self.create()
        self.driver.initialize_connection(volume, test_audit.CONNECTOR)
        # As "cinder reset-state --attach-status detached" leaves it.
        known = audit.Known(frozenset([volume.id]), frozenset(),
                            {volume.id: ('vol', 'available')},
                            homes=frozenset(['OS-SRP_1-Diamond-NONE-SG']))
        finding, = self.scan(known)
        self.assertEqual((audit.MASKED, self.device_of(volume), False),
                         (finding.kind, finding.name, finding.cleanable))
        self.assertIn('Cinder volume vol is available', finding.detail)

    def test_the_home_of_each_kind_of_volume(self):
        self.assertEqual('OS-SRP_1-Gold-NONE-CD-RA-SG', audit.home_group({
            'SRP': 'SRP_1', 'ServiceLevel': 'Gold', 'Workload': 'NONE',
            'CompressionDisabled': 'True', 'ReplicationEnabled': 'True',
            'ReplicationMode': 'Asynchronous'}))
        self.assertEqual('OS-no_SLO-SG', audit.home_group({
            'SRP': 'SRP_1', 'ServiceLevel': 'None'}))
        self.assertIsNone(audit.home_group({}))
