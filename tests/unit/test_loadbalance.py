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

"""Port groups and ports chosen by the load Unisphere reports.

The fake derives every metric from the I/O it is told hosts drive (on a
device, over its paths, or on ports directly); the tests show the busy
port group and the busy port avoided, with diagnostic and real-time data
and both data formats, and the fallbacks: no registration, an error, bad
settings.
"""

import logging

from cinder_powermax import iscsi
from cinder_powermax import loadopts
from cinder_powermax import nvme_tcp
from cinder_powermax import options
from tests.fake_unisphere import data
from tests.fake_unisphere import performance
from tests.unit import base
from tests.unit import test_attach
from tests.unit import test_nvme_tcp

MINUTE = performance.MINUTE_MS
FC_PGS = ['OS-fibre-PG', 'OS-fibre2-PG']
#: A fixed "now" for the fake's performance data: 2 minutes into a
#: 5-minute sample, so windows and samples are predictable.
NOW_MS = 1767225720000


class LoadTestCase(test_attach.AttachTestMixin, base.DriverTestCase):

    port_groups = FC_PGS
    load = {'load_balance': True}

    def settings(self):
        values = super().settings()
        values['powermax_port_groups'] = list(self.port_groups)
        values.update(self.load)
        return values

    def setUp(self):
        super().setUp()
        self.now = NOW_MS
        for array in self.fake.model.arrays.values():
            array.performance.clock = lambda: self.now / 1000.0
        self.vtype = self.volume_type()
        self.logs = self.useFixture(base.fixtures.FakeLogger(
            level=logging.WARNING))

    @property
    def perf(self):
        return self.arr.performance

    def register(self, real_time=False):
        self.perf.register(self.now, True, real_time,
                           since_ms=self.now - 6 * 60 * MINUTE)

    def ports_of(self, pg):
        return ['%s:%s' % p for p in self.arr.port_groups[pg].ports]

    def drive(self, ports, iops, minutes=60, until=0):
        self.perf.drive_ports(ports, self.now - minutes * MINUTE,
                              self.now - until * MINUTE, iops)

    def view_of(self, volume, host):
        (view,) = [v for v in self.arr.views_of_device(self.device_of(
            volume)) if host in v]
        return self.arr.masking_views[view]

    def perf_requests(self):
        return [r for r in self.fake.requests
                if r.path.startswith('/univmax/restapi/performance/')]

    def warnings(self, text):
        return [line for line in self.logs.output.splitlines()
                if text in line]


