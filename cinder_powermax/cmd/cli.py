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


"""What the operator commands share: exit statuses, errors, JSON.

The commands run in scripts and monitoring, so their exit status means
one thing each (:data:`CLEAN`, :data:`FOUND`, :data:`CANNOT`), and what
stops them is said in one line that names the fix
(:class:`Refusal`), never as a Python traceback unless ``--debug`` asks
for it.
"""

import json
import logging
import os
import sys
import traceback
import warnings

#: Nothing found: every check passed, the array holds no debris.
CLEAN = 0
#: Something found: a check failed, the audit listed findings.
FOUND = 1
#: The command could not do its work (configuration, credentials, reach).
CANNOT = 2
CREDENTIALS_FIX = ('source the openrc of a Cinder admin (a Keystone login, '
                   'or OS_AUTH_TYPE=admin_token with OS_ENDPOINT and '
                   'OS_TOKEN)')


class Refusal(Exception):
    """What keeps a command from its work, with the operator's fix.

    :param what: what went wrong, naming the value or the place
    :param fix: what the operator changes so that it works
    """

    def __init__(self, what, fix):
        super().__init__(what)
        self.what = what
        self.fix = fix

    def line(self):
        return '%s; fix: %s' % (self.what, self.fix)

    def as_dict(self):
        return {'error': self.what, 'fix': self.fix}


def add_common_arguments(parser):
    """Add the options both commands take.

    ``--config-file``, ``--json``, ``--verbose`` and ``--debug``.
    """
    parser.add_argument('--config-file', default='/etc/cinder/cinder.conf',
                        help='the cinder.conf to read (default: '
                             '%(default)s)')
    parser.add_argument('--json', action='store_true',
                        help='print the result as one JSON document')
    parser.add_argument('--verbose', action='store_true',
                        help='show the driver\'s log messages too')
    parser.add_argument('--debug', action='store_true',
                        help='with --verbose, and the Python traceback of '
                             'an error')


def quiet(args):
    """Silence Cinder's import warnings and the driver's log, unless asked.

    Cinder's dependencies warn about their own deprecations; the driver's
    log lines repeat what the command prints.
    """
    if args.verbose or args.debug:
        logging.basicConfig(level=logging.DEBUG)
        return
    warnings.simplefilter('ignore')
    logging.getLogger().addHandler(logging.NullHandler())


def require_file(path):
    """Refuse a configuration file that cannot be read, before oslo does."""
    if not os.path.isfile(path):
        raise Refusal('the configuration file %s does not exist' % path,
                      'give --config-file the path of cinder.conf')
    if not os.access(path, os.R_OK):
        raise Refusal('the configuration file %s cannot be read by this '
                      'user' % path, 'run the command as a user that can '
                      'read it (cinder-volume\'s, or root)')


def _unisphere(exc, where):
    from cinder_powermax import exception

    if isinstance(exc, exception.TLSError):
        return Refusal('%s: TLS verification failed (%s)' % (
            where, exc.detail), 'set driver_ssl_cert_path to the CA that '
            'signed Unisphere\'s certificate')
    if isinstance(exc, exception.Unauthorized):
        return Refusal('%s refused the credentials (status %s)' % (
            where, exc.status), 'check san_login and san_password (a '
            'Unisphere user with the StorageAdmin role)')
    if isinstance(exc, exception.Unavailable):
        return Refusal('%s cannot be reached: %s' % (where, exc.detail or
                                                     exc.status),
                       'check san_ip, san_api_port, the network and that '
                       'Unisphere runs')
    if isinstance(exc, exception.ConfigError):
        return Refusal('%s: %s' % (where, exc.kwargs.get('reason', exc)),
                       'correct the option named above')
    if isinstance(exc, exception.PowerMaxError):
        return Refusal('%s: %s' % (where, exc), 'see the message; '
                       '--debug shows the full error')
    return None


def _missing_options(exc):
    names = ', '.join('OS_' + opt.name.upper().replace('-', '_')
                      for opt in getattr(exc, 'options', ()))
    return Refusal('the Cinder credentials are incomplete: %s not set' % (
        names or 'an option is'), CREDENTIALS_FIX)


def _keystone(exc):
    try:
        from keystoneauth1 import exceptions as ks
    except ImportError:
        return None
    if isinstance(exc, ks.MissingRequiredOptions):
        return _missing_options(exc)
    if isinstance(exc, ks.NoMatchingPlugin):
        return Refusal('OS_AUTH_TYPE %s is not an authentication type' % (
            os.environ.get('OS_AUTH_TYPE'),), 'use password (a Keystone '
            'login) or admin_token')
    if isinstance(exc, (ks.ConnectFailure, ks.ConnectTimeout,
                        ks.SSLError)):
        return Refusal('Cinder\'s API cannot be reached: %s' % exc,
                       'check OS_ENDPOINT or OS_AUTH_URL')
    if isinstance(exc, ks.EndpointNotFound):
        return Refusal('no block-storage endpoint: %s' % exc,
                       'check OS_REGION_NAME and OS_INTERFACE, or give '
                       'OS_ENDPOINT')
    if isinstance(exc, ks.Unauthorized):
        return Refusal('Cinder refused the credentials (%s)' % exc,
                       'check OS_TOKEN, or OS_USERNAME and OS_PASSWORD')
    if isinstance(exc, ks.HttpError):
        return Refusal('Cinder\'s API answered %s %s' % (
            exc.http_status, exc.url or ''), 'check that OS_ENDPOINT is '
            'Cinder\'s volume API (http://<host>:8776/v3)')
    return None


def explain(exc, where='Unisphere'):
    """The :class:`Refusal` for an error, or None for an unforeseen one.

    :param where: what the driver was talking to, for Unisphere's errors
    """
    if isinstance(exc, Refusal):
        return exc
    from oslo_config import cfg
    if isinstance(exc, cfg.Error):
        return Refusal('cinder.conf cannot be read: %s' % exc,
                       'correct the file')
    return _unisphere(exc, where) or _keystone(exc)


def fail(prog, exc, args, out):
    """Say what stopped the command; returns :data:`CANNOT`."""
    refusal = explain(exc) or Refusal(
        '%s: %s' % (type(exc).__name__, exc),
        'run again with --debug and report the traceback')
    if args.debug:
        traceback.print_exc(file=sys.stderr)
    if args.json:
        dump(dict(refusal.as_dict(), exit_status=CANNOT), out)
    else:
        sys.stderr.write('%s: error: %s\n' % (prog, refusal.line()))
    return CANNOT


def main(prog, args, body, out):
    """Run a command's ``body()``: the exit status, whatever happens.

    :param prog: the command's name, for its error line
    :param args: its parsed arguments (``--json``, ``--debug``, ...)
    :param body: does the work, returns the exit status
    """
    quiet(args)
    try:
        return body()
    except Exception as exc:
        return fail(prog, exc, args, out)


def dump(document, out):
    out.write(json.dumps(document, indent=2, sort_keys=True) + '\n')
