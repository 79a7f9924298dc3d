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

"""The demo and the sandbox, run as README tells an operator to.

``python -m tools.demo`` is README's main job: its tour must end with
exit status 0 and no debris. ``--sandbox`` must print an environment with
which the ``openstack`` command works, and stop cleanly on Ctrl-C.
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading

from oslotest import base

from tests.functional import test_openstack_cli

#: The shapes of the tour's lines: progress, headings, commands, Nova's
#: steps (shell comments), answers (indented), the array's holdings and
#: the result. Python warnings and log lines (shown with --verbose only)
#: fit none of them.
TOUR_LINE = re.compile(r'^(|[A-Z][^:]* \.\.\.|== .+|\$ .+|# \(Nova\) .+|'
                       r'  .+|array \d{12} now holds:( nothing)?|'
                       r'Cinder API on .+|every step succeeded .+)$')
NOISE = re.compile(r'Warning|warnings\.warn|DEBUG|INFO|ERROR|Traceback')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def clean_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(('OS_', 'CINDER_'))}


def exported(output):
    """``{name: value}`` of the printed ``export`` lines, as read by sh."""
    found = {}
    for line in output.splitlines():
        if line.startswith('  export '):
            name, _sep, value = shlex.split(line)[1].partition('=')
            found[name] = value
    return found


def pasted(line, env):
    """Run a printed command line as a shell runs it when pasted."""
    return subprocess.run(
        ['bash', '-c', line], env=dict(clean_env(), **env,
                                       PATH=os.path.dirname(sys.executable) +
                                       os.pathsep + os.environ['PATH']),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=120)


class DemoTest(base.BaseTestCase):

    def test_tour(self):
        done = subprocess.run(
            [sys.executable, '-m', 'tools.demo'], cwd=ROOT,
            env=clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
        self.assertEqual(0, done.returncode, done.stdout)
        for expected in ('$ openstack volume create --size 1 --type gold '
                         'vol-a',
                         "--property 'replication_enabled=<is> True'",
                         '# (Nova) detach vol-b from server',
                         '(Cinder told Nova: volume-extended for server',
                         'DiamodNONE, not DiamondNONE',
                         'NONE and None both mean',
                         '  masking view   what makes devices visible',
                         'array 000197800123 now holds: nothing',
                         'masking view OS-compute-1-F-OS-fibre-PG-MV',
                         'masking view OS-compute-2-I-OS-iscsi-PG-MV',
                         "host I/O limits {'host_io_limit_io_sec': '500'",
                         'every step succeeded and the array holds no '
                         'debris'):
            self.assertIn(expected, done.stdout)
        self.assertTourAlone(done.stdout)
        self.assertPastable(done.stdout)

    def assertPastable(self, output):
        """Every command printed is one a shell reads as the tour meant.

        The tour prints each command from its arguments, quoted; a
        shell must split it back into the same arguments, with nothing
        it would expand (``<``, ``$``, globs) left unquoted.
        """
        commands = [line[2:] for line in output.splitlines()
                    if line.startswith('$ ')]
        self.assertGreater(len(commands), 20)
        for line in commands:
            argv = shlex.split(line)
            self.assertIn(argv[0], ('openstack', 'cinder'), line)
            self.assertEqual(line, shlex.join(argv))
            done = subprocess.run(['bash', '-n', '-c', line],
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT,
                                  universal_newlines=True)
            self.assertEqual(0, done.returncode, line + done.stdout)

    def assertTourAlone(self, output):
        """Nothing but the tour: no warnings, no log lines."""
        lines = output.splitlines()
        self.assertEqual([], [line for line in lines
                              if not TOUR_LINE.match(line)])
        self.assertEqual([], [line for line in lines if NOISE.search(line)])

    def test_sandbox_serves_the_openstack_command(self):
        sandbox = subprocess.Popen(
            [sys.executable, '-m', 'tools.demo', '--sandbox', '--port', '0'],
            cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)
        self.addCleanup(sandbox.kill)
        timer = threading.Timer(300, sandbox.kill)
        timer.start()
        self.addCleanup(timer.cancel)
        printed = []
        for line in sandbox.stdout:
            printed.append(line)
            if 'press Ctrl-C' in line:
                break
        output = ''.join(printed)
        env = exported(output)
        self.assertIn('OS_CLOUD', env, output)
        self.assertIn('CINDER_ENDPOINT', env, output)
        self.assertIsNone(NOISE.search(output), output)
        self.assertIn('powermax_fc replicates to array 000197800124', output)
        self.assertIn('replication_device_backend_id=metro: Metro over RDF '
                      'group 23_24_009', output)
        self.assertIn('powermax_iscsi does not replicate', output)
        # The openrc it wrote is the same environment.
        openrc = re.search(r'\(or: \. (\S+)\)', output).group(1)
        with open(openrc) as lines:
            self.assertEqual(env, exported(''.join(
                '  ' + line for line in lines)))

        def openstack(*args):
            done = subprocess.run(
                [test_openstack_cli.openstack_command()] + list(args) +
                ['-f', 'json'], env=dict(clean_env(), **env),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                universal_newlines=True, timeout=120)
            self.assertEqual(0, done.returncode, done.stderr)
            return json.loads(done.stdout) if done.stdout.strip() else None

        services = openstack('volume', 'service', 'list')
        self.assertEqual({('cinder-scheduler', 'up'),
                          ('cinder-volume', 'up')},
                         {(s['Binary'], s['State']) for s in services})
        self.assertEqual(3, len(services))
        # The examples it printed, pasted into a shell: types, volumes,
        # a replicated one, and the cinder command.
        self.assertPrintedExamplesRun(output, env)
        self.assertEqual({('vol-1', 'available'), ('vol-rep', 'available')},
                         {(v['Name'], v['Status'])
                          for v in self.wait_created(openstack)})

        # Stopped, the sandbox reports what the operator left (the
        # volumes) and where Cinder's log is kept.
        sandbox.send_signal(signal.SIGINT)
        rest = sandbox.stdout.read()
        self.assertEqual(0, sandbox.wait(60), output + rest)
        self.assertIn('== Sandbox stopped', rest)
        self.assertRegex(rest, r'volumes \d{5}')
        log = re.search(r"Cinder's log is kept in (\S+)", rest).group(1)
        self.addCleanup(os.remove, log)
        with open(log) as kept:
            self.assertIn('cinder.volume.manager', kept.read())

    def assertPrintedExamplesRun(self, output, env):
        """The examples printed run as pasted, cinder ones included."""
        examples = output[output.index('Then, for example:'):]
        lines = [line.strip() for line in examples.splitlines()
                 if line.startswith('  openstack ') or
                 line.startswith('  cinder ')]
        self.assertIn("--property 'replication_enabled=<is> True'",
                      '\n'.join(lines))
        self.assertIn('cinder list', lines)
        for line in lines:
            done = pasted(line, env)
            self.assertEqual(0, done.returncode, line + '\n' + done.stdout)

    def wait_created(self, openstack):
        for _attempt in range(60):
            volumes = openstack('volume', 'list')
            if all(v['Status'] != 'creating' for v in volumes):
                return volumes
        self.fail('the volume stayed creating: %s' % volumes)
