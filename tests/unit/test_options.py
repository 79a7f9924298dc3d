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

"""Options, aliases, the settings reader and the legacy XML file."""

from importlib import metadata
import logging
import os

from cinder.volume import configuration
from cinder.volume import driver as cinder_driver
from cinder.volume.drivers.san import san
import ddt
import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_config import generator
import testtools

from cinder_powermax import exception
from cinder_powermax import options
from tests import base as tests_base

CONF = cfg.CONF
GROUP = 'backend_1'
PASSWORD = 'u4p-s3cret'
CHAP_SECRET = 'chap-s3cret'
REP_DEVICE = {'target_device_id': '000197800124',
              'remote_port_group': 'OS-fibre-PG', 'remote_pool': 'SRP_1',
              'rdf_group_label': '23_24_007'}
FAILOVER_PASSWORD = 'standby-s3cret'
SECRETS = (PASSWORD, CHAP_SECRET, FAILOVER_PASSWORD)


def base_values(**changes):
    """The smallest valid backend section."""
    values = {'san_ip': '10.0.0.1', 'san_login': 'smc',
              'san_password': PASSWORD, 'powermax_array': '000197800123',
              'powermax_srp': 'SRP_1'}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def target(**changes):
    """One u4p_failover_target value as oslo.config parses it."""
    values = {'san_ip': '10.0.0.2', 'san_api_port': '8443',
              'san_login': 'smc', 'san_password': FAILOVER_PASSWORD,
              'driver_ssl_cert_verify': 'True'}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


PIKE_XML = """<?xml version="1.0" encoding="UTF-8" ?>
<EMC>
   <RestServerIp>1.1.1.1</RestServerIp>
   <RestServerPort>8444</RestServerPort>
   <RestUserName>pike</RestUserName>
   <RestPassword>%(password)s</RestPassword>
   <PortGroups>
      <PortGroup>OS-PORTGROUP1-PG</PortGroup>
      <PortGroup> OS-PORTGROUP2-PG </PortGroup>
   </PortGroups>
   <Array>111111111111</Array>
   <SRP>SRP_X</SRP>
   <SSLVerify>%(verify)s</SSLVerify>
   <ServiceLevel>Gold</ServiceLevel>
   <Workload>OLTP</Workload>
</EMC>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<EMC><RestServerIp>&lol3;</RestServerIp></EMC>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE EMC [<!ENTITY pw SYSTEM "file:///etc/passwd">]>
<EMC><RestPassword>&pw;</RestPassword></EMC>
"""


class OptionsTestCase(tests_base.TestCase):
    """A backend section ``[backend_1]`` on the real Configuration."""

    def setUp(self):
        super().setUp()
        self.config = self.useFixture(config_fixture.Config(CONF))
        self.log = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.conf = configuration.Configuration(options.powermax_opts,
                                                config_group=GROUP)
        self.conf.append_config_values(options.get_driver_options())

    def set(self, **values):
        self.config.config(group=GROUP, **values)

    def raw(self, **values):
        """Values as if read from cinder.conf (strings, aliases allowed)."""
        self.config.load_raw_values(group=GROUP, **values)

    def settings(self, **changes):
        self.set(**base_values(**changes))
        return options.get_backend_settings(self.conf)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as handle:
            handle.write(text)
        return path

    def assertConfigError(self, *fragments):
        error = self.assertRaises(exception.ConfigError,
                                  options.get_backend_settings, self.conf)
        for fragment in fragments:
            self.assertIn(fragment, str(error))
        return error

    def assertNoSecrets(self, text):
        for secret in SECRETS:
            self.assertNotIn(secret, text)


