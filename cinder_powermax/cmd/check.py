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


"""``cinder-powermax-check``: is this cinder.conf right for the array?

Reads the PowerMax backend sections of a ``cinder.conf`` exactly as the
driver does (oslo.config, a Cinder ``Configuration`` per backend section,
:func:`cinder_powermax.options.get_backend_settings`) and runs the
read-only :mod:`cinder_powermax.preflight` checks against Unisphere,
before cinder-volume is restarted on it. Prints one line per check (OK,
WARN, FAIL or SKIP for "not checked") with the fix for each failure, and
exits 1 when anything failed.
"""

import argparse
import sys

from cinder_powermax.cmd import cli

# The driver's modules import Cinder, which warns at import: they are
# imported in the functions, after main() has silenced the warnings.

PROG = 'cinder-powermax-check'
DRIVER_PREFIX = 'cinder_powermax.'
#: The in-tree drivers the same settings serve (and VMAX-era aliases).
INTREE_PREFIX = 'cinder.volume.drivers.dell_emc.powermax.'


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Check, read-only, the PowerMax backends of a '
                    'cinder.conf against Unisphere and the array. Exit '
                    'status: 0 nothing failed, 1 a check failed, 2 the '
                    'checks could not run.')
    cli.add_common_arguments(parser)
    parser.add_argument('--backend', action='append',
                        help='a backend section to check (repeatable; '
                             'default: every PowerMax backend in '
                             'enabled_backends)')
    return parser.parse_args(argv)


def load_conf(path):
    """Read ``path`` into Cinder's global configuration.

    :returns: ``cfg.CONF``
    :raises Refusal: when the file is missing or unreadable
    """
    cli.require_file(path)
    # Imported here: importing Cinder is slow and warns loudly; the
    # caller has silenced warnings first.
    from cinder.common import config  # noqa: F401 (registers the options)
    from oslo_config import cfg

    from cinder import objects

    cfg.CONF([], project='cinder', default_config_files=[path])
    # As cinder-volume does before it loads the volume manager.
    objects.register_all()
    return cfg.CONF


def backend_configuration(name):
    """The backend's Cinder ``Configuration``, as cinder-volume builds it."""
    from cinder.volume import configuration
    from cinder.volume import manager

    from cinder_powermax import options
    conf = configuration.Configuration(options.powermax_opts,
                                       config_group=name)
    # volume_driver is registered per backend by the volume manager.
    conf.append_config_values(manager.volume_backend_opts)
    return conf


def protocol_of(driver):
    """``'FC'`` or ``'iSCSI'`` from ``volume_driver``; None if not ours."""
    driver = driver or ''
    if not (driver.startswith(DRIVER_PREFIX) or
            driver.startswith(INTREE_PREFIX)):
        return None
    return 'iSCSI' if 'iscsi' in driver.lower() else 'FC'


def backends(conf, wanted):
    """``[(name, protocol)]`` of the PowerMax backends to check.

    :raises Refusal: naming a requested backend that is not in
        ``enabled_backends`` or has another driver, or when there is no
        PowerMax backend
    """
    enabled = list(conf.enabled_backends or ())
    found = []
    for name in wanted or enabled:
        if name not in enabled:
            raise cli.Refusal('backend %s is not in enabled_backends (%s)'
                              % (name, ', '.join(enabled) or 'none'),
                              'name one of enabled_backends with --backend')
        driver = backend_configuration(name).safe_get('volume_driver')
        protocol = protocol_of(driver)
        if protocol is None and wanted:
            raise cli.Refusal('backend %s uses volume_driver %s, not a '
                              'PowerMax driver' % (name, driver),
                              'name a PowerMax backend with --backend')
        if protocol:
            found.append((name, protocol))
    if not found:
        raise cli.Refusal('no PowerMax backend in enabled_backends (%s)' %
                          (', '.join(enabled) or 'none'),
                          'give --config-file the cinder.conf of the '
                          'PowerMax backends')
    return found


def check_backend(name, protocol, client=None):
    """Run the checks of one backend.

    :param name: the backend section
    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param client: a REST client to use instead of the driver's own
    :returns: the list of :class:`cinder_powermax.preflight.Result`
    """
    from cinder_powermax import exception
    from cinder_powermax import options
    from cinder_powermax import preflight

    try:
        settings = options.get_backend_settings(backend_configuration(name))
    except exception.ConfigError as exc:
        return [preflight.result('configuration', preflight.FAIL,
                                 exc.kwargs.get('reason', exc),
                                 'correct the option named above in [%s]'
                                 % name)]
    return list(preflight.Preflight(settings, protocol, client).run())


def report(name, protocol, results, out):
    """Print one backend's results as a table.

    :returns: how many checks failed
    """
    from cinder_powermax import preflight

    width = max(len(r.check) for r in results)
    out.write('[%s] %s driver\n' % (name, protocol))
    for found in results:
        out.write('  %-4s  %s  %s\n' % (found.status, found.check.ljust(
            width), found.detail))
        if found.fix:
            out.write('  %s  %s  fix: %s\n' % (' ' * 4, ' ' * width,
                                               found.fix))
    failed = sum(1 for r in results if r.status == preflight.FAIL)
    out.write('  %s\n\n' % ('%d check(s) FAILED' % failed if failed
                            else 'no failure'))
    return failed


def as_dict(name, protocol, results):
    """One backend's results for ``--json``."""
    from cinder_powermax import preflight

    return {'backend': name, 'protocol': protocol,
            'failed': sum(1 for r in results if r.status == preflight.FAIL),
            'checks': [{'check': r.check, 'status': r.status,
                        'detail': r.detail, 'fix': r.fix} for r in results]}


def run(args, out, client):
    conf = load_conf(args.config_file)
    found = [as_dict(name, protocol, check_backend(name, protocol, client))
             for name, protocol in backends(conf, args.backend)]
    status = cli.FOUND if any(b['failed'] for b in found) else cli.CLEAN
    if args.json:
        cli.dump({'backends': found, 'exit_status': status}, out)
        return status
    from cinder_powermax import preflight
    for backend in found:
        report(backend['backend'], backend['protocol'],
               [preflight.Result(**c) for c in backend['checks']], out)
    return status


def main(argv=None, out=sys.stdout, client=None):
    """Check the backends.

    :returns: 0 when nothing failed, 1 when a check failed, 2 when the
        checks could not run (the reason printed in one line)
    """
    args = parse_args(argv)
    return cli.main(PROG, args, lambda: run(args, out, client), out)


if __name__ == '__main__':
    sys.exit(main())
