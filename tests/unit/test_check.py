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


"""The preflight check against the fake Unisphere, in process and over
HTTPS: what it reports, and that it changes nothing on the array."""

import io
import os

import fixtures

from cinder_powermax.cmd import check
from cinder_powermax import preflight
from tests.fake_unisphere import data
from tests.fake_unisphere import server
from tests.unit import base


class CheckTest(base.DriverTestCase):

    def run_check(self, protocol='FC', **overrides):
        for key, value in overrides.items():
            self.config.config(group=base.BACKEND, **{key: value})
        del self.fake.requests[:]
        results = check.check_backend(base.BACKEND, protocol)
        return {r.check: r for r in results}

    def assertOnlyReads(self):
        self.assertNotEqual([], self.fake.requests)
        self.assertEqual({'GET'}, {r.method for r in self.fake.requests})

    def test_a_good_backend_passes_and_changes_nothing(self):
        results = self.run_check()
        self.assertEqual([], [r for r in results.values()
                              if r.status == preflight.FAIL])
        self.assertEqual(preflight.OK, results['array'].status)
        self.assertIn('2 FC ports, all online',
                      results['port group OS-fibre-PG'].detail)
        self.assertEqual(preflight.SKIP, results['volume types'].status)
        self.assertOnlyReads()
        self.assertClean()

    def test_verification_off_is_said_clearly(self):
        results = self.run_check()
        self.assertEqual(preflight.WARN, results['TLS'].status)
        self.assertIn('OFF', results['TLS'].detail)

    def test_a_missing_port_group_fails_with_the_existing_ones(self):
        results = self.run_check(powermax_port_groups=['OS-nope-PG'])
        found = results['port group OS-nope-PG']
        self.assertEqual(preflight.FAIL, found.status)
        self.assertIn('OS-fibre-PG', found.detail)
        self.assertIn('create the port group', found.fix)
        self.assertOnlyReads()

    def test_a_port_group_of_the_other_protocol_fails(self):
        results = self.run_check(powermax_port_groups=['OS-iscsi-PG'])
        self.assertEqual(preflight.FAIL,
                         results['port group OS-iscsi-PG'].status)

    def test_an_offline_port_fails(self):
        self.arr.directors['FA-2D'].ports['4'].status = 'OFF'
        found = self.run_check()['port group OS-fibre-PG']
        self.assertEqual(preflight.FAIL, found.status)
        self.assertIn('FA-2D:4', found.detail)

    def test_wrong_srp_service_level_and_array(self):
        results = self.run_check(powermax_srp='SRP_9',
                                 powermax_service_level='Titanium')
        self.assertEqual(preflight.FAIL, results['SRP'].status)
        self.assertIn('SRP_1', results['SRP'].fix)
        self.assertEqual(preflight.FAIL, results['service level'].status)
        self.assertIn('Diamond', results['service level'].fix)
        results = self.run_check(powermax_array='000197899999')
        self.assertEqual(preflight.FAIL, results['array'].status)
        self.assertIn(self.array, results['array'].detail)

    def test_wrong_credentials_fail_without_showing_the_password(self):
        results = self.run_check(san_password='not-the-password')
        self.assertEqual(preflight.FAIL, results['Unisphere'].status)
        self.assertIn('refused the credentials', results['Unisphere'].detail)
        self.assertNotIn('not-the-password', repr(results))

    def test_a_bad_option_is_a_configuration_failure(self):
        results = self.run_check(powermax_srp='')
        self.assertEqual(preflight.FAIL, results['configuration'].status)

    def test_the_legacy_xml_file_is_read_and_called_deprecated(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'pike.xml')
        with open(path, 'w') as out:
            out.write('<EMC><PortGroups><PortGroup>OS-fibre2-PG</PortGroup>'
                      '</PortGroups></EMC>')
        results = self.run_check(cinder_dell_emc_config_file=path,
                                 powermax_port_groups=None)
        self.assertEqual(preflight.WARN, results['legacy XML file'].status)
        self.assertIn(path, results['legacy XML file'].detail)
        self.assertEqual(preflight.OK,
                         results['port group OS-fibre2-PG'].status)
        with open(path, 'w') as out:
            out.write('<EMC><PortGroups>')
        results = self.run_check(cinder_dell_emc_config_file=path,
                                 powermax_port_groups=None)
        self.assertEqual(preflight.FAIL, results['configuration'].status)
        self.assertIn(path, results['configuration'].detail)

    def test_replication_device_target_and_remote_port_group(self):
        results = self.run_check(replication_device=[
            'target_device_id:%s,remote_port_group:OS-fibre-PG,'
            'remote_pool:SRP_1,rdf_group_label:23_24_007' %
            data.POWERMAX_8000_R])
        target = 'replication target %s' % data.POWERMAX_8000_R
        self.assertEqual(preflight.OK, results[target].status)
        self.assertEqual(preflight.OK,
                         results['remote port group OS-fibre-PG'].status)
        self.assertEqual(preflight.OK,
                         results['RDF group 23_24_007'].status)
        self.assertEqual(preflight.OK, results['remote SRP SRP_1'].status)
        results = self.run_check(replication_device=[
            'target_device_id:%s,remote_port_group:OS-fibre-PG,'
            'remote_pool:SRP_9,rdf_group_label:23_24_007' %
            data.POWERMAX_8000_R])
        self.assertEqual(preflight.FAIL, results['remote SRP SRP_9'].status)
        self.assertIn('SRP_1', results['remote SRP SRP_9'].detail)
        self.fake.model.set_rdf_link(data.POWERMAX_8000, 7, False)
        results = self.run_check()
        self.assertEqual(preflight.FAIL,
                         results['RDF group 23_24_007'].status)
        results = self.run_check(replication_device=[
            'target_device_id:000197811111,remote_port_group:x,'
            'remote_pool:SRP_1,rdf_group_label:28_11_07'])
        self.assertEqual(preflight.FAIL,
                         results['replication target 000197811111'].status)
        results = self.run_check(replication_device=[
            'target_device_id:%s,remote_port_group:OS-fibre-PG,'
            'remote_pool:SRP_1,rdf_group_label:28_11_07' %
            data.POWERMAX_8000_R])
        self.assertEqual(preflight.FAIL,
                         results['RDF group 28_11_07'].status)
        self.assertIn('23_24_007', results['RDF group 28_11_07'].detail)
        self.assertOnlyReads()
        results = self.run_check(replication_device=[
            'target_device_id:000197811111,remote_port_group:x'])
        self.assertEqual(preflight.FAIL, results['configuration'].status)
        self.assertIn('remote_pool', results['configuration'].detail)


