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

"""The benchmark: this driver and the in-tree driver against the fake.

``python -m tests.bench`` (``tox -e bench``) runs each driver in its own
subprocess against its own fake Unisphere with the same latency model and
the same workload, then prints both drivers' figures side by side with the
ratios ours/in-tree and writes them to a JSON file. See
``doc/source/performance.rst``. It asserts nothing about time and is not
part of the unit suite.
"""
