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

"""Sphinx configuration of the cinder_powermax release notes.

Build with ``tox -e releasenotes``. reno collects the notes of
``releasenotes/notes/`` from git's history (a note is released with the
first tag that contains it; notes after the last tag are "unreleased").
"""

project = 'cinder_powermax release notes'
author = 'cinder_powermax developers'
copyright = '2026, cinder_powermax developers'
release = version = ''

extensions = ['reno.sphinxext']
root_doc = master_doc = 'index'
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
pygments_style = 'sphinx'
html_theme = 'alabaster'
html_static_path = []
