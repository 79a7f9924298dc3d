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

"""Refusals of the fake array, with Unisphere's status codes and messages.

Status codes: 400 for a malformed or invalid request, 404 for a missing
object, 409 for "already exists" and for operations the current state of
an object forbids (in use, in a view, in a FAST group...).
"""

import re
import typing

NAME_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')


class ArrayError(Exception):
    """A refusal, with the status and message Unisphere answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def invalid(message: str) -> ArrayError:
    return ArrayError(400, message)


def conflict(message: str) -> ArrayError:
    return ArrayError(409, message)


def not_found(kind: str, name: str = '') -> ArrayError:
    detail = ' %s' % name if name else ''
    return ArrayError(404, 'The requested %s resource%s cannot be found' % (
        kind, detail))


def check_name(kind: str, name: typing.Any) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise invalid('The %s name %r is not valid: 1-64 characters of '
                      'A-Z, a-z, 0-9, _ and -' % (kind, name))
    return name
