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

import os
import re

import setuptools

_HERE = os.path.dirname(os.path.abspath(__file__))


def _version():
    # Read, not imported: the package's __init__ may need what is not
    # installed yet when this runs.
    with open(os.path.join(_HERE, 'cinder_powermax', 'version.py')) as src:
        return re.search(r"^VERSION = '([^']+)'", src.read(),
                         re.MULTILINE).group(1)


# pbr would derive a version from git tags, which a "git archive" export
# or a tarball of the tree lacks, and which would differ from the version
# the driver reports. PBR_VERSION is pbr's documented override: the
# package carries the driver's version, with or without git.
os.environ.setdefault('PBR_VERSION', _version())

setuptools.setup(setup_requires=['pbr>=2.0.0'], pbr=True)
