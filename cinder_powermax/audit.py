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


"""What OpenStack left on an array that Cinder no longer knows, and back.

:func:`scan` compares the OpenStack objects on one array (devices with an
``OS-`` identifier, their SnapVX snapshots, OpenStack storage groups,
initiator groups and masking views, named as :mod:`cinder_powermax.naming`
names them, which are the in-tree driver's names too) with what Cinder
knows, and lists the debris as :class:`Finding` objects. It only reads.
:class:`Cleaner` removes one finding at a time under the lock the driver
takes on the same object, and re-reads the object under that lock so it
never removes something an operation has taken up meanwhile.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from typing import Callable, Iterable, Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax import naming
from cinder_powermax.unisphere import inventory as inventory_mod

LOG = logging.getLogger(__name__)

DEVICE, SNAPSHOT, TEMP = 'device', 'snapshot', 'temporary snapshot'
GROUP, VIEW, HOST = 'storage group', 'masking view', 'initiator group'
MISSING, MASKED = 'missing device', 'masked volume'
#: The order in which debris can be removed: sessions before the devices
#: they hold, devices before their groups, views before what they join.
CLEAN_ORDER = (TEMP, SNAPSHOT, DEVICE, VIEW, GROUP, HOST)
#: How long a clone's temporary snapshot lives (the driver creates them
#: with this SnapVX time to live, in hours).
TEMP_TTL_HOURS = 1
# Cinder volumes in these states may have no device yet.
NO_DEVICE_YET = frozenset(('creating', 'error', 'deleting', 'downloading'))


@dataclasses.dataclass(frozen=True)
class Finding:
    """One piece of debris, or one volume Cinder has that the array lacks.

    ``device`` is the device of a device or snapshot finding; ``cleanable``
    says whether ``--clean`` may remove it, and ``detail`` why not.
    """

    kind: str
    name: str
    detail: str
    device: str = ''
    cleanable: bool = True


@dataclasses.dataclass(frozen=True)
class Known:
    """What Cinder knows.

    :param volumes: every volume id, in any state
    :param snapshots: every snapshot id
    :param on_array: ``{volume id: (name, status)}`` of the volumes Cinder
        placed on this array
    :param homes: the default storage groups (see :func:`home_group`) of
        the volumes among them: an attach takes the device out of its
        group and the detach brings it back, so such a group may be empty
        and is not debris
    :param name_ids: ``{name id: volume id}`` of the volumes whose device
        is named for another id (a migrated volume keeps the name of the
        copy it took over)
    """

    volumes: frozenset
    snapshots: frozenset
    on_array: dict = dataclasses.field(default_factory=dict)
    homes: frozenset = frozenset()
    name_ids: dict = dataclasses.field(default_factory=dict)

    def owner(self, name_id: str) -> str:
        """The id of the volume a device named for ``name_id`` is."""
        return self.name_ids.get(name_id, name_id)

    @property
    def snapshot_names(self) -> frozenset:
        return frozenset(naming.snapshot_name(s) for s in self.snapshots)


def home_group(metadata: dict) -> Optional[str]:
    """The default storage group of a volume, from its Cinder metadata.

    :param metadata: the metadata the driver stores on the volume
        (``SRP``, ``ServiceLevel``, ``Workload``, ``CompressionDisabled``,
        ``ReplicationMode``)
    :returns: the group's name, or None when the metadata does not say
    """
    if not (metadata or {}).get('SRP'):
        return None
    level = metadata.get('ServiceLevel')
    try:
        return naming.default_sg_name(
            metadata['SRP'], level, metadata.get('Workload'),
            metadata.get('CompressionDisabled') == 'True',
            metadata.get('ReplicationMode') if metadata.get(
                'ReplicationEnabled') == 'True' else None)
    except exception.InvalidSpec:
        return None


def _is_home(name: str, homes) -> bool:
    return any(name == home or naming.rollover_number(name, home)
               for home in homes)


def scan(inventory: inventory_mod.Inventory, known: Known,
         now: Optional[float] = None,
         temp_ttl_hours: float = TEMP_TTL_HOURS) -> list[Finding]:
    """List the debris on the inventory's array.

    :param inventory: the array's :class:`Inventory`
    :param known: what Cinder knows
    :param now: the time in seconds since the epoch (default: now)
    :param temp_ttl_hours: age from which a temporary snapshot is debris
    :returns: the findings, in :data:`CLEAN_ORDER` then missing devices
    """
    now = time.time() if now is None else now
    devices = inventory.devices(naming.PREFIX)
    findings = _device_findings(devices, known)
    findings += _snapshot_findings(devices, known, now, temp_ttl_hours)
    groups = inventory.storage_groups(naming.PREFIX)
    findings += _view_findings(inventory.masking_views(naming.PREFIX), groups)
    findings += _group_findings(groups, known.homes)
    findings += _host_findings(inventory.hosts(naming.PREFIX))
    findings.sort(key=lambda f: CLEAN_ORDER.index(f.kind))
    return (findings + _masked_findings(devices, known) +
            _missing_findings(devices, known))


def _uuid_of(device: dict) -> str:
    header = device.get('volumeHeader') or {}
    return naming.without_prefix(str(header.get('userDefinedIdentifier')))


def _device_findings(devices, known):
    found = []
    for device in devices:
        header = device['volumeHeader']
        if known.owner(_uuid_of(device)) in known.volumes:
            continue
        masked = bool(header.get('numSymDevMaskingViews'))
        detail = '%s, %s GB, in %s%s' % (
            header.get('userDefinedIdentifier'), header.get('capGB'),
            ', '.join(header.get('storageGroup') or ()) or 'no group',
            '; MASKED to a host' if masked else '')
        found.append(Finding(DEVICE, header['volumeId'], detail,
                             device=header['volumeId'],
                             cleanable=not masked))
    return found


def sessions(device: dict) -> dict:
    """``{snapshot name: [header, ...]}`` of a device's own snapshots."""
    found: dict = {}
    info = device.get('timeFinderInfo') or {}
    for session in info.get('snapVXSession') or ():
        for generation in session.get('srcSnapshotGenInfo') or ():
            header = generation.get('snapshotHeader') or {}
            if header.get('snapshotName'):
                found.setdefault(header['snapshotName'], []).append(header)
    return found


