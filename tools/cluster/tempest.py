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

"""Tempest's volume tests against the cluster, as third-party CI runs them.

``tox -e tempest`` runs this. It starts what ``tox -e cluster`` starts
(MariaDB, RabbitMQ, etcd, the fake Unisphere over HTTPS, Cinder as separate
processes with two cinder-volume in one cluster) plus Keystone
(:mod:`tools.cluster.keystone`), with Cinder on ``auth_strategy =
keystone``; installs Tempest and cinder-tempest-plugin in a virtualenv of
their own; writes a ``tempest.conf`` for Cinder alone with what this driver
offers; and runs ``tempest.api.volume`` and ``cinder_tempest_plugin.api``,
less the tests named in ``tempest-exclude.txt`` (each with its reason).
It prints Tempest's totals and exits with Tempest's status.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

from tests.fake_unisphere import fixture as fake_fixture
from tools import cinderstack
from tools.cinderstack import write_conf
from tools.cluster import deployment
from tools.cluster import keystone as keystone_mod
from tools.cluster import report

HERE = os.path.dirname(os.path.abspath(__file__))
EXCLUDE = os.path.join(HERE, 'tempest-exclude.txt')
REQUIREMENTS = os.path.join(HERE, 'tempest-requirements.txt')
TESTS = r'^(tempest\.api\.volume|cinder_tempest_plugin\.api)\.'
#: What the driver reports as vendor_name, as the in-tree driver does.
VENDOR_NAME = 'Dell EMC'


def tempest_venv() -> str:
    """Tempest and the plugin in a virtualenv of their own; its bin dir."""
    venv = os.path.join(sys.prefix, 'tempest-venv')
    bindir = os.path.join(venv, 'bin')
    if not os.path.exists(os.path.join(bindir, 'tempest')):
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        subprocess.run([os.path.join(bindir, 'pip'), 'install', '--quiet',
                        '-r', REQUIREMENTS], check=True, timeout=900)
    return bindir


def max_microversion(api_port: int) -> str:
    """The newest microversion the running Cinder API offers."""
    versions = requests.get('http://127.0.0.1:%d/' % api_port,
                            timeout=30).json()['versions']
    return [v for v in versions if v['id'] == 'v3.0'][0]['version']


def tempest_conf(path: str, keystone, api_port: int) -> str:
    """Cinder only: no Nova, Glance, Neutron or Swift."""
    return write_conf(path, {
        'DEFAULT': {'log_file': os.path.join(os.path.dirname(path),
                                             'tempest.log')},
        'auth': {
            'admin_username': 'admin',
            'admin_password': keystone.admin_password,
            'admin_project_name': 'admin',
            'admin_domain_name': 'Default',
            'use_dynamic_credentials': True,
            'create_isolated_networks': False,
            'tempest_roles': 'member'},
        'identity': {'uri_v3': keystone.url, 'auth_version': 'v3',
                     'region': keystone_mod.REGION},
        'service_available': {'cinder': True, 'nova': False,
                              'glance': False, 'neutron': False,
                              'swift': False},
        'volume': {
            'catalog_type': 'block-storage',
            'region': keystone_mod.REGION,
            'backend_names': ','.join(cinderstack.BACKENDS),
            # One value for two backends: the first one's.
            'storage_protocol': 'FC',
            'vendor_name': VENDOR_NAME,
            'min_microversion': '3.0',
            'max_microversion': max_microversion(api_port),
            'build_timeout': 120, 'build_interval': 1,
            # Unmanage renames the device to the bare volume id.
            'manage_volume_ref': 'source-name,%s'},
        'volume-feature-enabled': {
            'multi_backend': True, 'backup': False, 'snapshot': True,
            'clone': True, 'api_extensions': 'all',
            'extend_attached_volume': True, 'volume_revert': True,
            'extend_volume_with_snapshot': True,
            'manage_volume': True,
            # Unmanaging a snapshot only drops the "OS-" prefix of its
            # SnapVX name, which holds the snapshot id cut to 18
            # characters; Tempest names the snapshot to manage back from
            # the whole id (manage_snapshot_ref), so it cannot find it.
            'manage_snapshot': False,
            # Not implemented by this driver yet.
            'replication': False, 'consistency_group': False,
            # Needs Glance.
            'enable_volume_image_dep_tests': False,
            'volume_image_dep_tests': False,
            'concurrency_tests': True},
        'validation': {'run_validation': False},
    })


def run_tempest(bindir: str, workdir: str, keystone, api_port: int,
                concurrency: int) -> int:
    workspace = os.path.join(workdir, 'tempest')
    # Its own registry of workspaces, not the user's ~/.tempest.
    subprocess.run([os.path.join(bindir, 'tempest'), 'init',
                    '--workspace-path', os.path.join(workdir,
                                                     'workspace.yaml'),
                    workspace], check=True, stdout=subprocess.DEVNULL)
    conf = tempest_conf(os.path.join(workspace, 'etc', 'tempest.conf'),
                        keystone, api_port)
    output = os.path.join(workdir, 'tempest-run.log')
    with open(output, 'w') as log:
        done = subprocess.run(
            [os.path.join(bindir, 'tempest'), 'run', '--config-file', conf,
             '--regex', TESTS, '--exclude-list', EXCLUDE,
             '--concurrency', str(concurrency)],
            cwd=workspace, stdout=log, stderr=subprocess.STDOUT)
    show_result(output)
    return done.returncode


def show_result(output: str) -> None:
    """Tempest's failures and totals, from its output."""
    with open(output, errors='replace') as log:
        text = log.read()
    for failed in re.findall(r'^\{\d+\} (.+?) \[[\d.]+s\] \.\.\. FAILED',
                             text, re.MULTILINE):
        report.say('  FAILED %s' % failed)
    # Why, without the request logs: CI keeps no work directory.
    details = re.search(r'^Failed \d+ tests - output below:$(.*?)^Totals$',
                        text, re.MULTILINE | re.DOTALL)
    if details:
        lines = [line for line in details.group(1).splitlines()
                 if 'rest_client' not in line and line.strip()]
        report.say('\n'.join(lines[:150]))
    totals = text[text.rfind('Totals'):] if 'Totals' in text else text[-3000:]
    report.say(totals.split('Worker Balance')[0].rstrip())


