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

"""Running the in-tree driver in a process of its own, for tests.

Its options clash with this package's in one process: a test serves the
fake over HTTPS, writes a ``cinder.conf`` for it and runs a module of
``tests.unit`` with ``python -m``, which writes its outcome as JSON.
"""

import json
import os
import subprocess
import sys
import urllib.parse

import fixtures

from tests.bench import drivers
from tools import cinderstack


def sections(test, url, ca_path):
    """The FC and iSCSI backend sections of the in-tree driver.

    As the benchmark runs it: its CA handling is not what is tested.
    """
    found = cinderstack.backend_options(
        test.array, urllib.parse.urlparse(url).port, ca_path,
        test.fake.username, test.fake.password)
    for protocol, backend in drivers.BACKENDS.items():
        found[backend].update(
            volume_driver=drivers.CLASSES['intree'][protocol],
            driver_ssl_cert_verify=False, driver_ssl_cert_path=None)
    return found


def run(test, module, conf_sections, *args, timeout=600):
    """Run ``tests.unit.<module> <conf> <dir> <out> <args...>``.

    :returns: what it wrote to ``<out>``
    """
    workdir = test.useFixture(fixtures.TempDir()).path
    conf_sections = dict(conf_sections)
    conf_sections['DEFAULT'] = {'enabled_backends': [
        name for name in conf_sections if name != 'DEFAULT']}
    conf = cinderstack.write_conf(os.path.join(workdir, 'cinder.conf'),
                                  conf_sections)
    out = os.path.join(workdir, 'out.json')
    # A CA bundle in the environment overrides an unverified session.
    env = {k: v for k, v in os.environ.items()
           if k not in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')}
    done = subprocess.run(
        [sys.executable, '-m', 'tests.unit.' + module, conf, workdir, out] +
        list(args), env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=timeout)
    test.assertEqual(0, done.returncode, done.stdout[-2000:])
    with open(out) as made:
        return json.load(made)
