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

"""The real HTTPS server on loopback and its command line."""

import os
import subprocess
import sys

import requests

from tests.unit.fake_unisphere import base


class HttpsTest(base.FakeTestCase):

    def test_tls_verified_against_generated_ca(self):
        url, ca_path = self.fake.start_https()
        self.assertTrue(url.startswith('https://127.0.0.1:'))
        auth = (self.fake.username, self.fake.password)
        body = requests.get(url + '/univmax/restapi/version', verify=ca_path,
                            auth=auth, timeout=10).json()
        self.assertEqual('V10.1.0.2', body['version'])
        # Same model as the in-process transport.
        self.create_sg('SG1', slo=None)
        response = requests.get(
            url + '/univmax/restapi/100/sloprovisioning/symmetrix/%s/'
            'storagegroup/SG1' % self.sid, verify=ca_path, auth=auth,
            timeout=10)
        self.assertEqual(200, response.status_code)
        self.assertEqual(401, requests.get(
            url + '/univmax/restapi/version', verify=ca_path,
            auth=('smc', 'wrong'), timeout=10).status_code)
        self.assertRaises(requests.exceptions.SSLError, requests.get,
                          url + '/univmax/restapi/version', auth=auth,
                          timeout=10)

    def test_dropped_connection(self):
        url, ca_path = self.fake.start_https()
        self.fake.faults.add(action='drop')
        self.assertRaises(requests.exceptions.ConnectionError, requests.get,
                          url + '/univmax/restapi/version', verify=ca_path,
                          auth=(self.fake.username, self.fake.password),
                          timeout=10)


class CommandLineTest(base.FakeTestCase):

    def test_serve_prints_url_credentials_and_ca(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.dirname(os.path.abspath(__file__)))))
        process = subprocess.Popen(
            [sys.executable, '-m', 'tests.fake_unisphere', 'serve',
             '--port', '0', '--user', 'admin', '--password', 'secret',
             '--version', 'V9.2.1.4'],
            cwd=root, stdout=subprocess.PIPE, text=True)
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.terminate)
        lines = {}
        for _ in range(6):
            key, _sep, value = process.stdout.readline().partition(': ')
            lines[key] = value.strip()
        self.assertTrue(lines['URL'].startswith('https://127.0.0.1:'))
        self.assertEqual(('admin', 'secret'), (lines['User'],
                                               lines['Password']))
        response = requests.get(lines['URL'] + '/version',
                                verify=lines['CA'], auth=('admin', 'secret'),
                                timeout=10)
        self.assertEqual({'version': 'V9.2.1.4'}, response.json())
