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

"""The services a production Cinder shares: MariaDB, RabbitMQ and etcd.

Each runs from its Debian package's binaries (``install-services.sh``
installs them) as a private instance: its own data directory under the
run's work directory, free ports on 127.0.0.1 only, started here and
stopped here by its PID or its own stop command. A distribution's
instance that may already run on the machine is left alone.
"""

import os
import secrets
import signal
import socket
import subprocess
import typing

import pymysql
import requests
import tenacity

#: How long a service may take to answer after it is started.
START_TIMEOUT = 90


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(check: typing.Callable[[], typing.Any], what: str,
             timeout: float = START_TIMEOUT) -> typing.Any:
    """Call ``check`` until it stops raising, for at most ``timeout``."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_delay(timeout),
        wait=tenacity.wait_exponential(multiplier=0.1, max=2),
        reraise=False)
    try:
        return retrying(check)
    except tenacity.RetryError as exc:
        raise TimeoutError('%s not ready within %ss: %s' % (
            what, timeout, exc.last_attempt.exception())) from None


class Process(object):
    """A server process this run started, in its own session.

    Its own session (process group) lets a caller stop everything it
    forked too, by the group's id, without touching anything else.
    """

    def __init__(self, name: str, argv: list, workdir: str,
                 env: typing.Optional[dict] = None) -> None:
        self.name = name
        self.log_path = os.path.join(workdir, '%s.log' % name)
        with open(self.log_path, 'ab') as log:
            self.popen = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=env, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> None:
        """Raise if the process has exited (a readiness check's guard)."""
        if self.popen.poll() is not None:
            raise RuntimeError('%s exited with %s; see %s' % (
                self.name, self.popen.returncode, self.log_path))

    def kill(self) -> None:
        """SIGKILL the whole process group: a host that dies."""
        os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM the process group, SIGKILL what is left after timeout."""
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        # Children (cinder-volume's per-backend processes) may outlive it.
        self._signal(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(10)

    def _signal(self, signum: int) -> None:
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            pass


def _root_args() -> list:
    # mariadbd refuses to run as root unless told which user to be.
    return ['--user=root'] if os.geteuid() == 0 else []


class MariaDB(object):
    """A MariaDB server on loopback; one database per Cinder deployment."""

    def __init__(self, workdir: str) -> None:
        self.datadir = os.path.join(workdir, 'mariadb')
        self.socket = os.path.join(self.datadir, 'mariadb.sock')
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.workdir = workdir
        self.process = None

    def start(self) -> None:
        os.makedirs(self.datadir)
        subprocess.run(
            ['mariadb-install-db', '--no-defaults', '--datadir=%s' %
             self.datadir, '--auth-root-authentication-method=socket',
             '--skip-test-db'] + _root_args(),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.process = Process('mariadb', [
            '/usr/sbin/mariadbd', '--no-defaults',
            '--datadir=%s' % self.datadir, '--socket=%s' % self.socket,
            '--bind-address=127.0.0.1', '--port=%d' % self.port,
            '--pid-file=%s' % os.path.join(self.datadir, 'mariadb.pid'),
            # Eight Cinder processes, each with a connection pool.
            '--max-connections=500', '--innodb-buffer-pool-size=256M',
            '--skip-log-bin'] + _root_args(), self.workdir)
        wait_for(lambda: self._execute(['SELECT 1']),
                 'MariaDB on port %d' % self.port)
        self._execute(["CREATE USER IF NOT EXISTS 'cinder'@'127.0.0.1' "
                       "IDENTIFIED BY '%s'" % self.password])

    def database(self, name: str) -> str:
        """A new database for Cinder.

        :returns: its SQLAlchemy URL, which holds the password: never log it
        """
        self._execute(['CREATE DATABASE %s' % name,
                       "GRANT ALL ON %s.* TO 'cinder'@'127.0.0.1'" % name])
        return 'mysql+pymysql://cinder:%s@127.0.0.1:%d/%s' % (
            self.password, self.port, name)

    def _execute(self, statements: typing.List[str]) -> None:
        self.process.alive()
        # root authenticates by its Unix user on the socket: no password.
        conn = pymysql.connect(unix_socket=self.socket, user='root')
        try:
            with conn.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


class RabbitMQ(object):
    """A RabbitMQ node, its Erlang distribution and epmd on loopback."""

    BIN = '/usr/lib/rabbitmq/bin'

    def __init__(self, workdir: str) -> None:
        self.base = os.path.join(workdir, 'rabbitmq')
        self.port = free_port()
        self.epmd_port = free_port()
        self.node = 'cinder-cluster-%d@localhost' % self.port
        self.workdir = workdir
        self.process = None

    def vhost(self, name: str) -> str:
        """A new virtual host, so deployments share no queue.

        :returns: its oslo.messaging transport URL
        """
        self.ctl('add_vhost', name)
        self.ctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*')
        # RabbitMQ's guest user may only connect from loopback, which is
        # all this throw-away node serves.
        return 'rabbit://guest:guest@127.0.0.1:%d/%s' % (self.port, name)

    def env(self) -> dict:
        env = dict(os.environ)
        plugins = os.path.join(self.base, 'enabled_plugins')
        env.update({
            'HOME': self.base,
            'RABBITMQ_CONF_ENV_FILE': os.path.join(self.base, 'env.conf'),
            'RABBITMQ_NODENAME': self.node,
            'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(free_port()),
            'RABBITMQ_MNESIA_BASE': os.path.join(self.base, 'mnesia'),
            'RABBITMQ_LOG_BASE': os.path.join(self.base, 'log'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': plugins,
            'RABBITMQ_PID_FILE': os.path.join(self.base, 'rabbit.pid'),
            # epmd and the distribution port listen everywhere unless
            # told otherwise.
            'ERL_EPMD_ADDRESS': '127.0.0.1',
            'ERL_EPMD_PORT': str(self.epmd_port),
            'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
                '-kernel inet_dist_use_interface {127,0,0,1}',
        })
        return env

    def start(self) -> None:
        os.makedirs(os.path.join(self.base, 'log'))
        with open(os.path.join(self.base, 'enabled_plugins'), 'w') as out:
            out.write('[].\n')
        open(os.path.join(self.base, 'env.conf'), 'w').close()
        self._env = self.env()
        self.process = Process('rabbitmq', [
            os.path.join(self.BIN, 'rabbitmq-server')], self.workdir,
            self._env)
        wait_for(self._ready, 'RabbitMQ on port %d' % self.port)

    def ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([os.path.join(self.BIN, 'rabbitmqctl'), '-n',
                        self.node] + list(args), env=self._env, check=True,
                       timeout=timeout, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    def _ready(self) -> None:
        self.process.alive()
        self.ctl('await_startup', timeout=30)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.ctl('shutdown')
        except (subprocess.SubprocessError, OSError):
            pass
        self.process.stop()
        self.process = None
        # epmd daemonized itself when the node started; its own command
        # stops it once no node is registered.
        subprocess.run(['epmd', '-port', str(self.epmd_port), '-kill'],
                       env=self._env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)


class Etcd(object):
    """A one-member etcd on loopback, the lock backend of the cluster."""

    def __init__(self, workdir: str) -> None:
        self.datadir = os.path.join(workdir, 'etcd')
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        """tooz's backend URL for the etcd v3 gRPC gateway."""
        return 'etcd3+http://127.0.0.1:%d' % self.port

    def start(self) -> None:
        client = 'http://127.0.0.1:%d' % self.port
        peer = 'http://127.0.0.1:%d' % free_port()
        self.process = Process('etcd', [
            'etcd', '--name', 'cinder-cluster', '--data-dir', self.datadir,
            '--listen-client-urls', client, '--advertise-client-urls', client,
            '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
            '--initial-cluster', 'cinder-cluster=%s' % peer], self.workdir)
        wait_for(lambda: self._ready(client), 'etcd on port %d' % self.port)

    def _ready(self, client: str) -> None:
        self.process.alive()
        requests.get(client + '/health', timeout=5).raise_for_status()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
