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

"""Hosts, initiators, port groups and masking views of an array.

A mixin of :class:`tests.fake_unisphere.model.Array`; it uses the array's
dictionaries (``hosts``, ``initiators``, ``port_groups``,
``masking_views``, ``directors``, ``storage_groups``, ``volumes``).
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import records


class MaskingRules:
    """Masking rules; mixed into the array class."""

    # -- initiators ---------------------------------------------------------

    def log_in(self, hba: str, ports: typing.Optional[
            typing.Iterable[str]] = None) -> records.Initiator:
        """The host side: ``hba`` logs in to ``ports`` ('DIR:PORT').

        By default to every port of its protocol, as a host zoned to the
        whole front end (iSCSI: every virtual target port).
        """
        hba = self._hba(hba)
        protocol = 'iSCSI' if hba.startswith('iqn.') else 'FC'
        ports = list(self._login_ports(protocol) if ports is None
                     else ports)
        for key in ports:
            director, _sep, number = key.partition(':')
            if self.port(director, number).protocol != protocol:
                raise errors.invalid('%s cannot log in to %s port %s' % (
                    hba, self.port(director, number).protocol, key))
        initiator = self.initiators.setdefault(hba, records.Initiator(hba))
        initiator.ports.extend(p for p in ports if p not in initiator.ports)
        initiator.logged_out.difference_update(ports)
        return initiator

    def log_out(self, hba: str, ports: typing.Optional[
            typing.Iterable[str]] = None) -> None:
        """``hba`` leaves ``ports`` (default all); its records stay."""
        initiator = self.initiator(self._hba(hba))
        initiator.logged_out.update(initiator.ports if ports is None
                                    else ports)

    def _login_ports(self, protocol: str) -> typing.List[str]:
        ports = [p for d in self.directors.values()
                 for p in d.ports.values() if p.protocol == protocol]
        if protocol == 'iSCSI':
            # iSCSI initiators log in to the virtual target ports.
            ports = [p for p in ports if p.iscsi_target]
        return [p.key for p in ports]

    @staticmethod
    def _hba(hba: typing.Any) -> str:
        if not isinstance(hba, str):
            raise errors.invalid('Initiator %r is not valid' % (hba,))
        if records.WWPN_RE.match(hba):
            return hba.lower()
        if hba.startswith('iqn.') and len(hba) <= 223:
            return hba
        raise errors.invalid('Initiator %s is not valid' % hba)

    def initiator(self, initiator_id: str) -> records.Initiator:
        """Look up by bare HBA or by ``DIR:PORT:HBA``."""
        for key in (initiator_id, initiator_id.lower()):
            if key in self.initiators:
                return self.initiators[key]
        parts = initiator_id.split(':', 2)
        if len(parts) == 3:
            hba = parts[2].lower() if records.WWPN_RE.match(
                parts[2]) else parts[2]
            found = self.initiators.get(hba)
            if found and '%s:%s' % (parts[0], parts[1]) in found.ports:
                return found
        raise errors.not_found('initiator', initiator_id)

    def host_of(self, hba: str) -> typing.Optional[str]:
        for host in self.hosts.values():
            if hba in host.initiators:
                return host.name
        return None

    # -- hosts --------------------------------------------------------------

    def host(self, name: str) -> records.Host:
        try:
            return self.hosts[name]
        except KeyError:
            raise errors.ArrayError(
                404, 'Initiator Group on Symmetrix cannot be found')

    def _claim(self, host: str, hbas: typing.Iterable[str]
               ) -> typing.List[str]:
        claimed = []
        for hba in hbas:
            hba = self._hba(hba)
            owner = self.host_of(hba)
            if owner is not None:
                raise errors.conflict(
                    'Initiator %s is already in host %s; an initiator can '
                    'only belong to one host' % (hba, owner))
            if hba in claimed:
                raise errors.invalid('Initiator %s is listed twice' % hba)
            claimed.append(hba)
        # Naming an initiator that never logged in is allowed (Unisphere
        # lets an administrator type a WWN); it stays logged out.
        for hba in claimed:
            self.initiators.setdefault(hba, records.Initiator(hba))
        return claimed

    def create_host(self, name: str, hbas: typing.Iterable[str],
                    flags: typing.Optional[dict] = None) -> records.Host:
        errors.check_name('host', name)
        if name in self.hosts:
            raise errors.conflict('The requested host resource already '
                                  'exists')
        claimed = self._claim(name, hbas)
        host = records.Host(name, claimed, dict(flags or {}))
        self.hosts[name] = host
        return host

    def add_initiators(self, name: str, hbas: typing.Iterable[str]) -> None:
        host = self.host(name)
        host.initiators.extend(self._claim(name, hbas))

    def remove_initiators(self, name: str,
                          hbas: typing.Iterable[str]) -> None:
        host = self.host(name)
        gone = [self._hba(h) for h in hbas]
        for hba in gone:
            if hba not in host.initiators:
                raise errors.invalid('Initiator %s is not in host %s' % (
                    hba, name))
        host.initiators[:] = [h for h in host.initiators if h not in gone]

    def rename_host(self, name: str, new_name: str) -> None:
        host = self.host(name)
        errors.check_name('host', new_name)
        if new_name in self.hosts:
            raise errors.conflict('The requested host resource already '
                                  'exists')
        for view in self.masking_views.values():
            if view.host == name:
                view.host = new_name
        del self.hosts[name]
        host.name = new_name
        self.hosts[new_name] = host

    def delete_host(self, name: str) -> None:
        self.host(name)
        views = self.views_of_host(name)
        if views:
            raise errors.conflict('Cannot delete host %s: it is in masking '
                                  'view %s' % (name, views[0]))
        del self.hosts[name]

    def host_protocol(self, host: records.Host) -> str:
        if any(h.startswith('iqn.') for h in host.initiators):
            return 'iSCSI'
        return 'Fibre'

    # -- port groups --------------------------------------------------------

    def port_group(self, name: str) -> records.PortGroup:
        try:
            return self.port_groups[name]
        except KeyError:
            raise errors.ArrayError(
                404, 'Port Group on Symmetrix cannot be found')

    def create_port_group(self, name: str,
                          ports: typing.List[typing.Tuple[str, str]],
                          protocol: typing.Optional[str] = None
                          ) -> records.PortGroup:
        """A port group; empty ones are allowed, not in a masking view."""
        errors.check_name('port group', name)
        if name in self.port_groups:
            raise errors.conflict('The requested port group resource '
                                  'already exists')
        protocol = self._port_protocol(ports, protocol)
        group = records.PortGroup(name, [], protocol)
        self._add_ports(group, ports)
        self.port_groups[name] = group
        return group

    def _port_protocol(self, ports, protocol: typing.Optional[str]) -> str:
        protocols = {self.port(d, p).protocol for d, p in ports}
        if protocol is not None:
            protocols.add(protocol)
        if len(protocols) > 1:
            raise errors.invalid('A port group cannot mix protocols')
        if not protocols:
            # An empty group: V4 names its protocol, V3 groups are FC.
            return 'FC'
        return protocols.pop()

    def _add_ports(self, group: records.PortGroup, ports) -> None:
        for key in ports:
            if key in group.ports:
                raise errors.conflict('Port %s:%s is already in port group '
                                      '%s' % (key[0], key[1], group.name))
        self._port_protocol(list(ports) + group.ports, group.protocol)
        group.ports.extend(ports)

    def add_ports(self, name: str, ports) -> None:
        self._add_ports(self.port_group(name), list(ports))

    def remove_ports(self, name: str, ports) -> None:
        group = self.port_group(name)
        for key in ports:
            if key not in group.ports:
                raise errors.invalid('Port %s:%s is not in port group %s' % (
                    key[0], key[1], name))
        left = [p for p in group.ports if p not in ports]
        if not left and self.views_of_port_group(name):
            raise errors.conflict('Cannot remove the last port of port '
                                  'group %s: it is in masking view %s' % (
                                      name, self.views_of_port_group(name)[0]))
        group.ports[:] = left

    def rename_port_group(self, name: str, new_name: str) -> None:
        group = self.port_group(name)
        errors.check_name('port group', new_name)
        if new_name in self.port_groups:
            raise errors.conflict('The requested port group resource '
                                  'already exists')
        for view in self.masking_views.values():
            if view.port_group == name:
                view.port_group = new_name
        del self.port_groups[name]
        group.name = new_name
        self.port_groups[new_name] = group

    def delete_port_group(self, name: str) -> None:
        self.port_group(name)
        views = self.views_of_port_group(name)
        if views:
            raise errors.conflict('Cannot delete port group %s: it is in '
                                  'masking view %s' % (name, views[0]))
        del self.port_groups[name]

    # -- masking views ------------------------------------------------------

    def view(self, name: str) -> records.MaskingView:
        try:
            return self.masking_views[name]
        except KeyError:
            raise errors.ArrayError(
                404, 'The requested masking view cannot be found')

    def views_of_group(self, name: str, direct: bool = False
                       ) -> typing.List[str]:
        """Views exposing group ``name`` (or, unless direct, its parent)."""
        names = {name}
        if not direct:
            names.update(self.parents_of(name))
        return [v.name for v in self.masking_views.values()
                if v.storage_group in names]

    def views_of_host(self, name: str) -> typing.List[str]:
        return [v.name for v in self.masking_views.values()
                if v.host == name]

    def views_of_port_group(self, name: str) -> typing.List[str]:
        return [v.name for v in self.masking_views.values()
                if v.port_group == name]

    def views_of_device(self, device_id: str) -> typing.List[str]:
        return [v.name for v in self.masking_views.values()
                if device_id in v.luns]

    def check_views_keep_volumes(self, name: str,
                                 leaving: typing.Iterable[str],
                                 target: typing.Optional[str] = None
                                 ) -> None:
        """Refuse to empty a masking view's storage group.

        Clients delete the view before removing its last volume (Cinder's
        in-tree driver, Dell's CSI driver: "We need to delete the MV
        first"), as the array refuses to leave a view with no volume. A
        child may be emptied while its parent keeps volumes through
        another child, or when the devices move to a group the same view
        shows (``target``). Enforced when ``refuse_emptying_views`` is on.
        """
        if not self.refuse_emptying_views:
            return
        leaving = set(leaving)
        staying = set(self.views_of_group(target)) if target else set()
        for view_name in self.views_of_group(name):
            view = self.masking_views[view_name]
            if view_name in staying:
                continue
            if not set(self.members(view.storage_group)) - leaving:
                raise errors.conflict(
                    'Cannot remove the last volume from storage group %s: '
                    'it is in masking view %s; delete the masking view '
                    'first' % (view.storage_group, view_name))

    def create_view(self, name: str, host: str, port_group: str,
                    storage_group: str,
                    starting_lun: typing.Optional[int] = None
                    ) -> records.MaskingView:
        errors.check_name('masking view', name)
        if name in self.masking_views:
            raise errors.conflict(
                'The requested masking view resource already exists')
        self.host(host)
        self.port_group(port_group)
        if storage_group not in self.storage_groups:
            raise errors.ArrayError(
                404, 'Storage Group on Symmetrix cannot be found')
        if not self.port_groups[port_group].ports:
            raise errors.invalid('Port group %s has no ports' % port_group)
        view = records.MaskingView(name, host, port_group, storage_group,
                                   first_lun=starting_lun or 1)
        self.masking_views[name] = view
        self.refresh_luns()
        return view

    def rename_view(self, name: str, new_name: str) -> None:
        view = self.view(name)
        errors.check_name('masking view', new_name)
        if new_name in self.masking_views:
            raise errors.conflict(
                'The requested masking view resource already exists')
        del self.masking_views[name]
        view.name = new_name
        self.masking_views[new_name] = view

    def delete_view(self, name: str) -> None:
        self.view(name)
        del self.masking_views[name]

    def refresh_luns(self) -> None:
        """Give every volume exposed by a view its LUN address in it.

        Called after each change; addresses are never reassigned while a
        volume stays in the view, new volumes take the next free one.
        """
        for view in self.masking_views.values():
            members = self.members(view.storage_group)
            for device_id in list(view.luns):
                if device_id not in members:
                    del view.luns[device_id]
            used = set(view.luns.values())
            lun = view.first_lun
            for device_id in sorted(d for d in members if d not in view.luns):
                while lun in used:
                    lun += 1
                view.luns[device_id] = lun
                used.add(lun)
                # A host can now write: the device has allocated tracks.
                self.set_allocated(self.volumes[device_id], True)

    def paths(self, view: records.MaskingView
              ) -> typing.List[typing.Tuple[str, str]]:
        """(initiator, 'DIR:PORT') pairs of a view."""
        host = self.hosts[view.host]
        ports = ['%s:%s' % p for p in self.port_groups[view.port_group].ports]
        # A path exists where the initiator has a login record on a port
        # of the view's port group; one that never logged in has none.
        return [(hba, port) for hba in host.initiators for port in ports
                if port in self.initiators[hba].ports]

    def front_end_paths(self, device_id: str) -> int:
        """Paths a device is mapped on: a port of each view's port group.

        A device in a masking view is mapped to the view's ports whether
        or not its host has logged in yet (the reference: > 0 once in a
        view; the in-tree driver reads it so after an attach).
        """
        return sum(len(self.port_groups[self.masking_views[name]
                                        .port_group].ports)
                   for name in self.views_of_device(device_id))
