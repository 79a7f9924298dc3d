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

"""Cinder as production runs it: separate processes from its own scripts.

``cinder-api`` is Cinder's WSGI application under uWSGI,
``cinder-scheduler`` and ``cinder-volume`` are Cinder's console scripts;
each is its own process (process group) reading one ``cinder.conf`` on
MariaDB and RabbitMQ. Every ``cinder-volume`` serves the same two backends
(:func:`tools.cinderstack.backend_options`) as a member of one
``cluster``, with its own ``host`` and, normally, the shared etcd lock
backend; ``shared_locks=False`` gives each its own file locks instead.
"""

import os
import subprocess
import sys
import typing

import requests

from tools.cinderstack import backend_options
from tools.cinderstack import CINDER_ETC
from tools.cinderstack import RESOURCE_FILTERS
from tools.cinderstack import write_conf
from tools.cluster import services

CLUSTER = 'powermax'
#: Seconds between heartbeats, and after which a silent service is down:
#: short, so an operator's cleanup of a dead service can start soon.
REPORT_INTERVAL = 2
SERVICE_DOWN_TIME = 12


def _bin(name: str) -> str:
    """A console script of this virtualenv (Cinder's, uWSGI)."""
    return os.path.join(os.path.dirname(sys.executable), name)


def base_sections(workdir: str, infra: dict, backends: dict) -> dict:
    """The ``cinder.conf`` every process of the cluster reads."""
    default = {
        'state_path': workdir,
        'enabled_backends': list(backends),
        'auth_strategy': 'noauth',
        'api_paste_config': os.path.join(CINDER_ETC, 'api-paste.ini'),
        'resource_query_filters_file': RESOURCE_FILTERS,
        'transport_url': infra['transport_url'],
        'report_interval': REPORT_INTERVAL,
        'service_down_time': SERVICE_DOWN_TIME,
        # A call to a service that died fails in this time, not a minute.
        'rpc_response_timeout': 30,
        'scheduler_driver_init_wait_time': 5,
        # The workload's volumes live in one project; the default quota of
        # ten would refuse most of them.
        'quota_volumes': -1,
        'quota_gigabytes': -1,
        'quota_snapshots': -1,
    }
    sections = {
        'DEFAULT': default,
        'database': {'connection': infra['database']},
        'coordination': {'backend_url': infra['coordination']},
        # Cinder's own process-local locks (e.g. around detach).
        'oslo_concurrency': {'lock_path': os.path.join(workdir, 'locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
    }
    sections.update(backends)
    return sections


class Cinder(object):
    """Cinder's processes for one cluster, on the given shared services.

    :param workdir: configuration, logs and lock files go here
    :param infra: ``transport_url``, ``database`` and ``coordination`` URLs
    :param unisphere: (port, CA path, user, password) of the fake
    :param volume_hosts: one ``cinder-volume`` process per name
    :param shared_locks: False gives each volume process its own file
        locks instead of the shared backend
    :param overrides: ``{section: {option: value}}`` on top (Keystone)
    """

    def __init__(self, workdir: str, infra: dict, unisphere: tuple,
                 array: str, volume_hosts: typing.Sequence[str],
                 shared_locks: bool = True,
                 overrides: typing.Optional[dict] = None) -> None:
        self.workdir = workdir
        self.volume_hosts = list(volume_hosts)
        self.shared_locks = shared_locks
        self.backends = backend_options(array, *unisphere)
        sections = base_sections(workdir, infra, self.backends)
        for section, values in (overrides or {}).items():
            sections.setdefault(section, {}).update(values)
        self.conf = write_conf(os.path.join(workdir, 'cinder.conf'),
                               sections)
        self.api_port = services.free_port()
        self.processes: typing.Dict[str, services.Process] = {}
        self.processes_seen: typing.List[str] = []

    @property
    def url(self) -> str:
        return 'http://127.0.0.1:%d/v3' % self.api_port

    def log_path(self, name: str) -> str:
        return os.path.join(self.workdir, '%s.log' % name)

    def _args(self, name: str, extra: typing.Optional[dict] = None) -> list:
        args = ['--config-file', self.conf]
        if extra:
            args += ['--config-file', write_conf(os.path.join(
                self.workdir, '%s.conf' % name), extra)]
        # Cinder's own log, apart from the process's stdout and stderr.
        return args + ['--log-file', self.log_path(name)]

    def _spawn(self, name: str, argv: list) -> None:
        self.processes[name] = services.Process(
            name + '-console', argv, self.workdir)
        self.processes_seen.append(name)

    def db_sync(self) -> None:
        subprocess.run([_bin('cinder-manage')] + self._args('cinder-manage')
                       + ['db', 'sync'], check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def volume_conf(self, host: str) -> dict:
        """What differs for one ``cinder-volume`` process."""
        extra = {'DEFAULT': {'host': host, 'cluster': CLUSTER}}
        if not self.shared_locks:
            locks = os.path.join(self.workdir, 'locks-%s' % host)
            os.makedirs(locks, exist_ok=True)
            extra['coordination'] = {'backend_url': 'file://%s' % locks}
        return extra

    def start(self) -> None:
        self.db_sync()
        self._spawn('cinder-scheduler', [_bin('cinder-scheduler')] +
                    self._args('cinder-scheduler'))
        for host in self.volume_hosts:
            self.start_volume(host)
        self._spawn('cinder-api', [
            _bin('uwsgi'), '--http11-socket', '127.0.0.1:%d' % self.api_port,
            '--module', 'cinder.wsgi.api:application',
            # Cinder's WSGI module parses sys.argv for its options.
            '--pyargv', ' '.join(self._args('cinder-api')),
            '--master', '--processes', '1', '--threads', '8',
            '--enable-threads', '--single-interpreter', '--need-app',
            '--die-on-term',
            # uWSGI drops idle keep-alive connections; a client that
            # reuses one as it closes gets no answer. Close each instead.
            '--add-header', 'Connection: close',
            '--home', sys.prefix])
        services.wait_for(self._api_answers, 'cinder-api on port %d' %
                          self.api_port)

    def start_volume(self, host: str) -> None:
        name = 'cinder-volume-%s' % host
        self._spawn(name, [_bin('cinder-volume')] + self._args(
            name, self.volume_conf(host)))

    def _api_answers(self) -> None:
        for process in self.processes.values():
            process.alive()
        # The version list needs no token, whatever auth_strategy says.
        requests.get('http://127.0.0.1:%d/' % self.api_port,
                     timeout=5).raise_for_status()

    def kill_volume(self, host: str) -> None:
        """SIGKILL one cinder-volume and its backend processes."""
        self.processes['cinder-volume-%s' % host].kill()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.processes.pop(name).stop()
