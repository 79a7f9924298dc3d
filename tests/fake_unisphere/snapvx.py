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

"""SnapVX snapshots of an array: instances, links and restore sessions.

A mixin of :class:`tests.fake_unisphere.model.Array`. ``array.snapshots``
maps a source device to its instances, oldest first; each instance holds
its links (a restore session is a pseudo-link whose target is the source
itself). ``snapvx_source`` / ``snapvx_target`` and the reverse lookup
from a target (:meth:`SnapVXRules.links_to`) are computed, never stored.

Time: the rules take ``now`` (the fake's clock) and a copy ``duration``
(``latency.job_duration``); :meth:`SnapVXRules.advance_snapvx`, run on
every request before jobs, completes copies and restores whose time has
come and terminates expired, unlinked instances.

A ``snap_id`` is allocated per create request: instances created together
(one request, several sources) share it, as a snapshot set does on the
array; it is unique per source device.
"""

import dataclasses
import re
import typing

from tests.fake_unisphere import errors

SNAP_NAME_RE = re.compile(r'^[A-Za-z0-9_-]{1,32}$')
MAX_SESSIONS = 256
FIRST_SNAP_ID = 118749976833

LINKED, COPY_IN_PROG, COPIED = 'Linked', 'CopyInProg', 'Copied'
RESTORE_IN_PROG, RESTORED = 'RestoreInProg', 'Restored'
ESTABLISHED = 'Established'
TORN = 'partial:'


def torn(content: str) -> str:
    """What a device holds when a copy of ``content`` stopped half way."""
    if not content or content.startswith(TORN):
        return content
    return TORN + content


@dataclasses.dataclass
class SnapLink:
    """A link from an instance to a target (or a restore pseudo-link)."""

    target: str
    copy: bool
    state: str
    defined: bool
    created: float
    ready_at: float
    restore: bool = False

    @property
    def in_progress(self) -> bool:
        return self.state in (COPY_IN_PROG, RESTORE_IN_PROG)

    @property
    def percent_copied(self) -> int:
        return 100 if self.state in (COPIED, RESTORED) else 0


@dataclasses.dataclass
class SnapInstance:
    """One snapshot instance of one source device."""

    source: str
    name: str
    snap_id: int
    created: float
    ttl_hours: float = 0
    expiry: typing.Optional[float] = None
    secured: bool = False
    expired: bool = False
    generation: int = 0  # recomputed by the array on every change
    links: list = dataclasses.field(default_factory=list)
    # The source's data at the point in time the snapshot was taken.
    content: str = ''

    @property
    def real_links(self) -> typing.List[SnapLink]:
        return [link for link in self.links if not link.restore]

    @property
    def restore_link(self) -> typing.Optional[SnapLink]:
        for link in self.links:
            if link.restore:
                return link
        return None

    @property
    def state(self) -> str:
        restore = self.restore_link
        return restore.state if restore is not None else ESTABLISHED

    def describe(self, snap_id_capable: bool = True) -> str:
        key = ('snap_id %s' % self.snap_id if snap_id_capable
               else 'generation %s' % self.generation)
        return 'snapshot %s (%s) of device %s' % (
            self.name, key, self.source)


def check_snap_name(name: typing.Any) -> str:
    if not isinstance(name, str) or not SNAP_NAME_RE.match(name):
        raise errors.invalid('The snapshot name %r is not valid: 1-32 '
                             'characters of A-Z, a-z, 0-9, _ and -' % (
                                 name,))
    return name


