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

"""Tests of cinder_powermax and the fake Unisphere they run against."""

import warnings


def quiet_warnings():
    """Keep the libraries' notices out of a test run; ours are errors.

    The deprecations of the libraries Cinder brings (eventlet, WebOb,
    oslo, Cinder itself, alembic's notes on its SQLite migrations) are
    theirs to fix and would repeat in every test; this project's own are
    errors, so that none goes unnoticed. Cinder imports eventlet, whose
    notice is a plain Warning. Cinder's own test base resets the filters
    in every test: its subclasses call this again.
    """
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    warnings.filterwarnings('ignore', category=UserWarning,
                            module='alembic')
    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings('ignore', category=category,
                                module=r'(?!cinder_powermax|tests|tools)')
        warnings.filterwarnings('error', category=category,
                                module=r'(cinder_powermax|tests|tools)\b')


quiet_warnings()