@ddt.ddt
class OptionDefinitionTest(OptionsTestCase):

    @ddt.unpack
    @ddt.data(('interval', 3), ('retries', 200), ('initiator_check', False),
              ('powermax_workload', None), ('u4p_failover_timeout', 20),
              ('u4p_failover_retries', 3),
              ('u4p_failover_backoff_factor', 1),
              ('u4p_failover_autofailback', True),
              ('u4p_failover_target', None), ('powermax_array', None),
              ('powermax_srp', None), ('powermax_service_level', None),
              ('powermax_port_groups', None),
              ('powermax_array_tag_list', None),
              ('powermax_short_host_name_template', 'shortHostName'),
              ('powermax_port_group_name_template', 'portGroupName'),
              ('rest_api_connect_timeout', 30),
              ('rest_api_read_timeout', 30),
              ('snapvx_unlink_symforce', False),
              ('powermax_create_batch_size', 64),
              ('cinder_dell_emc_config_file', None))
    def test_default(self, name, default):
        value = self.conf.safe_get(name)
        self.assertEqual(default, value)
        # 20, not the in-tree float 20.0.
        self.assertIs(type(default), type(value))

    def test_registered_in_backend_defaults(self):
        self.assertEqual(3, CONF.backend_defaults.interval)
        self.config.config(group='backend_defaults', powermax_srp='SRP_9')
        self.assertEqual('SRP_9', self.conf.powermax_srp)

    @ddt.unpack
    @ddt.data(('interval', '0'), ('retries', '0'),
              ('rest_api_connect_timeout', '0'),
              ('rest_api_read_timeout', '0'), ('u4p_failover_timeout', '0'),
              ('u4p_failover_retries', '-1'),
              ('u4p_failover_backoff_factor', '-1'),
              ('san_api_port', '70000'), ('interval', 'soon'))
    def test_out_of_bounds_names_option(self, name, value):
        self.set(**base_values())
        self.raw(**{name: value})
        self.assertConfigError(name)

    @ddt.unpack
    @ddt.data(('vmax_array', 'powermax_array', '000197800999'),
              ('vmax_srp', 'powermax_srp', 'SRP_2'),
              ('vmax_service_level', 'powermax_service_level', 'Gold'),
              ('vmax_workload', 'powermax_workload', 'OLTP'),
              ('vmax_port_groups', 'powermax_port_groups', ['PG1', 'PG2']))
    def test_deprecated_alias(self, old, new, expected):
        raw = ('[%s]' % ', '.join(expected) if isinstance(expected, list)
               else expected)
        self.raw(**{old: raw})
        self.assertEqual(expected, getattr(self.conf, new))

    def test_new_name_wins_over_alias(self):
        self.raw(vmax_srp='SRP_OLD', powermax_srp='SRP_NEW')
        self.assertEqual('SRP_NEW', self.conf.powermax_srp)

    def test_alias_reaches_settings(self):
        self.raw(san_ip='10.0.0.1', san_password=PASSWORD,
                 vmax_array='000197800777', vmax_srp='SRP_7',
                 vmax_workload='DSS')
        settings = options.get_backend_settings(self.conf)
        self.assertEqual(('000197800777', 'SRP_7', 'DSS'),
                         (settings.array, settings.srp, settings.workload))

    @ddt.unpack
    @ddt.data(('[OS-FC-PG]', ['OS-FC-PG']),
              ('[PG1, PG2]', ['PG1', 'PG2']),
              ('PG1,PG2', ['PG1', 'PG2']),
              ('PG1', ['PG1']), ('[]', []))
    def test_port_group_spellings(self, raw, expected):
        self.raw(powermax_port_groups=raw)
        self.assertEqual(expected, self.conf.powermax_port_groups)

    def test_driver_options_include_generic(self):
        names = [opt.name for opt in options.get_driver_options()]
        for name in options.GENERIC_OPTION_NAMES:
            self.assertIn(name, names)
        self.assertIn('san_api_port', names)
        self.assertIn('driver_ssl_cert_path', names)
        for opt in options.powermax_opts:
            self.assertIn(opt.name, names)
        self.assertEqual(len(names), len(set(names)))

    def test_driver_options_are_cinders_own(self):
        cinder_opts = san.san_opts + cinder_driver.volume_opts
        for opt in options.get_driver_options():
            if opt.name in options.GENERIC_OPTION_NAMES:
                self.assertTrue(any(opt is own for own in cinder_opts),
                                opt.name)

    def test_list_opts(self):
        listed = options.list_opts()
        self.assertEqual(1, len(listed))
        group, opts = listed[0]
        self.assertEqual('backend_defaults', group)
        self.assertEqual([opt.name for opt in options.powermax_opts],
                         [opt.name for opt in opts])
        self.assertNotIn('san_ip', [opt.name for opt in opts])

    def test_secret_options(self):
        by_name = {opt.name: opt for opt in options.get_driver_options()}
        for name in ('u4p_failover_target', 'san_password', 'chap_password',
                     'replication_device'):
            self.assertTrue(by_name[name].secret, name)

    def test_every_option_has_help(self):
        for opt in options.powermax_opts:
            self.assertGreater(len(opt.help), 40, opt.name)

    def _entry_point(self):
        found = [point for point in
                 metadata.entry_points(group='oslo.config.opts')
                 if point.name == 'cinder_powermax']
        if not found:
            self.skipTest('cinder_powermax is not installed')
        return found[0]

    def test_entry_point(self):
        self.assertIs(options.list_opts, self._entry_point().load())

    def test_sample_config(self):
        self._entry_point()
        sample = os.path.join(self.tmp, 'sample.conf')
        generator.main(['--namespace', 'cinder_powermax', '--output-file',
                        sample, '--wrap-width', '79'])
        with open(sample) as handle:
            text = handle.read()
        self.assertIn('[backend_defaults]', text)
        self.assertIn('#powermax_array = <None>', text)
        self.assertIn('[backend_defaults]/vmax_array', text)
        self.assertIn('Minimum value: 1', text)
        self.assertNotIn('load_balance', text)

    def test_no_option_is_inert(self):
        # Every registered option acts; none may say otherwise.
        for opt in options.powermax_opts:
            self.assertNotIn('does not act', opt.help, opt.name)

    def test_unregistered_options_in_a_file_are_ignored(self):
        # Deployments moving from the in-tree driver keep their
        # load-balancing options in cinder.conf: oslo.config reads past
        # options nothing registered, so the file still loads.
        path = self.write('cinder.conf', '[%s]\nload_balance = True\n'
                          'port_load_metric = IOs\nsan_ip = 10.0.0.1\n' %
                          GROUP)
        conf = cfg.ConfigOpts()
        conf.register_opts([cfg.StrOpt('san_ip')], group=GROUP)
        conf(['--config-file', path], project='cinder')
        self.assertEqual('10.0.0.1', conf[GROUP].san_ip)
        self.assertRaises(cfg.NoSuchOptError, getattr, conf[GROUP],
                          'load_balance')


