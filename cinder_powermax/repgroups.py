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

"""Replication groups: a group's storage group on both arrays of SRDF.

A group of a type with ``consistent_group_replication_enabled`` (or
``group_replication_enabled``) set to ``<is> True`` holds replicated
volumes only. Its storage group, named as any group's, exists on the
primary array with the members' R1s and on the target array with their
R2s; all its devices pair in the backend's one RDF group, so the
storage-group SRDF actions act on exactly the group's pairs: Suspend for
``disable_replication`` (pairs kept), Resume for ``enable_replication``,
Failover and Failback from the target side for ``failover_replication``.
Synchronous mode only, as seed 001 says.
"""

from __future__ import annotations

from cinder.objects import fields
from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax import groups
from cinder_powermax.i18n import _
from cinder_powermax import ownership
from cinder_powermax import rdf
from cinder_powermax import storagegroups

LOG = logging.getLogger(__name__)

#: Pair states a Resume (or Establish) has nothing to do for.
FLOWING = tuple(rdf.SYNCED)


def _replication_status(group):
    if not group.obj_attr_is_set('replication_status'):
        return None
    return group.replication_status


class ReplicationGroups:
    """The SRDF side of the replication groups of one backend.

    :param state: the backend's :class:`cinder_powermax.failover.Failover`
    """

    def __init__(self, state):
        self.state = state

    @property
    def replicator(self):
        """The Synchronous replicator, or None: groups replicate so."""
        return self.state.sync

    @property
    def active(self) -> str:
        """The serial of the array the backend acts on now."""
        return self.state.active().serial

    @property
    def promoting(self) -> bool:
        """The backend promotes its target: groups only lose volumes."""
        return self.state.promoting

    # -- checks ---------------------------------------------------------------

    def check_usable(self, key, value):
        """Refuse a replication group this backend cannot serve.

        :raises InvalidSpec: no ``replication_device``, or failed over
        """
        if self.replicator is None:
            raise exception.InvalidSpec(key=key, value=value, reason=_(
                'the group type asks for a replication group and this '
                'backend has no Synchronous replication_device '
                '(replication groups replicate in Synchronous mode only); '
                'configure one or use a group type without %s') % key)
        if self.active != self.replicator.primary:
            raise exception.InvalidSpec(key=key, value=value, reason=_(
                'the backend is failed over to array %s; replication groups '
                'are created and changed again after the failback') %
                self.active)

    @staticmethod
    def check_not_failed_over(group):
        """Refuse to change a group failed over on its own."""
        status = _replication_status(group)
        if status == fields.ReplicationStatus.FAILED_OVER:
            raise exception.InvalidSpec(
                key='replication_status', value=status, reason=_(
                    'group %s is failed over; fail it back '
                    '(--secondary-backend-id default) first') % group.id)

    @staticmethod
    def check_enabled(group):
        """Volumes join a replication group only while it replicates."""
        status = _replication_status(group)
        if status not in (None, fields.ReplicationStatus.ENABLED):
            raise exception.InvalidSpec(
                key='replication_status', value=status, reason=_(
                    'volumes are added to replication group %(id)s only '
                    'while its replication is %(ok)s; enable it first') % {
                        'id': group.id,
                        'ok': fields.ReplicationStatus.ENABLED})

    # -- the remote storage group ---------------------------------------------

    @property
    def remote(self):
        return self.replicator.arrays.get(self.replicator.target)

    def locate_remote(self, group):
        """The group's remote storage group, renamed as the group was."""
        return groups.locate_in(self.remote.groups, self.remote.serial,
                                group)

    def ensure_remote(self, name) -> bool:
        """The group's storage group on the target; True if made now."""
        made = self.remote.groups.ensure(storagegroups.non_fast(name))
        if not made and self.remote.groups.find(name) is None:
            # Refused as existing, yet not there: believe the listing.
            raise exception.PowerMaxError(reason=_(
                'storage group %(sg)s was refused as existing on array '
                '%(array)s but cannot be found') % {
                    'sg': name, 'array': self.remote.serial})
        return made

    def delete_remote(self, name) -> bool:
        """Delete the remote group if it is empty; True when gone."""
        if self.remote.groups.find(name) is None:
            return True
        return bool(self.remote.groups.delete_if_empty(name))

    def partners(self, devices) -> list:
        """The R2 of each R1 on the primary, in order."""
        partners = []
        for device in devices:
            serial, r2 = self.replicator.partner(self.replicator.primary,
                                                 device)
            if not r2 or serial != self.replicator.target:
                raise exception.PowerMaxError(reason=_(
                    'device %(dev)s on array %(array)s has no SRDF partner '
                    'on array %(target)s in RDF group %(label)s') % {
                        'dev': device, 'array': self.replicator.primary,
                        'target': self.replicator.target,
                        'label': self.replicator.label})
            partners.append(r2)
        return partners

    def add_remote(self, name, r2s) -> None:
        """Put R2 devices into the remote group ``name``."""
        if not r2s:
            return
        current = set()
        if self.remote.groups.find(name) is None:
            self.ensure_remote(name)
        else:
            current = set(self.remote.groups.volumes(name))
        joining = [d for d in r2s if d not in current]
        if joining:
            self.remote.groups.add_volumes(name, joining)

    def remove_remote(self, name, r2s) -> None:
        """Take R2 devices out of the remote group ``name``."""
        if not r2s or self.remote.groups.find(name) is None:
            return
        current = set(self.remote.groups.volumes(name))
        leaving = [d for d in r2s if d in current]
        if leaving:
            self.remote.groups.remove_volumes(name, leaving)

    def empty_remote(self, name) -> None:
        """Take every device out of the remote group (a group delete)."""
        if self.remote.groups.find(name) is None:
            return
        members = self.remote.groups.volumes(name)
        if members:
            self.remote.groups.remove_volumes(name, members)

    # -- SRDF actions ---------------------------------------------------------

    def enable(self, name) -> None:
        """Resume the group's pairs (Establish after a split)."""
        self.replicator.actions.group_action(
            self.replicator.primary, name, ('Resume', 'Establish'), FLOWING)

    def disable(self, name) -> None:
        """Suspend the group's pairs; they stay paired."""
        self.replicator.actions.group_action(
            self.replicator.primary, name, ('Suspend',), ('suspended',))

    def failover(self, name, back) -> None:
        """Fail the group's pairs over to the target, or back.

        Sent to the target array, where the R2s are, through the remote
        group: it works while the primary or the links are lost.
        """
        if back:
            actions, done = ('Failback',), FLOWING
        else:
            actions, done = ('Failover',), (rdf.FAILED_OVER,)
        self.replicator.actions.group_action(self.replicator.target, name,
                                             actions, done)

    def direction(self, secondary_backend_id) -> bool:
        """True for a failback, False for a failover; refuses others."""
        if secondary_backend_id == 'default':
            return True
        valid = (None, '', self.replicator.device.backend_id,
                 self.replicator.target, rdf.FAILED_OVER)
        if secondary_backend_id not in valid:
            raise exception.InvalidTarget(reason=_(
                'unknown secondary backend id %(id)s; valid: %(valid)s or '
                'default') % {'id': exception.quoted(secondary_backend_id),
                              'valid': ', '.join(v for v in valid if v)})
        return False

    def volume_updates(self, volumes, back, status) -> list:
        """Each member's update: its location on the side it is on now.

        A volume already on that side (a repeated failover) keeps its
        location; the others swap location and replication data.
        """
        destination = (self.replicator.primary if back
                       else self.replicator.target)
        updates = []
        for volume in volumes:
            update = {'id': volume.id, 'replication_status': status}
            if status != fields.ReplicationStatus.ERROR and \
                    ownership.location_array(
                        volume.provider_location) != destination:
                update.update(
                    provider_location=volume.replication_driver_data,
                    replication_driver_data=volume.provider_location)
            updates.append(update)
        return updates

    def run_failover(self, group, name, volumes, secondary_backend_id):
        """The group's failover or failback, as Cinder expects its result.

        A failed SRDF action gives ``replication_status = error`` to the
        group and its volumes, which keep their locations.

        :returns: (group update, volume updates)
        """
        back = self.direction(secondary_backend_id)
        status = (fields.ReplicationStatus.ENABLED if back
                  else fields.ReplicationStatus.FAILED_OVER)
        if volumes:
            remote = self.locate_remote(group) or name
            try:
                self.failover(remote, back)
            except exception.PowerMaxError as exc:
                LOG.error('Failover of replication group %(id)s (%(sg)s) '
                          'failed: %(err)s', {'id': group.id, 'sg': name,
                                              'err': exc})
                status = fields.ReplicationStatus.ERROR
        LOG.info('Replication group %(id)s: %(count)d volume(s) now '
                 '%(status)s.', {'id': group.id, 'count': len(volumes),
                                 'status': status})
        return ({'replication_status': status},
                self.volume_updates(volumes, back, status))
