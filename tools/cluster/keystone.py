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

"""Keystone for Tempest: from PyPI, on SQLite, under uWSGI on loopback.

``keystone-manage bootstrap`` makes the admin, member and reader roles,
the admin project and user, and the identity endpoint; then a ``service``
project, a ``cinder`` user for Cinder's ``keystone_authtoken``, and the
block-storage service with its endpoint are added through the identity
API. One uWSGI process: SQLite locks under several writers.
"""

import os
import secrets
import subprocess
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from tools.cinderstack import write_conf
from tools.cluster import services

REGION = 'RegionOne'


class Keystone(object):
    """One Keystone on 127.0.0.1, its database and keys under ``workdir``."""

    def __init__(self, workdir: str) -> None:
        self.workdir = os.path.join(workdir, 'keystone')
        self.port = services.free_port()
        self.admin_password = secrets.token_hex(12)
        self.cinder_password = secrets.token_hex(12)
        self.process = None
        self.conf = None

    @property
    def url(self) -> str:
        return 'http://127.0.0.1:%d/v3' % self.port

    def _write_conf(self) -> str:
        keys = {name: os.path.join(self.workdir, name)
                for name in ('fernet-keys', 'credential-keys')}
        return write_conf(os.path.join(self.workdir, 'keystone.conf'), {
            'DEFAULT': {'log_file': os.path.join(self.workdir,
                                                 'keystone.log')},
            'database': {'connection': 'sqlite:///%s' % os.path.join(
                self.workdir, 'keystone.sqlite')},
            'token': {'provider': 'fernet'},
            'fernet_tokens': {'key_repository': keys['fernet-keys']},
            'fernet_receipts': {'key_repository': keys['fernet-keys']},
            'credential': {'key_repository': keys['credential-keys']},
        })

    def manage(self, *args: str) -> None:
        manage = os.path.join(os.path.dirname(sys.executable),
                              'keystone-manage')
        subprocess.run([manage, '--config-file', self.conf] + list(args),
                       check=True, timeout=300, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    def start(self) -> None:
        os.makedirs(self.workdir)
        self.conf = self._write_conf()
        owner = ['--keystone-user', str(os.geteuid()),
                 '--keystone-group', str(os.getegid())]
        self.manage('db_sync')
        self.manage('fernet_setup', *owner)
        self.manage('credential_setup', *owner)
        # The password goes in through the environment, not the command
        # line that ps shows.
        os.environ['OS_BOOTSTRAP_PASSWORD'] = self.admin_password
        try:
            self.manage('bootstrap', '--bootstrap-admin-url', self.url,
                        '--bootstrap-public-url', self.url,
                        '--bootstrap-internal-url', self.url,
                        '--bootstrap-region-id', REGION)
        finally:
            del os.environ['OS_BOOTSTRAP_PASSWORD']
        env = dict(os.environ, OS_KEYSTONE_CONFIG_FILES=self.conf)
        self.process = services.Process('keystone', [
            os.path.join(os.path.dirname(sys.executable), 'uwsgi'),
            '--http11-socket', '127.0.0.1:%d' % self.port,
            '--module', 'keystone.wsgi.api:application',
            # One process, one thread: SQLite refuses concurrent writers
            # ("database is locked") even within one process.
            '--master', '--processes', '1', '--threads', '1',
            '--enable-threads', '--single-interpreter', '--need-app',
            '--die-on-term',
            # uWSGI drops idle keep-alive connections; a client that
            # reuses one as it closes gets no answer. Close each instead.
            '--add-header', 'Connection: close',
            '--home', sys.prefix], self.workdir, env)
        services.wait_for(self._answers, 'Keystone on port %d' % self.port)

    def _answers(self) -> None:
        self.process.alive()
        self.session().get_token()

    def session(self) -> ks_session.Session:
        """An admin session on the admin project."""
        auth = v3.Password(auth_url=self.url, username='admin',
                           password=self.admin_password,
                           project_name='admin', user_domain_id='default',
                           project_domain_id='default')
        return ks_session.Session(auth=auth)

    def register_cinder(self, cinder_url: str) -> None:
        """The service project and user, and the block-storage endpoint."""
        sess = self.session()
        project = self._post(sess, 'projects', {
            'name': 'service', 'domain_id': 'default'})
        user = self._post(sess, 'users', {
            'name': 'cinder', 'domain_id': 'default',
            'password': self.cinder_password})
        role = sess.get(self.url + '/roles?name=admin').json()['roles'][0]
        sess.put(self.url + '/projects/%s/users/%s/roles/%s' % (
            project['id'], user['id'], role['id']))
        # Tempest's block-storage catalog type; volumev3 for older clients.
        for kind in ('block-storage', 'volumev3'):
            service = self._post(sess, 'services', {
                'type': kind, 'name': 'cinder-%s' % kind})
            for interface in ('public', 'internal', 'admin'):
                self._post(sess, 'endpoints', {
                    'service_id': service['id'], 'interface': interface,
                    'region_id': REGION,
                    'url': cinder_url + '/$(project_id)s'})

    def _post(self, sess, kind: str, body: dict) -> dict:
        answer = sess.post('%s/%s' % (self.url, kind),
                           json={kind[:-1]: body})
        return answer.json()[kind[:-1]]

    def authtoken(self) -> dict:
        """Cinder's ``[keystone_authtoken]`` section."""
        return {
            'www_authenticate_uri': self.url,
            'auth_url': self.url,
            'auth_type': 'password',
            'username': 'cinder',
            'password': self.cinder_password,
            'project_name': 'service',
            'user_domain_id': 'default',
            'project_domain_id': 'default',
        }

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