#: The volume manager's log lines for a finished migration and retype.
MIGRATED = 'Migrate volume completed successfully.'
RETYPED = 'Retype volume completed successfully.'


def migrations(fake, mark: int, served) -> dict:
    """How Tempest's migrations were done: on the array, not by a copy.

    Cinder's generic migration copies the data through the volume
    service's own host, which needs that host's initiator group on the
    array; the driver's migrate_volume hands the device to the other
    backend and makes none. Tempest, without Nova, connects no volume to
    a host, so any initiator group made during its run would be a copy's.
    """
    hosts = sorted({record.body.get('hostId') for record in
                    fake.requests[mark:]
                    if record.method == 'POST' and
                    record.path.endswith('/host') and
                    isinstance(record.body, dict)})
    counts = {'migrated': 0, 'retyped': 0}
    for host, path in served.logs.items():
        with open(path, errors='replace') as log:
            log.seek(served.marks[host])
            for line in log:
                counts['migrated'] += MIGRATED in line
                counts['retyped'] += RETYPED in line
    return {
        'retypes and migrations Cinder completed': '%(retyped)d and '
                                                   '%(migrated)d' % counts,
        'initiator groups made on the array (a host-side copy needs '
        'one)': ', '.join(hosts) or 'none',
    }


def run(workdir: str, args) -> int:
    bindir = tempest_venv()
    infra = deployment.Infra(workdir)
    fake = fake_fixture.FakeUnisphereFixture(endpoints=())
    keystone = keystone_mod.Keystone(workdir)
    dep = None
    try:
        infra.start()
        keystone.start()
        fake.setUp()
        url, ca = fake.start_https()
        os.makedirs(os.path.join(workdir, 'cinder'))
        dep = deployment.Deployment(
            os.path.join(workdir, 'cinder'), infra.deployment('tempest'),
            fake, url, ca, True, overrides={
                'DEFAULT': {'auth_strategy': 'keystone'},
                'keystone_authtoken': keystone.authtoken()},
            token=keystone.session().get_token())
        keystone.register_cinder(dep.cinder.url)
        dep.start()
        began = time.time()
        baseline = fake.snapshot()
        mark = len(fake.requests)
        served = dep.served_by()
        status = run_tempest(bindir, workdir, keystone, dep.cinder.api_port,
                             args.concurrency)
        for name, value in migrations(fake, mark, served).items():
            report.say('%s: %s' % (name, value))
        # A failed test may leave its volumes; when every test passed,
        # anything left on the array is the driver's debris and fails.
        leaks = fake.check(baseline)
        report.say('leak check after Tempest: %s' % (leaks or 'clean'))
        if leaks and status == 0:
            status = 1
        report.say('tempest: %s in %.0fs (exit %d)' % (
            'PASS' if status == 0 else 'FAIL', time.time() - began, status))
        return status
    finally:
        if dep is not None:
            dep.stop()
        fake.cleanUp()
        keystone.stop()
        infra.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--concurrency', type=int, default=2)
    parser.add_argument('--keep', action='store_true',
                        help='keep the work directory (logs, configs)')
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix='cinder-tempest-')
    try:
        return run(workdir, args)
    finally:
        if args.keep:
            report.say('logs in %s' % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