class SnapVXRules:
    """SnapVX rules; mixed into the array class."""

    _next_snap_id = FIRST_SNAP_ID

    # -- identity and computed relations ------------------------------------

    @property
    def snap_id_capable(self) -> bool:
        """5978 with minor >= 660, or 6079 and later (reference 7.1)."""
        major, minor = self.ucode_parts[:2]
        return (major == 5978 and minor >= 660) or major >= 6079

    def snapshots_of(self, device_id: str) -> typing.List[SnapInstance]:
        """Instances whose source is ``device_id``, oldest first."""
        return list(self.snapshots.get(device_id, ()))

    def links_to(self, device_id: str) -> typing.List[
            typing.Tuple[str, SnapInstance, SnapLink]]:
        """(source, instance, link) for every real link targeting it."""
        found = []
        for source, instances in sorted(self.snapshots.items()):
            for instance in instances:
                for link in instance.real_links:
                    if link.target == device_id:
                        found.append((source, instance, link))
        return found

    def is_snapvx_source(self, device_id: str) -> bool:
        return bool(self.snapshots.get(device_id))

    def is_snapvx_target(self, device_id: str) -> bool:
        return bool(self.links_to(device_id))

    def _renumber(self, device_id: str) -> None:
        seen: typing.Dict[str, int] = {}
        for instance in reversed(self.snapshots.get(device_id, [])):
            instance.generation = seen.get(instance.name, 0)
            seen[instance.name] = instance.generation + 1

    # -- lookups ------------------------------------------------------------

    def find_snapshot(self, device_id: str, name: str,
                      snap_id: typing.Optional[int] = None,
                      generation: typing.Optional[int] = None
                      ) -> SnapInstance:
        """The instance ``name`` of ``device_id`` by snap_id or generation.

        Without either, generation 0 (the newest of that name).
        """
        self.volume(device_id)
        for instance in self.snapshots.get(device_id, ()):
            if instance.name != name:
                continue
            if snap_id is not None:
                if instance.snap_id == snap_id:
                    return instance
            elif instance.generation == (generation or 0):
                return instance
        key = ('snap_id %s' % snap_id if snap_id is not None
               else 'generation %s' % (generation or 0))
        raise errors.ArrayError(
            404, 'Snapshot %s (%s) cannot be found on device %s' % (
                name, key, device_id))

    def _instances(self, name: str, devices: typing.List[str],
                   snap_id: typing.Optional[int],
                   generation: typing.Optional[int]
                   ) -> typing.List[SnapInstance]:
        return [self.find_snapshot(d, name, snap_id, generation)
                for d in devices]

    # -- create, rename, delete ----------------------------------------------

    def create_snapshot(self, name: str, devices: typing.List[str],
                        now: float, ttl_hours: float = 0
                        ) -> typing.List[SnapInstance]:
        """One new instance of ``name`` per source device (one snap_id)."""
        check_snap_name(name)
        if not devices:
            raise errors.invalid('deviceNameListSource must name at least '
                                 'one device')
        for device_id in devices:
            self.volume(device_id)
            if len(self.snapshots.get(device_id, ())) >= MAX_SESSIONS:
                raise errors.conflict(
                    'The maximum number of sessions has been exceeded for '
                    'the specified Source device %s' % device_id)
        if ttl_hours < 0:
            raise errors.invalid('timeToLive must not be negative')
        snap_id = self._next_snap_id
        self._next_snap_id = snap_id + 1
        created = []
        for device_id in devices:
            instance = SnapInstance(
                device_id, name, snap_id, now, ttl_hours,
                now + ttl_hours * 3600.0 if ttl_hours else None,
                content=self.volumes[device_id].content)
            self.snapshots.setdefault(device_id, []).append(instance)
            self._renumber(device_id)
            created.append(instance)
        return created

    def rename_snapshot(self, name: str, devices: typing.List[str],
                        new_name: str, snap_id: typing.Optional[int] = None,
                        generation: typing.Optional[int] = None) -> None:
        check_snap_name(new_name)
        instances = self._instances(name, devices, snap_id, generation)
        for instance in instances:
            instance.name = new_name
            self._renumber(instance.source)

    def delete_snapshot(self, name: str, devices: typing.List[str],
                        snap_id: typing.Optional[int] = None,
                        generation: typing.Optional[int] = None,
                        restore: bool = False,
                        with_restore: bool = False) -> None:
        """Terminate instances, or with ``restore`` their restore session.

        :param with_restore: a finished (Restored) restore session ends
            with its snapshot: the storage-group API has no other way to
            end it
        """
        instances = self._instances(name, devices, snap_id, generation)
        for instance in instances:
            what = instance.describe(self.snap_id_capable)
            session = instance.restore_link
            if restore:
                if session is None:
                    raise errors.invalid('There is no restore session of '
                                         '%s to terminate' % what)
                if session.in_progress:
                    raise errors.conflict(
                        'The restore of %s is still in progress; it can be '
                        'terminated once Restored' % what)
                continue
            targets = [link.target for link in instance.real_links]
            if targets:
                raise errors.conflict(
                    'Cannot terminate %s: it has linked target(s) %s; '
                    'unlink them first' % (what, ', '.join(targets)))
            if session is not None and (session.in_progress
                                        or not with_restore):
                raise errors.conflict(
                    'Cannot terminate %s: it has a restore session %s; '
                    'terminate the restore first' % (what, session.state))
        for instance in instances:
            if restore:
                instance.links.remove(instance.restore_link)
            else:
                self._drop(instance)

    def _drop(self, instance: SnapInstance) -> None:
        instances = self.snapshots[instance.source]
        instances.remove(instance)
        if instances:
            self._renumber(instance.source)
        else:
            del self.snapshots[instance.source]

    # -- links --------------------------------------------------------------

    def link_snapshot(self, name: str,
                      pairs: typing.List[typing.Tuple[str, str]],
                      now: float, duration: float, copy: bool = False,
                      snap_id: typing.Optional[int] = None,
                      generation: typing.Optional[int] = None) -> None:
        """Link (source, target) pairs to the instance ``name``."""
        planned = []
        taken = set()
        for source, target in pairs:
            instance = self.find_snapshot(source, name, snap_id, generation)
            src, tgt = self.volume(source), self.volume(target)
            if target == source:
                raise errors.invalid('Device %s cannot be a link target of '
                                     'its own snapshot' % target)
            if tgt.cap_cyl < src.cap_cyl:
                raise errors.invalid(
                    'Target device %s (%d cylinders) is smaller than source '
                    'device %s (%d cylinders)' % (
                        target, tgt.cap_cyl, source, src.cap_cyl))
            existing = self.links_to(target)
            if existing or target in taken:
                other = ('%s' % existing[0][1].describe(self.snap_id_capable)
                         if existing else 'this request')
                raise errors.conflict(
                    'Device %s is already a SnapVX link target (%s)' % (
                        target, other))
            taken.add(target)
            planned.append((instance, target))
        for instance, target in planned:
            if copy:
                link = SnapLink(target, True, COPY_IN_PROG, False, now,
                                now + duration)
            else:
                link = SnapLink(target, False, LINKED, True, now, now)
            instance.links.append(link)
            # A linked target presents the snapshot's data at once.
            self.write(target, instance.content)

    def unlink_snapshot(self, name: str,
                        pairs: typing.List[typing.Tuple[str, str]],
                        snap_id: typing.Optional[int] = None,
                        generation: typing.Optional[int] = None) -> None:
        planned = []
        for source, target in pairs:
            instance = self.find_snapshot(source, name, snap_id, generation)
            links = [link for link in instance.real_links
                     if link.target == target]
            if not links:
                raise errors.ArrayError(
                    404, 'Device %s is not linked to %s' % (
                        target, instance.describe(self.snap_id_capable)))
            planned.append((instance, links[0]))
        for instance, link in planned:
            instance.links.remove(link)
            if not link.defined:
                # Tracks not yet defined on the target go with the link:
                # what is left is part of the snapshot's data. A defined
                # target keeps it all (the in-tree driver unlinks a
                # defined no-copy link and uses the target).
                self.write(link.target, torn(instance.content))

    def restore_snapshot(self, name: str, devices: typing.List[str],
                         now: float, duration: float,
                         snap_id: typing.Optional[int] = None,
                         generation: typing.Optional[int] = None) -> None:
        """Start restoring each source from its instance ``name``."""
        instances = self._instances(name, devices, snap_id, generation)
        for instance in instances:
            if any(link.state == COPY_IN_PROG for link in instance.links):
                raise errors.conflict('Link must be fully copied for this '
                                      'operation to proceed')
            for other in self.snapshots.get(instance.source, ()):
                if other.restore_link is not None:
                    raise errors.conflict(
                        'Device %s already has a restore session (%s); '
                        'terminate it first' % (
                            instance.source,
                            other.describe(self.snap_id_capable)))
        for instance in instances:
            instance.links.append(SnapLink(
                instance.source, True, RESTORE_IN_PROG, False, now,
                now + duration, restore=True))
            # The source presents the restored data at once.
            self.write(instance.source, instance.content)

    # -- time ---------------------------------------------------------------

    def advance_snapvx(self, now: float) -> None:
        """Complete due copies and restores; end expired, unlinked ones."""
        for source in list(self.snapshots):
            for instance in list(self.snapshots[source]):
                for link in instance.links:
                    if link.in_progress and now >= link.ready_at:
                        link.state = (RESTORED if link.restore else COPIED)
                        link.defined = True
                if instance.expiry is not None and now >= instance.expiry:
                    instance.expired = True
                    if not instance.links:
                        self._drop(instance)

    # -- rules on other objects ----------------------------------------------

    def check_snapvx_delete(self, device_id: str) -> None:
        """Refuse deleting a SnapVX source or link target (409)."""
        instances = self.snapshots.get(device_id)
        if instances:
            raise errors.conflict(
                'Cannot delete device %s: it is a SnapVX source with %d '
                'snapshots (%s)' % (device_id, len(instances), ', '.join(
                    sorted({i.name for i in instances}))))
        links = self.links_to(device_id)
        if links:
            raise errors.conflict(
                'Cannot delete device %s: it is a SnapVX link target of %s' %
                (device_id, links[0][1].describe(self.snap_id_capable)))

    def check_snapvx_expand(self, device_id: str) -> None:
        """Refuse expanding a SnapVX source below 5978."""
        if self.is_snapvx_source(device_id) and self.ucode_parts[0] < 5978:
            raise errors.conflict(
                'Cannot expand device %s: it is a SnapVX source, and '
                'expanding a snapshot source needs HyperMax OS 5978 or '
                'later (Symmetrix %s runs %s)' % (
                    device_id, self.sid, self.microcode_version))
