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

"""Hosts and volumes as older deployments left them on the array.

Two kinds of leftovers:

* **Host labels before Ussuri.** Masking objects made before
  ``powermax_short_host_name_template`` existed carry the default rule's
  host label; once a template is set, a host is looked up (its views, its
  initiator group, its groups, for detach, zoning and clean-up) under the
  template's label first, then under the older one (:func:`host_labels`).
* **Masking before Pike.** The SMI-S drivers put a volume in a storage
  group of its own host, service level and workload
  (``OS-<host>-<srp>-<sl>-<wl>[-I|-F]-SG``, or ``OS-<host>-No_SLO...``)
  shown directly by views named the same way, shared by the views of
  several hosts. Such a device cannot join a second host's view, so live
  migration failed. On attach, a device still in one such group, of a
  volume Cinder records attached to exactly one host, is moved into this
  driver's masking for that host (:func:`adopt`), through the legacy
  view's initiator group and port group so the host keeps its path: the
  device joins the host's ``No_SLO`` child under a view of this driver
  first, then moves from the legacy group into the host's child with a
  service level; a legacy group left empty goes, with its views.
"""

from __future__ import annotations

import dataclasses

from cinder import coordination
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import storagegroups

LOG = logging.getLogger(__name__)

DEVICE_LOCK = naming.lock_template('vol', 'device')
HOST_LOCK = naming.lock_template('host', 'names.initiator_group')


def recorded_hosts(volume) -> list:
    """The hosts Cinder records the volume attached to."""
    if not volume.obj_attr_is_set('volume_attachment'):
        return []
    found = []
    for attachment in volume.volume_attachment or ():
        if attachment.attach_status != 'attached':
            continue
        host = attachment.attached_host or (attachment.connector or {}).get(
            'host')
        if host and host not in found:
            found.append(host)
    return found