def _age_hours(headers, now) -> Optional[float]:
    stamps = [h.get('timestamp') for h in headers]
    if not all(isinstance(s, (int, float)) for s in stamps):
        return None  # Unisphere releases that give text dates
    return (now - max(stamps) / 1000.0) / 3600.0


def _snapshot_findings(devices, known, now, ttl_hours):
    found = []
    names = known.snapshot_names
    for device in devices:
        source = device['volumeHeader']['volumeId']
        for name, headers in sorted(sessions(device).items()):
            finding = _snapshot_finding(source, name, headers, names, now,
                                        ttl_hours)
            if finding is not None:
                found.append(finding)
    return found


def _snapshot_finding(source, name, headers, names, now, ttl_hours):
    where = 'of device %s, %d generation(s)' % (source, len(headers))
    if naming.is_temp_snapshot_name(name):
        age = _age_hours(headers, now)
        expired = any(h.get('expired') for h in headers)
        if age is None and not expired:
            return Finding(TEMP, name, '%s, age unknown: remove it by hand '
                           'once no clone of the device runs' % where,
                           device=source, cleanable=False)
        if expired or age >= ttl_hours:
            return Finding(TEMP, name, '%s, %s' % (where, 'expired' if (
                age is None) else '%.1f hours old (TTL %s h)' % (
                    age, ttl_hours)), device=source)
        return None
    if naming.is_openstack_name(name) and name not in names:
        return Finding(SNAPSHOT, name, where + ', no Cinder snapshot',
                       device=source)
    return None


def _view_findings(views, groups):
    found = []
    for name, view in views.items():
        group = groups.get(view.get('storageGroupId'), {})
        if not group.get('num_of_vols'):
            found.append(Finding(VIEW, name, 'exposes no volume (host %s, '
                                 'storage group %s)' % (
                                     view.get('hostId'),
                                     view.get('storageGroupId'))))
    return found


def _group_findings(groups, homes=()):
    found = []
    for name, group in groups.items():
        if group.get('num_of_vols') or group.get('num_of_child_sgs'):
            continue
        if _is_home(name, homes):
            continue  # an attached volume comes back to it at detach
        if group.get('num_of_masking_views') and not group.get(
                'parent_storage_group'):
            continue  # an empty view's own group: the view lists it
        parents = group.get('parent_storage_group') or []
        found.append(Finding(GROUP, name, 'empty%s' % (
            ', child of %s' % ', '.join(parents) if parents else '')))
    return found


def _host_findings(hosts):
    return [Finding(HOST, name, 'in no masking view')
            for name, host in hosts.items()
            if naming.is_initiator_group_name(name) and
            not host.get('num_of_masking_views')]


def _masked_findings(devices, known):
    """Devices masked to a host while Cinder shows their volume free.

    What a ``reset-state`` of an attached volume leaves: Cinder offers the
    volume to the next attach while a host still sees the device. Never
    cleaned: unmasking cuts a host off its data, an operator's call.
    """
    found = []
    for device in devices:
        header = device['volumeHeader']
        name, status = known.on_array.get(_uuid_of(device), (None, None))
        if status == 'available' and header.get('numSymDevMaskingViews'):
            found.append(Finding(MASKED, header['volumeId'], (
                'Cinder volume %s is available, but the device is masked '
                'to a host (in %s): detach it from that host, or take it '
                'out of the host\'s storage group' % (name, ', '.join(
                    header.get('storageGroup') or ()) or 'a view')),
                device=header['volumeId'], cleanable=False))
    return found