class PortGroupTest(LoadTestCase):

    def test_busy_port_group_avoided(self):
        self.register()
        busy = self.create(vtype=self.volume_type(
            {'storagetype:portgroupname': 'OS-fibre-PG'}))
        self.attach(busy, test_attach.HOST_A)
        # HostA's I/O on its volume: the paths of its view are all in
        # OS-fibre-PG.
        self.assertEqual(self.ports_of('OS-fibre-PG'),
                         self.perf.drive_device(
                             self.device_of(busy), self.now - 60 * MINUTE,
                             self.now, iops=60000))
        volume = self.create(vtype=self.vtype)
        self.attach(volume, test_attach.HOST_B)
        self.assertEqual('OS-fibre2-PG',
                         self.view_of(volume, 'HostB').port_group)

        # An hour later OS-fibre2-PG is the busy one.
        self.now += 60 * MINUTE
        self.drive(self.ports_of('OS-fibre2-PG'), 90000)
        other = self.create(vtype=self.vtype)
        self.attach(other, test_attach.HOST_X)
        self.assertEqual('OS-fibre-PG',
                         self.view_of(other, 'HostX').port_group)
        self.assertEqual([], self.warnings('Load balancing'))

    def test_one_host_through_both_port_groups(self):
        # The load moves between two attaches of one host: it gets a view
        # on each port group, over one initiator group, which stays
        # until the last of its views goes (the array refuses to delete
        # it before).
        self.register()
        self.drive(self.ports_of('OS-fibre-PG'), 90000)
        first = self.create(vtype=self.vtype)
        self.attach(first, test_attach.HOST_A)
        self.now += 60 * MINUTE
        self.drive(self.ports_of('OS-fibre2-PG'), 95000, minutes=60)
        second = self.create(vtype=self.vtype)
        self.attach(second, test_attach.HOST_A)
        views = {self.view_of(v, 'HostA').port_group: self.view_of(
            v, 'HostA') for v in (first, second)}
        self.assertEqual(set(FC_PGS), set(views))
        self.assertEqual({'OS-HostA-F-IG'}, {v.host for v in views.values()})
        self.detach(first, test_attach.HOST_A)
        self.assertIn('OS-HostA-F-IG', self.arr.hosts)
        self.detach(second, test_attach.HOST_A)
        self.assertNothingFor('HostA')
        self.assertEqual([], self.problems())

    def test_metric_and_data_format_act(self):
        self.register()
        # OS-fibre-PG: short bursts of 100,000 IOPS, 2.5 minutes in each
        # of four samples; OS-fibre2-PG: a steady 20,000.
        for start in (10, 20, 30, 40):
            self.perf.drive_ports(
                self.ports_of('OS-fibre-PG'),
                self.now - (start + 4.5) * MINUTE,
                self.now - (start + 2) * MINUTE, 50000)
        self.drive(self.ports_of('OS-fibre2-PG'), 10000)
        by_average = self.create(vtype=self.vtype)
        self.attach(by_average, test_attach.HOST_A)
        self.assertEqual('OS-fibre-PG',
                         self.view_of(by_average, 'HostA').port_group)
        driver = self.make_driver(load_data_format='max')
        driver.do_setup(self.ctx)
        by_peak = self.create(vtype=self.vtype)
        self.log_in(test_attach.HOST_B)
        driver.initialize_connection(by_peak, test_attach.HOST_B)
        self.assertEqual('OS-fibre2-PG',
                         self.view_of(by_peak, 'HostB').port_group)

    def test_loads_kept_while_the_sample_is_the_same(self):
        self.register()
        self.drive(self.ports_of('OS-fibre-PG'), 50000)
        for host in (test_attach.HOST_A, test_attach.HOST_B):
            before = len(self.perf_requests())
            self.attach(self.create(vtype=self.vtype), host)
            paths = [r.path.split('/performance/')[1]
                     for r in self.perf_requests()[before:]]
            # The second attach reads the sample times only: the loads
            # of the same samples are known.
            self.assertEqual(2 if host is test_attach.HOST_A else 0,
                             paths.count('PortGroup/metrics'))
            self.assertEqual(2, paths.count('Array/keys'))

    def test_unregistered_array_chooses_as_without_it(self):
        self.drive(self.ports_of('OS-fibre-PG'), 90000)
        for host in (test_attach.HOST_A, test_attach.HOST_B):
            volume = self.create(vtype=self.vtype)
            self.attach(volume, host)
            self.assertIn(self.view_of(volume, host['host']).port_group,
                          FC_PGS)
        # One warning, one read of the registration, no metrics asked.
        self.assertEqual(1, len(self.warnings('not registered')))
        self.assertEqual(['/univmax/restapi/performance/Array/'
                          'registrationdetails/%s' % self.array],
                         [r.path for r in self.perf_requests()])

    def test_error_falls_back_with_one_warning(self):
        self.register()
        self.fake.faults.add(method='POST', path='/PortGroup/metrics$',
                             action='error', status=500, nth=2)
        volume = self.create(vtype=self.vtype)
        self.attach(volume, test_attach.HOST_A)
        self.assertIn(self.view_of(volume, 'HostA').port_group, FC_PGS)
        found = self.warnings('Load balancing of port groups')
        self.assertEqual(1, len(found), self.logs.output)
        self.assertIn('OS-fibre-PG, OS-fibre2-PG', found[0])
        self.assertEqual([], self.problems())


class PortTest(LoadTestCase):

    port_groups = ['OS-fibre-PG']

    def wwn(self, key):
        return self.arr.port(*key.split(':')).identifier.lower()

    def test_busy_port_avoided_for_a_single_path_host(self):
        self.register()
        busy, idle = self.ports_of('OS-fibre-PG')
        self.drive([busy], 80000)
        self.drive([idle], 5000)
        info = self.attach(self.create(vtype=self.vtype),
                           test_attach.HOST_A)
        self.assertEqual([self.wwn(idle)], info['data']['target_wwn'])
        # A multipath host gets both ports.
        info = self.attach(self.create(vtype=self.vtype), dict(
            test_attach.HOST_B, multipath=True))
        self.assertEqual(sorted([self.wwn(busy), self.wwn(idle)]),
                         info['data']['target_wwn'])

    def test_real_time_data_measure_the_last_minutes(self):
        self.register(real_time=True)
        first, second = self.ports_of('OS-fibre-PG')
        # The first was busy for the hour but the last 3 minutes; the
        # second only in the last minute.
        self.drive([first], 90000, minutes=60, until=3)
        self.drive([second], 50000, minutes=1)
        info = self.attach(self.create(vtype=self.vtype),
                           test_attach.HOST_A)
        self.assertEqual([self.wwn(second)], info['data']['target_wwn'])
        driver = self.make_driver(load_balance_real_time=True)
        driver.do_setup(self.ctx)
        self.log_in(test_attach.HOST_B)
        info = driver.initialize_connection(self.create(vtype=self.vtype),
                                            test_attach.HOST_B)
        self.assertEqual([self.wwn(first)], info['data']['target_wwn'])
        self.assertTrue([r for r in self.perf_requests()
                         if r.path.endswith('/realtime/metrics')])

    def test_real_time_unregistered_uses_diagnostic_data(self):
        self.register()
        driver = self.make_driver(load_balance_real_time=True)
        driver.do_setup(self.ctx)
        busy, idle = self.ports_of('OS-fibre-PG')
        self.drive([busy], 80000)
        self.log_in(test_attach.HOST_A)
        info = driver.initialize_connection(self.create(vtype=self.vtype),
                                            test_attach.HOST_A)
        self.assertEqual([self.wwn(idle)], info['data']['target_wwn'])
        self.assertEqual(1, len(self.warnings('real-time')))

    def test_error_gives_every_port_with_one_warning(self):
        self.register()
        self.fake.faults.add(method='POST', path='/FEPort/metrics$',
                             action='error', status=503)
        info = self.attach(self.create(vtype=self.vtype),
                           test_attach.HOST_A)
        self.assertEqual(self.wwns('OS-fibre-PG'),
                         sorted(info['data']['target_wwn']))
        self.assertEqual(1, len(self.warnings('Load balancing of the ports')))


