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

"""Request plumbing shared by the route modules.

A handler receives a :class:`Call` and returns either ``(status, body)``
for a read, or a :class:`Change` whose effect the front runs at once
(synchronous request) or hands to a job (``ASYNCHRONOUS``). Handlers only
parse and serialise; the model enforces the rules.
"""

import typing

from tests.fake_unisphere import errors

ROUTES: typing.List[typing.Tuple[str, typing.Tuple[str, ...],
                                 typing.Callable,
                                 typing.FrozenSet[str]]] = []
TRUE = ('true', 'yes', '1')
FALSE = ('false', 'no', '0')


def route(template: str, *methods: str,
          query: typing.Iterable[str] = ()) -> typing.Callable:
    """Register a handler for a URL template below ``/univmax/restapi``.

    :param query: the query parameters the handler models; the front
        refuses any other (Unisphere answers 400 to one it does not know)
    """
    def register(func: typing.Callable) -> typing.Callable:
        ROUTES.append((template, methods or ('GET',), func,
                       frozenset(query)))
        return func
    return register


class Change:
    """A state change requested by a handler.

    :param sid: the array it applies to
    :param name: the job name shown when asynchronous
    :param link: the resource link of the affected object
    :param effect: callable applying the change, returning the response
        body and the job's task descriptions
    :param status: the status of a synchronous success
    """

    def __init__(self, sid: str, name: str, link: str,
                 effect: typing.Callable[[], typing.Tuple[typing.Any, list]],
                 status: int = 200) -> None:
        self.sid, self.name, self.link = sid, name, link
        self.effect, self.status = effect, status


class Call:
    """One parsed request as handlers see it."""

    def __init__(self, model: typing.Any, args: typing.Any,
                 body: typing.Any, api: int, path: str) -> None:
        self.model = model
        self.args = args
        self.body = body
        self.api = api
        self.path = path

    def array(self, sid: str) -> typing.Any:
        return self.model.array(sid)

    def arg(self, name: str) -> typing.Optional[str]:
        return self.args.get(name)

    def flag(self, name: str) -> typing.Optional[bool]:
        value = self.args.get(name)
        return None if value is None else as_bool(value, name)

    def link(self) -> str:
        return '/univmax/restapi' + self.path


def as_bool(value: typing.Any, name: str = 'value') -> bool:
    """JSON booleans or their string forms ("true", "True", "false")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE + FALSE:
        return value.strip().lower() in TRUE
    raise errors.invalid('%s must be a boolean, not %r' % (name, value))


def as_number(value: typing.Any, name: str = 'value') -> float:
    """JSON numbers or numeric strings."""
    if isinstance(value, bool):
        raise errors.invalid('%s must be a number, not %r' % (name, value))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise errors.invalid('%s must be a number, not %r' % (name, value))


def as_int(value: typing.Any, name: str = 'value') -> int:
    number = as_number(value, name)
    if number != int(number):
        raise errors.invalid('%s must be a whole number, not %r' % (
            name, value))
    return int(number)


def need(body: typing.Any, key: str, kind: type = dict) -> typing.Any:
    """``body[key]``, which must be present and of ``kind`` (else 400)."""
    if not isinstance(body, dict) or key not in body:
        raise errors.invalid('Missing required parameter %s' % key)
    value = body[key]
    if kind is not None and not isinstance(value, kind):
        raise errors.invalid('Parameter %s must be a %s' % (
            key, kind.__name__))
    return value


def known(body: typing.Any, keys: typing.Iterable[str],
          where: str = 'the request') -> None:
    """Refuse fields the API does not describe (400 naming them)."""
    unknown = sorted(set(body or ()) - set(keys))
    if unknown:
        raise errors.invalid('Unknown field(s) %s in %s; valid: %s' % (
            ', '.join(unknown), where, ', '.join(sorted(keys))))


def one_action(body: typing.Any, wrapper: str) -> typing.Tuple[str, dict]:
    """The single action key inside ``body[wrapper]``."""
    actions = need(body, wrapper)
    actions = {k: v for k, v in actions.items() if v is not None}
    if len(actions) != 1:
        raise errors.invalid('%s must hold exactly one action, got %s' % (
            wrapper, sorted(actions) or 'none'))
    key, value = actions.popitem()
    if not isinstance(value, dict):
        raise errors.invalid('%s must be an object' % key)
    return key, value


def id_list(body: dict, key: str) -> typing.List[str]:
    value = need(body, key, None)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) for v in value):
        raise errors.invalid('%s must be a non-empty list of ids' % key)
    return value


def matches(value: typing.Optional[str], wanted: typing.Optional[str]
            ) -> bool:
    """Unisphere filter match: exact, or ``<like>`` substring."""
    if wanted is None:
        return True
    if value is None:
        return False
    if wanted.startswith('<like>'):
        return wanted[len('<like>'):].lower() in value.lower()
    return value == wanted


def names(key: str, values: typing.List[str]) -> dict:
    """A name list; an empty match answers ``{}`` as Unisphere does."""
    return {key: values} if values else {}


def synchronous(body: typing.Any) -> bool:
    option = body.get('executionOption') if isinstance(body, dict) else None
    if option is None:
        return True
    if option not in ('SYNCHRONOUS', 'ASYNCHRONOUS'):
        raise errors.invalid('executionOption must be SYNCHRONOUS or '
                             'ASYNCHRONOUS')
    return option == 'SYNCHRONOUS'
