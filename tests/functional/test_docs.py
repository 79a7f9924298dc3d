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

"""The documentation's sandbox commands, run as an operator runs them.

``doc/source/sandbox.rst`` holds the ``openstack`` and ``cinder`` commands
an operator runs against the sandbox: volume types, QoS, volumes,
snapshots, retype, unmanage and ``cinder manage <host> <device id>``,
replication with a failover and failback, groups and their snapshots.
Every ``$`` line of its console blocks is pasted into bash, in order,
against a fresh sandbox; after each, the test waits as an operator would
until nothing is in a transitional state, and fails on any command that
fails or any object that ends in error. At the end the arrays hold only
what they were seeded with.
"""

import os
import re
import time

import requests

from tests.functional import test_demo
from tests.functional import test_tools

PAGE = os.path.join(test_demo.ROOT, 'doc', 'source', 'sandbox.rst')
#: Resources to watch: (URL path, key of the list).
WATCHED = (('/volumes/detail?all_tenants=1', 'volumes'),
           ('/snapshots/detail?all_tenants=1', 'snapshots'),
           ('/groups/detail?all_tenants=1', 'groups'),
           ('/group_snapshots/detail?all_tenants=1', 'group_snapshots'))
TIMEOUT = 120


def console_commands(path):
    """The ``$`` commands of a page's console blocks, continuations joined.

    :returns: ``[(line number, command)]``
    """
    found, pending, start = [], None, 0
    with open(path) as page:
        for number, line in enumerate(page, 1):
            text = line.strip()
            if pending is not None:
                pending += ' ' + text.rstrip('\\').strip()
            elif text.startswith('$ '):
                pending, start = text[2:].rstrip('\\').strip(), number
            if pending is not None and not text.endswith('\\'):
                found.append((start, pending))
                pending = None
    return found


class SandboxPageTest(test_tools.ToolsTestCase):

    def setUp(self):
        super().setUp()
        env = self.sandbox.env
        self.api = requests.Session()
        self.api.headers.update({
            'X-Auth-Token': '%s:%s' % (env['OS_USER_ID'],
                                       env['CINDER_PROJECT_ID']),
            'OpenStack-API-Version': 'volume %s' % env[
                'OS_VOLUME_API_VERSION']})
        self.url = env['CINDER_ENDPOINT']

    def busy(self):
        """What is still changing, as ``kind name status`` strings."""
        found = []
        for path, key in WATCHED:
            for item in self.api.get(self.url + path, timeout=30).json()[
                    key]:
                states = (item.get('status'), item.get('replication_status'))
                if any(s and (s.endswith('ing') or s in ('maintenance',
                                                         'failing-over'))
                       for s in states):
                    found.append('%s %s %s' % (key, item.get('name'),
                                               states))
        services = self.api.get(self.url + '/os-services',
                                timeout=30).json()['services']
        found += ['service %s failing over' % s['host'] for s in services
                  if s.get('replication_status') == 'failing-over']
        return found

    def errors(self):
        return ['%s %s is %s' % (key, item.get('name'), item['status'])
                for path, key in WATCHED
                for item in self.api.get(self.url + path, timeout=30).json()[
                    key] if item['status'].startswith('error')]

    def settle(self, where):
        deadline = time.time() + TIMEOUT
        while self.busy():
            if time.time() > deadline:
                self.fail('%s: still busy: %s' % (where, self.busy()))
            time.sleep(0.3)
        self.assertEqual([], self.errors(), where)

    def test_every_command_of_the_page_runs(self):
        commands = console_commands(PAGE)
        self.assertGreater(len(commands), 30)
        ran = []
        for number, command in commands:
            where = 'sandbox.rst line %d: %s' % (number, command)
            done = test_demo.pasted(command, self.sandbox.env)
            self.assertEqual(0, done.returncode, where + '\n' + done.stdout)
            ran.append(command.split()[0])
            self.settle(where)
        self.assertEqual({'openstack', 'cinder'}, set(ran))
        # The device id the page gives to cinder manage is vol-2's.
        manage = [c for _n, c in commands if c.startswith('cinder manage')]
        self.assertEqual(1, len(manage))
        left = self.sandbox.stop()
        self.assertEqual({'port_groups'}, set(re.findall(
            r'^  \d{12}: (\w+) ', left, re.M)), left)
