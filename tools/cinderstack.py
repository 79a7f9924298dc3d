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

"""Cinder's API, scheduler and volume services in one process.

What the demo and the sandbox run, and what the functional tests share:

* :func:`backend_options` — the ``cinder.conf`` backend sections an
  operator writes for an FC and an iSCSI backend on this package's drivers,
  pointed at a (fake) Unisphere over verified HTTPS;
* :func:`write_api_paste` — Cinder's own API pipeline with one filter added
  in front of ``noauth``, :class:`VersionDiscovery`, so that clients which
  discover the API version before sending a token (openstacksdk, hence the
  ``openstack`` command) get the version document instead of noauth's
  empty 204;
* :func:`over_the_wire` — scheduler pool answers serialized as a real
  message bus would;
* :class:`CinderStack` — the services themselves on SQLite and the
  in-process message transport, as ``cinder-api``, ``cinder-scheduler``
  and ``cinder-volume`` would run them from the ``cinder.conf`` it writes.

The caller applies Cinder's eventlet monkey patching before importing this
module, as Cinder's own commands do.
"""

import configparser
import os
import sys
import time
import typing

from oslo_serialization import jsonutils
import webob
import webob.dec

FC, ISCSI = 'powermax_fc', 'powermax_iscsi'
#: backend section: (volume_driver, port group)
BACKENDS = {
    FC: ('cinder_powermax.fc.PowerMaxFCDriver', 'OS-fibre-PG'),
    ISCSI: ('cinder_powermax.iscsi.PowerMaxISCSIDriver', 'OS-iscsi-PG'),
}
SRP = 'SRP_1'
SERVICE_LEVEL = 'Diamond'
#: The identity noauth gives the operator: ``<user>:<project>``.
TOKEN = 'admin:admin'
#: Microversion clients should ask for: URLs without a project id (3.67)
#: and everything this driver's tour uses (revert 3.40, in-use extend 3.42).
API_VERSION = '3.67'
#: Cinder's wheel installs its paste pipeline as a data file.
CINDER_ETC = os.path.join(sys.prefix, 'etc', 'cinder')
#: Which filters list calls accept. Cinder looks for it under /etc/cinder
#: and refuses every filtered list (``?name=``, ``?status=``) without it.
RESOURCE_FILTERS = os.path.join(CINDER_ETC, 'resource_filters.json')


def backend_options(array: str, unisphere_port: int, ca_path: str,
                    username: str, password: str) -> dict:
    """``{backend: {option: value}}`` as an operator writes them."""
    sections = {}
    for backend, (driver, port_group) in BACKENDS.items():
        sections[backend] = {
            'volume_driver': driver,
            'volume_backend_name': backend,
            'san_ip': '127.0.0.1',
            'san_api_port': unisphere_port,
            'san_login': username,
            'san_password': password,
            'driver_ssl_cert_verify': True,
            'driver_ssl_cert_path': ca_path,
            'powermax_array': array,
            'powermax_srp': SRP,
            'powermax_service_level': SERVICE_LEVEL,
            # In brackets, as the in-tree option type requires too.
            'powermax_port_groups': '[%s]' % port_group,
            'interval': 1,
            'retries': 60,
        }
    return sections


def pool_name(array: str, level: str = SERVICE_LEVEL,
              workload: typing.Optional[str] = None) -> str:
    """A pool name as the driver reports it and volume types name it."""
    return '+'.join([level] + ([workload] if workload else []) +
                    [SRP, array])


