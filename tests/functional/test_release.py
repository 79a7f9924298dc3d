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

"""The release as a packager makes it: from a ``git archive`` export.

The export has no ``.git``, so pbr cannot ask git for the version or the
file list. An sdist and a wheel are built from it (``python -m build``,
no network: the build tools of this environment), each is installed in
a virtualenv of its own (Cinder and the other requirements are reached
from this environment, as a ``cinder-volume`` host provides them), and
the console scripts are run from there.
"""

import glob
import os
import subprocess
import sys
import sysconfig
import tarfile

import fixtures
from oslotest import base

from tests.functional import test_demo

SCRIPTS = ('cinder-powermax-check', 'cinder-powermax-audit',
           'cinder-powermax-selftest')


def run(*argv, **kwargs):
    env = {k: v for k, v in os.environ.items() if k != 'PBR_VERSION'}
    return subprocess.run(list(argv), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=600, env=env, **kwargs)


class ReleaseTest(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        if run('git', '-C', test_demo.ROOT, 'rev-parse').returncode:
            self.skipTest('not a git checkout: nothing to export')
        self.export = os.path.join(self.tmp, 'export')
        os.mkdir(self.export)
        archive = os.path.join(self.tmp, 'export.tar')
        done = run('git', '-C', test_demo.ROOT, 'archive', '--format=tar',
                   '-o', archive, 'HEAD')
        self.assertEqual(0, done.returncode, done.stdout)
        with tarfile.open(archive) as tar:
            tar.extractall(self.export)
        self.assertFalse(os.path.exists(os.path.join(self.export, '.git')))

    def version(self):
        with open(os.path.join(self.export, 'cinder_powermax',
                               'version.py')) as source:
            return source.read().split("VERSION = '")[1].split("'")[0]

    def venv(self, name):
        """A virtualenv that reaches this environment's requirements."""
        path = os.path.join(self.tmp, name)
        # Without pip, hence without the old setuptools ensurepip brings:
        # the build tools come from this environment, as Cinder does.
        done = run(sys.executable, '-m', 'venv', '--without-pip', path)
        self.assertEqual(0, done.returncode, done.stdout)
        purelib = run(os.path.join(path, 'bin', 'python'), '-c',
                      'import sysconfig; print(sysconfig.get_paths()'
                      '["purelib"])').stdout.strip()
        with open(os.path.join(purelib, 'requirements.pth'), 'w') as pth:
            pth.write(sysconfig.get_paths()['purelib'] + '\n')
        return os.path.join(path, 'bin')

    def install_and_run(self, bindir, artifact):
        done = run(sys.executable, '-m', 'pip', '--python',
                   os.path.join(bindir, 'python'), 'install', '--no-deps',
                   '--no-index', '--no-build-isolation',
                   # This environment's own (editable) install is on the
                   # new one's path too: install regardless of it.
                   '--ignore-installed', artifact)
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertIn('Successfully installed cinder-powermax', done.stdout)
        done = run(os.path.join(bindir, 'python'), '-c',
                   'import importlib.metadata as m, cinder_powermax.version '
                   'as v; print(m.version("cinder-powermax"), v.VERSION, '
                   'v.__file__)', cwd=self.tmp)
        self.assertEqual(0, done.returncode, done.stdout)
        package_version, driver_version, where = done.stdout.split()
        self.assertEqual((self.version(), self.version()),
                         (package_version, driver_version))
        self.assertTrue(where.startswith(os.path.dirname(bindir)), where)
        for script in SCRIPTS:
            done = run(os.path.join(bindir, script), '--help')
            self.assertEqual(0, done.returncode, done.stdout)
            self.assertIn('usage: %s' % script, done.stdout)
        done = run(os.path.join(bindir, 'cinder-powermax-check'),
                   '--config-file', os.path.join(self.tmp, 'none.conf'))
        self.assertEqual(2, done.returncode, done.stdout)
        self.assertIn('none.conf does not exist', done.stdout)

    def test_sdist_and_wheel_from_an_export_install_and_run(self):
        dist = os.path.join(self.tmp, 'dist')
        done = run(sys.executable, '-m', 'build', '--no-isolation',
                   '--sdist', '--wheel', '--outdir', dist, self.export)
        self.assertEqual(0, done.returncode, done.stdout)
        sdist, = glob.glob(os.path.join(dist, '*.tar.gz'))
        wheel, = glob.glob(os.path.join(dist, '*.whl'))
        self.assertIn('-%s' % self.version(), os.path.basename(wheel))
        with tarfile.open(sdist) as tar:
            names = {n.split('/', 1)[1] for n in tar.getnames() if '/' in n}
        for expected in ('LICENSE', 'etc/cinder_powermax.conf.sample',
                         'cinder_powermax/version.py', 'doc/source/index.rst',
                         'releasenotes/source/conf.py', 'setup.cfg'):
            self.assertIn(expected, names)
        self.install_and_run(self.venv('wheel-venv'), wheel)
        self.install_and_run(self.venv('sdist-venv'), sdist)
