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

"""Performance data of one array, derived from the I/O it is given.

Hosts' I/O is recorded as rates over a span of time (:class:`Load`) on the
front-end ports that carry it: :meth:`Performance.drive_device` spreads a
device's I/O over the paths of the views that show it, as multipathing
would; :meth:`Performance.drive_ports` loads ports directly (hosts outside
OpenStack). Every metric of a port, a port group or a real-time sample is
computed from those rates, so a port with more I/O is busier in every
metric that measures work.

Diagnostic data come in samples of the collection interval (5 minutes),
from the registration on; ``Average`` is the time-weighted mean of the
rates within a sample, ``Maximum`` their peak. Real-time data come in
5-second samples, while the array is registered for them. An iSCSI target
(virtual) port carries no I/O of its own: its physical port, the port of
the same director with the same address, does.
"""

import dataclasses
import math
import typing

from tests.fake_unisphere import errors

MINUTE_MS = 60000
DIAGNOSTIC_MS = 5 * MINUTE_MS
REAL_TIME_MS = 5000
#: Work a front-end port does at 100% busy; speeds are in Gb/s.
PORT_MAX_IOPS = 100000.0
PORT_SPEED_GBS = 32.0
#: Metrics of port groups and of front-end ports (diagnostic), and of
#: front-end ports in real time, as the reference lists them.
PORT_GROUP_METRICS = ('AvgIOSize', 'IOs', 'MBRead', 'MBWritten', 'MBs',
                      'PercentBusy', 'Reads', 'Writes')
PORT_METRICS = PORT_GROUP_METRICS + ('MaxSpeedGBs', 'ReadResponseTime',
                                     'ResponseTime', 'SpeedGBs',
                                     'WriteResponseTime')
REAL_TIME_METRICS = PORT_GROUP_METRICS + ('ResponseTime',)
DATA_FORMATS = ('Average', 'Maximum')


@dataclasses.dataclass(frozen=True)
class Load:
    """I/O rates on one port from ``start`` to ``end`` (epoch ms)."""

    start: int
    end: int
    reads: float = 0.0
    writes: float = 0.0
    mb_read: float = 0.0
    mb_written: float = 0.0

    def overlap(self, start: int, end: int) -> int:
        return max(0, min(self.end, end) - max(self.start, start))


def _rates(loads: typing.Iterable[Load]) -> dict:
    """The rates of loads running at the same time, summed."""
    total = {'Reads': 0.0, 'Writes': 0.0, 'MBRead': 0.0, 'MBWritten': 0.0}
    for load in loads:
        total['Reads'] += load.reads
        total['Writes'] += load.writes
        total['MBRead'] += load.mb_read
        total['MBWritten'] += load.mb_written
    return total


