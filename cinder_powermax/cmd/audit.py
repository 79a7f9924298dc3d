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


"""``cinder-powermax-audit``: what has OpenStack left on the array?

Lists, for each PowerMax backend of a ``cinder.conf``, the OpenStack
objects on its array that Cinder no longer knows (devices, SnapVX
snapshots, temporary snapshots past their time to live, empty storage
groups, masking views that expose nothing, initiator groups in no view)
and the volumes Cinder has that the array lacks. Cinder is asked through
its API with the operator's credentials, the ``OS_*`` variables the
``openstack`` command reads (a Keystone login, or ``OS_AUTH_TYPE=
admin_token`` with ``OS_ENDPOINT`` and ``OS_TOKEN``).

It only reads, unless ``--clean`` is given: then it removes what it listed
(after confirmation, or at once with ``--yes``), taking the locks the
driver takes, so run it where cinder-volume's lock backend is reachable.
"""

import argparse
import logging
import os
import sys
import warnings

from cinder_powermax.cmd import check

#: The API version that lists volumes and snapshots of every project.
API_VERSION = 'volume 3.0'
PAGE = 1000
#: The driver's TTL of a clone's temporary snapshot (audit.TEMP_TTL_HOURS,
#: not imported here: the driver's modules import Cinder, which warns).
TEMP_TTL_HOURS = 1


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='cinder-powermax-audit',
        description='List what OpenStack left on the PowerMax arrays of a '
                    'cinder.conf, and optionally remove it.')
    parser.add_argument('--config-file', default='/etc/cinder/cinder.conf',
                        help='the cinder.conf to read (default: '
                             '%(default)s)')
    parser.add_argument('--backend', action='append',
                        help='a backend section to audit (repeatable; '
                             'default: every PowerMax backend)')
    parser.add_argument('--temp-ttl', type=float,
                        default=TEMP_TTL_HOURS, metavar='HOURS',
                        help='age from which a temporary snapshot is '
                             'debris (default: %(default)s)')
    parser.add_argument('--clean', action='store_true',
                        help='remove what is listed, after confirmation')
    parser.add_argument('--yes', action='store_true',
                        help='with --clean: do not ask')
    parser.add_argument('--verbose', action='store_true',
                        help='show the driver\'s log messages too')
    return parser.parse_args(argv)


# -- Cinder -------------------------------------------------------------------

def _env_options(loader):
    values = {}
    for opt in loader.get_options():
        value = os.environ.get('OS_' + opt.dest.upper())
        if value:
            values[opt.dest] = value
    return values


def cinder_session():
    """A keystoneauth session from the ``OS_*`` environment."""
    from keystoneauth1 import loading
    from keystoneauth1 import session

    loader = loading.get_plugin_loader(
        os.environ.get('OS_AUTH_TYPE', 'password'))
    auth = loader.load_from_options(**_env_options(loader))
    verify = os.environ.get('OS_CACERT') or not os.environ.get(
        'OS_INSECURE', '').lower() in ('1', 'true', 'yes')
    return session.Session(auth=auth, verify=verify)


class Cinder:
    """The two lists the audit needs from Cinder's API, every project's.

    :param sess: a keystoneauth session
    """

    def __init__(self, sess):
        self.session = sess
        self.endpoint = {'service_type': 'block-storage',
                         'interface': os.environ.get('OS_INTERFACE',
                                                     'public'),
                         'region_name': os.environ.get('OS_REGION_NAME')}

    def _list(self, kind):
        found = []
        url = '/%s/detail?all_tenants=1&limit=%d' % (kind, PAGE)
        while url:
            answer = self.session.get(
                url, endpoint_filter=self.endpoint,
                headers={'OpenStack-API-Version': API_VERSION}).json()
            found += answer.get(kind) or []
            url = next((link['href'] for link in answer.get(
                kind + '_links') or () if link.get('rel') == 'next'), None)
        return found

    def known(self, serial):
        """What Cinder knows, as :class:`cinder_powermax.audit.Known`."""
        from cinder_powermax import audit

        volumes = self._list('volumes')
        on_array = {}
        for volume in volumes:
            pool = str(volume.get('os-vol-host-attr:host') or '')
            if pool.rsplit('#', 1)[-1].split('+')[-1] == serial:
                on_array[volume['id']] = (volume.get('name') or volume['id'],
                                          volume.get('status'))
        return audit.Known(
            volumes=frozenset(v['id'] for v in volumes),
            snapshots=frozenset(s['id'] for s in self._list('snapshots')),
            on_array=on_array)


# -- the array ----------------------------------------------------------------

def array_context(name, protocol):
    """The backend's array context, connected as the driver connects."""
    from cinder_powermax import arrays
    from cinder_powermax import options

    settings = options.get_backend_settings(check.backend_configuration(name))
    return arrays.Arrays(arrays.connect(settings), settings,
                         protocol).get()


def coordination_lock(name):
    """The driver's coordination lock ``name``."""
    from cinder import coordination
    return coordination.COORDINATOR.get_lock(name)


def report(name, serial, findings, out):
    out.write('[%s] array %s: %s\n' % (name, serial, '%d finding(s)' % len(
        findings) if findings else 'nothing left behind'))
    for finding in findings:
        out.write('  %-18s %-40s %s%s\n' % (
            finding.kind, finding.name, finding.detail,
            '' if finding.cleanable else ' [not cleaned]'))


def confirm(count, answer=input):
    try:
        reply = answer('Remove these %d object(s) from the array? '
                       '[yes/no] ' % count)
    except EOFError:
        return False
    return reply.strip().lower() in ('y', 'yes')


def audit_backend(name, protocol, cinder, args, out, answer=input,
                  done=None):
    """Audit (and clean) one backend; True when nothing failed.

    :param done: the arrays audited already, to audit each array once
        when several backends share it
    """
    from cinder_powermax import audit
    from cinder_powermax.unisphere import inventory

    context = array_context(name, protocol)
    done = set() if done is None else done
    if context.serial in done:
        out.write('[%s] array %s: audited above\n' % (name, context.serial))
        return True
    done.add(context.serial)
    findings = audit.scan(inventory.Inventory(context.sloprov.client,
                                              context.serial),
                          cinder.known(context.serial),
                          temp_ttl_hours=args.temp_ttl)
    report(name, context.serial, findings, out)
    doable = [f for f in findings if f.cleanable]
    if not (args.clean and doable):
        return True
    if not (args.yes or confirm(len(doable), answer)):
        out.write('  nothing removed\n')
        return True
    results = audit.clean_all(audit.Cleaner(context, coordination_lock),
                              doable)
    for finding, outcome, _ok in results:
        out.write('  %-18s %-40s %s\n' % (finding.kind, finding.name,
                                          outcome))
    return all(ok for _f, _o, ok in results)


def _quiet(verbose):
    if verbose:
        logging.basicConfig(level=logging.DEBUG)
        return
    warnings.simplefilter('ignore')
    logging.getLogger().addHandler(logging.NullHandler())


def main(argv=None, out=sys.stdout, cinder=None, answer=input):
    """Audit the backends; 1 when a removal failed, else 0."""
    args = parse_args(argv)
    _quiet(args.verbose)
    conf = check.load_conf(args.config_file)
    cinder = cinder or Cinder(cinder_session())
    if args.clean:
        from cinder import coordination
        coordination.COORDINATOR.start()
    try:
        done = set()
        ok = all([audit_backend(name, protocol, cinder, args, out, answer,
                                done)
                  for name, protocol in check.backends(conf, args.backend)])
    finally:
        if args.clean:
            coordination.COORDINATOR.stop()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