class Adopter:
    """Moves pre-Pike masked devices into a masking of this driver.

    :param masking: the array's :class:`masking.Masking`
    """

    def __init__(self, masking):
        self.masking = masking
        self.serial = masking.serial
        self.groups = masking.groups
        self.api = masking.api
        self.srp = masking.array.srp

    def adopt(self, device: str, info: dict, spec, volume) -> bool:
        """Adopt ``device`` if it is in a pre-Pike group; a no-op if not.

        Costs nothing for a device of this driver: the device's groups
        (from ``info``, read already) are judged by name first.

        :param info: the device's detail
        :returns: True when the device was moved
        :raises PowerMaxError: for a legacy device that cannot be moved,
            naming why
        """
        groups = list(info.get('storageGroupId') or ())
        if len(groups) != 1 or naming.legacy_host_label(
                groups[0], self.srp) is None:
            return False
        views = self._legacy_views(groups[0])
        if not views:
            return False
        view = self._view_of_recorded_host(device, groups[0], views, volume)
        template = self.masking.settings.short_host_name_template
        label = naming.short_host_name(view['host'], template)
        names = dataclasses.replace(self.masking.host_names_for_label(
            label, view['portGroupId']), host=view['hostId'])
        if not self._adopt(device, groups[0], views, names, spec):
            return False
        LOG.info('Device %(dev)s of volume %(id)s left pre-Pike storage '
                 'group %(sg)s for masking view %(mv)s of host %(host)s.',
                 {'dev': device, 'id': volume.id, 'sg': groups[0],
                  'mv': names.view, 'host': view['host']})
        return True

    def _legacy_views(self, group) -> list:
        """The old-style views showing ``group`` directly, with details."""
        detail = self.groups.find(group) or {}
        if detail.get('parent_storage_group'):
            return []
        found = []
        for name in detail.get('maskingview') or ():
            label = naming.legacy_host_label(name, self.srp, view=True)
            view = label and polling.read_or_none(self.api.get_masking_view,
                                                  name)
            if view and view.get('storageGroupId') == group:
                found.append(dict(view, name=name, label=label))
        return found

    def _view_of_recorded_host(self, device, group, views, volume):
        hosts = recorded_hosts(volume)
        template = self.masking.settings.short_host_name_template
        for view in views:
            for host in hosts[:1] if len(hosts) == 1 else ():
                if view['label'] in naming.host_labels(host, template):
                    return dict(view, host=host)
        raise exception.PowerMaxError(reason=_(
            'device %(dev)s is in storage group %(sg)s of a release before '
            'Pike, shown by views %(views)s; it moves into this driver\'s '
            'masking when Cinder records it attached to exactly one of '
            'those hosts, and Cinder records %(hosts)s. Detach it from the '
            'other hosts (or attach it again) first') % {
                'dev': device, 'sg': group,
                'views': ', '.join(v['name'] for v in views),
                'hosts': ', '.join(recorded_hosts(volume)) or 'no host'})

    @coordination.synchronized(DEVICE_LOCK)
    def _adopt(self, device, legacy, views, names, spec):
        # Read again under the lock: another attach may have moved it.
        if self.masking.provision.device_groups(device) != [legacy]:
            return False
        self._adopt_for_host(device, legacy, views, names, spec)
        return True

    @coordination.synchronized(HOST_LOCK)
    def _adopt_for_host(self, device, legacy, views, names, spec):
        done = {'created': [], 'deleted_views': [], 'staged': False}
        try:
            self._stage(device, names, done)
            last = self.groups.volumes(legacy) == [device]
            if last:
                # The array keeps no view without a volume: the legacy
                # views go first (the host sees the device through this
                # driver's view by now).
                for view in views:
                    done['deleted_views'].append(view)
                    _absent_ok(self.api.delete_masking_view, view['name'])
            self._settle(device, legacy, names, spec, done)
        except Exception:
            with excutils.save_and_reraise_exception():
                self._undo(device, legacy, names, done)
        if last:
            polling.best_effort(self.groups.delete_if_empty, legacy,
                                what='removal of emptied %s' % legacy)

    def _stage(self, device, names, done):
        """The host sees the device through a view of this driver too."""
        created = done['created']
        for spec in (storagegroups.non_fast(names.parent),
                     storagegroups.non_fast(names.no_slo_child)):
            created.append(('group', spec.name))
            if not self.groups.ensure(spec):
                created.remove(('group', spec.name))
        if names.no_slo_child not in self.groups.children(names.parent):
            self.groups.add_child(names.parent, names.no_slo_child)
        done['staged'] = True
        self.groups.add_volumes(names.no_slo_child, [device])
        if polling.read_or_none(self.api.get_masking_view,
                                names.view) is None:
            created.append(('view', names.view))
            self.api.create_masking_view(names.view, names.host,
                                         names.port_group, names.parent)

    def _settle(self, device, legacy, names, spec, done):
        """Out of the legacy group, into the host's child of its type.

        The device stays in the host's view throughout: it leaves the
        legacy group while in the ``No_SLO`` child, then moves between
        the two children of the view's parent.
        """
        child = self.masking.child_spec(names, spec)
        if child.name != names.no_slo_child:
            done['created'].append(('group', child.name))
            if not self.groups.ensure(child):
                done['created'].remove(('group', child.name))
            if child.name not in self.groups.children(names.parent):
                self.groups.add_child(names.parent, child.name)
        self.groups.remove_volumes(legacy, [device])
        if child.name != names.no_slo_child:
            self.groups.move_volumes(names.no_slo_child, child.name,
                                     [device])
            polling.best_effort(self.groups.drop_child_if_empty,
                                names.parent, names.no_slo_child,
                                what='removal of %s' % names.no_slo_child)

    def _undo(self, device, legacy, names, done):
        """Back into the legacy group and views, as before the attach."""
        try:
            if legacy not in self.masking.provision.device_groups(device):
                # It left the legacy group: the host sees it through this
                # driver's view, which the next attach finishes with.
                return
            for view in done['deleted_views']:
                if polling.read_or_none(self.api.get_masking_view,
                                        view['name']) is None:
                    self.api.create_masking_view(
                        view['name'], view['hostId'], view['portGroupId'],
                        legacy)
            for kind, name in reversed(done['created']):
                if kind == 'view':
                    _absent_ok(self.api.delete_masking_view, name)
            if done['staged'] and names.no_slo_child in \
                    self.masking.provision.device_groups(device):
                self.groups.remove_volumes(names.no_slo_child, [device])
            for kind, name in reversed(done['created']):
                detail = self.groups.find(name) if kind == 'group' else None
                if detail is None or detail.get('num_of_vols'):
                    continue
                if name != names.parent:
                    self.groups.remove_child(names.parent, name)
                self.groups.delete_if_empty(name)
        except exception.PowerMaxError as exc:
            LOG.warning('Could not fully undo the move of device %(dev)s '
                        'out of %(sg)s: %(err)s',
                        {'dev': device, 'sg': legacy, 'err': exc})


def _absent_ok(delete, name) -> None:
    try:
        delete(name)
    except exception.NotFound:
        pass
