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

"""Dynamic masking: initiator groups, cascaded storage groups, views.

A host sees a volume through a masking view ``OS-<host>-<F|I>-<pg>-MV``
over the host's initiator group, a pre-created port group and a parent
storage group without a service level. The parent holds one child storage
group per service level, workload and compression setting; the volume
moves from its default storage group into that child on attach and back on
detach. Everything is named by the seeds' conventions, so a repeated or
re-driven operation finds what an earlier try made.

A device can sit in only one storage group with a service level. To show
one volume to a second host (multi-attach, live migration), the first
host's copy is staged in a ``No_SLO`` child, and moved back once only one
host is left.
"""

from __future__ import annotations

import dataclasses
import random
import re
import threading
from typing import Callable, Optional

from cinder import coordination
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import arrayinfo
from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import initiator_ids
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import storagegroups

LOG = logging.getLogger(__name__)


# Locks on the shared array objects changed, named by one rule
# (naming.lock_template): a device, and a host's masking objects.
DEVICE_LOCK = naming.lock_template('vol', 'device')
HOST_LABEL = re.compile(r'^[A-Za-z0-9_-]+$')
QUOTE = initiator_ids.QUOTE
HOST_LOCK = naming.lock_template('host', 'names.initiator_group')


@dataclasses.dataclass(frozen=True)
class Port:
    """A front-end port of a port group."""

    director: str
    port: str
    identifier: str
    ips: tuple


@dataclasses.dataclass(frozen=True)
class HostNames:
    """The names of one host's masking objects for one port group."""

    label: str
    port_group: str
    initiator_group: str
    parent: str
    view: str
    no_slo_child: str
    pg_label: str
    host: Optional[str] = None  # the view's initiator group, when known


@dataclasses.dataclass
class Attachment:
    """What initialize_connection hands to the protocol shim."""

    lun: int
    ports: list
    view: str
    #: True when this attach put the device in the view; False when the
    #: host saw it already (another attachment may be using it)
    placed: bool = False
    #: the SRDF/Metro partner's attachment on the other array, if any
    metro: Optional[Attachment] = None
    #: the device's NVMe namespace GUID (Unisphere 10 and later)
    nguid: Optional[str] = None

    def each(self) -> list:
        """This array's attachment, then the Metro partner's, if any."""
        return [self] + ([self.metro] if self.metro is not None else [])


