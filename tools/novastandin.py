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

"""A stand-in for the few Nova calls Cinder makes, for the demo and sandbox.

Since Queens, Nova attaches volumes through Cinder's attachment API, and
Cinder calls Nova back: before it deletes an attachment that names a
server, it asks Nova whether that server still holds the volume (the guard
of Cinder bug 2004555; Nova itself is exempt through its service token),
and after an extend of an attached volume it sends Nova an external event.
Without a Nova those calls fail and the API answers 500.

This serves, on loopback, what those calls need and nothing more:

* the Identity v3 version document and token issue that Cinder's Nova
  client goes through (any token is accepted; the catalog lists the
  compute endpoint below);
* ``GET /servers/{server}/os-volume_attachments/{volume}`` (microversion
  2.89), answered from what the stand-in holds: :meth:`NovaStandIn.attach`
  records a server's volume as Nova records a block device mapping, and
  :meth:`NovaStandIn.detach` forgets it before the attachment is deleted,
  as Nova does; a volume no server holds is a 404, so Cinder deletes the
  attachment;
* ``POST /os-server-external-events``, recorded and answered ``200``.

Anything else is a 404: a call the stand-in does not model is refused,
never accepted and ignored.
"""

import json
import re
import threading
import uuid

from werkzeug import serving
from werkzeug import wrappers

_ATTACHMENT = re.compile(r'^/compute/v2\.1/servers/([^/]+)/'
                         r'os-volume_attachments/([^/]+)$')
_EXPIRES = '2099-12-31T23:59:59.000000Z'


def _json(body, status=200, headers=None):
    return wrappers.Response(json.dumps(body), status=status,
                             headers=headers,
                             content_type='application/json')


def _not_found(what):
    return _json({'itemNotFound': {'code': 404, 'message': what}}, 404)


class _QuietHandler(serving.WSGIRequestHandler):
    def log(self, *args, **kwargs):
        pass


class NovaStandIn(object):
    """The Nova (and Keystone) answers Cinder needs, on loopback."""

    def __init__(self):
        self.url = None
        #: ``{(server, volume): attachment id}``, as Nova's mappings.
        self.mappings = {}
        #: The external events Cinder sent, in order.
        self.events = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- what Nova records ----------------------------------------------------

    def attach(self, server, volume, attachment):
        """Record that ``server`` holds ``volume`` through ``attachment``."""
        with self._lock:
            self.mappings[(server, volume)] = attachment

    def detach(self, server, volume):
        """Forget it, as Nova does before it deletes the attachment."""
        with self._lock:
            self.mappings.pop((server, volume), None)

    # -- the HTTP front -------------------------------------------------------

    @property
    def identity_url(self):
        """What ``[nova] token_auth_url`` of cinder.conf names."""
        return '%s/identity/v3' % self.url

    def _version(self, request):
        if request.path.rstrip('/') == '/identity/v3':
            return _json({'version': {
                'id': 'v3.14', 'status': 'stable',
                'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.identity_url + '/'}],
                'media-types': [{
                    'base': 'application/json',
                    'type': 'application/vnd.openstack.identity-v3+json'}]}})
        return _json({'version': {
            'id': 'v2.1', 'status': 'CURRENT', 'version': '2.95',
            'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
            'links': [{'rel': 'self',
                       'href': '%s/compute/v2.1/' % self.url}]}})

    def _token(self, request):
        identity = {'id': 'admin', 'name': 'admin',
                    'domain': {'id': 'default', 'name': 'Default'}}
        token = {'methods': ['token'], 'expires_at': _EXPIRES,
                 'issued_at': '2026-01-01T00:00:00.000000Z',
                 'user': identity, 'project': identity,
                 'roles': [{'id': 'admin', 'name': 'admin'}],
                 'catalog': [{
                     'type': 'compute', 'name': 'nova', 'id': 'nova',
                     'endpoints': [{
                         'id': 'nova-public', 'interface': 'public',
                         'region': 'RegionOne', 'region_id': 'RegionOne',
                         'url': '%s/compute/v2.1' % self.url}]}]}
        return _json({'token': token}, 201,
                     {'X-Subject-Token': uuid.uuid4().hex})

    def _server_volume(self, server, volume):
        with self._lock:
            attachment = self.mappings.get((server, volume))
        if attachment is None:
            return _not_found('volume %s is not attached to server %s' % (
                volume, server))
        return _json({'volumeAttachment': {
            'id': volume, 'volumeId': volume, 'serverId': server,
            'device': '/dev/vdb', 'tag': None,
            'delete_on_termination': False, 'attachment_id': attachment,
            'bdm_uuid': str(uuid.uuid5(uuid.NAMESPACE_URL, attachment))}})

    def _events(self, request):
        events = json.loads(request.get_data() or b'{}').get('events') or []
        with self._lock:
            self.events.extend(events)
        return _json({'events': [dict(e, code=200, status='completed')
                                 for e in events]})

    @wrappers.Request.application
    def __call__(self, request):
        path = request.path.rstrip('/')
        if request.method == 'GET' and path in ('/identity/v3', '/compute',
                                                '/compute/v2.1'):
            return self._version(request)
        if request.method == 'POST' and path == '/identity/v3/auth/tokens':
            return self._token(request)
        found = _ATTACHMENT.match(path)
        if request.method == 'GET' and found:
            return self._server_volume(*found.groups())
        if request.method == 'POST' and path == (
                '/compute/v2.1/os-server-external-events'):
            return self._events(request)
        return _not_found('%s %s is not modelled' % (request.method, path))

    # -- serving --------------------------------------------------------------

    def start(self):
        """Serve on a free loopback port; returns the base URL."""
        self._server = serving.make_server(
            '127.0.0.1', 0, self, threaded=True,
            request_handler=_QuietHandler)
        self.url = 'http://127.0.0.1:%d' % self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='nova-stand-in', daemon=True)
        self._thread.start()
        return self.url

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
