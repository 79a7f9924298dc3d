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

"""Real Cinder services in-process on the PowerMax drivers.

:class:`FunctionalTestCase` builds on Cinder's own functional test base: the
API (noauth, project in the URL), the scheduler and, instead of Cinder's
fake backend, one cinder-volume service per backend of this package, each
loading its driver from ``volume_driver`` with the options an operator
writes in ``cinder.conf``. The drivers talk HTTPS to a fake Unisphere
served on loopback, verifying TLS against the fake's CA. Tests drive Cinder
through its REST API and assert on both Cinder's view and the array state
the fake holds; the fake's leak checker ends every scenario.
"""

import time

from cinder import context
from cinder import objects
from cinder.scheduler import rpcapi as scheduler_rpcapi
from cinder import service
from cinder.tests import fixtures as cinder_fixtures
from cinder.tests.functional import functional_helpers
from cinder.volume import driver as cinder_driver
from cinder.volume.drivers.san import san
from cinder.volume import manager
import fixtures
from oslo_config import cfg

from cinder_powermax import naming
from cinder_powermax import options
import tests
from tests.fake_unisphere import data
from tests.fake_unisphere import fixture as fake_fixture
from tools import cinderstack

CONF = cfg.CONF
ARRAY = data.POWERMAX_8000
SRP = cinderstack.SRP
HOST = 'cinder-volume-1'
FC = cinderstack.FC
ISCSI = cinderstack.ISCSI
BACKENDS = cinderstack.BACKENDS
DEFAULT_SG = 'OS-SRP_1-Diamond-NONE-SG'
GOLD_SG = 'OS-SRP_1-Gold-NONE-SG'
#: How long a volume may take to leave a transitional state.
TIMEOUT = 60


def pool(level='Diamond', workload=None):
    """A pool name as the driver reports it and volume types name it."""
    return cinderstack.pool_name(ARRAY, level, workload)


class QuietWarnings(cinder_fixtures.WarningsFixture):
    """Cinder's warning filters, then this project's (see tests)."""

    def setUp(self):
        super().setUp()
        tests.quiet_warnings()