@ddt.ddt
class BackendSettingsTest(OptionsTestCase):

    def test_minimal(self):
        settings = self.settings()
        self.assertEqual(('10.0.0.1', 8443, 'smc', PASSWORD),
                         (settings.san_ip, settings.san_api_port,
                          settings.san_login, settings.san_password))
        self.assertEqual(('000197800123', 'SRP_1'),
                         (settings.array, settings.srp))
        self.assertIsNone(settings.service_level)
        self.assertIsNone(settings.workload)
        self.assertEqual([], settings.port_groups)
        self.assertIs(False, settings.verify)
        self.assertEqual((3, 200, 30, 30),
                         (settings.interval, settings.retries,
                          settings.connect_timeout, settings.read_timeout))
        self.assertEqual('cinder.conf', settings.source)

    def test_full(self):
        settings = self.settings(
            san_api_port=9443, powermax_service_level='Diamond',
            powermax_workload='NONE', powermax_port_groups=['PG1', 'PG2'],
            interval=1, retries=5, rest_api_connect_timeout=4,
            rest_api_read_timeout=50, initiator_check=True,
            snapvx_unlink_symforce=True, powermax_array_tag_list=['a', 'b-1'],
            powermax_short_host_name_template='shortHostName[:7]finance',
            u4p_failover_timeout=5, u4p_failover_autofailback=False,
            reserved_percentage=10, max_over_subscription_ratio='auto',
            replication_device=[REP_DEVICE])
        self.assertEqual(9443, settings.san_api_port)
        self.assertEqual(('Diamond', 'NONE'),
                         (settings.service_level, settings.workload))
        self.assertEqual(['PG1', 'PG2'], settings.port_groups)
        self.assertEqual((1, 5, 4, 50),
                         (settings.interval, settings.retries,
                          settings.connect_timeout, settings.read_timeout))
        self.assertTrue(settings.initiator_check)
        self.assertTrue(settings.snapvx_unlink_symforce)
        self.assertEqual(['a', 'b-1'], settings.array_tags)
        self.assertEqual('shortHostName[:7]finance',
                         settings.short_host_name_template)
        self.assertEqual((5, False), (settings.failover_timeout,
                                      settings.failover_autofailback))
        self.assertEqual((10, 'auto'), (settings.reserved_percentage,
                                        settings.max_over_subscription_ratio))
        self.assertEqual([REP_DEVICE], settings.replication_devices)
        self.assertEqual(('000197800124', 'Synchronous', False),
                         (settings.replication.target,
                          settings.replication.mode,
                          settings.replication.allow_extend))

    def test_settings_are_frozen(self):
        settings = self.settings()
        self.assertRaises(AttributeError, setattr, settings, 'srp', 'SRP_2')

    @ddt.unpack
    @ddt.data(('san_ip', ''), ('san_login', ''), ('san_password', ''),
              ('powermax_array', None), ('powermax_srp', None))
    def test_missing_required(self, name, value):
        values = base_values()
        values.pop(name)
        self.set(**values)
        if value is not None:
            self.set(**{name: value})
        self.assertConfigError(name, 'required')

    @ddt.data('12345', '0001978001234', 'ABC197800123', '000-97800123')
    def test_array_must_be_twelve_digits(self, serial):
        self.set(**base_values(powermax_array=serial))
        self.assertConfigError('powermax_array', serial, '12 digits')

    def test_array_whitespace_trimmed(self):
        self.assertEqual('000197800123',
                         self.settings(powermax_array=' 000197800123 ').array)

    def _ca(self):
        return self.write('ca.pem', 'not really a certificate')

    @ddt.unpack
    @ddt.data((False, False, False), (True, False, True),
              (True, True, 'CA'), (False, True, False))
    def test_verify(self, flag, with_path, expected):
        path = self._ca() if with_path else None
        settings = self.settings(driver_ssl_cert_verify=flag,
                                 driver_ssl_cert_path=path)
        self.assertEqual(path if expected == 'CA' else expected,
                         settings.verify)

    def test_path_ignored_when_verify_off_warns(self):
        self.settings(driver_ssl_cert_path=self._ca())
        self.assertIn('driver_ssl_cert_path is set but certificate '
                      'verification is off', self.log.output)

    def test_missing_ca_path(self):
        missing = os.path.join(self.tmp, 'nope.pem')
        self.set(**base_values(driver_ssl_cert_verify=True,
                               driver_ssl_cert_path=missing))
        self.assertConfigError('driver_ssl_cert_path', missing)

    @ddt.data('https://10.0.0.1', '10.0.0.1/univmax', '10.0.0.1:8443',
              'unisphere host', 'http://unisphere.example.com:8443/')
    def test_san_ip_must_be_a_host(self, value):
        self.set(**base_values(san_ip=value))
        self.assertConfigError('san_ip', 'without a scheme')

    @ddt.unpack
    @ddt.data(('10.0.0.50', '10.0.0.50'), ('[fd00::50]', 'fd00::50'),
              ('fd00::50', 'fd00::50'),
              ('unisphere.example.com', 'unisphere.example.com'))
    def test_san_ip_forms(self, value, expected):
        self.assertEqual(expected, self.settings(san_ip=value).san_ip)

    @testtools.skipUnless(os.path.exists('/proc/self/mem'), 'Linux only')
    def test_unreadable_ca_path_named(self):
        # A file every user can see but nobody can read from the start,
        # root included.
        path = '/proc/self/mem'
        self.set(**base_values(driver_ssl_cert_verify=True,
                               driver_ssl_cert_path=path))
        self.assertConfigError('driver_ssl_cert_path', path,
                               'cannot be read')

    def test_chap(self):
        settings = self.settings(use_chap_auth=True, chap_username='chapuser',
                                 chap_password=CHAP_SECRET)
        self.assertEqual((True, 'chapuser', CHAP_SECRET),
                         (settings.use_chap_auth, settings.chap_username,
                          settings.chap_password))

    @ddt.data({'chap_username': 'chapuser'}, {'chap_password': CHAP_SECRET})
    def test_chap_incomplete(self, values):
        self.set(**base_values(use_chap_auth=True, **values))
        error = self.assertConfigError('use_chap_auth')
        self.assertNoSecrets(str(error))

    @ddt.data(['a'] * 9, ['good', 'bad tag'], ['semi;colon'])
    def test_bad_array_tags(self, tags):
        self.set(**base_values(powermax_array_tag_list=tags))
        self.assertConfigError('powermax_array_tag_list')

    def test_repr_masks_secrets(self):
        settings = self.settings(
            use_chap_auth=True, chap_username='chapuser',
            chap_password=CHAP_SECRET, u4p_failover_target=[target()],
            replication_device=[REP_DEVICE])
        for text in (repr(settings), str(settings), '%s' % settings):
            self.assertNoSecrets(text)
            self.assertIn("san_password='***'", text)
            self.assertIn('10.0.0.2', text)
            self.assertIn('chapuser', text)

    def test_no_secret_in_logs(self):
        self.settings(use_chap_auth=True, chap_username='chapuser',
                      chap_password=CHAP_SECRET,
                      u4p_failover_target=[target()])
        self.assertNoSecrets(self.log.output)


