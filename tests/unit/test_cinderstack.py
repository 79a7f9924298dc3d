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

"""The in-process Cinder's paste pipeline and configuration writer.

The pipeline must let exactly one token-less request through noauth (the
version document the openstack command discovers) and nothing else.
"""

import configparser
import os

import ddt
import fixtures
from oslo_config import cfg
from oslotest import base
import webob

from cinder_powermax import options
from tools import cinderstack


def _seen_headers(environ, start_response):
    """A WSGI app that answers with the token it was given."""
    token = environ.get('HTTP_X_AUTH_TOKEN', '')
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [token.encode()]


@ddt.ddt
class VersionDiscoveryTest(base.BaseTestCase):

    def call(self, path, method='GET', **headers):
        app = cinderstack.VersionDiscovery(_seen_headers)
        req = webob.Request.blank(path, method=method, headers=headers)
        return req.get_response(app).text

    @ddt.data('/', '')
    def test_token_less_version_document_gets_an_identity(self, path):
        self.assertEqual('discovery:discovery', self.call(path))

    @ddt.data(('/volumes', 'GET'), ('/', 'POST'), ('/types', 'POST'),
              ('/volumes/detail', 'GET'))
    @ddt.unpack
    def test_other_token_less_requests_untouched(self, path, method):
        self.assertEqual('', self.call(path, method))

    def test_auth_one_one_dance_untouched(self):
        # Cinder's functional client starts with X-Auth-User and expects
        # noauth's 204 with a management URL.
        self.assertEqual('', self.call('/', **{'X-Auth-User': 'u'}))

    def test_given_token_kept(self):
        self.assertEqual('u:p', self.call('/', **{'X-Auth-Token': 'u:p'}))


class PasteAndConfTest(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def test_paste_puts_discovery_right_before_noauth(self):
        path = cinderstack.write_api_paste(self.tmp)
        parser = configparser.RawConfigParser()
        parser.optionxform = str
        parser.read(path)
        pipeline = parser.get('composite:openstack_volume_api_v3',
                              'noauth').split()
        self.assertEqual(['version_discovery', 'noauth', 'apiv3'],
                         pipeline[-3:])
        # The other pipelines, Keystone's included, are Cinder's own.
        self.assertNotIn('version_discovery', parser.get(
            'composite:openstack_volume_api_v3', 'keystone'))
        self.assertEqual('tools.cinderstack:VersionDiscovery.factory',
                         parser.get('filter:version_discovery',
                                    'paste.filter_factory'))

    def test_backend_sections_parse_as_cinder_volume_reads_them(self):
        sections = cinderstack.backend_options(
            '000197800123', 8443, '/etc/ca.pem', 'smc', 'secret')
        sections['DEFAULT'] = {'enabled_backends': list(sections)}
        path = cinderstack.write_conf(os.path.join(self.tmp, 'c.conf'),
                                      sections)
        conf = cfg.ConfigOpts()
        conf.register_opts([cfg.ListOpt('enabled_backends')])
        for backend in cinderstack.BACKENDS:
            conf.register_opts(options.powermax_opts, group=backend)
        conf(['--config-file', path], project='cinder')
        self.assertEqual(sorted(cinderstack.BACKENDS),
                         sorted(conf.enabled_backends))
        self.assertEqual(['OS-fibre-PG'],
                         conf[cinderstack.FC].powermax_port_groups)
        self.assertEqual(['OS-iscsi-PG'],
                         conf[cinderstack.ISCSI].powermax_port_groups)
        self.assertEqual('000197800123',
                         conf[cinderstack.FC].powermax_array)

    def test_stack_points_at_the_installed_resource_filters(self):
        # Without the file Cinder refuses every filtered list call.
        stack = cinderstack.CinderStack(self.tmp, {})
        parser = configparser.RawConfigParser()
        parser.read(stack.write_conf())
        path = parser.get('DEFAULT', 'resource_query_filters_file')
        self.assertTrue(os.path.isfile(path), path)
