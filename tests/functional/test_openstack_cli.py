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

"""The ``openstack`` command line against the in-process Cinder API.

As an operator without Keystone runs it, with the environment the sandbox
prints: the ``admin_token`` auth type, Cinder's noauth token
(``<user>:<project>``) and the volume endpoint.
"""

import json
import os
import shutil
import subprocess
import sys

from cinder.tests.unit import fake_constants as fake

from tests.functional import base
from tools import cinderstack


def openstack_command():
    here = os.path.join(os.path.dirname(sys.executable), 'openstack')
    return here if os.path.exists(here) else shutil.which('openstack')


class OpenStackCLIMixin:
    """``openstack`` as an operator without Keystone runs it."""

    def openstack(self, *args):
        command = openstack_command()
        self.assertIsNotNone(command, 'python-openstackclient is missing')
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env.update({
            'OS_AUTH_TYPE': 'admin_token',
            'OS_ENDPOINT': self.auth_url,
            'OS_TOKEN': '%s:%s' % (fake.USER_ID, fake.PROJECT_ID),
            'OS_VOLUME_API_VERSION': cinderstack.API_VERSION,
        })
        done = subprocess.run([command] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, universal_newlines=True, timeout=120)
        self.assertEqual(0, done.returncode, 'openstack %s:\n%s%s' % (
            ' '.join(args), done.stdout, done.stderr))
        return done.stdout

    def openstack_json(self, *args):
        return json.loads(self.openstack(*(args + ('-f', 'json'))))


class OpenStackCLITest(OpenStackCLIMixin, base.FunctionalTestCase):

    def test_volume_lifecycle(self):
        self.openstack('volume', 'type', 'create', 'gold',
                       '--property', 'volume_backend_name=%s' % base.FC,
                       '--property', 'pool_name=%s' % base.pool('Gold'),
                       '--property',
                       'storagetype:portgroupname=OS-fibre-PG')
        self.openstack('volume', 'qos', 'create', '--consumer', 'back-end',
                       '--property', 'total_iops_sec=500',
                       '--property', 'DistributionType=Always', 'gold-qos')
        self.openstack('volume', 'qos', 'associate', 'gold-qos', 'gold')
        pools = self.openstack_json('volume', 'backend', 'pool', 'list')
        self.assertIn('%s@%s#%s' % (base.HOST, base.FC, base.pool('Gold')),
                      [p['Name'] for p in pools])

        created = self.openstack_json('volume', 'create', '--size', '1',
                                      '--type', 'gold', 'cli-vol')
        volume = self.wait_volume(created['id'], ('creating',), 'available')
        self.assertEqual('cli-vol', volume['name'])
        device = self.device(volume)
        self.assertEqual([base.GOLD_SG], self.arr.groups_of(device))
        self.assertEqual('500', str(self.arr.storage_groups[
            base.GOLD_SG].host_io_limit['host_io_limit_io_sec']))

        listed = self.openstack_json('volume', 'list')
        self.assertEqual([('cli-vol', 'available', 1)],
                         [(v['Name'], v['Status'], v['Size'])
                          for v in listed])
        shown = self.openstack_json('volume', 'show', 'cli-vol')
        self.assertEqual(device, shown['properties']['DeviceID'])

        snap = self.openstack_json('volume', 'snapshot', 'create',
                                   '--volume', 'cli-vol', 'cli-snap')
        self.wait_snapshot(snap['id'], ('creating',), 'available')
        self.assertEqual(1, len(self.arr.snapshots_of(device)))
        self.openstack('volume', 'snapshot', 'delete', 'cli-snap')
        self.assertIsNone(self.wait_snapshot(snap['id'], ('deleting',)))
        self.assertEqual([], self.arr.snapshots_of(device))

        self.openstack('volume', 'delete', 'cli-vol')
        self.assertIsNone(self.wait_volume(created['id'], ('deleting',)))
        self.assertNotIn(device, self.arr.volumes)
        self.assertArrayClean()