class HttpsCheckTest(base.DriverTestCase):
    """TLS against the fake's generated CA, and against a wrong one."""

    def setUp(self):
        super().setUp()
        url, self.ca_path = self.fake.start_https()
        self.port = int(url.rsplit(':', 1)[1])

    def conf_file(self, ca_path, port_group='OS-fibre-PG'):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'cinder.conf')
        with open(path, 'w') as out:
            out.write('[DEFAULT]\nenabled_backends = pmax\n\n[pmax]\n'
                      'volume_driver = cinder_powermax.fc.PowerMaxFCDriver\n'
                      'san_ip = 127.0.0.1\nsan_api_port = %d\n'
                      'san_login = %s\nsan_password = %s\n'
                      'powermax_array = %s\npowermax_srp = SRP_1\n'
                      'powermax_port_groups = [%s]\n'
                      'driver_ssl_cert_verify = True\n'
                      'driver_ssl_cert_path = %s\n' % (
                          self.port, self.fake.username, self.fake.password,
                          self.array, port_group, ca_path))
        return path

    def run_main(self, path):
        out = io.StringIO()
        del self.fake.requests[:]
        code = check.main(['--config-file', path], out=out)
        return code, out.getvalue()

    def test_verified_against_the_configured_ca(self):
        code, output = self.run_main(self.conf_file(self.ca_path))
        self.assertEqual(0, code, output)
        self.assertIn('OK    TLS', output)
        self.assertIn('certificate verified against %s' % self.ca_path,
                      output)
        self.assertNotIn(self.fake.password, output)
        self.assertEqual({'GET'}, {r.method for r in self.fake.requests})

    def test_a_wrong_ca_fails_with_the_fix(self):
        other = self.useFixture(fixtures.TempDir()).path
        wrong_ca = server.make_certificates(other)[0]
        code, output = self.run_main(self.conf_file(wrong_ca))
        self.assertEqual(1, code, output)
        self.assertIn('FAIL  TLS', output)
        self.assertIn('verification of 127.0.0.1:%d failed' % self.port,
                      output)
        self.assertNotIn('Unisphere  ', output)
        self.assertIn('fix: set driver_ssl_cert_path', output)
        self.assertEqual([], self.fake.requests)

    def test_a_wrong_port_group_exits_non_zero(self):
        code, output = self.run_main(self.conf_file(self.ca_path,
                                                    'OS-wrong-PG'))
        self.assertEqual(1, code, output)
        self.assertIn('FAIL  port group OS-wrong-PG', output)
        self.assertIn('1 check(s) FAILED', output)
