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


"""Read-only checks of one backend's configuration against its array.

What ``cinder-powermax-check`` runs for each backend: every check sends
only GET requests to Unisphere, so the check can run beside a working
cinder-volume, before a restart. Each check gives a :class:`Result` with
what it found and, when it fails, what the operator should change.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator, Optional

from oslo_utils import strutils

from cinder_powermax import arrayinfo
from cinder_powermax import arrays
from cinder_powermax import exception
from cinder_powermax.unisphere import sloprovisioning
from cinder_powermax.unisphere import srdf
from cinder_powermax.unisphere import system

OK, WARN, FAIL, SKIP = 'OK', 'WARN', 'FAIL', 'SKIP'
#: Port and director states that carry I/O.
ONLINE = frozenset(('ON', 'ONLINE'))


@dataclasses.dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    check: str
    status: str
    detail: str
    fix: str = ''


def _text(value) -> str:
    """A message for the operator, with any secret in it masked."""
    return strutils.mask_password(str(value))


def result(check, status, detail, fix=''):
    return Result(check, status, _text(detail), _text(fix))


class Preflight:
    """The checks of one backend, in the order an operator fixes them.

    :param settings: the backend's
        :class:`cinder_powermax.options.BackendSettings`
    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param client: a REST client (by default built as the driver builds it)
    """

    def __init__(self, settings, protocol: str, client=None):
        self.settings = settings
        self.protocol = protocol
        self.client = client or arrays.connect(settings)
        self.info: Optional[arrayinfo.ArrayInfo] = None

    def run(self) -> Iterator[Result]:
        """Run the checks, stopping where the array is out of reach.

        :returns: an iterator of :class:`Result`
        """
        yield from self.configuration()
        yield self.standby()
        reached = self.unisphere()
        yield self.tls(reached)
        if reached.status == FAIL:
            if reached.check != 'TLS':
                yield reached
            return
        yield reached
        found = self.array()
        yield found
        if found.status == FAIL:
            return
        yield self.srp()
        yield from self.service_level()
        for name in self.settings.port_groups or ():
            yield from self.port_group(self.settings.array, name,
                                       'port group %s' % name)
        for device in self.settings.replication_devices or ():
            yield from self.replication(device)

    # -- the configuration ----------------------------------------------------

    def configuration(self) -> Iterator[Result]:
        source = self.settings.source
        if source == 'cinder.conf':
            yield result('configuration', OK, 'read from cinder.conf')
            return
        yield result('legacy XML file', WARN,
                     '%s is read and valid; the XML file is deprecated'
                     % source,
                     'move its values into the backend section of '
                     'cinder.conf and remove cinder_dell_emc_config_file')

    def standby(self) -> Result:
        """Whether a standby Unisphere is configured, as the driver warns."""
        targets = self.settings.failover_targets
        if targets:
            return result('Unisphere standby', OK, ', '.join(
                '%s:%s' % (t['san_ip'], t['san_api_port']) for t in targets))
        return result('Unisphere standby', WARN, 'no u4p_failover_target: '
                      'while %s is down the array is out of reach' %
                      self.settings.san_ip,
                      'add a u4p_failover_target line naming a standby '
                      'Unisphere of the same array (its san_ip, '
                      'san_login, san_password and driver_ssl_cert_path)')

    def tls(self, reached: Result) -> Result:
        """Whether Unisphere's certificate was verified, and against what.

        :param reached: the result of reaching Unisphere
        """
        verify = self.settings.verify
        if reached.check == 'TLS':
            return reached
        if verify is False:
            return result('TLS', WARN,
                          'certificate verification is OFF: anyone on the '
                          'path can read the Unisphere password',
                          'set driver_ssl_cert_verify = True and '
                          'driver_ssl_cert_path = <CA bundle of Unisphere>')
        if reached.status == FAIL:
            return result('TLS', SKIP, 'not checked: Unisphere was not '
                          'reached')
        return result('TLS', OK, 'certificate verified against %s' % (
            'the system CA bundle' if verify is True else verify))

    def unisphere(self) -> Result:
        """Reach Unisphere: TLS, the credentials and its version."""
        where = '%s:%s' % (self.settings.san_ip, self.settings.san_api_port)
        try:
            self.client.discover_version()
            # The version document needs no login; an array list does.
            system.System(self.client, None).list_arrays()
        except exception.TLSError as exc:
            return result('TLS', FAIL, 'verification of %s '
                          'failed: %s' % (where, exc.kwargs.get('detail')),
                          'set driver_ssl_cert_path to the CA that signed '
                          'Unisphere\'s certificate (or its certificate)')
        except exception.Unauthorized:
            return result('Unisphere', FAIL, '%s refused the credentials of '
                          'user %s' % (where, self.settings.san_login),
                          'check san_login and san_password (a Unisphere '
                          'user with the StorageAdmin role)')
        except exception.UnsupportedVersion as exc:
            return result('Unisphere', FAIL, str(exc),
                          'upgrade Unisphere to 9.2 or 10.x')
        except exception.UnisphereError as exc:
            return result('Unisphere', FAIL, '%s cannot be reached: %s' % (
                where, exc), 'check san_ip, san_api_port and the network '
                'between this host and Unisphere')
        return result('Unisphere', OK, '%s answers: Unisphere %s, API %s, '
                      'credentials accepted' % (
                          where, self.client.unisphere_version,
                          self.client.api_version))

    # -- the array ------------------------------------------------------------

    def array(self) -> Result:
        serial = self.settings.array
        api = system.System(self.client, serial)
        sloprov = sloprovisioning.SloProvisioning(self.client, serial)
        try:
            self.info = arrayinfo.learn(api, sloprov, self.settings,
                                        self.client.unisphere_version)
        except exception.ConfigError as exc:
            return result('array', FAIL, exc.kwargs.get('reason', exc),
                          'set powermax_array to an array this Unisphere '
                          'manages')
        return result('array', OK, '%s: %s, PowerMaxOS %s' % (
            serial, self.info.model, self.info.ucode_text))

    def _sloprov(self, serial=None):
        return sloprovisioning.SloProvisioning(
            self.client, serial or self.settings.array)

    def srp(self) -> Result:
        srps = self._sloprov().list_srps()
        if self.settings.srp in srps:
            return result('SRP', OK, self.settings.srp)
        return result('SRP', FAIL, '%s does not exist on array %s; it has '
                      '%s' % (self.settings.srp, self.settings.array,
                              ', '.join(srps) or 'none'),
                      'set powermax_srp to one of %s' % ', '.join(srps))

    def service_level(self) -> Iterator[Result]:
        level = self.settings.service_level
        levels = self.info.service_levels
        if level in (None, '', 'None', 'NONE'):
            yield result('service level', OK, 'none configured; volume '
                         'types choose one in pool_name')
        elif level in levels:
            yield result('service level', OK, level)
        else:
            yield result('service level', FAIL, '%s is not offered by array '
                         '%s' % (level, self.settings.array),
                         'set powermax_service_level to one of %s' %
                         ', '.join(levels))
        yield self.workload()
        yield result('volume types', SKIP, 'not checked: the service levels '
                     'and workloads of volume types live in Cinder\'s '
                     'database, not in cinder.conf',
                     '')

    def workload(self) -> Result:
        workload = self.settings.workload
        if workload in (None, '', 'None', 'NONE'):
            return result('workload', OK, 'none configured')
        if self.info.next_gen:
            return result('workload', WARN, '%s is ignored: PowerMaxOS %s '
                          'has no workloads' % (workload,
                                                self.info.ucode_text),
                          'remove powermax_workload')
        if workload in self.info.workloads:
            return result('workload', OK, workload)
        return result('workload', FAIL, '%s is not offered by array %s' % (
            workload, self.settings.array), 'set powermax_workload to one '
            'of %s' % ', '.join(self.info.workloads))

    # -- port groups ----------------------------------------------------------

    def port_group(self, serial, name, label) -> Iterator[Result]:
        sloprov = self._sloprov(serial)
        info = dataclasses.replace(self.info, serial=serial)
        try:
            group = arrayinfo.check_port_group(sloprov, info, name,
                                               self.protocol)
        except exception.ConfigError as exc:
            yield result(label, FAIL, exc.kwargs.get('reason', exc),
                         'create the port group on array %s or name an '
                         'existing %s port group in the configuration' % (
                             serial, self.protocol))
            return
        yield self.ports(serial, group, label)

    def ports(self, serial, group, label) -> Result:
        api = system.System(self.client, serial)
        keys = group.get('symmetrixPortKey') or []
        offline = []
        for key in keys:
            director, port = key['directorId'], str(key['portId'])
            found = api.get_port(director, port.rsplit(':', 1)[-1])
            states = {str(found.get('port_status', '')).upper(),
                      str(found.get('director_status', 'ON')).upper()}
            if not states <= ONLINE:
                offline.append('%s:%s' % (director, port))
        if not keys:
            return result(label, FAIL, 'holds no ports',
                          'add %s ports to it' % self.protocol)
        if offline:
            return result(label, FAIL, '%d of %d %s ports are offline: %s' % (
                len(offline), len(keys), self.protocol, ', '.join(offline)),
                'bring the ports online or take them out of the group')
        return result(label, OK, '%d %s ports, all online' % (
            len(keys), self.protocol))

    # -- replication ----------------------------------------------------------

    def replication(self, device: dict) -> Iterator[Result]:
        target = device.get('target_device_id')
        if not target:
            yield result('replication_device', FAIL, 'no target_device_id '
                         'in %s' % sorted(device),
                         'add target_device_id:<remote array serial>')
            return
        known = system.System(self.client, None).list_arrays()
        if target not in known:
            yield result('replication target %s' % target, FAIL,
                         'Unisphere does not manage array %s; it manages %s'
                         % (target, ', '.join(known) or 'none'),
                         'set target_device_id to the remote array, '
                         'discovered by this Unisphere')
            return
        yield result('replication target %s' % target, OK, 'visible')
        remote_pg = device.get('remote_port_group')
        if remote_pg:
            yield from self.port_group(target, remote_pg,
                                       'remote port group %s' % remote_pg)
        yield self.remote_pool(target, device.get('remote_pool'))
        yield self.rdf_group(target, device.get('rdf_group_label'))

    def remote_pool(self, target: str, srp: str) -> Result:
        check = 'remote SRP %s' % srp
        srps = sloprovisioning.SloProvisioning(self.client,
                                               target).list_srps()
        if srp not in srps:
            return result(check, FAIL, 'array %s has no SRP %s; it has %s'
                          % (target, srp, ', '.join(srps) or 'none'),
                          'set remote_pool to an SRP of the target array')
        return result(check, OK, 'present on %s' % target)

    def rdf_group(self, target: str, label: str) -> Result:
        """The RDF group the label names: towards the target, online."""
        check = 'RDF group %s' % label
        api = srdf.Srdf(self.client, self.settings.array)
        groups = api.list_rdf_groups()
        found = [g.get('rdfgNumber') for g in groups
                 if g.get('label') == label]
        if not found:
            return result(check, FAIL, 'array %s has no RDF group labelled '
                          '%s; it has %s' % (
                              self.settings.array, label,
                              ', '.join(sorted(str(g.get('label'))
                                               for g in groups)) or 'none'),
                          'set rdf_group_label to the label of the RDF group '
                          'towards %s' % target)
        group = api.get_rdf_group(found[0])
        if group.get('remoteSymmetrix') != target:
            return result(check, FAIL, 'RDF group %s connects to %s, not %s'
                          % (found[0], group.get('remoteSymmetrix'), target),
                          'use the RDF group towards the target array')
        if group.get('offline') or not group.get('localOnlinePorts'):
            return result(check, FAIL, 'RDF group %s is offline' % found[0],
                          'bring its SRDF links up')
        return result(check, OK, 'group %s towards %s, online' % (
            found[0], target))