@ddt.ddt
class FailoverTargetTest(OptionsTestCase):

    def targets(self, *values):
        return self.settings(u4p_failover_target=list(values)).failover_targets

    def test_none_configured_warns(self):
        self.assertEqual([], self.settings().failover_targets)
        self.assertIn('No u4p_failover_target', self.log.output)

    def test_parsed(self):
        parsed = self.targets(target(), target(san_ip='10.0.0.3',
                                               san_api_port='9443'))
        self.assertEqual([
            {'san_ip': '10.0.0.2', 'san_api_port': 8443, 'san_login': 'smc',
             'san_password': FAILOVER_PASSWORD, 'verify': True},
            {'san_ip': '10.0.0.3', 'san_api_port': 9443, 'san_login': 'smc',
             'san_password': FAILOVER_PASSWORD, 'verify': True}], parsed)
        self.assertNotIn('No u4p_failover_target', self.log.output)

    @ddt.unpack
    @ddt.data(('False', False, False), ('false', False, False),
              ('True', False, True), ('False', True, 'CA'),
              ('True', True, 'CA'), (None, False, False))
    def test_verify(self, flag, with_path, expected):
        path = self.write('standby.pem', 'ca') if with_path else None
        parsed = self.targets(target(driver_ssl_cert_verify=flag,
                                     driver_ssl_cert_path=path))
        self.assertEqual(path if expected == 'CA' else expected,
                         parsed[0]['verify'])

    def test_port_defaults(self):
        parsed = self.targets(target(san_api_port=None))
        self.assertEqual(8443, parsed[0]['san_api_port'])

    @ddt.data('san_ip', 'san_login', 'san_password')
    def test_missing_key(self, key):
        second = target(san_ip='10.0.0.3')
        del second[key]
        self.set(**base_values(u4p_failover_target=[target(), second]))
        error = self.assertConfigError('u4p_failover_target #2', key)
        self.assertNoSecrets(str(error))

    @ddt.data({'san_pasword': 'typo'}, {'SSLVerify': 'True'})
    def test_unknown_key(self, extra):
        self.set(**base_values(u4p_failover_target=[target(**extra)]))
        self.assertConfigError('u4p_failover_target #1', list(extra)[0])

    @ddt.data({'san_api_port': 'https'}, {'san_api_port': '0'},
              {'san_api_port': '65536'},
              {'driver_ssl_cert_verify': 'maybe'})
    def test_bad_value(self, bad):
        self.set(**base_values(u4p_failover_target=[target(**bad)]))
        error = self.assertConfigError('u4p_failover_target #1', '10.0.0.2')
        self.assertNoSecrets(str(error))

    def test_missing_ca_path(self):
        missing = os.path.join(self.tmp, 'none.pem')
        self.set(**base_values(u4p_failover_target=[
            target(driver_ssl_cert_path=missing)]))
        self.assertConfigError('u4p_failover_target #1', missing)