def _first(since: typing.Optional[int], step: int) -> typing.Optional[int]:
    return None if since is None else (since // step + 1) * step


def _last(since: typing.Optional[int], step: int,
          now_ms: int) -> typing.Optional[int]:
    last = now_ms // step * step
    first = _first(since, step)
    return last if first is not None and last >= first else None


def metrics(rates: dict, ports: int = 1) -> dict:
    """Every metric of a port (``ports`` = 1) or a port group."""
    ios = rates['Reads'] + rates['Writes']
    mbs = rates['MBRead'] + rates['MBWritten']
    busy = min(100.0, 100.0 * ios / (PORT_MAX_IOPS * max(ports, 1)))
    response = round(0.2 + 0.03 * busy, 4)
    return {
        'Reads': rates['Reads'], 'Writes': rates['Writes'], 'IOs': ios,
        'MBRead': rates['MBRead'], 'MBWritten': rates['MBWritten'],
        'MBs': mbs, 'AvgIOSize': round(mbs * 1024.0 / ios, 4) if ios else 0.0,
        'PercentBusy': round(busy, 4), 'SpeedGBs': round(mbs * 8 / 1024.0, 4),
        'MaxSpeedGBs': PORT_SPEED_GBS, 'ResponseTime': response,
        'ReadResponseTime': response, 'WriteResponseTime': response}


class Performance:
    """The performance registration and data of one array.

    :param array: the :class:`tests.fake_unisphere.model.Array`
    """

    def __init__(self, array: typing.Any) -> None:
        self.array = array
        self.diagnostic_since: typing.Optional[int] = None
        self.real_time_since: typing.Optional[int] = None
        self.loads: typing.Dict[str, typing.List[Load]] = {}
        #: seconds now, for tests that move time on; the jobs' clock if None
        self.clock: typing.Optional[typing.Callable[[], float]] = None

    # -- registration -------------------------------------------------------

    def register(self, now_ms: int, diagnostic: bool = True,
                 real_time: bool = False,
                 since_ms: typing.Optional[int] = None) -> None:
        """Register (or deregister) for diagnostic and real-time data.

        The array collects real-time data only while it collects
        diagnostic data (``POST /performance/Array/register``).

        :param since_ms: backdate the collection (tests want history)
        """
        if real_time and not diagnostic:
            raise errors.invalid('An array is registered for real-time '
                                 'statistics only when it is registered '
                                 'for diagnostic statistics')
        start = now_ms if since_ms is None else since_ms
        self.diagnostic_since = (self.diagnostic_since or start) \
            if diagnostic else None
        self.real_time_since = (self.real_time_since or start) \
            if real_time else None

    def first_diagnostic(self) -> typing.Optional[int]:
        """The end of the first diagnostic sample after registration."""
        return _first(self.diagnostic_since, DIAGNOSTIC_MS)

    def first_real_time(self) -> typing.Optional[int]:
        return _first(self.real_time_since, REAL_TIME_MS)

    def last_diagnostic(self, now_ms: int) -> typing.Optional[int]:
        """The end of the last complete diagnostic sample; None if none."""
        return _last(self.diagnostic_since, DIAGNOSTIC_MS, now_ms)

    def last_real_time(self, now_ms: int) -> typing.Optional[int]:
        return _last(self.real_time_since, REAL_TIME_MS, now_ms)

    # -- I/O ----------------------------------------------------------------

    def physical(self, key: str) -> str:
        """The port carrying the I/O of ``key`` ('DIR:PORT')."""
        director, _sep, number = key.partition(':')
        port = self.array.port(director, number)
        if not port.iscsi_target:
            return key
        for other in self.array.directors[director].ports.values():
            if not other.iscsi_target and set(other.ip_addresses) & set(
                    port.ip_addresses):
                return other.key
        return key

    def drive_ports(self, ports: typing.Iterable[str], start_ms: int,
                    end_ms: int, iops: float, mbps: float = 0.0,
                    read_share: float = 0.5) -> None:
        """Load each port with ``iops`` and ``mbps`` over the span."""
        for key in ports:
            self.array.port(*key.split(':', 1))
            self.loads.setdefault(self.physical(key), []).append(Load(
                start_ms, end_ms, iops * read_share, iops * (1 - read_share),
                mbps * read_share, mbps * (1 - read_share)))

    def drive_device(self, device_id: str, start_ms: int, end_ms: int,
                     iops: float, mbps: float = 0.0) -> typing.List[str]:
        """A host's I/O on a device, spread over its live paths.

        :returns: the ports that carry it
        """
        self.array.volume(device_id)
        ports = sorted({port for name in self.array.views_of_device(
            device_id) for _hba, port in self.array.paths(
                self.array.masking_views[name])})
        if not ports:
            raise errors.invalid('Device %s has no path to a host' %
                                 device_id)
        share = 1.0 / len(ports)
        self.drive_ports(ports, start_ms, end_ms, iops * share,
                         mbps * share)
        return ports

    # -- metrics ------------------------------------------------------------

    def _sample(self, ports: typing.List[str], start: int, end: int,
                maximum: bool) -> dict:
        """The rates of ``ports`` over one sample, summed over the ports."""
        per_port = []
        for key in ports:
            loads = [load for load in self.loads.get(self.physical(key), ())
                     if load.overlap(start, end)]
            if maximum:
                # The peak: all loads overlapping the sample at once.
                per_port.append(_rates(loads))
                continue
            span = float(end - start)
            per_port.append({name: sum(
                getattr(load, attr) * load.overlap(start, end) / span
                for load in loads) for name, attr in (
                    ('Reads', 'reads'), ('Writes', 'writes'),
                    ('MBRead', 'mb_read'), ('MBWritten', 'mb_written'))})
        return {name: sum(rates[name] for rates in per_port)
                for name in ('Reads', 'Writes', 'MBRead', 'MBWritten')}

    def series(self, ports: typing.List[str], start_ms: int, end_ms: int,
               metric_names: typing.List[str], data_format: str,
               now_ms: int, real_time: bool = False) -> typing.List[dict]:
        """One result per sample ending within ``[start, end]``."""
        since = self.real_time_since if real_time else self.diagnostic_since
        if since is None:
            raise errors.ArrayError(400, 'Array %s is not registered for '
                                    '%s performance statistics' % (
                                        self.array.sid, 'real-time' if
                                        real_time else 'diagnostic'))
        step = REAL_TIME_MS if real_time else DIAGNOSTIC_MS
        last = _last(since, step, now_ms) or 0
        first = max(start_ms, _first(since, step))
        sample_end = int(math.ceil(first / float(step))) * step
        found = []
        while sample_end <= min(end_ms, last):
            rates = self._sample(ports, sample_end - step, sample_end,
                                 data_format == 'Maximum')
            values = metrics(rates, len(ports))
            row = {name: values[name] for name in metric_names}
            row['timestamp'] = sample_end
            found.append(row)
            sample_end += step
        return found
