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

"""The one version of the package and of the driver.

``setup.py`` gives it to pbr as the package's version and the driver
reports it as its ``VERSION``, so ``pip show cinder-powermax`` and the
driver's start-up log say the same thing. It changes with each release,
together with a release note (``releasenotes/notes/``). It imports
nothing, so any layer reads it without importing the driver.
"""

VERSION = '1.0.0'
