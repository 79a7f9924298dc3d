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

"""Port groups and ports chosen by their recent load.

With ``load_balance`` the port group of a new view is the configured one
with the lowest load over the last ``load_look_back`` minutes of
Unisphere's diagnostic data, and the ports handed to the host are ordered
by their own load (real-time data with ``load_balance_real_time``): a
multipath host gets every port, least loaded first; a single-path host
gets the least loaded one. Without the option, without the array's
registration for performance data, or after any error reading the data,
the choice is the one made without load balancing (a random port group,
every port), with a warning.

A diagnostic sample does not change once collected, so the load of a
port group or a port is kept for as long as the array's latest sample is
the same one; a later attach then costs one read of the sample times.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable, Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import loadopts

LOG = logging.getLogger(__name__)

MINUTE_MS = 60000
#: How long the array's registration for performance data is trusted.
REGISTRATION_TTL = 600.0


class NoData(exception.PowerMaxError):
    message = _('Unisphere has no %(what)s')


class Balancer:
    """Chooses port groups and orders ports on one array.

    :param perf: the array's :class:`unisphere.performance.Performance`
    :param system: the array's :class:`unisphere.system.System`
    :param settings: the backend's :class:`loadopts.LoadSettings`
    :param protocol: ``'FC'``, ``'iSCSI'`` or ``'NVMe_TCP'``
    :param choose: the choice without load balancing
    :param clock: seconds now
    """

    def __init__(self, perf, system, settings: loadopts.LoadSettings,
                 protocol: str, choose: Callable = random.choice,
                 clock: Callable[[], float] = time.time):
        self.perf = perf
        self.system = system
        self.settings = settings
        self.protocol = protocol
        self.choose = choose
        self.clock = clock
        self._lock = threading.Lock()
        self._loads: dict = {}
        self._physical: dict = {}
        self._registration: Optional[tuple] = None

    # -- the choices --------------------------------------------------------

    def port_group(self, groups: list) -> str:
        """The least loaded of ``groups`` (a random one without data)."""
        if len(groups) < 2 or not self._registered():
            return self.choose(groups)
        settings = self.settings
        try:
            window = self._window(False, settings.look_back)
            loads = [self._load(('port group', name), window,
                                settings.port_group_metric,
                                lambda w, n=name: self.perf.port_group_series(
                                    n, w, settings.data_format,
                                    settings.port_group_metric))
                     for name in groups]
        except exception.PowerMaxError as exc:
            return self._fallback('port groups %s' % ', '.join(groups), exc,
                                  self.choose(groups))
        chosen = min(zip(loads, range(len(groups)), groups))[2]
        LOG.info('Port group %(pg)s of %(all)s has the lowest %(metric)s '
                 '(%(loads)s) on array %(array)s.', {
                     'pg': chosen, 'all': groups, 'loads': loads,
                     'metric': settings.port_group_metric,
                     'array': self.perf.serial})
        return chosen

    def ports(self, port_group: str, ports: list, connector: dict) -> list:
        """``ports`` by load: all for a multipath host, else the least."""
        if len(ports) < 2 or not self._registered():
            return ports
        real_time = self.settings.real_time and self._registration[2]
        try:
            window = self._window(real_time, (
                self.settings.look_back_real_time if real_time
                else self.settings.look_back))
            loads = [self._port_load(port, window, real_time)
                     for port in ports]
        except exception.PowerMaxError as exc:
            return self._fallback('the ports of %s' % port_group, exc, ports)
        ordered = [p for _load, _i, p in sorted(
            zip(loads, range(len(ports)), ports))]
        LOG.info('Ports of %(pg)s by %(metric)s: %(ports)s.', {
            'pg': port_group, 'metric': self.settings.port_metric,
            'ports': ['%s:%s %s' % (p.director, p.port, load)
                      for load, p in sorted(zip(loads, ports),
                                            key=lambda lp: lp[0])]})
        return ordered if _multipath(connector) else ordered[:1]

    def _fallback(self, what, error, choice):
        LOG.warning('Load balancing of %(what)s on array %(array)s failed '
                    '(%(err)s); choosing as without load_balance.',
                    {'what': what, 'array': self.perf.serial, 'err': error})
        return choice

    # -- the data -----------------------------------------------------------

    def _registered(self) -> bool:
        """True when the array collects diagnostic data (read lazily)."""
        if not self.settings.enabled:
            return False
        now = self.clock()
        with self._lock:
            known = self._registration
        if known is None or now - known[0] > REGISTRATION_TTL:
            known = self._read_registration(now)
            with self._lock:
                self._registration = known
        return known[1]

    def _read_registration(self, now):
        try:
            found = self.perf.registration()
        except exception.PowerMaxError as exc:
            LOG.warning('The performance registration of array %(array)s '
                        'could not be read (%(err)s); ports and port groups '
                        'are chosen as without load_balance.',
                        {'array': self.perf.serial, 'err': exc})
            # Read again at the next attach, not after the full TTL.
            return (now - REGISTRATION_TTL, False, False)
        diagnostic = bool(found.get('diagnostic'))
        real_time = diagnostic and bool(found.get('realtime'))
        if not diagnostic:
            LOG.warning('load_balance is on but array %(array)s is not '
                        'registered for diagnostic performance data in '
                        'Unisphere; ports and port groups are chosen as '
                        'without it.', {'array': self.perf.serial})
        elif self.settings.real_time and not real_time:
            LOG.warning('load_balance_real_time is on but array %(array)s '
                        'is not registered for real-time performance data; '
                        'ports are measured by diagnostic data.',
                        {'array': self.perf.serial})
        return (now, diagnostic, real_time)

    def _window(self, real_time: bool, minutes: int) -> tuple:
        last = self.perf.last_sample(real_time)
        if not last:
            raise NoData(what='%s performance data of array %s yet' % (
                'real-time' if real_time else 'diagnostic',
                self.perf.serial))
        return (int(last) - minutes * MINUTE_MS, int(last))

    def _load(self, key, window, metric, fetch) -> float:
        """The mean of ``metric`` over ``window``, kept while it holds."""
        with self._lock:
            known = self._loads.get(key)
        if known is not None and known[0] == window:
            return known[1]
        values = [float(sample[metric]) for sample in fetch(window)
                  if sample.get(metric) is not None]
        if not values:
            raise NoData(what='%s of %s %s between %s and %s' % (
                metric, key[0], key[1], window[0], window[1]))
        load = sum(values) / len(values)
        with self._lock:
            self._loads[key] = (window, load)
        return load

    def _port_load(self, port, window, real_time) -> float:
        settings = self.settings
        director, number = self._measured(port)
        if real_time:
            def fetch(w):
                return self.perf.real_time_port_series(
                    director, number, w, settings.port_metric)
        else:
            def fetch(w):
                return self.perf.port_series(director, number, w,
                                             settings.data_format,
                                             settings.port_metric)
        return self._load(('port', '%s:%s' % (director, number),
                           real_time), window, settings.port_metric, fetch)

    def _measured(self, port) -> tuple:
        """The port whose statistics measure ``port``'s load.

        An iSCSI target port is virtual: its physical port, the one with
        its address, carries its traffic.
        """
        if self.protocol != 'iSCSI':
            return port.director, port.port
        key = (port.director, port.port)
        with self._lock:
            found = self._physical.get(key)
        if found is None:
            numbers = [n for address in port.ips
                       for n in self.system.physical_ports(port.director,
                                                           address)]
            if len(set(numbers)) != 1:
                raise NoData(what='single physical port for iSCSI target '
                             '%s:%s (found %s)' % (port.director, port.port,
                                                   numbers or 'none'))
            found = (port.director, numbers[0])
            with self._lock:
                self._physical[key] = found
        return found


def _multipath(connector: dict) -> bool:
    return bool(connector.get('multipath') or
                connector.get('nvme_native_multipath'))
