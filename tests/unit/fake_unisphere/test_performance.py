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

"""Performance registration and metrics derived from the hosts' I/O."""

import time

from tests.fake_unisphere import perf_routes
from tests.fake_unisphere import performance
from tests.unit.fake_unisphere import base
from tests.unit.fake_unisphere import openapi

HOUR_MS = 60 * performance.MINUTE_MS


def now_ms():
    return int(time.time() * 1000)


class PerformanceTest(base.FakeTestCase):

    def perf(self, path, body=None):
        method = 'GET' if body is None else 'POST'
        return self.call(method, self.root('/performance' + path), body)

    def register(self, realtime=False, hours=2):
        self.arr.performance.register(now_ms(), True, realtime,
                                      since_ms=now_ms() - hours * HOUR_MS)

    def pg_metrics(self, pg, metric='PercentBusy', data_format='Average',
                   minutes=60):
        last = self.assertStatus(200, self.perf('/Array/keys'))[
            'arrayInfo'][0]['lastAvailableDate']
        body = {'symmetrixId': self.sid, 'portGroupId': pg,
                'startDate': last - minutes * performance.MINUTE_MS,
                'endDate': last, 'dataFormat': data_format,
                'metrics': [metric]}
        return self.assertStatus(200, self.perf('/PortGroup/metrics', body))

    def test_registration(self):
        details = self.assertStatus(200, self.perf(
            '/Array/registrationdetails/%s' % self.sid))[
                'registrationDetailsInfo']
        self.assertEqual([(self.sid, False, False, 5)], [
            (d['symmetrixId'], d['diagnostic'], d['realtime'],
             d['collectionintervalmins']) for d in details])
        self.assertEqual({'arrayInfo': []}, self.assertStatus(
            200, self.perf('/Array/keys')))
        self.assertRefused(400, self.perf('/Array/register', {
            'symmetrixId': self.sid, 'diagnostic': False,
            'realtime': True}), 'real-time')
        self.assertRefused(400, self.perf('/Array/register', {
            'symmetrixId': self.sid, 'diagnostic': True, 'realtime': False,
            'interval': 1}), 'interval')
        self.assertStatus(200, self.perf('/Array/register', {
            'symmetrixId': self.sid, 'diagnostic': True, 'realtime': True}))
        self.assertIs(True, self.assertStatus(200, self.perf(
            '/Array/registration/%s' % self.sid))['isRegistered'])
        # Data are listed once the first sample is collected.
        self.assertEqual({'arrayInfo': []}, self.assertStatus(
            200, self.perf('/Array/keys')))
        self.arr.performance.diagnostic_since -= 2 * \
            performance.DIAGNOSTIC_MS
        (keys,) = self.assertStatus(200, self.perf('/Array/keys'))[
            'arrayInfo']
        self.assertEqual(0, keys['lastAvailableDate'] %
                         performance.DIAGNOSTIC_MS)
        self.assertLess(keys['firstAvailableDate'], keys['lastAvailableDate'])

    def test_unregistered_array_has_no_metrics(self):
        self.assertRefused(400, self.perf('/PortGroup/metrics', {
            'symmetrixId': self.sid, 'portGroupId': 'OS-fibre-PG',
            'startDate': now_ms() - HOUR_MS, 'endDate': now_ms(),
            'metrics': ['PercentBusy']}), 'not registered')

    def test_device_io_loads_the_ports_of_its_view(self):
        self.register()
        device = self.unmasked_device()
        self.attach(device)
        ports = self.arr.performance.drive_device(
            device, now_ms() - 2 * HOUR_MS, now_ms(), iops=40000, mbps=800)
        self.assertEqual(['FA-1D:4', 'FA-2D:4'], ports)
        busy = self.pg_metrics('OS-fibre-PG')
        idle = self.pg_metrics('OS-fibre2-PG')
        # Both ends of the window are in it: 13 samples of 5 minutes.
        self.assertEqual(13, busy['count'])
        values = [r['PercentBusy'] for r in busy['resultList']['result']]
        self.assertEqual([20.0] * 13, values)
        self.assertEqual({0.0}, {r['PercentBusy'] for r in
                                 idle['resultList']['result']})
        self.assertEqual(
            [40000.0] * 13, [r['IOs'] for r in self.pg_metrics(
                'OS-fibre-PG', 'IOs')['resultList']['result']])

    def test_port_metrics_and_data_formats(self):
        self.register(realtime=True)
        start = now_ms() - HOUR_MS
        self.arr.performance.drive_ports(['FA-1D:4'], start, now_ms(),
                                         iops=10000, mbps=100)
        # A burst: the peak shows in Maximum, hardly in Average.
        self.arr.performance.drive_ports(['FA-1D:4'], start, start + 60000,
                                         iops=50000)
        last = self.assertStatus(200, self.perf('/Array/keys'))[
            'arrayInfo'][0]['lastAvailableDate']
        body = {'symmetrixId': self.sid, 'directorId': 'FA-1D',
                'portId': '4', 'startDate': last - HOUR_MS,
                'endDate': last, 'metrics': ['IOs', 'ResponseTime']}
        average = self.assertStatus(200, self.perf('/FEPort/metrics', dict(
            body, dataFormat='Average')))['resultList']['result']
        peak = self.assertStatus(200, self.perf('/FEPort/metrics', dict(
            body, dataFormat='Maximum')))['resultList']['result']
        self.assertGreater(max(r['IOs'] for r in peak),
                           max(r['IOs'] for r in average))
        self.assertEqual(10000.0, average[-1]['IOs'])
        other = self.assertStatus(200, self.perf('/FEPort/metrics', dict(
            body, directorId='FA-2D')))['resultList']['result']
        self.assertEqual({0.0}, {r['IOs'] for r in other})
        realtime = self.assertStatus(200, self.perf('/realtime/metrics', {
            'symmetrixId': self.sid, 'instanceId': 'FA-1D:4',
            'category': 'FEPORT', 'startDate': now_ms() - 60000,
            'endDate': now_ms(), 'metrics': ['PercentBusy']}))
        self.assertEqual({10.0}, {r['PercentBusy'] for r in realtime[
            'resultList']['result']})
        self.assertRefused(400, self.perf('/FEPort/metrics', dict(
            body, metrics=['Bogus'])), 'Bogus')

    def test_iscsi_target_port_io_is_its_physical_port_s(self):
        self.register()
        self.arr.performance.drive_ports(['SE-1E:0'], now_ms() - HOUR_MS,
                                         now_ms(), iops=5000)
        self.assertEqual(['SE-1E:4'], list(self.arr.performance.loads))
        rows = self.pg_metrics('OS-iscsi-PG', 'IOs')['resultList']['result']
        self.assertEqual(5000.0, rows[-1]['IOs'])

    @openapi.needed
    def test_fields_are_the_spec_s(self):
        self.register(realtime=True)
        details = self.assertStatus(200, self.perf(
            '/Array/registrationdetails/%s' % self.sid))
        self.assertLessEqual(set(details['registrationDetailsInfo'][0]),
                             openapi.properties('registrationDetailsInfo'))
        self.assertLessEqual(openapi.required('registrationDetailsInfo'),
                             set(details['registrationDetailsInfo'][0]))
        keys = self.assertStatus(200, self.perf('/Array/keys'))
        self.assertLessEqual(set(keys['arrayInfo'][0]),
                             openapi.properties('arrayInfo'))
        for schema, fields in (
                ('arrayRegisterParam', perf_routes.REGISTER_FIELDS),
                ('portGroupParam', perf_routes.PORT_GROUP_FIELDS),
                ('fePortParam', perf_routes.PORT_FIELDS),
                ('realTimeMetricsParam', perf_routes.REAL_TIME_FIELDS)):
            self.assertEqual(openapi.properties(schema), set(fields),
                             schema)
        self.assertLessEqual(set(performance.PORT_GROUP_METRICS),
                             openapi.enum('portGroupParam', 'metrics'))
        self.assertLessEqual(set(performance.PORT_METRICS),
                             openapi.enum('fePortParam', 'metrics'))