@ddt.ddt
class LegacyXmlTest(OptionsTestCase):

    def xml(self, text=None, verify='True', name='pike.xml'):
        if text is None:
            text = PIKE_XML % {'password': PASSWORD, 'verify': verify}
        return self.write(name, text)

    def use_xml(self, path, **conf):
        self.set(cinder_dell_emc_config_file=path, **conf)
        return options.get_backend_settings(self.conf)

    def test_pike_file(self):
        path = self.xml()
        settings = self.use_xml(path)
        self.assertEqual(('1.1.1.1', 8444, 'pike', PASSWORD),
                         (settings.san_ip, settings.san_api_port,
                          settings.san_login, settings.san_password))
        self.assertEqual(('111111111111', 'SRP_X', 'Gold', 'OLTP'),
                         (settings.array, settings.srp,
                          settings.service_level, settings.workload))
        self.assertEqual(['OS-PORTGROUP1-PG', 'OS-PORTGROUP2-PG'],
                         settings.port_groups)
        self.assertIs(True, settings.verify)
        self.assertEqual(path, settings.source)
        self.assertIn('deprecated', self.log.output)
        self.assertIn(path, self.log.output)
        self.assertNoSecrets(self.log.output)
        self.assertNoSecrets(repr(settings))

    def test_ssl_verify_path(self):
        ca = self.write('ca.pem', 'ca')
        self.assertEqual(ca, self.use_xml(self.xml(verify=ca)).verify)

    def test_ssl_verify_missing_path(self):
        missing = os.path.join(self.tmp, 'gone.pem')
        path = self.xml(verify=missing)
        self.set(cinder_dell_emc_config_file=path)
        self.assertConfigError(path, missing)

    def test_cinder_conf_wins(self):
        path = self.xml()
        settings = self.use_xml(path, san_ip='10.9.9.9',
                                powermax_srp='SRP_CONF',
                                powermax_port_groups=['CONF-PG'],
                                driver_ssl_cert_verify=False)
        self.assertEqual(('10.9.9.9', 'SRP_CONF', ['CONF-PG'], False),
                         (settings.san_ip, settings.srp,
                          settings.port_groups, settings.verify))
        # Values cinder.conf does not set still come from the file.
        self.assertEqual(('pike', PASSWORD, '111111111111'),
                         (settings.san_login, settings.san_password,
                          settings.array))
        self.assertIn('array, san_api_port, san_login, san_password, '
                      'service_level, workload', self.log.output)

    def test_alias_in_cinder_conf_wins(self):
        self.raw(vmax_array='000197800555')
        self.assertEqual('000197800555', self.use_xml(self.xml()).array)

    def _default_file(self, text=None):
        self.useFixture(fixtures.MonkeyPatch(
            'cinder_powermax.options.LEGACY_XML_DEFAULT',
            os.path.join(self.tmp, 'cinder_dell_emc_config_%(group)s.xml')))
        return self.xml(text, name='cinder_dell_emc_config_%s.xml' % GROUP)

    def test_default_file_read_without_san_ip(self):
        path = self._default_file()
        settings = options.get_backend_settings(self.conf)
        self.assertEqual(('1.1.1.1', path), (settings.san_ip, settings.source))

    def test_default_file_ignored_with_san_ip(self):
        self._default_file(text='not xml')
        self.assertEqual('cinder.conf', self.settings().source)

    def test_no_file_without_option(self):
        self.set(**base_values(san_ip=''))
        self.assertConfigError('san_ip is required')

    @ddt.unpack
    @ddt.data((BILLION_LAUGHS, 'DTD'), (EXTERNAL_ENTITY, 'DTD'),
              ('this is not XML', 'not well-formed'),
              ('', 'not well-formed'),
              ('<EMC><Array>000197800123</Array>', 'not well-formed'))
    def test_malformed(self, text, problem):
        path = self.xml(text)
        self.set(cinder_dell_emc_config_file=path)
        self.assertConfigError(path, problem)

    def test_missing_file(self):
        path = os.path.join(self.tmp, 'absent.xml')
        self.set(cinder_dell_emc_config_file=path)
        self.assertConfigError(path, 'does not exist')

    def test_unreadable_file(self):
        self.set(cinder_dell_emc_config_file=self.tmp)
        self.assertConfigError(self.tmp, 'cannot be read')

    @ddt.data('https', '0', '65536', '-1')
    def test_bad_port(self, port):
        path = self.xml(PIKE_XML.replace('8444', port) % {
            'password': PASSWORD, 'verify': 'True'})
        self.set(cinder_dell_emc_config_file=path)
        self.assertConfigError(path, 'RestServerPort', port)

    @ddt.unpack
    @ddt.data(('RestServerIp', 'san_ip'), ('RestPassword', 'san_password'),
              ('Array', 'powermax_array'), ('SRP', 'powermax_srp'))
    def test_missing_tag(self, tag, option):
        text = PIKE_XML % {'password': PASSWORD, 'verify': 'True'}
        start, end = text.index('<%s>' % tag), text.index('</%s>' % tag)
        path = self.xml(text[:start] + text[end + len(tag) + 3:])
        self.set(cinder_dell_emc_config_file=path)
        error = self.assertConfigError(path, tag, option)
        self.assertNoSecrets(str(error))

    def test_ssl_cert_tag_ignored_with_warning(self):
        text = PIKE_XML.replace('</EMC>', '<SSLCert>/c.pem</SSLCert></EMC>')
        self.use_xml(self.xml(text % {'password': PASSWORD,
                                      'verify': 'False'}))
        self.assertIn('SSLCert', self.log.output)

    def test_read_legacy_xml(self):
        values = options.read_legacy_xml(self.xml(verify='false'))
        self.assertEqual({'san_ip', 'san_api_port', 'san_login',
                          'san_password', 'array', 'srp', 'verify',
                          'service_level', 'workload', 'port_groups'},
                         set(values))
        self.assertIs(False, values['verify'])