def _missing_findings(devices, known):
    present = {known.owner(_uuid_of(d)) for d in devices}
    return [Finding(MISSING, naming.PREFIX + vid, 'Cinder volume %s (%s) '
                    'has no device on the array' % (name, status),
                    cleanable=False)
            for vid, (name, status) in sorted(known.on_array.items())
            if vid not in present and status not in NO_DEVICE_YET]


# -- cleaning -----------------------------------------------------------------

class Cleaner:
    """Removes findings from one array, as the driver would.

    :param context: the array's :class:`cinder_powermax.arrays.ArrayContext`
    :param lock: ``lock(name)`` returns a context manager holding the
        coordination lock ``name`` (``<array>-<kind>-<name>``)
    """

    def __init__(self, context, lock: Callable = None):
        self.context = context
        self.lock = lock or (lambda name: contextlib.nullcontext())

    def _lock(self, kind, name):
        return self.lock('%s-%s-%s' % (self.context.serial, kind, name))

    def clean(self, finding: Finding) -> str:
        """Remove one finding.

        :returns: what was done, for the operator
        :raises UnisphereError: when the array refused
        """
        if not finding.cleanable:
            return 'left alone: %s' % finding.detail
        clean = {TEMP: self._clean_snapshot, SNAPSHOT: self._clean_snapshot,
                 DEVICE: self._clean_device, VIEW: self._clean_view,
                 GROUP: self._clean_group, HOST: self._clean_host}
        return clean[finding.kind](finding)

    def _clean_snapshot(self, finding):
        with self._lock('vol', finding.device):
            count = self.context.provision.delete_snapshot(finding.device,
                                                           finding.name)
        return 'terminated %d instance(s)' % count

    def _clean_device(self, finding):
        with self._lock('vol', finding.device):
            detail = self.context.sloprov.get_volume(finding.device)
            if detail.get('num_of_front_end_paths') or detail.get(
                    'num_of_masking_views'):
                return 'kept: it is masked now'
            self.context.provision.delete_device(
                finding.device, None, naming.is_disposable_sg_name)
        return 'deleted'

    def _clean_view(self, finding):
        sloprov = self.context.sloprov
        try:
            view = sloprov.get_masking_view(finding.name)
        except exception.NotFound:
            return 'already gone'
        host = view.get('hostId')
        with self._lock('host', host):
            parent = self.context.groups.get(view['storageGroupId'])
            if parent.get('num_of_vols'):
                return 'kept: it exposes a volume now'
            sloprov.delete_masking_view(finding.name)
            for child in parent.get('child_storage_group') or ():
                self.context.groups.drop_child(view['storageGroupId'], child)
            self.context.groups.delete_if_empty(view['storageGroupId'])
            self._delete_host_if_unused(host)
        return 'deleted with its storage groups and unused initiator group'

    def _clean_group(self, finding):
        groups = self.context.groups
        with self._group_lock(finding.name):
            detail = groups.find(finding.name)
            if detail is None:
                return 'already gone'
            for parent in detail.get('parent_storage_group') or ():
                groups.drop_child_if_empty(parent, finding.name)
                return 'taken out of %s and deleted' % parent
            return 'deleted' if groups.delete_if_empty(
                finding.name, detail) else 'kept: it is in use now'

    def _group_lock(self, name):
        """The lock that keeps the driver off a group while it goes.

        A child's is its host's, under which attaches fill children; a
        default group's is its own: the driver creates and deletes those
        without a lock, relying on the array's refusals, as this does.
        """
        detail = self.context.groups.find(name) or {}
        for parent in detail.get('parent_storage_group') or ():
            above = self.context.groups.find(parent) or {}
            for view in above.get('maskingview') or ():
                host = self.context.sloprov.get_masking_view(view).get(
                    'hostId')
                return self._lock('host', host)
        return self._lock('sg', name)

    def _delete_host_if_unused(self, host):
        if not naming.is_openstack_name(host):
            return False  # not ours by name: the operator made it
        try:
            detail = self.context.sloprov.get_host(host)
        except exception.NotFound:
            return False
        if detail.get('num_of_masking_views'):
            return False
        self.context.sloprov.delete_host(host)
        return True

    def _clean_host(self, finding):
        with self._lock('host', finding.name):
            return 'deleted' if self._delete_host_if_unused(
                finding.name) else 'kept: it is in a masking view now'


def clean_all(cleaner: Cleaner, findings: Iterable[Finding]):
    """Clean each finding in turn, going on after a refusal.

    :returns: ``[(finding, outcome, ok)]``
    """
    outcomes = []
    for finding in findings:
        try:
            outcomes.append((finding, cleaner.clean(finding), True))
        except exception.PowerMaxError as exc:
            LOG.error('Could not remove %(kind)s %(name)s: %(err)s',
                      {'kind': finding.kind, 'name': finding.name,
                       'err': exc})
            outcomes.append((finding, 'FAILED: %s' % exc, False))
    return outcomes