class ISCSIPortTest(LoadTestCase):

    driver_class = iscsi.PowerMaxISCSIDriver
    port_groups = ['OS-iscsi-PG']

    def test_physical_port_load_decides(self):
        self.register()
        # The target ports SE-1E:0 and SE-2E:0 carry no statistics; their
        # physical ports (the same address) do.
        self.drive(['SE-1E:4'], 70000)
        self.drive(['SE-2E:4'], 1000)
        connector = test_attach.iscsi_connector('HostI')
        info = self.attach(self.create(vtype=self.vtype), connector)
        expected = '%s:3260' % self.arr.port('SE-2E', '0').ip_addresses[0]
        self.assertEqual(expected, info['data']['target_portal'])
        info = self.attach(self.create(vtype=self.vtype),
                           test_attach.iscsi_connector('HostJ', True))
        self.assertEqual(expected, info['data']['target_portals'][0])
        self.assertEqual(2, len(info['data']['target_portals']))


class NVMePortTest(LoadTestCase):

    driver_class = nvme_tcp.PowerMaxNVMETCPDriver
    array = data.POWERMAX_8500
    port_groups = ['OS-nvme-PG', 'OS-nvme2-PG']

    def test_busy_port_group_and_port_avoided(self):
        self.register()
        self.drive(self.ports_of('OS-nvme-PG'), 40000)
        quiet, busy = self.ports_of('OS-nvme2-PG')
        self.drive([busy], 30000)
        connector = test_nvme_tcp.nvme_connector('HostQ')
        connector['nvme_native_multipath'] = False
        volume = self.create(vtype=self.vtype)
        info = self.attach(volume, connector)
        self.assertEqual('OS-nvme2-PG',
                         self.view_of(volume, 'HostQ').port_group)
        address = self.arr.port(*quiet.split(':')).ip_addresses[0]
        self.assertEqual([[address, 4420, 'tcp']],
                         [list(p) for p in info['data']['portals']])


class SettingsTest(base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(base.fixtures.FakeLogger(
            name=loadopts.__name__, level=logging.WARNING))

    def test_options_registered(self):
        names = {opt.name for opt in options.get_driver_options()}
        self.assertLessEqual({
            'load_balance', 'load_balance_real_time', 'load_data_format',
            'load_look_back', 'load_look_back_real_time',
            'port_group_load_metric', 'port_load_metric'}, names)
        self.assertEqual(loadopts.LoadSettings(), self.driver.common.settings
                         .load)

    def test_valid_settings_read(self):
        driver = self.make_driver(
            load_balance=True, load_balance_real_time=True,
            load_data_format='MAX', load_look_back=0,
            load_look_back_real_time=60, port_group_load_metric='IOs',
            port_load_metric='ResponseTime')
        driver.do_setup(self.ctx)
        self.assertEqual(loadopts.LoadSettings(
            True, True, 'Maximum', 0, 60, 'IOs', 'ResponseTime'),
            driver.common.settings.load)
        self.assertEqual('', self.logs.output)

    def test_invalid_settings_revert_to_defaults_with_warnings(self):
        bad = {'load_data_format': 'median', 'load_look_back': 1441,
               'load_look_back_real_time': 0,
               'port_group_load_metric': 'ResponseTime',
               'port_load_metric': 'SpeedGBs'}
        driver = self.make_driver(load_balance=True,
                                  load_balance_real_time=True, **bad)
        driver.do_setup(self.ctx)
        self.assertEqual(loadopts.LoadSettings(True, True),
                         driver.common.settings.load)
        for name, value in bad.items():
            (line,) = [line for line in self.logs.output.splitlines()
                       if line.startswith(name + ' = ')]
            self.assertIn(str(value), line)
            self.assertIn('using the default', line)

    def test_not_a_number_reverts(self):
        # oslo.config refuses "load_look_back = soon" when it is read.
        def get(name):
            if name == 'load_look_back':
                raise ValueError('invalid literal for int(): soon')
            return {'load_balance': True}.get(name, getattr(
                loadopts.LoadSettings(), name, None))
        self.assertEqual(60, loadopts.read(get).look_back)
        self.assertIn('load_look_back = invalid literal for int(): soon',
                      self.logs.output)

    def test_ignored_while_off(self):
        driver = self.make_driver(load_look_back=99999)
        driver.do_setup(self.ctx)
        self.assertEqual('', self.logs.output)
