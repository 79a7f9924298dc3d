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

"""A real threaded HTTPS server for the fake, on loopback only.

A throw-away CA and a server certificate for 127.0.0.1/localhost are made
at start, so clients can verify TLS against ``ca_path``.
"""

import datetime
import ipaddress
import os
import socket
import tempfile
import threading
import time
import typing

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID
from werkzeug import serving

from tests.fake_unisphere import app as app_mod


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Fake Unisphere'),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(directory: str) -> typing.Tuple[str, str, str]:
    """Write a CA and a server cert/key into ``directory``.

    :returns: (ca_path, cert_path, key_path)
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (x509.CertificateBuilder()
               .subject_name(_name('Fake Unisphere CA'))
               .issuer_name(_name('Fake Unisphere CA'))
               .public_key(ca_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                              critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=True, key_cert_sign=True,
                   crl_sign=True, content_commitment=False,
                   key_encipherment=False, data_encipherment=False,
                   key_agreement=False, encipher_only=False,
                   decipher_only=False), critical=True)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(_name('127.0.0.1'))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName('localhost'),
                x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                           critical=True)
            .add_extension(x509.ExtendedKeyUsage(
                [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = tuple(os.path.join(directory, name)
                  for name in ('ca.pem', 'server.pem', 'server.key'))
    pem = serialization.Encoding.PEM
    with open(paths[0], 'wb') as out:
        out.write(ca_cert.public_bytes(pem))
    with open(paths[1], 'wb') as out:
        out.write(cert.public_bytes(pem))
    with open(paths[2], 'wb') as out:
        out.write(key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return paths


class _Transport:
    """WSGI wrapper turning drop/timeout faults into socket behaviour."""

    def __init__(self, app: app_mod.UnisphereApp) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except app_mod.TimedOut as fault:
            time.sleep(fault.delay)
            self._close(environ)
        except app_mod.Dropped:
            self._close(environ)
        # Werkzeug treats ConnectionError as "client went away": no answer.
        raise ConnectionResetError('fault injected: connection dropped')

    @staticmethod
    def _close(environ):
        sock = environ.get('werkzeug.socket')
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _QuietHandler(serving.WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class FakeServer:
    """HTTPS server for one app on 127.0.0.1.

    :param app: the :class:`app.UnisphereApp` to serve
    :param port: TCP port; 0 picks a free one
    """

    def __init__(self, app: app_mod.UnisphereApp, port: int = 0) -> None:
        self.app = app
        self.port = port
        self.url = None
        self.ca_path = None
        self._server = None
        self._thread = None
        self._tmp = None

    def start(self) -> typing.Tuple[str, str]:
        """Start serving in a thread.

        :returns: (base URL, CA bundle path)
        """
        self._tmp = tempfile.TemporaryDirectory(prefix='fake-unisphere-')
        self.ca_path, cert, key = make_certificates(self._tmp.name)
        self._server = serving.make_server(
            '127.0.0.1', self.port, _Transport(self.app), threaded=True,
            request_handler=_QuietHandler, ssl_context=(cert, key))
        self.port = self._server.server_port
        self.url = 'https://127.0.0.1:%d' % self.port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='fake-unisphere', daemon=True)
        self._thread.start()
        return self.url, self.ca_path

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
