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

"""Sphinx configuration of the cinder_powermax documentation.

Build with ``tox -e docs``, which runs
``sphinx-build -W --keep-going -b html doc/source doc/build/html``.
The build needs no network: no intersphinx, the default theme. The
benchmark's charts are drawn at the start of the build, with matplotlib,
from ``figures/bench-results.json`` (:mod:`benchcharts`); the other
pictures are committed SVG files in ``figures/``.
"""

import os
import re
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_VERSION = os.path.join(_HERE, '..', '..', 'cinder_powermax', 'version.py')


def _driver_version():
    # Read rather than imported: the version is known even if Cinder is not.
    with open(_VERSION) as source:
        match = re.search(r"^VERSION = '([^']+)'", source.read(),
                          re.MULTILINE)
    return match.group(1) if match else 'unknown'


sys.path.insert(0, _HERE)
import benchcharts  # noqa: E402


def _draw_bench_charts(app):
    benchcharts.draw(os.path.join(_HERE, 'figures', 'bench-results.json'),
                     os.path.join(_HERE, 'figures', 'generated'))


def setup(app):
    app.connect('builder-inited', _draw_bench_charts)


project = 'cinder_powermax'
author = 'cinder_powermax developers'
copyright = '2026, cinder_powermax developers'
release = version = _driver_version()

# oslo_config.sphinxext renders the options of the ``cinder_powermax``
# namespace (setup.cfg, oslo.config.opts) with the show-options directive.
extensions = ['oslo_config.sphinxext']

root_doc = master_doc = 'index'
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
pygments_style = 'sphinx'

html_theme = 'alabaster'
html_title = 'cinder_powermax %s' % release
html_static_path = []
html_theme_options = {
    'description': 'Cinder volume driver for Dell PowerMax and VMAX',
    'fixed_sidebar': True,
}