class FunctionalTestCase(functional_helpers._FunctionalTestBase):
    """API, scheduler and one volume service per PowerMax backend."""

    # The driver's locks are real tooz locks on a file backend in a
    # temporary directory (Cinder's TestCase starts the coordinator).
    MOCK_TOOZ = False
    # Revert to snapshot needs 3.40 and extending an in-use volume 3.42.
    _osapi_version = '3.42'
    # Cinder's wheel installs its resource filters as a data file.
    RESOURCE_FILTER_PATH = cinderstack.RESOURCE_FILTERS

    def _get_flags(self):
        """Serve the fake and write the backends, before services start."""
        flags = super()._get_flags()
        self.fake = self.useFixture(fake_fixture.FakeUnisphereFixture(
            endpoints=()))
        self.unisphere_url, self.ca_path = self.fake.start_https()
        port = int(self.unisphere_url.rsplit(':', 1)[1])
        # The scheduler would wait up to a minute at start for capabilities
        # it already has; setUp waits for the pools instead.
        CONF.import_opt('scheduler_driver_init_wait_time',
                        'cinder.scheduler.manager')
        flags['scheduler_driver_init_wait_time'] = {'v': 1}
        # Volume services only heartbeat once (see heartbeat()).
        flags['service_down_time'] = {'v': 3600}
        flags['enabled_backends'] = {'v': list(BACKENDS)}
        sections = cinderstack.backend_options(
            ARRAY, port, self.ca_path, self.fake.username,
            self.fake.password)
        for backend, values in sections.items():
            self._register_backend_opts(backend)
            for name, value in values.items():
                flags['%s.%s' % (backend, name)] = {'v': value,
                                                    'g': backend}
        return flags

    def override_config(self, name, override, group=None):
        # _get_flags keys are unique per (group, name); strip the group.
        super().override_config(name.rsplit('.', 1)[-1], override, group)

    @staticmethod
    def _register_backend_opts(backend):
        """What cinder-volume registers in a backend section."""
        for opts in (manager.volume_backend_opts, cinder_driver.volume_opts,
                     san.san_opts, options.powermax_opts):
            CONF.register_opts(opts, group=backend)

    def start_service(self, name, host=None, **kwargs):
        if name == 'volume' and host is None and not kwargs:
            # Cinder's base starts one volume service on its fake driver;
            # start cinder-volume's services for our backends instead.
            self.volumes = {
                backend: super(FunctionalTestCase, self).start_service(
                    'volume', host='%s@%s' % (HOST, backend),
                    service_name=backend)
                for backend in BACKENDS}
            for svc in self.volumes.values():
                # Before the fake Unisphere stops: Cinder's TestCase stops
                # services only after every later cleanup.
                self.addCleanup(svc.stop)
            self.heartbeat()
            return self.volumes[FC]
        return super().start_service(name, host, **kwargs)

    def heartbeat(self):
        """Mark the volume services up, as their first report would.

        ``Service.report_state`` keeps the service id on the class, so with
        several services in one process only the last one started reports;
        cinder-volume runs one process per backend and has no such issue.
        """
        ctxt = context.get_admin_context()
        for svc in self.volumes.values():
            ref = objects.Service.get_by_args(ctxt, svc.host, svc.binary)
            ref.report_count += 1
            ref.save()

    def _start_api_service(self):
        # Cinder's base looks for api-paste.ini beside its source tree,
        # which a pip-installed Cinder does not have: use the shipped
        # pipeline, with token-less version discovery let through for the
        # openstack command line.
        CONF.api_paste_config = cinderstack.write_api_paste(
            self.useFixture(fixtures.TempDir()).path)
        self.osapi = service.WSGIService('osapi_volume')
        self.osapi.start()
        self.auth_url = 'http://%s:%s/v%s' % (
            self.osapi.host, self.osapi.port, self.osapi_version_major)

    def setUp(self):
        # Cinder's test base sets its own warning filters in every test,
        # which print the libraries' deprecations again.
        self.useFixture(fixtures.MonkeyPatch(
            'cinder.tests.fixtures.WarningsFixture', QuietWarnings))
        self.useFixture(fixtures.MonkeyPatch(
            'cinder.scheduler.rpcapi.SchedulerAPI.get_pools',
            cinderstack.over_the_wire(
                scheduler_rpcapi.SchedulerAPI.get_pools)))
        super().setUp()
        self.wait_for_pools()
        self.baseline = self.fake.snapshot()

    # -- Cinder ---------------------------------------------------------------

    def get_pools(self):
        return self.api.api_get(
            '/scheduler-stats/get_pools?detail=True')['pools']

    def wait_for_pools(self):
        """Until the scheduler has the pools of every backend."""
        deadline = time.time() + TIMEOUT
        while True:
            pools = self.get_pools()
            backends = {p['capabilities'].get('volume_backend_name')
                        for p in pools}
            if backends >= set(BACKENDS):
                return
            if time.time() > deadline:
                self.fail('backends %s never reported pools; have %s' % (
                    sorted(BACKENDS), sorted(backends)))
            time.sleep(0.2)

    def wait(self, get, item_id, transitional, expected=None):
        """Poll until the item leaves ``transitional``; None if gone."""
        deadline = time.time() + TIMEOUT
        while True:
            try:
                item = get(item_id)
            except functional_helpers.client.OpenStackApiException404:
                return None
            if item['status'] not in transitional:
                break
            if time.time() > deadline:
                self.fail('%s stayed %s' % (item_id, item['status']))
            time.sleep(0.1)
        if expected is not None:
            self.assertEqual(expected, item['status'], item)
        return item

    def wait_volume(self, volume_id, transitional, expected=None):
        return self.wait(self.api.get_volume, volume_id, transitional,
                         expected)

    def wait_snapshot(self, snapshot_id, transitional, expected=None):
        return self.wait(self.api.get_snapshot, snapshot_id, transitional,
                         expected)

    def volume_type(self, name, backend=FC, **extra_specs):
        specs = {'volume_backend_name': backend}
        specs.update(extra_specs)
        # (the helper client puts extra_specs outside volume_type)
        return self.api.api_post('/types', {'volume_type': {
            'name': name, 'extra_specs': specs}})['volume_type']

    def qos_specs(self, name, consumer='back-end', **specs):
        body = {'name': name, 'consumer': consumer}
        body.update(specs)
        return self.api.api_post('/qos-specs',
                                 {'qos_specs': body})['qos_specs']

    def associate_qos(self, qos_id, type_id):
        self.api.api_get('/qos-specs/%s/associate?vol_type_id=%s' % (
            qos_id, type_id), check_response_status=[202])

    def create_volume(self, size=1, type_name=None, name='vol',
                      expected='available', **fields):
        body = {'size': size, 'name': name}
        if type_name:
            body['volume_type'] = type_name
        body.update(fields)
        volume = self.api.post_volume({'volume': body})
        return self.wait_volume(volume['id'], ('creating', 'downloading'),
                                expected)

    def delete_volume(self, volume_id):
        self.api.delete_volume(volume_id)
        self.assertIsNone(self.wait_volume(volume_id, ('deleting',)))

    def create_snapshot(self, volume_id, name='snap'):
        snap = self.api.post_snapshot({'snapshot': {
            'volume_id': volume_id, 'name': name}})
        return self.wait_snapshot(snap['id'], ('creating',), 'available')

    def delete_snapshot(self, snapshot_id):
        self.api.delete_snapshot(snapshot_id)
        self.assertIsNone(self.wait_snapshot(snapshot_id, ('deleting',)))

    def action(self, volume_id, name, body=None, **kwargs):
        """POST a volume action; returns the decoded answer.

        The host of an ``os-initialize_connection`` logs in on the array
        first, as a zoned compute host has before Nova attaches.
        """
        if name == 'os-initialize_connection':
            self.fake.model.log_in_connector(body['connector'])
        return self.api.api_post('/volumes/%s/action' % volume_id,
                                 {name: body}, **kwargs)

    # -- the array ------------------------------------------------------------

    @property
    def arr(self):
        return self.fake.model.arrays[ARRAY]

    def device(self, volume):
        """The device named after the Cinder volume; exactly one."""
        identifier = naming.volume_identifier(volume['id'])
        with self.fake.model.lock:
            found = [dev for dev, vol in self.arr.volumes.items()
                     if vol.identifier == identifier]
        self.assertEqual(1, len(found), 'devices named %s: %s' % (
            identifier, found))
        return found[0]

    def assertArrayClean(self):
        """The fake's leak checker finds nothing against the baseline."""
        self.assertEqual([], self.fake.check(self.baseline))
