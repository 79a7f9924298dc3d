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

"""Pure helpers of the PowerMax driver: extra specs, QoS, locations, sizes.

Nothing here does I/O; the names of things on the array are in
:mod:`cinder_powermax.naming`. Invalid input raises
:class:`cinder_powermax.exception.InvalidSpec` naming the key, the value
and what would have been valid.
"""

import ast
from concurrent import futures
import re
import typing

from cinder_powermax import exception
from cinder_powermax.i18n import _

_ARRAY_SUFFIX = re.compile(r'(\d+)$')

QOS_IOPS = 'total_iops_sec'
QOS_BYTES = 'total_bytes_sec'
QOS_DISTRIBUTION = 'DistributionType'
HOST_IO_LIMIT_IOPS = 'host_io_limit_io_sec'
HOST_IO_LIMIT_MBPS = 'host_io_limit_mb_sec'
DYNAMIC_DISTRIBUTION = 'dynamicDistribution'
NO_LIMIT = 'NOLIMIT'
DISTRIBUTION_TYPES = ('Never', 'OnFailure', 'Always')
IOPS_MIN, IOPS_MAX = 100, 100000
MIB = 1024 * 1024
MBPS_MIN, MBPS_MAX = 1, 100000


def invalid(key, value, reason):
    """The InvalidSpec error for ``value`` of ``key``."""
    return exception.InvalidSpec(key=key, value=value, reason=reason)


# -- extra specs and QoS ------------------------------------------------------

def _bool_text(value):
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith('<is>'):
        text = text[len('<is>'):].strip()
    return text.lower()


def is_true(value) -> bool:
    """Whether an extra spec value means True.

    :param value: True, ``True``, ``true``, ``<is> True`` or ``<is> true``
        (any case, surrounding spaces ignored) mean True
    :returns: True for those values, False for anything else
    """
    if isinstance(value, bool):
        return value
    return _bool_text(value) == 'true'


def is_false(value) -> bool:
    """Whether an extra spec value is a spelling of False."""
    if isinstance(value, bool):
        return not value
    return _bool_text(value) == 'false'


def _to_int(key, value, reason):
    # bool is an int subclass; True must not pass as 1.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r'\s*\+?\d+\s*', value):
        return int(value)
    raise invalid(key, value, reason)


def _iops_limit(value):
    # The array sets host I/O limits in steps of 100 IO/s; refusing other
    # values here keeps the request from failing half-way on the array.
    reason = _('a multiple of 100 from %(min)d to %(max)d IO/s is '
               'required') % {'min': IOPS_MIN, 'max': IOPS_MAX}
    iops = _to_int(QOS_IOPS, value, reason)
    if not IOPS_MIN <= iops <= IOPS_MAX or iops % IOPS_MIN:
        raise invalid(QOS_IOPS, value, reason)
    return iops


def _mbps_limit(value):
    reason = _('an integer from %(min)d (%(min_mb)d MiB/s) to %(max)d '
               '(%(max_mb)d MiB/s) bytes per second is required') % {
        'min': MBPS_MIN * MIB, 'min_mb': MBPS_MIN,
        'max': MBPS_MAX * MIB, 'max_mb': MBPS_MAX}
    rate = _to_int(QOS_BYTES, value, reason)
    if not MBPS_MIN * MIB <= rate <= MBPS_MAX * MIB:
        raise invalid(QOS_BYTES, value, reason)
    # The array takes whole MiB/s; round up so a limit is never tightened
    # below what the operator asked for.
    return -(-rate // MIB)


def distribution_type(value: str) -> str:
    """Normalise a ``DistributionType`` QoS spec.

    :param value: ``Never``, ``OnFailure`` or ``Always`` in any case
    :returns: the value spelled as Unisphere expects it
    :raises InvalidSpec: for any other value
    """
    for valid in DISTRIBUTION_TYPES:
        if isinstance(value, str) and value.strip().lower() == valid.lower():
            return valid
    raise invalid(QOS_DISTRIBUTION, value, _('expected one of %s') %
                  ', '.join(DISTRIBUTION_TYPES))


def qos_limits(qos_specs: typing.Optional[dict]) -> dict:
    """The host I/O limits a back-end QoS spec asks for.

    ``total_iops_sec`` (100-100000) becomes ``host_io_limit_io_sec``;
    ``total_bytes_sec`` (1 MiB-100000 MiB) becomes ``host_io_limit_mb_sec``
    in whole MiB/s, rounded up; ``DistributionType`` becomes
    ``dynamicDistribution``. A distribution type only shapes a limit, so
    without either limit it is validated and then ignored (seed QoS use
    case 4: no change). Other keys (front-end limits) are ignored.

    :param qos_specs: the ``specs`` dict of a back-end QoS spec, or None
    :returns: the ``setHostIOLimitsParam`` keys and values; {} for none
    :raises InvalidSpec: for a non-integer or out-of-range limit or an
        unknown distribution type
    """
    specs = qos_specs or {}
    limits = {}
    if specs.get(QOS_IOPS) is not None:
        limits[HOST_IO_LIMIT_IOPS] = _iops_limit(specs[QOS_IOPS])
    if specs.get(QOS_BYTES) is not None:
        limits[HOST_IO_LIMIT_MBPS] = _mbps_limit(specs[QOS_BYTES])
    if specs.get(QOS_DISTRIBUTION) is not None:
        dynamic = distribution_type(specs[QOS_DISTRIBUTION])
        if limits:
            limits[DYNAMIC_DISTRIBUTION] = dynamic
    return limits


def _current_limit(value):
    # Unisphere reports limits as strings and "no limit" as NoLimit, a
    # missing key or a missing hostIOLimit; all but a number mean no limit.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def qos_changes(current_host_io_limit: typing.Optional[dict],
                wanted: typing.Optional[dict]) -> dict:
    """The host I/O limit keys that must be sent to reach ``wanted``.

    Only keys present in ``wanted`` are considered, so a limit the QoS
    spec does not mention is left as the array has it. A distribution type
    change is sent even when both limits already match (seed QoS use
    case 3), unlike the in-tree driver.

    :param current_host_io_limit: the storage group's ``hostIOLimit``
        object from Unisphere (string values), or None when it has none
    :param wanted: the output of :func:`qos_limits`
    :returns: the subset of ``wanted`` that differs; {} when nothing does
    """
    current = current_host_io_limit or {}
    changes = {}
    for key, value in (wanted or {}).items():
        have = current.get(key)
        if key == DYNAMIC_DISTRIBUTION:
            same = (isinstance(have, str)
                    and have.strip().lower() == str(value).lower())
        else:
            same = _current_limit(have) == value
        if not same:
            changes[key] = value
    return changes