def _ini_value(value: typing.Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return ','.join(value)
    return str(value)


def write_conf(path: str, sections: dict) -> str:
    """Write ``{section: {option: value}}`` as an ini file.

    A tuple value is a multi-valued option (``replication_device``): one
    line per item, as oslo.config reads them.
    """
    lines = []
    order = sorted(sections, key=lambda name: name != 'DEFAULT')
    for section in order:
        lines.append('[%s]' % section)
        for name, value in sections[section].items():
            if value is None:
                continue
            for item in value if isinstance(value, tuple) else (value,):
                lines.append('%s = %s' % (name, _ini_value(item)))
        lines.append('')
    with open(path, 'w') as out:
        out.write('\n'.join(lines))
    return path


# -- the API pipeline ---------------------------------------------------------

class VersionDiscovery(object):
    """Lets a token-less ``GET /v3/`` reach the version document.

    Cinder's noauth filter answers any request without ``X-Auth-Token``
    with an empty 204 carrying a made-up token (the old Auth 1.1 dance,
    which clients start with ``X-Auth-User``). keystoneauth's version
    discovery sends neither and cannot read that answer. This filter gives
    only that request, the version list, a throw-away identity; every other
    request, the Auth 1.1 dance included, passes as it came.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        if (req.method == 'GET' and req.path_info in ('', '/')
                and 'X-Auth-Token' not in req.headers
                and 'X-Auth-User' not in req.headers):
            req.headers['X-Auth-Token'] = 'discovery:discovery'
        return req.get_response(self.application)

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls


def write_api_paste(directory: str) -> str:
    """Cinder's shipped ``api-paste.ini`` with :class:`VersionDiscovery`.

    :returns: the path of the written file
    """
    parser = configparser.RawConfigParser()
    parser.optionxform = str
    shipped = os.path.join(CINDER_ETC, 'api-paste.ini')
    if not parser.read(shipped):
        raise RuntimeError('Cinder\'s api-paste.ini is not at %s' % shipped)
    composite = 'composite:openstack_volume_api_v3'
    pipeline = parser.get(composite, 'noauth').split()
    pipeline.insert(pipeline.index('noauth'), 'version_discovery')
    parser.set(composite, 'noauth', ' '.join(pipeline))
    parser.add_section('filter:version_discovery')
    parser.set('filter:version_discovery', 'paste.filter_factory',
               '%s:VersionDiscovery.factory' % __name__)
    path = os.path.join(directory, 'api-paste.ini')
    with open(path, 'w') as out:
        parser.write(out)
    return path


def over_the_wire(method):
    """An RPC call whose answer is serialized as a real transport does.

    The in-process transport hands the scheduler's pool objects to the API
    as they are (read-only dicts the pools view cannot copy); over a real
    message bus they arrive as plain JSON.
    """
    def call(*args, **kwargs):
        return jsonutils.loads(jsonutils.dumps(method(*args, **kwargs)))
    return call


# -- the services -------------------------------------------------------------

class CinderStack(object):
    """Cinder's API, scheduler and volume services in this process.

    ``cinder-api``, ``cinder-scheduler`` and one ``cinder-volume`` service
    per backend, from the ``cinder.conf`` it writes.

    :param workdir: where ``cinder.conf``, the paste file, the SQLite
        database and the lock files go
    :param backends: ``{backend: {option: value}}``
    :param api_port: the API's loopback port, 0 for any free one
    """

    HOST = 'sandbox'

    def __init__(self, workdir: str, backends: dict, api_port: int = 0,
                 debug: bool = False, nova_identity_url: str = None) -> None:
        self.workdir = workdir
        self.backends = backends
        self.api_port = api_port
        self.debug = debug
        #: Where Cinder's Nova client gets its token and Nova's endpoint
        #: (:mod:`tools.novastandin`); None: no Nova.
        self.nova_identity_url = nova_identity_url
        self.services: list = []
        self.api = None
        self.conf_path = None
        self._patches: list = []

    @property
    def log_path(self) -> str:
        return os.path.join(self.workdir, 'cinder.log')

    @property
    def url(self) -> str:
        """The volume API's v3 endpoint (no project id: 3.67 routes)."""
        return 'http://127.0.0.1:%d/v3' % self.api.port

    def write_conf(self) -> str:
        locks = os.path.join(self.workdir, 'locks')
        os.makedirs(locks, exist_ok=True)
        default = {
            'host': self.HOST,
            'state_path': self.workdir,
            'enabled_backends': list(self.backends),
            'auth_strategy': 'noauth',
            'api_paste_config': write_api_paste(self.workdir),
            'resource_query_filters_file': RESOURCE_FILTERS,
            'osapi_volume_listen': '127.0.0.1',
            'osapi_volume_listen_port': self.api_port,
            'transport_url': 'fake:/',
            'debug': self.debug,
            # The services' log goes to a file; with debug, to stderr.
            'log_file': None if self.debug else self.log_path,
            # The scheduler would otherwise wait a minute at start for
            # capabilities; the volume services report at once.
            'scheduler_driver_init_wait_time': 1,
        }
        sections = {
            'DEFAULT': default,
            'database': {'connection': 'sqlite:///%s' % os.path.join(
                self.workdir, 'cinder.sqlite')},
            'oslo_concurrency': {'lock_path': locks},
            'coordination': {'backend_url': 'file://%s' % locks},
            'oslo_messaging_notifications': {'driver': 'noop'},
        }
        if self.nova_identity_url:
            sections['nova'] = {'token_auth_url': self.nova_identity_url}
        sections.update(self.backends)
        self.conf_path = write_conf(os.path.join(self.workdir, 'cinder.conf'),
                                    sections)
        return self.conf_path

    def start(self) -> None:
        # Imported here: the caller has monkey patched by now.
        from cinder.common import config
        from cinder import coordination
        from cinder.db import migration
        from cinder import objects
        from cinder import rpc
        from cinder.scheduler import rpcapi as scheduler_rpcapi
        from cinder import service
        from oslo_config import cfg
        from oslo_log import log as logging

        objects.register_all()
        conf = cfg.CONF
        logging.register_options(conf)
        conf(['--config-file', self.write_conf()], project='cinder')
        config.set_middleware_defaults()
        logging.setup(conf, 'cinder')
        migration.db_sync()
        rpc.init(conf)
        coordination.COORDINATOR.start()
        original = scheduler_rpcapi.SchedulerAPI.get_pools
        scheduler_rpcapi.SchedulerAPI.get_pools = over_the_wire(original)
        self._patches.append(
            lambda: setattr(scheduler_rpcapi.SchedulerAPI, 'get_pools',
                            original))

        class InProcessService(service.Service):
            def report_state(self):
                # Service keeps "its" id on the class, so with several
                # services in one process only the last one started would
                # heartbeat; cinder-volume runs a process per backend.
                service.Service.service_id = self.origin_service_id
                super().report_state()

        for backend in self.backends:
            self._start(InProcessService.create(
                host='%s@%s' % (self.HOST, backend), service_name=backend,
                binary='cinder-volume', coordination=True))
        self._start(InProcessService.create(binary='cinder-scheduler'))
        self.api = service.WSGIService('osapi_volume')
        self.api.start()

    def _start(self, svc) -> None:
        svc.start()
        self.services.append(svc)

    def stop(self) -> None:
        from cinder import coordination
        from cinder import rpc

        if self.api is not None:
            self.api.stop()
            self.api = None
        for svc in reversed(self.services):
            svc.stop()
        self.services = []
        for undo in self._patches:
            undo()
        self._patches = []
        coordination.COORDINATOR.stop()
        rpc.cleanup()

    def environment(self) -> dict:
        """What an operator exports to use both ``openstack`` and ``cinder``.

        The two clients cannot share one way in without Keystone:
        ``openstack`` takes keystoneauth's ``admin_token`` (``cinder``
        refuses it: both define ``--os-endpoint``), and ``cinder`` takes
        python-cinderclient's ``noauth`` (which openstacksdk cannot use).
        So ``openstack`` reads the cloud ``sandbox`` of the
        ``clouds.yaml`` written here (``OS_CLOUD``), and ``cinder`` the
        variables only it reads (``OS_AUTH_SYSTEM``, ``CINDER_ENDPOINT``,
        ``CINDER_PROJECT_ID``) with ``OS_USER_ID``; one environment serves
        both.
        """
        user, project = TOKEN.split(':')
        return {
            'OS_CLOUD': 'sandbox',
            'OS_CLIENT_CONFIG_FILE': self.write_clouds_yaml(),
            'OS_VOLUME_API_VERSION': API_VERSION,
            'OS_AUTH_SYSTEM': 'noauth',
            'OS_USER_ID': user,
            'CINDER_PROJECT_ID': project,
            'CINDER_ENDPOINT': self.url,
        }

    def write_clouds_yaml(self) -> str:
        """The ``sandbox`` cloud: admin_token on the volume endpoint."""
        path = os.path.join(self.workdir, 'clouds.yaml')
        with open(path, 'w') as out:
            out.write('clouds:\n  sandbox:\n    auth_type: admin_token\n'
                      '    auth:\n      endpoint: %s\n      token: "%s"\n'
                      '    block_storage_api_version: "%s"\n' % (
                          self.url, TOKEN, API_VERSION))
        return path


def wait_until(predicate, timeout: float = 60, interval: float = 0.2,
               what: str = 'condition'):
    """Poll ``predicate`` until it returns something true."""
    deadline = time.time() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.time() > deadline:
            raise TimeoutError('%s not met within %ss' % (what, timeout))
        time.sleep(interval)
