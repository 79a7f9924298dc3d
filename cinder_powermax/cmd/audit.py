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
its API with the operator's credentials, as the ``openstack`` command
reads them: ``OS_CLOUD`` (a cloud of ``clouds.yaml``) or the ``OS_*``
variables (a Keystone login, or ``OS_AUTH_TYPE=admin_token`` with
``OS_ENDPOINT`` and ``OS_TOKEN``).

It only reads, unless ``--clean`` is given: then it removes what it listed
(after confirmation, or at once with ``--yes``), taking the locks the
driver takes, so run it where cinder-volume's lock backend is reachable.
"""

import argparse
import os
import sys

from cinder_powermax.cmd import check
from cinder_powermax.cmd import cli

PROG = 'cinder-powermax-audit'
#: The API version that lists volumes and snapshots of every project.
API_VERSION = 'volume 3.0'
PAGE = 1000
NAME_ID = 'os-vol-mig-status-attr:name_id'
#: The driver's TTL of a clone's temporary snapshot (audit.TEMP_TTL_HOURS,
#: not imported here: the driver's modules import Cinder, which warns).
TEMP_TTL_HOURS = 1


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='List what OpenStack left on the PowerMax arrays of a '
                    'cinder.conf, and optionally remove it. Exit status: '
                    '0 nothing found (or all of it removed), 1 findings '
                    'remain, 2 the audit could not run.')
    cli.add_common_arguments(parser)
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
    args = parser.parse_args(argv)
    if args.json and args.clean and not args.yes:
        parser.error('--clean with --json needs --yes: the JSON document '
                     'leaves no room for a question')
    return args


# -- Cinder -------------------------------------------------------------------

def _env_options(loader):
    values = {}
    for opt in loader.get_options():
        value = os.environ.get('OS_' + opt.dest.upper())
        if value:
            values[opt.dest] = value
    return values


def cloud_session(name):
    """A keystoneauth session for cloud ``name`` of a ``clouds.yaml``.

    As the ``openstack`` command reads ``OS_CLOUD``; openstacksdk, which
    it comes with, reads the file.
    """
    try:
        from openstack import config
    except ImportError:
        raise cli.Refusal('OS_CLOUD is set, but openstacksdk, which reads '
                          'clouds.yaml, is not installed',
                          'install python-openstackclient, or unset '
                          'OS_CLOUD and export the OS_* variables')
    try:
        return config.OpenStackConfig().get_one(cloud=name).get_session()
    except Exception as exc:
        raise cli.Refusal('cloud %s of clouds.yaml cannot be used: %s' % (
            name, exc), 'check OS_CLOUD and OS_CLIENT_CONFIG_FILE')


def cinder_session():
    """A keystoneauth session from the ``OS_*`` environment."""
    from keystoneauth1 import loading
    from keystoneauth1 import session

    if os.environ.get('OS_CLOUD'):
        return cloud_session(os.environ['OS_CLOUD'])

    loader = loading.get_plugin_loader(
        os.environ.get('OS_AUTH_TYPE', 'password'))
    values = _env_options(loader)
    try:
        auth = loader.load_from_options(**values)
    except TypeError:
        # Plugins such as admin_token mark no option required and fail
        # on construction instead.
        missing = ', '.join('OS_' + opt.dest.upper()
                            for opt in loader.get_options()
                            if opt.dest not in values)
        raise cli.Refusal('the Cinder credentials are incomplete: %s not '
                          'set' % missing, cli.CREDENTIALS_FIX)
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

    def _read(self, kind):
        try:
            return self._list(kind)
        except ValueError:
            raise cli.Refusal('the endpoint of the block-storage service '
                              'did not answer as Cinder\'s API does',
                              'check that OS_ENDPOINT is Cinder\'s volume '
                              'API (http://<host>:8776/v3)')

    def known(self, serial):
        """What Cinder knows, as :class:`cinder_powermax.audit.Known`."""
        from cinder_powermax import audit

        volumes = self._read('volumes')
        on_array, homes = {}, set()
        # Shown to admins: a migrated volume's device keeps the name of
        # the copy it took over.
        name_ids = {v[NAME_ID]: v['id'] for v in volumes
                    if v.get(NAME_ID) not in (None, v['id'])}
        for volume in volumes:
            pool = str(volume.get('os-vol-host-attr:host') or '')
            if pool.rsplit('#', 1)[-1].split('+')[-1] != serial:
                continue
            on_array[volume['id']] = (volume.get('name') or volume['id'],
                                      volume.get('status'))
            # Empty only while the device is out of it: attached, or
            # left masked (the audit reports that on its own).
            homes.add(audit.home_group(volume.get('metadata') or {}))
        return audit.Known(
            volumes=frozenset(v['id'] for v in volumes),
            snapshots=frozenset(s['id'] for s in self._read('snapshots')),
            on_array=on_array, homes=frozenset(homes - {None}),
            name_ids=name_ids)


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


def _finding(finding):
    return {'kind': finding.kind, 'name': finding.name,
            'detail': finding.detail, 'device': finding.device or None,
            'cleanable': finding.cleanable}


class Backend:
    """The audit of one backend, as its JSON document.

    ``status``: :data:`cli.CLEAN`, :data:`cli.FOUND` or :data:`cli.CANNOT`.
    """

    def __init__(self, name, protocol):
        self.name, self.protocol = name, protocol
        self.doc = {'backend': name, 'array': None, 'findings': [],
                    'removed': []}
        self.status = cli.CLEAN

    def where(self):
        from cinder_powermax import options
        try:
            settings = options.get_backend_settings(
                check.backend_configuration(self.name))
        except Exception:
            return '[%s] Unisphere' % self.name
        return '[%s] Unisphere %s:%s' % (self.name, settings.san_ip,
                                         settings.san_api_port)

    def refused(self, exc):
        refusal = cli.explain(exc, self.where())
        if refusal is None:
            raise exc
        self.doc.update(refusal.as_dict())
        self.status = cli.CANNOT


def audit_backend(backend, cinder, args, out, answer=input, done=None):
    """Audit (and clean) one backend, filling ``backend``'s document.

    :param done: the arrays audited already, to audit each array once
        when several backends share it
    """
    from cinder_powermax import audit
    from cinder_powermax.unisphere import inventory

    context = array_context(backend.name, backend.protocol)
    backend.doc['array'] = context.serial
    done = set() if done is None else done
    if context.serial in done:
        backend.doc['audited_above'] = True
        if not args.json:
            out.write('[%s] array %s: audited above\n' % (
                backend.name, context.serial))
        return
    done.add(context.serial)
    findings = audit.scan(inventory.Inventory(context.sloprov.client,
                                              context.serial),
                          cinder.known(context.serial),
                          temp_ttl_hours=args.temp_ttl)
    backend.doc['findings'] = [_finding(f) for f in findings]
    if not args.json:
        report(backend.name, context.serial, findings, out)
    left = _clean(context, findings, args, out, answer, backend)
    backend.status = cli.FOUND if left else cli.CLEAN


def _clean(context, findings, args, out, answer, backend):
    """Remove what may be removed; returns how many findings remain."""
    from cinder_powermax import audit

    doable = [f for f in findings if f.cleanable]
    if not (args.clean and doable):
        return len(findings)
    if not (args.yes or confirm(len(doable), answer)):
        out.write('  nothing removed\n')
        return len(findings)
    results = audit.clean_all(audit.Cleaner(context, coordination_lock),
                              doable)
    for finding, outcome, ok in results:
        backend.doc['removed'].append(dict(_finding(finding),
                                           outcome=outcome, ok=ok))
        if not args.json:
            out.write('  %-18s %-40s %s\n' % (
                finding.kind, finding.name, outcome))
    gone = sum(1 for _f, outcome, ok in results
               if ok and not outcome.startswith('kept'))
    return len(findings) - gone


def _audit_all(conf, cinder, args, out, answer):
    audited, done = [], set()
    for name, protocol in check.backends(conf, args.backend):
        backend = Backend(name, protocol)
        try:
            audit_backend(backend, cinder, args, out, answer, done)
        except Exception as exc:
            backend.refused(exc)
            if not args.json:
                sys.stderr.write('%s: error: %s; fix: %s\n' % (
                    PROG, backend.doc['error'], backend.doc['fix']))
        audited.append(backend)
    return audited


def run(args, out, cinder, answer):
    conf = check.load_conf(args.config_file)
    cinder = cinder or Cinder(cinder_session())
    if args.clean:
        from cinder import coordination
        coordination.COORDINATOR.start()
    try:
        audited = _audit_all(conf, cinder, args, out, answer)
    finally:
        if args.clean:
            coordination.COORDINATOR.stop()
    status = max(b.status for b in audited)
    if args.json:
        cli.dump({'backends': [b.doc for b in audited],
                  'exit_status': status}, out)
    return status


def main(argv=None, out=sys.stdout, cinder=None, answer=input):
    """Audit the backends.

    :returns: 0 when nothing was found (or all of it was removed), 1 when
        findings remain, 2 when a backend could not be audited (the
        reason printed in one line)
    """
    args = parse_args(argv)
    return cli.main(PROG, args, lambda: run(args, out, cinder, answer), out)


if __name__ == '__main__':
    sys.exit(main())
