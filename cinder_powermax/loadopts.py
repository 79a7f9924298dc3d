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

"""The load-balancing options, part of :mod:`cinder_powermax.options`.

The names, types and defaults are the in-tree driver's. An invalid value
does not stop the backend: as with the in-tree driver it reverts to its
default, with a warning that names the option, the value, what is valid
and the default used instead. :func:`read` turns them into a
:class:`LoadSettings` for :mod:`cinder_powermax.loadbalance`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

#: Metrics each kind of load may be measured by, as Unisphere names them.
PORT_GROUP_METRICS = ('AvgIOSize', 'IOs', 'MBRead', 'MBWritten', 'MBs',
                      'PercentBusy', 'Reads', 'Writes')
PORT_METRICS = ('AvgIOSize', 'IOs', 'MBRead', 'MBWritten', 'MBs',
                'MaxSpeedGBs', 'PercentBusy', 'ReadResponseTime', 'Reads',
                'ResponseTime', 'SpeedGBs', 'WriteResponseTime', 'Writes')
REAL_TIME_PORT_METRICS = ('AvgIOSize', 'IOs', 'MBRead', 'MBWritten', 'MBs',
                          'PercentBusy', 'Reads', 'ResponseTime', 'Writes')
DATA_FORMATS = {'average': 'Average', 'avg': 'Average',
                'maximum': 'Maximum', 'max': 'Maximum'}
LOOK_BACK = (0, 1440)
LOOK_BACK_REAL_TIME = (1, 60)

load_opts = [
    cfg.BoolOpt('load_balance', default=False,
                help='Choose the port group of a new masking view, and the '
                     'ports given to the host, by the lowest recent load '
                     'Unisphere reports for them. Needs the array registered '
                     'for diagnostic performance data in Unisphere; without '
                     'it the choice stays random.'),
    cfg.BoolOpt('load_balance_real_time', default=False,
                help='With load_balance, measure ports by real-time data '
                     '(the last minutes, in seconds) instead of diagnostic '
                     '5-minute samples. Needs the array registered for '
                     'real-time data too; port groups are always measured '
                     'by diagnostic data.'),
    cfg.StrOpt('load_data_format', default='Avg',
               help='How diagnostic samples measure load: Average (Avg) '
                    'or Maximum (Max), case-insensitive.'),
    cfg.IntOpt('load_look_back', default=60,
               help='Minutes of diagnostic data to average, 0 (the latest '
                    'sample) to 1440.'),
    cfg.IntOpt('load_look_back_real_time', default=1,
               help='Minutes of real-time data to average, 1 to 60.'),
    cfg.StrOpt('port_group_load_metric', default='PercentBusy',
               help='The metric a port group\'s load is measured by: %s.' %
                    ', '.join(PORT_GROUP_METRICS)),
    cfg.StrOpt('port_load_metric', default='PercentBusy',
               help='The metric a port\'s load is measured by: %s; with '
                    'real-time data one of %s.' % (
                        ', '.join(PORT_METRICS),
                        ', '.join(REAL_TIME_PORT_METRICS))),
]


@dataclasses.dataclass(frozen=True)
class LoadSettings:
    """How ports and port groups are chosen, checked."""

    enabled: bool = False
    real_time: bool = False
    data_format: str = 'Average'
    look_back: int = 60
    look_back_real_time: int = 1
    port_group_metric: str = 'PercentBusy'
    port_metric: str = 'PercentBusy'


def _reverted(name: str, value: Any, valid: str, default: Any) -> Any:
    LOG.warning('%(name)s = %(value)s is not valid (%(valid)s); using the '
                'default %(default)s.', {'name': name, 'value': value,
                                         'valid': valid, 'default': default})
    return default


def _int(get: Callable, name: str, bounds: tuple, default: int) -> int:
    valid = 'a whole number from %d to %d' % bounds
    try:
        value = get(name)
    except Exception as exc:  # oslo.config's refusal of a non-integer
        return _reverted(name, getattr(exc, 'value', exc), valid, default)
    if value is None or not bounds[0] <= value <= bounds[1]:
        return _reverted(name, value, valid, default)
    return value


def _choice(get: Callable, name: str, valid: tuple, default: str) -> str:
    value = get(name)
    if value not in valid:
        return _reverted(name, value, 'one of %s' % ', '.join(valid),
                         default)
    return value


def read(get: Callable[[str], Any]) -> LoadSettings:
    """The load-balancing settings of a backend.

    :param get: reads an option of the backend's section
    :returns: the settings; invalid values reverted to their defaults
        (checked only when ``load_balance`` is on)
    """
    if not get('load_balance'):
        return LoadSettings()
    real_time = bool(get('load_balance_real_time'))
    data_format = get('load_data_format')
    if str(data_format).lower() not in DATA_FORMATS:
        data_format = _reverted('load_data_format', data_format,
                                'Average, Avg, Maximum or Max', 'Average')
    return LoadSettings(
        enabled=True, real_time=real_time,
        data_format=DATA_FORMATS[str(data_format).lower()],
        look_back=_int(get, 'load_look_back', LOOK_BACK, 60),
        look_back_real_time=_int(get, 'load_look_back_real_time',
                                 LOOK_BACK_REAL_TIME, 1),
        port_group_metric=_choice(get, 'port_group_load_metric',
                                  PORT_GROUP_METRICS, 'PercentBusy'),
        port_metric=_choice(get, 'port_load_metric', REAL_TIME_PORT_METRICS
                            if real_time else PORT_METRICS, 'PercentBusy'))
