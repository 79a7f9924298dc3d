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

"""A ``requests`` transport that hands requests to the fake in-process.

The client under test builds and sends real ``requests`` objects; only the
socket is replaced by a WSGI call, so URLs, headers, auth and bodies are
exactly what would go over the wire.
"""

import typing
import urllib.parse

import requests
from requests import adapters
from requests import structures
from werkzeug import test as wz_test

from tests.fake_unisphere import app as app_mod


class FakeAdapter(adapters.BaseAdapter):
    """Transport adapter for one Unisphere endpoint ('host:port')."""

    def __init__(self, app: app_mod.UnisphereApp, endpoint: str) -> None:
        super().__init__()
        self.app = app
        self.endpoint = endpoint

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: typing.Any = None, verify: typing.Any = True,
             cert: typing.Any = None, proxies: typing.Any = None
             ) -> requests.Response:
        parts = urllib.parse.urlsplit(request.url)
        body = request.body
        if isinstance(body, str):
            body = body.encode('utf-8')
        builder = wz_test.EnvironBuilder(
            path=urllib.parse.unquote(parts.path), query_string=parts.query,
            method=request.method, headers=dict(request.headers),
            data=body or b'', base_url='%s://%s' % (parts.scheme,
                                                    parts.netloc))
        environ = builder.get_environ()
        environ['fake.endpoint'] = self.endpoint
        try:
            app_iter, status, headers = wz_test.run_wsgi_app(
                self.app, environ, buffered=True)
        except app_mod.Dropped:
            raise requests.exceptions.ConnectionError(
                'Connection aborted: %s closed the connection without '
                'response' % self.endpoint, request=request)
        except app_mod.TimedOut:
            raise requests.exceptions.ReadTimeout(
                'HTTPSConnectionPool(host=%r): Read timed out. (read '
                'timeout=%s)' % (self.endpoint, timeout), request=request)
        response = requests.Response()
        response.status_code = int(status.split(' ', 1)[0])
        response.reason = status.split(' ', 1)[-1]
        response.headers = structures.CaseInsensitiveDict(headers)
        response._content = b''.join(app_iter)
        response.encoding = 'utf-8'
        response.url = request.url
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release: no sockets."""
