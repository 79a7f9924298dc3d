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

"""Dell's OpenAPI description of Unisphere 10.0, read by the tests.

The contract check (:mod:`tests.fake_unisphere.contract`) judges every
exchange; these helpers let a test read what the description says of a
schema (its fields, its enumerations). The description is found as the
contract check finds it; tests that need it are skipped without it.
"""

import functools
import re

import testtools
import yaml

from tests.fake_unisphere import contract

ENUM_IN_TEXT = re.compile(r'\* \*\*([^*]+)\*\*')


@functools.lru_cache(maxsize=1)
def spec():
    with open(contract.spec_path()) as stream:
        return yaml.load(stream, Loader=getattr(yaml, 'CSafeLoader',
                                                yaml.SafeLoader))


def needed(test):
    """Skip ``test`` when the description is not available."""
    return testtools.skipUnless(contract.spec_path() is not None,
                                'the Unisphere OpenAPI description (%s) is '
                                'not available' % contract.SPEC_NAME)(test)


def properties(schema):
    """The field names of a ``components/schemas`` entry."""
    return set(spec()['components']['schemas'][schema].get('properties')
               or ())


def required(schema):
    return set(spec()['components']['schemas'][schema].get('required')
               or ())


def enum(schema, field):
    """The enumerated values of a field (of its items, for a list).

    Some fields list them only in their description ("Enumeration
    values: * **A** * **B**").
    """
    found = spec()['components']['schemas'][schema]['properties'][field]
    values = found.get('enum') or found.get('items', {}).get('enum')
    return set(values or ENUM_IN_TEXT.findall(found.get('description', '')))


def operation(template, method):
    return spec()['paths'][template][method.lower()]