def qos_replacement(current_host_io_limit: typing.Optional[dict],
                    wanted: typing.Optional[dict]) -> dict:
    """The keys that make a group's limits exactly ``wanted``.

    Unlike :func:`qos_changes`, a limit ``wanted`` lacks is removed
    (``NOLIMIT``): a retype replaces the old type's QoS.

    :returns: the ``setHostIOLimitsParam`` keys to send; {} when none
    """
    wanted = dict(wanted or {})
    current = current_host_io_limit or {}
    changes = qos_changes(current, wanted)
    for key in (HOST_IO_LIMIT_IOPS, HOST_IO_LIMIT_MBPS):
        if key not in wanted and _current_limit(current.get(key)):
            changes[key] = NO_LIMIT
    return changes


# -- provider_location --------------------------------------------------------

def _location_error(text, reason):
    return invalid('provider_location', text, reason)


def _from_keybindings(location):
    # SMI-S era volumes stored the CIM instance path: DeviceID is the
    # device and SystemName ends with the array serial (SYMMETRIX-+-<sid>).
    bindings = location.get('keybindings')
    if not isinstance(bindings, dict):
        return location
    result = dict(location)
    if bindings.get('DeviceID'):
        result.setdefault('device_id', bindings['DeviceID'])
    match = _ARRAY_SUFFIX.search(str(bindings.get('SystemName') or ''))
    if match:
        result.setdefault('array', match.group(1))
    return result


def parse_provider_location(text: typing.Optional[str]) -> dict:
    """Read a ``provider_location`` or ``replication_driver_data`` string.

    The in-tree driver stores ``str(dict)``; it is read with
    ``ast.literal_eval``, never ``eval``. A legacy SMI-S ``keybindings``
    dict also gets ``device_id`` and ``array`` keys.

    :param text: the stored string; None or empty means nothing stored
    :returns: the dict; {} for None or an empty string
    :raises InvalidSpec: when the text is not a Python dict literal
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return {}
    if not isinstance(text, str):
        raise _location_error(text, _('a string is required'))
    try:
        location = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError,
            RecursionError):
        raise _location_error(text, _('a dict literal such as '
                                      "{'array': ..., 'device_id': ...} "
                                      'is required'))
    if not isinstance(location, dict):
        raise _location_error(text, _('a dict literal is required'))
    return _from_keybindings(location)


def build_provider_location(location: dict) -> str:
    """Write a ``provider_location`` the way the in-tree driver does.

    :param location: e.g. ``{'array': ..., 'device_id': ...}`` or
        ``{'source_id': ..., 'snap_name': ...}``
    :returns: ``str(location)``
    :raises InvalidSpec: when the dict holds values that would not read
        back with :func:`parse_provider_location`
    """
    if not isinstance(location, dict):
        raise _location_error(location, _('a dict is required'))
    text = str(location)
    try:
        same = ast.literal_eval(text) == location
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise _location_error(location, _('only strings, numbers, None and '
                                          'nested dicts or lists of them '
                                          'can be stored'))
    return text


# -- sizes --------------------------------------------------------------------

def validate_size(size) -> int:
    """Check a volume size.

    :param size: the size in GB
    :returns: the size as an int
    :raises InvalidSpec: unless it is a positive integer (bool refused)
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise invalid('size', size,
                      _('a positive whole number of GB is required'))
    return size


def run_side_by_side(*calls: typing.Callable[[], typing.Any]) -> list:
    """Run independent calls at once (one thread each); their results.

    For edits of two arrays that do not depend on each other: each waits
    for its own job, so both together take the time of one. Every call
    runs to its end; the first error raised is raised again afterwards.
    """
    if len(calls) < 2:
        return [call() for call in calls]
    with futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
        running = [pool.submit(call) for call in calls]
    for done in running:
        if done.exception() is not None:
            raise done.exception()
    return [done.result() for done in running]
