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


"""``cinder-powermax-selftest``: does the driver work on this array?

Runs :class:`cinder_powermax.selftest.SelfTest` on one backend of a
``cinder.conf``: the driver, loaded from the backend's ``volume_driver``
as cinder-volume loads it, creates, snapshots, clones, extends, attaches
(with ``--initiator``), replicates (with a ``replication_device``) and
deletes volumes of its own on the array, then checks that nothing of its
own is left. It prints a table of the steps with their Unisphere requests
and seconds (``--json``: one document). It changes the array, so it asks
first (``--yes`` does not). Exit status: 0 every step passed and nothing
is left, 1 a step failed or something is left, 2 it could not start.
"""

import argparse
import sys

from cinder_powermax.cmd import check
from cinder_powermax.cmd import cli

PROG = 'cinder-powermax-selftest'


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Run a short lifecycle of volumes on the array of one '
                    'PowerMax backend, clean up, and report each step. '
                    'Exit status: 0 passed, 1 a step failed or something '
                    'is left, 2 it could not start.')
    cli.add_common_arguments(parser)
    parser.add_argument('--backend', required=True,
                        help='the backend section to test')
    parser.add_argument('--initiator', metavar='WWN|IQN',
                        help='also attach to and detach from this host '
                             'initiator (zoned, or logged in, to the '
                             'backend\'s port group)')
    parser.add_argument('--yes', action='store_true',
                        help='do not ask before changing the array')
    args = parser.parse_args(argv)
    if args.json and not args.yes:
        parser.error('--json needs --yes: the JSON document leaves no room '
                     'for a question')
    return args


def confirm(args, serial, answer=input):
    if args.yes:
        return True
    try:
        reply = answer('Create and delete test volumes (OS-5e1f7e57-...) on '
                       'array %s through backend %s? [yes/no] ' % (
                           serial, args.backend))
    except EOFError:
        return False
    return reply.strip().lower() in ('y', 'yes')


def build_driver(name):
    """The backend's driver, constructed as cinder-volume constructs it.

    :returns: (driver, protocol)
    """
    from oslo_utils import importutils

    conf = check.backend_configuration(name)
    driver_path = conf.safe_get('volume_driver')
    protocol = check.protocol_of(driver_path)
    if protocol is None or not driver_path.startswith(check.DRIVER_PREFIX):
        raise cli.Refusal('backend %s uses volume_driver %s, not this '
                          'package\'s driver' % (name, driver_path),
                          'name a backend whose volume_driver is '
                          'cinder_powermax.fc.PowerMaxFCDriver or '
                          'cinder_powermax.iscsi.PowerMaxISCSIDriver')
    return importutils.import_object(driver_path, configuration=conf), \
        protocol


def report(test, out):
    width = max(len(s.name) for s in test.steps)
    out.write('%s  result  REST calls  seconds\n' % 'step'.ljust(width))
    for step in test.steps:
        out.write('%s  %-6s  %10d  %7.2f%s\n' % (
            step.name.ljust(width), 'ok' if step.ok else 'FAILED',
            step.calls, step.seconds,
            '  %s' % step.detail if step.detail else ''))
    out.write('%s: %d steps, %d REST calls, %.1f s\n' % (
        'PASSED' if test.passed else 'FAILED', len(test.steps),
        sum(s.calls for s in test.steps),
        sum(s.seconds for s in test.steps)))


def as_dict(test, args, status):
    return {'backend': args.backend, 'protocol': test.protocol,
            'initiator': args.initiator, 'passed': test.passed,
            'left_behind': test.left, 'exit_status': status,
            'steps': [{'step': s.name, 'ok': s.ok, 'calls': s.calls,
                       'seconds': round(s.seconds, 3), 'detail': s.detail}
                      for s in test.steps]}


def run(args, out, answer):
    from cinder import coordination

    from cinder_powermax import options
    from cinder_powermax import selftest

    check.backends(check.load_conf(args.config_file), [args.backend])
    driver, protocol = build_driver(args.backend)
    settings = options.get_backend_settings(driver.configuration)
    try:
        test = selftest.SelfTest(driver, protocol, args.initiator)
    except ValueError as exc:
        raise cli.Refusal(str(exc), 'give --initiator a WWPN for an FC '
                          'backend, an IQN for an iSCSI one')
    if not confirm(args, settings.array, answer):
        out.write('nothing done\n')
        return cli.CLEAN
    # The driver's locks, on cinder-volume's lock backend ([coordination]
    # of the same cinder.conf), so a running service and the self-test
    # never edit one object at once.
    started_here = not coordination.COORDINATOR.started
    coordination.COORDINATOR.start()
    try:
        test.run()
    finally:
        if started_here:
            coordination.COORDINATOR.stop()
    status = cli.CLEAN if test.passed else cli.FOUND
    if args.json:
        cli.dump(as_dict(test, args, status), out)
    else:
        report(test, out)
    return status


def main(argv=None, out=sys.stdout, answer=input):
    """Run the self-test; returns the exit status."""
    args = parse_args(argv)
    return cli.main(PROG, args, lambda: run(args, out, answer), out)


if __name__ == '__main__':
    sys.exit(main())
