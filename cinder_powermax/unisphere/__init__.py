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

"""The Unisphere for PowerMax API, one module per category.

Unisphere groups its resources by category (``system``,
``sloprovisioning``, ``replication``), and so does this package, as Dell's
own SDK does. Each class is bound to one array serial and has one method
per call the driver makes: it builds the URL and the payload and returns
the decoded answer. Nothing here decides *whether* to make a call (that is
the domain layer's job) and nothing here knows Cinder; the transport is
:mod:`cinder_powermax.rest`.
"""

ASYNC = {'executionOption': 'ASYNCHRONOUS'}
#: Unisphere's substring filter on names and identifiers.
LIKE = '<like>'


class Category:
    """Calls of one Unisphere category on one array.

    :param client: the :class:`cinder_powermax.rest.RestClient`
    :param serial: the array serial the calls act on
    """

    CATEGORY = ''

    def __init__(self, client, serial):
        self.client = client
        self.serial = serial

    def path(self, *parts, private=False, array=True):
        """The versioned path of a resource of this category's array."""
        return self.client.path(self.CATEGORY,
                                self.serial if array else None, *parts,
                                private=private)


def ids(values):
    """Device, initiator or group ids as the strings Unisphere expects."""
    return [str(v) for v in values]