class Masking:
    """Attach and detach devices to hosts on one array.

    :param sloprov: the array's sloprovisioning API (hosts, views)
    :param system: the array's system API (ports)
    :param groups: the array's :class:`storagegroups.StorageGroups`
    :param provisioner: the array's :class:`provision.Provisioner`
    :param array: the :class:`arrayinfo.ArrayInfo`
    :param settings: the backend settings (port groups, templates)
    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param choose: picks a port group among the configured ones
    :param order: ``order(port_group, ports, connector)``: the ports to
        give the host, in the order to use them
    """

    def __init__(self, sloprov, system, groups, provisioner,
                 array: arrayinfo.ArrayInfo, settings, protocol: str,
                 choose: Callable[[list], str] = random.choice,
                 order: Optional[Callable] = None):
        self.api = sloprov
        self.system = system
        self.groups = groups
        self.provision = provisioner
        self.array = array
        self.serial = array.serial
        self.settings = settings
        self.protocol = protocol
        self.choose = choose
        self.order = order or (lambda port_group, ports, connector: ports)
        self._ports: dict[str, list] = {}
        self._ports_lock = threading.Lock()

    # -- port groups ----------------------------------------------------------

    def choose_port_group(self, requested: Optional[str]) -> str:
        """The type's port group, else one of the configured ones.

        A random choice spreads hosts over the configured port groups.
        """
        if requested:
            return requested
        groups = list(self.settings.port_groups or ())
        if not groups:
            raise exception.ConfigError(reason=_(
                'no port group: set powermax_port_groups or the volume '
                'type extra spec storagetype:portgroupname'))
        return self.choose(groups)

    def ports(self, port_group: str) -> list:
        """The port group's ports, their WWN, IQN or NQN and IPs (cached).

        :raises ConfigError: for a missing port group, one of the other
            protocol, or one with no port online
        """
        with self._ports_lock:
            cached = self._ports.get(port_group)
        if cached is not None:
            return cached
        group = arrayinfo.check_port_group(self.api, self.array,
                                           port_group, self.protocol)
        found = []
        for key in group.get('symmetrixPortKey') or ():
            director = key['directorId']
            number = str(key['portId']).split(':')[-1]
            detail = self.system.get_port(director, number)
            if not _online(detail):
                LOG.warning('Port %(dir)s:%(port)s of %(pg)s is offline.',
                            {'dir': director, 'port': number,
                             'pg': port_group})
                continue
            found.append(Port(director, number,
                              detail.get('identifier', ''),
                              tuple(detail.get('ip_addresses') or ())))
        if not found:
            raise exception.ConfigError(reason=_(
                'port group %s has no port online') % port_group)
        with self._ports_lock:
            self._ports[port_group] = found
        return found

    # -- names ----------------------------------------------------------------

    def host_names(self, host: str, port_group: str) -> HostNames:
        """The names for a connector's host name and a port group."""
        return self.host_names_for_label(self.check_host({'host': host}),
                                         port_group)

    def host_names_for_label(self, label: str,
                             port_group: str) -> HostNames:
        """The names for a short host label and a port group."""
        pg_label = naming.port_group_label(
            port_group, self.settings.port_group_name_template)
        return HostNames(
            label=label, port_group=port_group, pg_label=pg_label,
            initiator_group=naming.initiator_group_name(label, self.protocol),
            parent=naming.parent_sg_name(label, self.protocol, pg_label),
            view=naming.masking_view_name(label, self.protocol, pg_label),
            no_slo_child=naming.no_slo_child_sg_name(label, pg_label))

    def child_spec(self, names: HostNames,
                   spec) -> storagegroups.GroupSpec:
        """The FAST child group of a host for a volume's intent."""
        rep_mode = spec.replication.mode if spec.replication else None
        if not spec.service_level:
            # The seeds' child names carry the replication suffix with or
            # without a service level: OS-<host>-No_SLO-<pg>-RE.
            return storagegroups.non_fast(naming.no_slo_child_sg_name(
                names.label, names.pg_label, rep_mode))
        name = naming.child_sg_name(
            names.label, spec.srp, spec.service_level, spec.workload,
            names.pg_label, spec.compression_disabled, rep_mode)
        return dataclasses.replace(spec.group, name=name)

    # -- attach ---------------------------------------------------------------

    def attach(self, device: str, spec, connector: dict) -> Attachment:
        """Mask ``device`` to the connector's host and return its LUN.

        Re-entrant: attaching a volume the host already sees returns the
        existing LUN without changes.
        """
        initiators = self.initiators(connector)
        port_group = self.choose_port_group(spec.port_group)
        try:
            ports = self.ports(port_group)
        except exception.ConfigError as exc:
            if not spec.port_group:
                raise
            # Named by the volume type, not by cinder.conf.
            raise exception.InvalidSpec(
                key='storagetype:portgroupname', value=port_group,
                reason=exc.kwargs.get('reason', str(exc)))
        names = [self.host_names_for_label(label, port_group)
                 for label in self.host_labels(connector['host'])]
        return self._attach(device, spec, names, initiators,
                            self.order(port_group, ports, connector))

    @coordination.synchronized(DEVICE_LOCK)
    def _attach(self, device, spec, labelled, initiators, ports):
        """Attach under the host's label, or the older one it is under."""
        groups = self.provision.device_groups(device)
        names = next((n for n in labelled[1:] if {
            self.child_spec(n, spec).name, n.no_slo_child} & set(groups)),
            labelled[0])
        others = self._other_hosts_children(groups, names)
        staged = []
        try:
            for child in others:
                staged.append(self._stage_other_host(device, child))
            if staged:
                groups = self.provision.device_groups(device)
            return self._attach_to_host(device, spec, names, initiators,
                                        ports, groups, bool(staged))
        except Exception:
            with excutils.save_and_reraise_exception():
                self._unstage_quietly(device, spec, staged)

    def _unstage_quietly(self, device, spec, staged):
        """Return other hosts' copies to FAST groups after a failure."""
        if not staged:
            return
        try:
            self._unstage_survivor(device, spec, staged)
        except exception.PowerMaxError as exc:
            LOG.warning('Device %(dev)s stays in %(sg)s: %(err)s',
                        {'dev': device, 'sg': staged, 'err': exc})

    @coordination.synchronized(HOST_LOCK)
    def _attach_to_host(self, device, spec, names, initiators, ports,
                        groups, shared):
        """Put the device in the host's view, making what is missing.

        :param groups: the device's storage groups, read under the device
            lock, so no other operation has moved it since
        :param shared: True when another host's view shows it too
        """
        created = []
        child = self.child_spec(names, spec)
        # In the host's child already: another attachment may be using
        # it, and a failure here must not take it away.
        placed = child.name not in groups
        try:
            new_parent = self._ensure_child(names, child, created)
            # A view needs its parent group: a parent made just now means
            # there is no view yet, and no need to look for one.
            view = None if new_parent else self._existing_view(names.view)
            self._place_device(device, spec, child.name, groups)
            if view is not None:
                self._add_new_initiators(view.get('hostId'), initiators)
            else:
                host = self.ensure_host(names, initiators, created)
                # Noted before it is made: an answer lost on the way
                # back must not leave a view the undo does not know.
                created.append(('view', names.view))
                self._create_view(names, host, created)
            lun = self._lun(names.view, device)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo_attach(device, spec, names, created, shared,
                                  placed)
        return Attachment(lun=lun, ports=ports, view=names.view,
                          placed=placed)

    def _create_view(self, names, host, created):
        try:
            self.api.create_masking_view(names.view, host,
                                         names.port_group, names.parent)
        except exception.Conflict:
            # It was there before: not this attach's to undo.
            created.remove(('view', names.view))
            raise

    def _existing_view(self, view):
        return polling.read_or_none(self.api.get_masking_view, view)

    def _ensure_child(self, names, child, created):
        """Make sure the parent exists and holds the child group.

        :returns: True when the parent was created by this call
        """
        new_parent = self._ensure_group(
            storagegroups.non_fast(names.parent), created)
        children = [] if new_parent else [
            c.lower() for c in self.groups.children(names.parent)]
        if child.name.lower() in children:
            return new_parent
        self._ensure_group(child, created)
        self.groups.add_child(names.parent, child.name)
        return new_parent

    def _ensure_group(self, spec, created):
        """Ensure a group, noting it in ``created`` if this call made it.

        It is noted before the request, so a group whose creation answer
        was lost is still removed by the undo (when empty).
        """
        created.append(('group', spec.name))
        made = self.groups.ensure(spec)
        if not made:
            created.remove(('group', spec.name))
        return made

    def _place_device(self, device, spec, child, groups):
        """Move the device from its default group into the host's child.

        The default group is the type's own or a numbered one after it,
        read from the device's own groups.

        A device shared with another host is no longer in any group with a
        service level (that host's copy was staged), so it is added.
        """
        if child in groups:
            return
        default = self.groups.default_in(spec.group, groups)
        if default:
            self.groups.move_volumes(default, child, [device])
        else:
            self.groups.add_volumes(child, [device])

    def _lun(self, view, device):
        rows = self.api.masking_view_connections(view, device)
        for row in rows:
            address = row.get('host_lun_address')
            if address:
                return int(address, 16)
        raise exception.PowerMaxError(reason=_(
            'masking view %(mv)s shows no LUN for device %(dev)s') % {
                'mv': view, 'dev': device})

    def host_labels(self, host: str) -> list:
        """The host's label, then its label before Ussuri if another."""
        return naming.host_labels(host,
                                  self.settings.short_host_name_template)

    def check_host(self, connector) -> str:
        """The connector's host label, refusing a host it cannot name.

        The label names the host's initiator group, masking views and
        locks: it must be plain letters, digits, ``_`` and ``-``.
        """
        if not isinstance(connector, dict):
            raise exception.InvalidConnector(
                key='connector', value=exception.quoted(connector, QUOTE),
                reason=_('a dict with host and initiators is required'))
        host = connector.get('host')
        if not isinstance(host, str) or not host.strip():
            raise exception.InvalidConnector(
                key='host', value=exception.quoted(host, QUOTE),
                reason=_('a host name is required'))
        label = naming.short_host_name(
            host, self.settings.short_host_name_template)
        if not HOST_LABEL.match(label):
            raise exception.InvalidConnector(
                key='host', value=exception.quoted(host, QUOTE),
                reason=_('only ASCII letters, digits, "-" and "_" can name '
                         'a host on the array'))
        return label

    def initiators(self, connector: dict) -> list:
        """The connector's initiators of the driver's protocol."""
        self.check_host(connector)
        found = initiator_ids.of(connector, self.protocol)
        if self.settings.initiator_check:
            initiator_ids.check_logged_in(self.api, self.serial,
                                          connector.get('host'), found)
        return found

    def ensure_host(self, names: HostNames, initiators: list,
                    created: list) -> str:
        """The initiator group for these initiators, made if missing.

        An initiator belongs to one initiator group only, so a group that
        already owns one of them is reused whatever its name; one with the
        conventional name gains initiators the host has added since.
        """
        name = self._initiator_owner(initiators) or names.initiator_group
        try:
            detail = self.api.get_host(name)
        except exception.NotFound:
            # A 404 here is not believed blindly either: the create of a
            # group that exists is refused, and it is used after all.
            created.append(('host', name))
            try:
                self.api.create_host(name, initiators)
                return name
            except exception.Conflict:
                created.remove(('host', name))
                detail = self.api.get_host(name)
        self._add_new_initiators(name, initiators, detail)
        return name

    def _initiator_owner(self, found):
        """The initiator group one of these initiators already belongs to."""
        for initiator in self.api.list_initiators(
                initiator_ids.query(found), in_a_host=True):
            host = self.api.get_initiator(initiator).get('host')
            if host:
                return host
        return None

    def _add_new_initiators(self, host, initiators, detail=None):
        """Initiators the host gained since its group was made join it."""
        if not host:
            return
        if detail is None:
            detail = self.api.get_host(host)
        known = {i.lower() for i in detail.get('initiator') or ()}
        missing = [i for i in initiators if i.lower() not in known]
        if missing:
            self.api.add_initiators(host, missing)

    def _undo_attach(self, device, spec, names, created, shared=False,
                     placed=True):
        """Put the device back and remove what this attach created.

        A device shared with another host only leaves this host's group;
        the caller returns the other host's copy to its FAST group. One
        the host saw before this attach (``placed`` False) stays.
        """
        try:
            # A view this attach made goes first: the array will not take
            # its last volume out while the view shows it.
            for kind, name in reversed(created):
                if kind == 'view':
                    _absent_ok(self.api.delete_masking_view, name)
            if placed:
                self._unplace(device, spec, names, shared)
            for kind, name in reversed(created):
                if kind == 'host':
                    _absent_ok(self.api.delete_host, name)
            self._remove_empty_groups(names)
            for kind, name in created:
                if kind == 'group':
                    self.groups.delete_if_empty(name)
        except exception.PowerMaxError as exc:
            LOG.warning('Could not fully undo the failed attach of %(dev)s '
                        'to %(host)s: %(err)s',
                        {'dev': device, 'host': names.label, 'err': exc})

    def _unplace(self, device, spec, names, shared):
        """Take the device out of the host's children after a failure."""
        groups = self.provision.device_groups(device)
        children = self.groups.children(names.parent)
        mine = [g for g in groups if g in children]
        if shared:
            for group in mine:
                self.groups.remove_volumes(group, [device])
        else:
            self._return_device(device, spec, mine)

    # -- multi-attach staging -------------------------------------------------

    def _other_hosts_children(self, groups, names):
        """FAST child groups of other hosts' views holding the device."""
        found = []
        for group in groups:
            if not naming.is_child_sg_name(group):
                continue
            detail = self.groups.get(group)
            parents = detail.get('parent_storage_group') or ()
            if storagegroups.has_level(detail) and parents and \
                    parents[0] != names.parent:
                found.append(detail)
        return found

    def fast_child(self, groups) -> Optional[dict]:
        """The host child group with a service level holding a device.

        An attached device is in one such group at most (the array
        allows a device in one group with a service level); other hosts
        see it through their ``No_SLO`` children.

        :param groups: the device's storage groups
        :returns: the group's detail, or None
        """
        for group in groups:
            if not naming.is_child_sg_name(group):
                continue
            detail = self.groups.get(group)
            if storagegroups.has_level(detail) and \
                    detail.get('parent_storage_group'):
                return detail
        return None

    def move_child(self, device: str, child: dict, spec, old_spec) -> str:
        """Move an attached device into the host's child group for ``spec``.

        The device stays masked throughout: it moves between two children
        of the same parent, and the target is made as an attach makes it.

        :param child: the detail of the child group holding it now
        :param old_spec: the intent the device was attached with; its
            child, left empty by an earlier, interrupted try, is removed
        :returns: the name of the group it is in afterwards
        """
        source = child['storageGroupId']
        names = self._names_of_parent(child['parent_storage_group'][0])
        if names is None:
            raise exception.PowerMaxError(reason=_(
                'device %(dev)s is in %(sg)s, which no OpenStack masking '
                'view shows') % {'dev': device, 'sg': source})
        target = self.child_spec(names, spec)
        # Limits first: a retype that fails after it has not moved the
        # device, and a child made for it is made with them.
        if self.groups.find(target.name) is not None:
            self.groups.replace_qos(target)
        if target.name != source:
            self._move_between_children(names, device, source, target)
        stale = self.child_spec(names, old_spec).name
        if stale != target.name:
            polling.best_effort(self._drop_if_empty, names, stale,
                                what='removal of emptied %s' % stale)
        return target.name

    @coordination.synchronized(HOST_LOCK)
    def _drop_if_empty(self, names, child):
        """Remove a host's child group that nothing uses any more."""
        detail = self.groups.find(child)
        if detail is not None and not detail.get('num_of_vols'):
            self.groups.drop_child(names.parent, child)

    def _stage_other_host(self, device, child):
        """Move another host's copy into that host's No_SLO child."""
        parent = child['parent_storage_group'][0]
        names = self._names_of_parent(parent)
        if names is None:
            raise exception.PowerMaxError(reason=_(
                'device %(dev)s is in %(sg)s, which no OpenStack masking '
                'view shows; it cannot be shared with another host') % {
                    'dev': device, 'sg': child['storageGroupId']})
        return self._move_between_children(
            names, device, child['storageGroupId'],
            storagegroups.non_fast(names.no_slo_child))

    @coordination.synchronized(HOST_LOCK)
    def _move_between_children(self, names, device, source, target):
        """Move the device between two children of one host's parent.

        Runs under that host's lock, never while another host's lock is
        held, so two hosts' operations cannot wait on each other.

        :returns: the target group's name
        """
        parent = names.parent
        created = []
        try:
            if target.name not in self.groups.children(parent):
                self._ensure_group(target, created)
                self.groups.add_child(parent, target.name)
            after = self.groups.move_volumes(source, target.name, [device])
        except Exception:
            with excutils.save_and_reraise_exception():
                self._drop_quietly(parent, created)
        if not after.get('num_of_vols'):
            # The move is done; the emptied source is only tidied away.
            polling.best_effort(self.groups.drop_child, parent, source,
                                what='removal of emptied %s' % source)
        return target.name

    def _names_of_parent(self, parent):
        """The host names behind the view over a parent storage group."""
        detail = self.groups.find(parent) or {}
        for view in detail.get('maskingview') or ():
            names = self._names_of_view(view)
            if names is not None:
                return names
        return None

    def _names_of_view(self, view):
        detail = polling.read_or_none(self.api.get_masking_view, view)
        if detail is None:
            return None
        port_group = detail.get('portGroupId')
        pg_label = naming.port_group_label(
            port_group, self.settings.port_group_name_template)
        label = naming.view_host_label(view, self.protocol, pg_label)
        if label is None:
            return None
        names = self.host_names_for_label(label, port_group)
        return dataclasses.replace(names, host=detail.get('hostId'))

    # -- detach ---------------------------------------------------------------

    def detach(self, device: str, spec, connector: Optional[dict]) -> list:
        """Unmask ``device`` from the connector's host (all hosts if None).

        :returns: the host names of each view the detach removed because
            the device was the last volume in it
        """
        return self._detach(device, spec, connector)

    @coordination.synchronized(DEVICE_LOCK)
    def _detach(self, device, spec, connector):
        groups = self.provision.device_groups(device)
        removed = []
        children = []
        views = self._views_of(groups, connector, children)
        if not views and connector:
            return self._finish_host_cleanup(device, groups, spec,
                                             connector)
        for names, mine in views:
            # Other hosts' children: a generic volume group's storage
            # group has no parent and does not make the device shared.
            others = [g for g in groups if g not in mine and
                      g in children]
            if self._detach_from_host(device, spec, names, mine, others):
                removed.append(names)
            groups = [g for g in groups if g not in mine]
            if others and len(views) == 1:
                self._unstage_survivor(device, spec, others)
        return removed

    def _views_of(self, groups, connector, children=None):
        """(host names, the host's child groups) of each view showing it.

        :param children: receives every group that has a parent
        """
        by_parent, views = {}, {}
        for group in groups:
            if not naming.is_child_sg_name(group, openstack_only=False):
                continue  # a default or parent group: not a view's child
            detail = self.groups.get(group)
            for parent in detail.get('parent_storage_group') or ():
                by_parent.setdefault(parent, []).append(group)
                # A child lists the views of its parent, as Unisphere
                # shows them: the parent need not be read for them.
                views.setdefault(parent, detail.get('maskingview') or [])
                if children is not None and group not in children:
                    children.append(group)
        found = []
        for parent, mine in sorted(by_parent.items()):
            names = next(filter(None, map(self._names_of_view, views[
                parent])), None) or self._names_of_parent(parent)
            if names is None:
                continue
            if connector is None or names.label in self.host_labels(
                    connector['host']):
                found.append((names, mine))
        return found

    def _finish_host_cleanup(self, device, groups, spec, connector):
        """Remove what an interrupted detach left for this host.

        The device is in none of the host's views any more (a detach that
        died after removing the view may have left it in the host's
        child group); a view left empty by an earlier, failed detach
        still goes now.
        """
        candidates = {spec.port_group} | set(self.settings.port_groups or ())
        removed = []
        for port_group in sorted(p for p in candidates if p):
            for label in self.host_labels(connector['host']):
                names = self.host_names_for_label(label, port_group)
                if self._cleanup_host(names, spec, device, groups):
                    removed.append(names)
        return removed

    @coordination.synchronized(HOST_LOCK)
    def _cleanup_host(self, names, spec, device, groups):
        stranded = [g for g in groups
                    if naming.is_child_sg_name(g, openstack_only=False)]
        if stranded:
            children = self.groups.children(names.parent)
            mine = [g for g in stranded if g in children]
            if mine:
                self._return_device(device, spec, mine)
        return self._tidy_host(names, spec)

    def _tidy_host(self, names, spec):
        """Remove what the host's detaches left empty (host lock held).

        :returns: True when the view went
        """
        gone = self._remove_empty_groups(names)
        # A child taken out of its parent before a failure is in no
        # parent's list any more: find it by the name it must have.
        for child in {self.child_spec(names, spec).name, names.no_slo_child}:
            detail = self.groups.find(child)
            if detail is not None and not detail.get('parent_storage_group'):
                self.groups.delete_if_empty(child, detail)
        return gone

    @coordination.synchronized(HOST_LOCK)
    def _detach_from_host(self, device, spec, names, mine, others):
        """Take the device out of one host's view.

        The array refuses to take the last volume out of the groups a
        masking view shows: when the device is the host's last volume,
        the view goes first.

        :returns: True when the view went with it (it was the last volume)
        """
        parent = self.groups.get(names.parent)
        last = int(parent.get('num_of_vols') or 0) <= 1
        try:
            if last:
                _absent_ok(self.api.delete_masking_view, names.view)
            emptied = self._leave_host(device, spec, mine, others)
        except exception.PowerMaxError:
            with excutils.save_and_reraise_exception():
                self._recover_detach(device, spec, names, last)
        try:
            return self._tidy_after_detach(names, parent, emptied, last)
        except exception.PowerMaxError as exc:
            # The device has left the view; what it left empty must not
            # stay behind because one clean-up call failed.
            LOG.warning('Cleaning up after the detach of %(dev)s from '
                        '%(host)s failed (%(err)s); trying again.',
                        {'dev': device, 'host': names.label, 'err': exc})
            return polling.retried(self._tidy_host, names, spec)

    def _leave_host(self, device, spec, mine, others):
        """Out of the host's children: back home, or just out if shared.

        :returns: the children left empty
        """
        if others:
            return [g for g in mine if not self.groups.remove_volumes(
                g, [device]).get('num_of_vols')]
        return self._return_device(device, spec, mine)

    def _recover_detach(self, device, spec, names, last):
        """After a failed detach step, leave no view-less debris.

        With the view gone first, the device must still go home; what it
        left empty (or may have, if an answer was lost) goes now.
        """
        if last:
            polling.best_effort(self._return_stranded, device, spec, names,
                                what='return of %s home' % device)
        polling.best_effort(self._tidy_host, names, spec,
                            what='clean-up of %s' % names.view)

    def _return_stranded(self, device, spec, names):
        children = self.groups.children(names.parent)
        mine = [g for g in self.provision.device_groups(device)
                if g in children]
        self._return_device(device, spec, mine)

    def _tidy_after_detach(self, names, parent, emptied, last):
        if not last:
            for child in emptied:
                self.groups.drop_child(names.parent, child)
            return False
        self._remove_view(names, parent, deleted=True)
        return True

    def _return_device(self, device, spec, groups):
        """Back to the default group, out of the host's children.

        :returns: the children left empty
        """
        if not groups:
            return []
        first, rest = groups[0], groups[1:]
        after = [self.groups.move_to_default(first, spec.group, [device],
                                             spec.home)]
        after += [self.groups.remove_volumes(g, [device]) for g in rest]
        return [g for g, detail in zip(groups, after)
                if not detail.get('num_of_vols')]

    def _unstage_survivor(self, device, spec, groups):
        """Return the last other host's copy to a FAST child group."""
        if not spec.service_level:
            return
        details = [self.groups.get(g)
                   for g in groups]
        if any(storagegroups.has_level(d) for d in details):
            return  # the survivor is FAST-managed already
        for group, detail in zip(groups, details):
            parent = (detail.get('parent_storage_group') or [None])[0]
            names = self._names_of_parent(parent) if parent else None
            if names is None or group != names.no_slo_child:
                continue
            self._move_between_children(names, device, group,
                                        self.child_spec(names, spec))
            return

    def _remove_view(self, names, parent, deleted=False):
        """Remove a host's emptied view, its groups and initiator group.

        :param deleted: True when the view is deleted already
        """
        if not deleted:
            _absent_ok(self.api.delete_masking_view, names.view)
        for child in parent.get('child_storage_group') or ():
            self.groups.drop_child(names.parent, child)
        # Children an earlier failure left out of the parent go too.
        self.groups.delete_orphans(
            naming.host_child_stem(names.label), lambda name: naming.
            is_host_child_name(name, names.label, names.pg_label))
        self.groups.delete_if_empty(names.parent, {})
        self._delete_host_if_unused(names.host or names.initiator_group,
                                    names)

    def _remove_empty_groups(self, names) -> bool:
        """Remove the host's view and groups if they hold no volume."""
        parent = self.groups.find(names.parent)
        if parent is None:
            self._delete_host_if_unused(names.initiator_group, names)
            return False
        if parent.get('num_of_vols'):
            for child in parent.get('child_storage_group') or ():
                self.groups.drop_child_if_empty(names.parent, child)
            return False
        self._remove_view(names, parent)
        return True

    def _delete_host_if_unused(self, host, names):
        if host != names.initiator_group:
            return  # not ours by name: the operator made it
        try:
            _absent_ok(self.api.delete_host, host)
        except (exception.Conflict, exception.BadRequest) as exc:
            # The array keeps a host another view uses; refused otherwise,
            # the detach fails and its repeat deletes it.
            detail = polling.read_or_none(self.api.get_host, host)
            if detail is not None and not detail.get('num_of_masking_views'):
                raise
            LOG.debug('Initiator group %(ig)s stays: %(err)s',
                      {'ig': host, 'err': exc})

    def _drop_quietly(self, parent, created):
        """Remove groups a failed staging made, as a best effort."""
        for _kind, name in created:
            try:
                detail = self.groups.find(name)
                if detail is None or detail.get('num_of_vols'):
                    continue  # gone, or the move happened after all
                if name in self.groups.children(parent):
                    self.groups.remove_child(parent, name)
                self.groups.delete_if_empty(name)
            except exception.PowerMaxError as exc:
                LOG.warning('Could not remove %(sg)s: %(err)s',
                            {'sg': name, 'err': exc})


def _absent_ok(delete, name) -> None:
    """Delete ``name``; one that is not there is as good as deleted."""
    try:
        delete(name)
    except exception.NotFound:
        pass


def _online(port: dict) -> bool:
    return (str(port.get('port_status', 'ON')).upper() == 'ON' and
            str(port.get('director_status', 'Online')).lower() == 'online')
