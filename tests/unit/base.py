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

"""A test base that runs the real driver against the fake Unisphere.

The driver is built the way cinder-volume builds it: a real
``Configuration`` for a backend section, the options set through
oslo.config, ``do_setup`` and ``check_for_setup_error``. Its REST client
sends real ``requests`` that the fake answers in-process; tests assert on
the array state the fake holds.
"""

import ast
import uuid

from cinder import context
from cinder import coordination
from cinder import objects
from cinder.volume import configuration
import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture

from cinder_powermax import exception
from cinder_powermax import fc
from cinder_powermax import iscsi
from cinder_powermax import options
from tests import base as tests_base
from tests.fake_unisphere import data
from tests.fake_unisphere import errors
from tests.fake_unisphere import fixture as fake_fixture

CONF = cfg.CONF
BACKEND = 'powermax_test'
SRP = 'SRP_1'
FAULT_ACTIONS = ('error', 'drop', 'fail_job')

objects.register_all()


class InvalidSpecMixin:
    """``assertInvalid``: an InvalidSpec naming the key at fault."""

    def assertInvalid(self, key, func, *args, **kwargs):
        error = self.assertRaises(exception.InvalidSpec, func, *args,
                                  **kwargs)
        self.assertIn(key, str(error))
        return error


class DriverTestCase(tests_base.TestCase):
    """Runs a driver against a fresh fake Unisphere in every test."""

    driver_class = fc.PowerMaxFCDriver
    array = data.POWERMAX_8000
    service_level = 'Diamond'
    version = 'V10.1.0.2'
    endpoints = ('127.0.0.1:8443',)

    def setUp(self):
        super().setUp()
        self.fake = self.useFixture(fake_fixture.FakeUnisphereFixture(
            version=self.version, endpoints=self.endpoints))
        self.config = self.useFixture(config_fixture.Config(CONF))
        locks = self.useFixture(fixtures.TempDir()).path
        self.config.config(backend_url='file://' + locks,
                           group='coordination')
        coordination.COORDINATOR.start()
        self.addCleanup(coordination.COORDINATOR.stop)
        # Backoff and polling pauses cost real seconds and prove nothing.
        self.useFixture(fixtures.MonkeyPatch(
            'cinder_powermax.polling.default_sleep', lambda s: None))
        self.ctx = context.get_admin_context()
        self.driver = self.make_driver()
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        self.baseline = self.fake.snapshot()

    def settings(self):
        """The cinder.conf values of the backend under test."""
        protocol_pg = ('OS-iscsi-PG' if self.driver_class is
                       iscsi.PowerMaxISCSIDriver else 'OS-fibre-PG')
        return {
            'volume_backend_name': BACKEND,
            'san_ip': '127.0.0.1',
            'san_api_port': 8443,
            'san_login': self.fake.username,
            'san_password': self.fake.password,
            'driver_ssl_cert_verify': False,
            'powermax_array': self.array,
            'powermax_srp': SRP,
            'powermax_service_level': self.service_level,
            'powermax_port_groups': [protocol_pg],
            'interval': 1,
            'retries': 30,
        }

    def make_driver(self, **overrides):
        conf = configuration.Configuration(options.powermax_opts,
                                           config_group=BACKEND)
        driver = self.driver_class(configuration=conf)
        values = self.settings()
        values.update(overrides)
        for key, value in values.items():
            self.config.config(group=BACKEND, **{key: value})
        return driver

    # -- Cinder objects -------------------------------------------------------

    def volume_type(self, extra_specs=None, qos=None, consumer='back-end'):
        vtype = objects.VolumeType(
            context=self.ctx, id=str(uuid.uuid4()), name='type-%s' % len(
                self.id()), extra_specs=dict(extra_specs or {}),
            qos_specs_id=None, is_public=True, description=None)
        if qos is not None:
            vtype.qos_specs_id = str(uuid.uuid4())
            vtype.qos_specs = objects.QualityOfServiceSpecs(
                context=self.ctx, id=vtype.qos_specs_id, name='qos',
                consumer=consumer, specs=dict(qos))
        return vtype

    def volume(self, size=1, vtype=None, **fields):
        vtype = vtype if vtype is not None else self.volume_type()
        values = dict(context=self.ctx, id=str(uuid.uuid4()), size=size,
                      display_name='vol', volume_type_id=vtype.id,
                      volume_type=vtype, provider_location=None,
                      metadata={}, status='creating',
                      host='host@%s#pool' % BACKEND)
        values.update(fields)
        return objects.Volume(**values)

    def create(self, size=1, vtype=None, **fields):
        volume = self.volume(size, vtype, **fields)
        update = self.driver.create_volume(volume)
        volume.update(update)
        return volume

    def snapshot(self, volume, **fields):
        values = dict(context=self.ctx, id=str(uuid.uuid4()),
                      volume_id=volume.id, volume=volume,
                      volume_size=volume.size, provider_location=None,
                      display_name='snap', status='creating')
        values.update(fields)
        return objects.Snapshot(**values)

    def take_snapshot(self, volume):
        snap = self.snapshot(volume)
        snap.update(self.driver.create_snapshot(snap))
        return snap

    # -- the array ------------------------------------------------------------

    def log_in(self, connector):
        """The host of ``connector`` logs in on every front-end port.

        The fake shows no path for an initiator that never logged in, as
        the array does; a test declares the hosts it attaches.
        """
        if not isinstance(connector, dict):
            return  # a bad connector, refused before any login matters
        hbas = list(connector.get('wwpns') or ())
        if connector.get('initiator'):
            hbas.append(connector['initiator'])
        for hba in hbas if isinstance(hbas, list) else ():
            for array in self.fake.model.arrays.values():
                try:
                    array.log_in(hba)
                except errors.ArrayError:
                    pass  # not an initiator: the fake refuses it, as HBAs do

    @property
    def arr(self):
        return self.fake.model.arrays[self.array]

    def device_of(self, volume):
        return ast.literal_eval(volume.provider_location)['device_id']

    def fault_sweep(self, make, run, undo, errors, failed=None,
                    finish=None):
        """Fail each REST call of an operation in turn, each way.

        A clean run counts the operation's calls. Then, for every call and
        every kind of failure (HTTP 500, a dropped connection, a FAILED
        job), the operation runs on fresh inputs with that one call
        failing. When it raises, it must raise one of ``errors`` with a
        message, ``failed`` must hold, and a retry must succeed.

        :param make: builds fresh inputs; the baseline is taken after it
        :param run: ``run(inputs)`` performs the operation, returns a result
        :param undo: ``undo(inputs, result)`` returns the array to the
            state before a successful run
        :param errors: the exception classes the operation may raise
        :param failed: ``failed(inputs, baseline, where)`` checks the array
            after a failure; by default the fake finds nothing new
        :param finish: ``finish(inputs, result, baseline, where)`` checks a
            successful run and undoes it; by default it only undoes
        """
        inputs = make()
        before = len(self.fake.requests)
        undo(inputs, run(inputs))
        calls = len(self.fake.requests) - before
        self.assertGreater(calls, 0)
        failures = 0
        for action in FAULT_ACTIONS:
            for nth in range(1, calls + 1):
                where = '%s on call %d of %d' % (action, nth, calls)
                inputs = make()
                baseline = self.fake.snapshot()
                rule = self.fake.faults.add(nth=nth, action=action,
                                            status=500,
                                            message='injected %s' % where)
                try:
                    result = run(inputs)
                except errors as exc:
                    failures += 1
                    self.assertTrue(str(exc), 'error without a message')
                    self.fake.faults.clear()
                    if failed is None:
                        self.assertEqual([], self.fake.check(baseline),
                                         'debris after ' + where)
                    else:
                        failed(inputs, baseline, where)
                    result = run(inputs)
                self.fake.faults.clear()
                self.assertLessEqual(rule.hits, 1)
                if finish is None:
                    undo(inputs, result)
                else:
                    finish(inputs, result, baseline, where)
        self.assertGreater(failures, 0)

    def assertClean(self, baseline=None):
        problems = self.fake.check(baseline if baseline is not None
                                   else self.baseline)
        self.assertEqual([], problems)
