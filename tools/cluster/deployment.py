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

"""One Cinder deployment of the cluster, on shared services.

:class:`Infra` starts and stops MariaDB, RabbitMQ and etcd
(:mod:`tools.cluster.services`) and gives each deployment its own database
and RabbitMQ virtual host; :class:`Deployment` is Cinder's processes for
one deployment (:mod:`tools.cluster.stack`), started and checked as an
operator would: every volume service up, both backends' pools reported.
"""

import time

import sqlalchemy

from tests.fake_unisphere import data
from tools import cinderstack
from tools.cluster import report
from tools.cluster import services
from tools.cluster import stack as stack_mod
from tools.cluster import workload

ARRAY = data.POWERMAX_8000
VOLUME_HOSTS = ('cv-1', 'cv-2')


class Infra(object):
    """The shared services, started and stopped together."""

    def __init__(self, workdir: str) -> None:
        self.db = services.MariaDB(workdir)
        self.mq = services.RabbitMQ(workdir)
        self.etcd = services.Etcd(workdir)
        self.started = []

    def start(self) -> None:
        for svc in (self.db, self.mq, self.etcd):
            began = time.time()
            svc.start()
            self.started.append(svc)
            report.say('%s up on 127.0.0.1:%d in %.1fs' % (
                type(svc).__name__, svc.port, time.time() - began))

    def deployment(self, name: str) -> dict:
        """Database, virtual host and lock backend for one deployment."""
        return {'database': self.db.database(name),
                'transport_url': self.mq.vhost(name),
                'coordination': self.etcd.url}

    def stop(self) -> None:
        while self.started:
            self.started.pop().stop()


class Deployment(object):
    """One Cinder cluster, its API client, and the checks of a run."""

    def __init__(self, workdir: str, infra: dict, fake, url: str,
                 ca_path: str, shared_locks: bool, overrides=None,
                 token=cinderstack.TOKEN) -> None:
        port = int(url.rsplit(':', 1)[1])
        self.fake = fake
        self.token = token
        self.database = infra['database']
        self.cinder = stack_mod.Cinder(
            workdir, infra, (port, ca_path, fake.username, fake.password),
            ARRAY, VOLUME_HOSTS, shared_locks, overrides)
        self.client = None

    def start(self) -> None:
        began = time.time()
        self.cinder.start()
        self.client = workload.Client(self.cinder.url, self.token)
        cinderstack.wait_until(self._all_up, timeout=180, interval=1,
                               what='both cinder-volume services up')
        cinderstack.wait_until(self._pools, timeout=120, interval=1,
                               what='pools of both backends')
        for backend, name in workload.TYPES.items():
            self.client.call('POST', '/types', {'volume_type': {
                'name': name, 'extra_specs': {
                    'volume_backend_name': backend,
                    'pool_name': cinderstack.pool_name(ARRAY)}}})
        report.say('Cinder cluster up in %.1fs: API %s, volume services %s'
                   % (time.time() - began, self.cinder.url,
                      ', '.join(VOLUME_HOSTS)))

    def _all_up(self) -> bool:
        up = {svc['host'] for svc in self.client.services()
              if svc['binary'] == 'cinder-volume' and svc['state'] == 'up'}
        return len(up) == len(VOLUME_HOSTS) * len(cinderstack.BACKENDS)

    def _pools(self) -> bool:
        pools = self.client.call(
            'GET', '/scheduler-stats/get_pools?detail=True')['pools']
        names = {p['capabilities'].get('volume_backend_name') for p in pools}
        return names >= set(cinderstack.BACKENDS)

    def served_by(self) -> report.ServedBy:
        return report.ServedBy({
            host: self.cinder.log_path('cinder-volume-%s' % host)
            for host in VOLUME_HOSTS})

    def cinder_view(self) -> dict:
        """What Cinder still holds: volumes by status."""
        statuses = {}
        for volume in self.client.volumes():
            statuses[volume['status']] = statuses.get(volume['status'], 0) + 1
        return statuses

    def work_in_hand(self) -> set:
        """Volumes whose operation a volume service has taken on.

        Cinder's ``workers`` table holds a row per cleanable operation
        (create, delete) until it ends, naming the service that took it
        last: the scheduler for a create it passed on, then the volume
        service that started it, or the one that claimed it to clean it
        up. The API lists none of it, so this reads the database, as an
        operator's ``mysql`` would.
        """
        engine = sqlalchemy.create_engine(self.database)
        try:
            with engine.connect() as conn:
                rows = conn.execute(sqlalchemy.text(
                    "SELECT w.resource_id FROM workers w JOIN services s "
                    "ON w.service_id = s.id WHERE w.resource_type = "
                    "'Volume' AND s.`binary` = 'cinder-volume'"))
                return {row[0] for row in rows}
        finally:
            engine.dispose()

    def stop(self) -> None:
        self.cinder.stop()
