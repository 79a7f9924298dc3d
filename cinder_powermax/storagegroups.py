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

"""Storage groups of one array: the one place that reads and edits them.

Default groups (``OS-<srp>-<SL>-<WL>[-CD]-SG``, and past 4,096 devices the
numbered groups that follow them, ``...-2-SG`` and on: see
:func:`cinder_powermax.naming.rollover_sg_name`), a host's parent group and
its FAST and non-FAST children are all created, filled, emptied, cascaded,
given host I/O limits and deleted here; the provisioner, masking and the
orchestrator ask this module and never edit a group themselves. Every step
is idempotent by name: a group that exists is reused, one already gone is
gone.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import threading
from typing import Callable, Iterable, Optional

from cinder import coordination
from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import coalesce
from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import utils

LOG = logging.getLogger(__name__)

GROUP_LOCK = naming.lock_template('sg', 'name')
GROUP_GONE_RETRIES = 3
# A group holding any of these is in use and must not be deleted.
IN_USE_KEYS = ('num_of_vols', 'num_of_child_sgs', 'num_of_parent_sgs',
               'num_of_masking_views')


@dataclasses.dataclass(frozen=True)
class GroupSpec:
    """What a storage group must look like.

    :ivar name: the storage group name, which encodes the other fields
    :ivar srp: SRP name, None for a non-FAST group
    :ivar service_level: service level, None for a non-FAST group
    :ivar workload: workload (``NONE`` where the array has none)
    :ivar no_compression: True/False, None where the array cannot compress
    :ivar host_io_limits: ``setHostIOLimitsParam`` keys for QoS, or {}
    """

    name: str
    srp: Optional[str]
    service_level: Optional[str]
    workload: Optional[str] = 'NONE'
    no_compression: Optional[bool] = None
    host_io_limits: dict = dataclasses.field(default_factory=dict)


def _group_gone(exc: Exception) -> bool:
    """Whether a failed create failed because its group does not exist."""
    if isinstance(exc, exception.NotFound):
        return True
    return 'cannot be found' in str(getattr(exc, 'result', '')).lower()


def group_full(exc: Exception) -> bool:
    """Whether the array refused an edit because the group is full."""
    text = '%s %s' % (exc, getattr(exc, 'result', ''))
    return 'maximum allowed devices for a storage group' in text.lower()


def numbered(spec: GroupSpec, number: int) -> GroupSpec:
    """The ``number``-th default group of the kind of ``spec``.

    The same service level, workload, compression and host I/O limits;
    only the name differs (:func:`naming.rollover_sg_name`).
    """
    return dataclasses.replace(
        spec, name=naming.rollover_sg_name(spec.name, number))


def non_fast(name: str) -> GroupSpec:
    """A group without service level: a parent or a ``No_SLO`` child."""
    return GroupSpec(name=name, srp=None, service_level=None, workload=None)


def has_level(group: dict) -> bool:
    """Whether a group as read from the array has a service level."""
    return str(group.get('slo') or 'NONE').upper() != 'NONE'


class StorageGroups:
    """Reads and edits of the storage groups of one array.

    :param sloprov: the array's
        :class:`cinder_powermax.unisphere.sloprovisioning.SloProvisioning`
    """

    def __init__(self, sloprov, max_batch: int = coalesce.DEFAULT_MAX_BATCH,
                 deadline: float = 600.0):
        self.api = sloprov
        self.serial = sloprov.serial
        self._inflight: collections.Counter = collections.Counter()
        self._inflight_lock = threading.Lock()
        # Per default group: the number of the group this process fills
        # now (1, or a further group once the first was full).
        self._filling: dict = {}
        self.creates = coalesce.Coalescer(
            functools.partial(self._edit, sloprov.create_volume_in_group),
            functools.partial(self._edit, sloprov.create_volumes_in_group),
            max_batch=max_batch, deadline=deadline)

    # -- reading --------------------------------------------------------------

    def get(self, name: str) -> dict:
        """The group as the array shows it.

        :raises NotFound: when it does not exist
        """
        return self.api.get_storage_group(name)

    def find(self, name: str) -> Optional[dict]:
        """The group, or None when it is confirmed not to exist."""
        return polling.read_or_none(self.get, name)

    def children(self, parent: str) -> list:
        """The child groups of ``parent`` (none when it is gone)."""
        detail = self.find(parent)
        return list((detail or {}).get('child_storage_group') or ())

    # -- creating and deleting ------------------------------------------------

    def ensure(self, spec: GroupSpec) -> bool:
        """Create the storage group unless it exists already.

        :returns: True when this call created it
        """
        try:
            self.api.create_storage_group(
                spec.name, srp=spec.srp, service_level=spec.service_level,
                workload=spec.workload, no_compression=spec.no_compression,
                host_io_limits=spec.host_io_limits or None)
        except exception.Conflict:
            LOG.debug('Storage group %(sg)s already exists.',
                      {'sg': spec.name})
            return False
        except exception.PowerMaxError as exc:
            if not exception.outcome_unknown(exc) or self.find(
                    spec.name) is None:
                raise
            if not isinstance(exc, exception.UnreadableAnswer):
                # It exists, made by this call or before it: use it,
                # but do not count it as this call's to undo.
                return False
            # A success answer that could not be read: this call made it
            # (one there before is refused with a 409).
        LOG.info('Created storage group %(sg)s on %(array)s.',
                 {'sg': spec.name, 'array': self.serial})
        return True

    def delete_if_empty(self, name: str,
                        group: Optional[dict] = None) -> bool:
        """Delete a host's storage group that holds nothing any more.

        For a host's parent and child groups, which only operations
        holding the host's lock change: the caller's read is trusted.

        :param name: the storage group name
        :param group: the group as last read under that lock (read now
            when None)
        :returns: True when the group is gone afterwards
        """
        if group is None:
            group = self.find(name)
            if group is None:
                return True
        if any(group.get(key) for key in IN_USE_KEYS):
            return False
        return self._delete(name)

    def delete_default_if_empty(self, name: str,
                                group: Optional[dict] = None) -> bool:
        """Delete a default storage group that holds nothing any more.

        Creates and deletes of any volume of the same type share it, in
        this and in other cinder-volume processes: it is read again under
        its lock, and a create of this process under way keeps it.

        :param group: the group as last read; one that shows it in use
            spares taking the lock
        """
        if group is not None and any(group.get(k) for k in IN_USE_KEYS):
            return False
        return self._delete_default_if_empty(name)

    @coordination.synchronized(GROUP_LOCK)
    def _delete_default_if_empty(self, name):
        with self._inflight_lock:
            if self._inflight[name]:
                # A create of this process is putting a device in it.
                return False
        return self.delete_if_empty(name)

    def _delete(self, name):
        try:
            self.api.delete_storage_group(name)
        except exception.NotFound:
            pass
        except exception.Conflict as exc:
            # The array refuses a group in a masking view, or cascaded;
            # not one holding devices (it deletes it and leaves them in
            # no group: the callers' locks keep devices out meanwhile).
            # A refusal of a group that is still unused is an error, to
            # retry.
            again = self.find(name)
            if again is None:
                return True
            if not any(again.get(key) for key in IN_USE_KEYS):
                raise
            LOG.debug('Storage group %(sg)s kept: %(err)s',
                      {'sg': name, 'err': exc})
            return False
        LOG.info('Deleted empty storage group %(sg)s.', {'sg': name})
        return True

    # -- volumes --------------------------------------------------------------

    def create_volume(self, spec: GroupSpec, size_gb: int,
                      identifier: str) -> tuple:
        """Create a device in a default group of ``spec``'s kind.

        The device goes to the group this process fills now: ``spec``'s
        own, or a numbered group after it once that was full (the array
        refuses a 4,097th device; the refusal moves this and later creates
        on). Concurrent creates into the same group share one edit
        (:mod:`cinder_powermax.coalesce`).

        A default group emptied by one operation may be deleted by it
        while another's create is on its way in: a create that finds its
        group gone (a 404, or a job that failed because the group went
        while it ran) makes the group again and goes again, a few times.

        :returns: (the new device id, or None when the edit did not say
            which it is; the group it is in)
        """
        return self.fill_numbered(spec, lambda target, _number: (
            self._create_in_group(target, size_gb, identifier),
            target.name))

    def _create_in_group(self, target, size_gb, identifier):
        """Create the device in group ``target``, which may be full.

        A shared edit that failed is tried again with this device alone;
        a group that went meanwhile is made again, a few times.

        :raises: the array's refusal when the group is full
        """
        alone, gone = False, 0
        for _attempt in range(GROUP_GONE_RETRIES + 1):
            try:
                return self._create_in(target.name, size_gb, identifier,
                                       alone)
            except coalesce.BatchFailed as failed:
                # A shared edit failed: this device may have been made
                # all the same, or not be what made it fail.
                device = self._made_anyway(identifier)
                if device:
                    return device
                error = failed.cause
                if group_full(error):
                    raise error
                if not _group_gone(error):
                    if exception.outcome_unknown(error) and not isinstance(
                            error, exception.JobFailed):
                        raise error
                    alone = True  # split: each device goes alone
                    continue
            except (exception.NotFound, exception.BadRequest,
                    exception.JobFailed) as exc:
                if not _group_gone(exc):
                    raise
                error = exc
            gone += 1
            if gone == GROUP_GONE_RETRIES:
                raise error
            LOG.info('Storage group %(sg)s is gone; making it again for '
                     '%(name)s.', {'sg': target.name, 'name': identifier})
            self.ensure(target)
        raise error

    def _create_in(self, group, size_gb, identifier, alone):
        self._track(group, 1)
        try:
            return self.creates.create(group, size_gb, identifier, alone)
        finally:
            self._track(group, -1)

    def _made_anyway(self, identifier):
        found = self.api.find_volumes(identifier)
        return found[0] if len(found) == 1 else None

    # -- the default groups of one kind ---------------------------------------

    def filling(self, spec: GroupSpec) -> int:
        """The number of the default group this process fills now."""
        with self._inflight_lock:
            return self._filling.get(spec.name, 1)

    def filled(self, spec: GroupSpec, number: int, exc: Exception) -> int:
        """Note that group ``number`` is full; the number to fill next.

        :raises: ``exc`` when the last group there may be is full too
        """
        if number >= naming.ROLLOVER_MAX:
            raise exc
        with self._inflight_lock:
            after = max(self._filling.get(spec.name, 1), number + 1)
            self._filling[spec.name] = after
        LOG.info('Storage group %(sg)s is full; volumes of its kind go to '
                 '%(next)s.', {'sg': numbered(spec, number).name,
                               'next': numbered(spec, after).name})
        return after

    def fill_numbered(self, spec: GroupSpec, put: Callable,
                      start: Optional[int] = None):
        """Run ``put`` on the default group of ``spec``'s kind with room.

        The one rollover rule of the driver, for plain and replicated
        creates and for devices that retype, manage or detach moves into
        a default group: ``put(group spec, number)`` is called with the
        group this process fills now (or ``start``); when the array
        refuses it as full (:func:`group_full`), the next numbered group
        is noted as the one to fill and ``put`` goes again with it, up to
        the last there may be (:data:`naming.ROLLOVER_MAX`).

        :param put: does the edit; raises the array's refusal of a full
            group as it came
        :param start: the number to try first
        :returns: what ``put`` returns
        """
        number = start or self.filling(spec)
        for _group in range(naming.ROLLOVER_MAX):
            try:
                return put(numbered(spec, number), number)
            except (exception.BadRequest, exception.JobFailed) as exc:
                if not group_full(exc):
                    raise
                number = self.filled(spec, number, exc)
        raise exception.PowerMaxError(reason=_(
            'every default group of the kind of %s is full') % spec.name)

    @staticmethod
    def default_in(spec: GroupSpec, groups: Iterable[str]) -> Optional[str]:
        """The default group of ``spec``'s kind among ``groups``.

        :param groups: a device's storage groups
        :returns: ``spec``'s group or a numbered one after it, or None
        """
        for group in groups:
            if naming.rollover_number(group, spec.name):
                return group
        return None

    def into_default(self, spec: GroupSpec, devices: Iterable[str],
                     source: Optional[str] = None,
                     number: Optional[int] = None) -> tuple:
        """Put devices in a default group of ``spec``'s kind with room.

        The group this process fills now first; a full one is passed over
        for the next, a missing one is made.

        :param source: the group to move them out of (None: they are
            added)
        :param number: the numbered group to try first instead (a
            replicated device's home, the number of its partner's group)
        :returns: (the group they went to, the source group as it is
            afterwards or {})
        """
        devices = list(devices)
        created = []

        def put(target, _number):
            return target.name, self._add_or_move_made(target, devices,
                                                       source, created)
        try:
            return self.fill_numbered(spec, put, number)
        except Exception:
            with excutils.save_and_reraise_exception():
                for name in created:
                    # Made for these devices, which did not go in.
                    polling.best_effort(self.delete_default_if_empty,
                                        name, what='removal of ' + name)

    def _add_or_move_made(self, target, devices, source, created):
        """Add or move devices into ``target``, made when missing.

        :param created: receives the name of the group when made here
        :returns: the source group as it is afterwards, or {}
        """
        try:
            return self._add_or_move(target.name, devices, source)
        except exception.NotFound:
            if self.ensure(target):
                created.append(target.name)
        return self._add_or_move(target.name, devices, source)

    @coordination.synchronized(GROUP_LOCK)
    def _add_or_move(self, name, devices, source):
        """Put devices in default group ``name``, under its lock.

        As for creates (:meth:`_edit`): a delete-if-empty of the group,
        in any process, must not see them land between its read and its
        delete, which would leave them in no group.
        """
        if source is None:
            self.add_volumes(name, devices)
            return {}
        return self.move_volumes(source, name, devices)

    def create_replicated_volume(self, spec: GroupSpec, size_gb: int,
                                 identifier: str, remote_array: str,
                                 remote_group: str) -> Optional[str]:
        """Create a device in an SRDF-protected group, with its R2.

        One edit of the group: the array makes the partner in
        ``remote_group`` on ``remote_array`` and pairs it. The caller
        holds the RDF group's lock, which keeps the group from going.

        :returns: the new device id, or None when the job did not say it
        """
        return self.api.create_volume_in_group(
            spec.name, size_gb, identifier, (remote_array, remote_group))

    def create_volume_here(self, spec: GroupSpec, size_gb: int,
                           identifier: str) -> Optional[str]:
        """Create a device in ``spec``'s group itself, never another.

        For a replicated group about to be protected, whose number must
        match its partner's: a full group is the caller's to pass over
        (:func:`group_full`). The caller holds the RDF group's lock.

        :returns: the new device id, or None when the job did not say it
        """
        return self.api.create_volume_in_group(spec.name, size_gb,
                                               identifier)

    def add_replicated_volumes(self, group: str, devices: Iterable[str],
                               remote_array: str, remote_group: str) -> None:
        """Add devices to an SRDF-protected group, pairing them."""
        self.api.add_replicated_volumes(group, devices, remote_array,
                                        remote_group)

    def remove_replicated_volumes(self, group: str, devices: Iterable[str],
                                  remote_array: str, remote_group: str,
                                  force: bool = False) -> dict:
        """Take paired devices out of a group and their R2s out of theirs.

        The array deletes the pairs; both devices stay.

        :param force: for groups replicating in Asynchronous or Metro mode
        :returns: the group as it is afterwards
        """
        return self.api.remove_replicated_volumes(group, devices,
                                                  remote_array, remote_group,
                                                  force)

    @coordination.synchronized(GROUP_LOCK)
    def _edit(self, create, name, *args):
        """Put new devices in a default group, under the group's lock.

        The array deletes a group with devices in it (they are left in no
        group), so a delete-if-empty, which holds this lock from its read
        to its delete, must not see a device land in between, whichever
        process makes it.
        """
        return create(name, *args)

    def _track(self, name, delta):
        """Count this process's creates into a group.

        A delete-if-empty of this process never deletes a group a create
        has started to fill; one that deleted it just before (of this
        process or another) is followed by the create's edit, which waits
        for the group's lock (see :meth:`_edit`), finds the group gone and
        goes again. Not under the group's lock: creates queue for the next
        shared edit while one runs under it.
        """
        with self._inflight_lock:
            self._inflight[name] += delta
            if not self._inflight[name]:
                del self._inflight[name]

    def add_volumes(self, group: str, devices: Iterable[str]) -> None:
        """Put devices in a group; a lost answer is read back."""
        devices = list(devices)
        try:
            self.api.add_volumes(group, devices)
        except exception.PowerMaxError as exc:
            if not self._happened(exc, devices, lambda g: group in g):
                raise

    def remove_volumes(self, group: str, devices: Iterable[str]) -> dict:
        """Take devices out of a group.

        :returns: the group as it is afterwards
        """
        devices = list(devices)
        try:
            return self.api.remove_volumes(group, devices)
        except exception.PowerMaxError as exc:
            if not self._happened(exc, devices, lambda g: group not in g):
                raise
            return self.find(group) or {}

    def move_volumes(self, source: str, target: str,
                     devices: Iterable[str]) -> dict:
        """Move devices between groups without unmasking them.

        :returns: the source group as it is afterwards
        """
        devices = list(devices)
        try:
            return self.api.move_volumes(source, target, devices,
                                         force=True)
        except exception.PowerMaxError as exc:
            if not self._happened(exc, devices, lambda g: target in g):
                raise
            return self.find(source) or {}

    def _happened(self, exc, devices, done) -> bool:
        """Whether an edit whose answer was lost was made all the same.

        :param done: tells from a device's groups that the edit was made
        """
        if not exception.outcome_unknown(exc):
            return False
        for device in devices:
            groups = self.api.get_volume(device).get('storageGroupId')
            if not done(groups or ()):
                return False
        LOG.info('The edit of %(devs)s was made although its answer was '
                 'lost (%(err)s).', {'devs': devices, 'err': exc})
        return True

    def move_to_default(self, source: str, spec: GroupSpec,
                        devices: Iterable[str],
                        number: Optional[int] = None) -> dict:
        """Move devices back to a default group of their kind.

        The default group went when its last volume was attached elsewhere
        and another volume was deleted: it is made again. A full one is
        passed over for the next (:meth:`into_default`).

        :param number: the numbered group to try first (see
            :meth:`into_default`)
        :returns: the source group as it is afterwards
        """
        return self.into_default(spec, devices, source, number)[1]

    # -- generic volume groups' storage groups --------------------------------

    def volumes(self, name: str) -> list[str]:
        """The device ids in the group (through its children)."""
        return self.api.group_volumes(name)

    def member_identifiers(self, name: str) -> dict:
        """The group's devices by their identifiers, in one read."""
        found = {}
        for entry in self.api.private_volumes({'storageGroupId': name}):
            header = entry.get('volumeHeader') or {}
            if header.get('userDefinedIdentifier'):
                found[header['userDefinedIdentifier']] = header['volumeId']
        return found

    def delete_orphans(self, stem: str, ours: Callable[[str], bool]) -> None:
        """Delete groups ``ours`` accepts that no parent holds, if empty.

        For a host's child groups a failure took out of their parent and
        could not delete: no parent lists them any more, so the groups
        named like ``stem`` are listed; each is read before its delete.
        """
        for name in self.named_like(stem):
            detail = self.find(name) if ours(name) else None
            if detail is not None:
                # Unless it holds devices or is in a parent or a view.
                self.delete_if_empty(name, detail)

    def named_like(self, text: str) -> list[str]:
        """Names of the groups whose name contains ``text``."""
        return self.api.list_storage_groups(text)

    def rename(self, name: str, new_name: str) -> None:
        """Rename a group; one that already has the new name is success."""
        try:
            self.api.rename_storage_group(name, new_name)
        except exception.PowerMaxError:
            if self.find(new_name) is None:
                raise
        LOG.info('Renamed storage group %(old)s to %(new)s.',
                 {'old': name, 'new': new_name})

    # -- cascading ------------------------------------------------------------

    def add_child(self, parent: str, child: str) -> None:
        """Cascade ``child`` under ``parent``; already so is success."""
        try:
            self.api.add_child_group(parent, child)
        except (exception.Conflict, exception.BadRequest):
            if child not in self.children(parent):
                raise
            LOG.debug('%(child)s is a child of %(parent)s already.',
                      {'child': child, 'parent': parent})

    def remove_child(self, parent: str, child: str) -> None:
        """Take ``child`` out of ``parent``; not its child is success."""
        try:
            self.api.remove_child_group(parent, child)
        except (exception.NotFound, exception.BadRequest):
            if child in self.children(parent):
                raise
            LOG.debug('%(child)s is not a child of %(parent)s any more.',
                      {'child': child, 'parent': parent})

    def drop_child(self, parent: str, child: str) -> None:
        """Take an emptied child out of its parent and delete it."""
        self.remove_child(parent, child)
        self.delete_if_empty(child, {})

    def drop_child_if_empty(self, parent: str, child: str) -> None:
        if not self.get(child).get('num_of_vols'):
            self.drop_child(parent, child)

    # -- host I/O limits (QoS) ------------------------------------------------

    def apply_qos(self, spec: GroupSpec,
                  group: Optional[str] = None) -> None:
        """Give the group the spec's host I/O limits.

        Only the limits that differ from what the group has are sent.

        :param group: the group, when a numbered one of ``spec``'s kind
        """
        if not spec.host_io_limits:
            return
        name = group or spec.name
        current = self.get(name)
        changes = utils.qos_changes(current.get('hostIOLimit'),
                                    spec.host_io_limits)
        if changes:
            self.api.set_host_io_limits(name, changes)

    def replace_qos(self, spec: GroupSpec,
                    group: Optional[str] = None) -> None:
        """Give the group the spec's host I/O limits and no others.

        A spec without limits takes away the limits the group has.

        :param group: the group, when a numbered one of ``spec``'s kind
        """
        name = group or spec.name
        current = self.get(name)
        changes = utils.qos_replacement(current.get('hostIOLimit'),
                                        spec.host_io_limits)
        if changes:
            self.api.set_host_io_limits(name, changes)
