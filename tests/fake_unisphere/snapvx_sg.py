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

"""SnapVX of a whole storage group (reference section 11.2).

A storage-group snapshot is not a new kind of object: it is the set of
per-device instances (see :mod:`tests.fake_unisphere.snapvx`) that one
create request made on the group's members, sharing one snap id. These
functions look such sets up over a group's members and apply the
per-device rules to all of them at once, so a refusal changes nothing.

A set is addressed by snap id (snap-id capable arrays only) or by
generation: generation ``n`` of a group is generation ``n`` of each
member that has an instance of that name.

Link and unlink pair the members with the target group's volumes in
device-id order (the fake does not pair by size as the array may without
``exact``); a target group that does not exist is made, with a new
device of each source's size, as the array does.
"""

import time
import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import snapvx


def _stamp(seconds: float) -> str:
    return time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(seconds))


def members(array: typing.Any, sg: str) -> typing.List[str]:
    """The group's devices (through its children), in device-id order."""
    return sorted(array.members(sg))


def names(array: typing.Any, sg: str) -> typing.List[dict]:
    """Snapshot names on the group's members, with their set counts."""
    found: typing.Dict[str, dict] = {}
    for device_id in members(array, sg):
        for instance in array.snapshots_of(device_id):
            entry = found.setdefault(instance.name, {
                'name': instance.name, 'ids': set(), 'newest': 0.0})
            entry['ids'].add(instance.snap_id)
            entry['newest'] = max(entry['newest'], instance.created)
    return [{'name': e['name'], 'snapshot_count': len(e['ids']),
             'newest_timestamp_utc': int(e['newest'] * 1000)}
            for e in found.values()]


def instances(array: typing.Any, sg: str, name: str,
              snap_id: typing.Optional[int] = None,
              generation: typing.Optional[int] = None
              ) -> typing.List[snapvx.SnapInstance]:
    """The instances of one set on the group's members (404 if none)."""
    array.group(sg)
    found = []
    for device_id in members(array, sg):
        for instance in array.snapshots_of(device_id):
            if instance.name != name:
                continue
            if (instance.snap_id == snap_id if snap_id is not None
                    else instance.generation == generation):
                found.append(instance)
    if not found:
        key = ('snapid %s' % snap_id if snap_id is not None
               else 'generation %s' % generation)
        raise errors.ArrayError(404, 'Snapshot %s (%s) cannot be found on '
                                'storage group %s' % (name, key, sg))
    return found


def snap_ids(array: typing.Any, sg: str, name: str) -> typing.List[int]:
    ids = {i.snap_id for d in members(array, sg)
           for i in array.snapshots_of(d) if i.name == name}
    return sorted(ids)


def generations(array: typing.Any, sg: str, name: str) -> typing.List[int]:
    gens = {i.generation for d in members(array, sg)
            for i in array.snapshots_of(d) if i.name == name}
    return sorted(gens)


def _whole(array, sg, found, action):
    """Link and restore act on every member: each must have the set."""
    have = {i.source for i in found}
    missing = [d for d in members(array, sg) if d not in have]
    if missing:
        raise errors.invalid(
            'Cannot %s snapshot %s of storage group %s: device(s) %s have '
            'no instance of it' % (action, found[0].name, sg,
                                   ', '.join(missing)))


def create(array: typing.Any, sg: str, name: str, now: float,
           ttl_hours: float = 0) -> typing.List[snapvx.SnapInstance]:
    """One new set: an instance on every member, one snap id."""
    snapvx.check_snap_name(name)
    array.group(sg)
    devices = members(array, sg)
    if not devices:
        raise errors.invalid('Storage group %s has no volumes to snapshot' %
                             sg)
    return array.create_snapshot(name, devices, now, ttl_hours)


def link(array: typing.Any, sg: str, name: str, target_sg: str, now: float,
         duration: float, copy: bool, snap_id=None, generation=None) -> None:
    found = instances(array, sg, name, snap_id, generation)
    _whole(array, sg, found, 'link')
    if target_sg not in array.storage_groups:
        _new_target(array, target_sg, found)
    if target_sg == sg:
        raise errors.invalid('A storage group cannot be a link target of '
                             'its own snapshot')
    targets = members(array, target_sg)
    if len(targets) != len(found):
        raise errors.invalid(
            'Link target storage group %s holds %d volume(s); snapshot %s '
            'of %s has %d source volume(s): they must match' % (
                target_sg, len(targets), name, sg, len(found)))
    pairs = list(zip([i.source for i in found], targets))
    array.link_snapshot(name, pairs, now, duration, copy,
                        snap_id if snap_id is not None else None,
                        generation)


def _new_target(array: typing.Any, target_sg: str, found: list) -> None:
    """Make a missing link target group, as the array does.

    One new device of each source's size, in a group without a service
    level.
    """
    array.create_group(target_sg)
    try:
        for instance in found:
            array.create_volumes(target_sg, 1,
                                 array.volumes[instance.source].cap_cyl)
    except errors.ArrayError:
        for device_id in list(array.storage_groups[target_sg].volumes):
            array.storage_groups[target_sg].volumes.remove(device_id)
            array.delete_volume(device_id)
        del array.storage_groups[target_sg]
        raise


def relink(array: typing.Any, sg: str, name: str, target_sg: str,
           now: float, duration: float, copy: bool, snap_id=None,
           generation=None) -> None:
    """Move the target group's links to this instance of ``name``."""
    found = instances(array, sg, name, snap_id, generation)
    array.group(target_sg)
    targets = members(array, target_sg)
    current = [(instance.source, link.target, instance)
               for device in members(array, sg)
               for instance in array.snapshots_of(device)
               if instance.name == name
               for link in instance.real_links if link.target in targets]
    if not current:
        raise errors.invalid('Storage group %s is not linked to snapshot %s '
                             'of %s: link it first' % (target_sg, name, sg))
    if len(targets) != len(found):
        raise errors.invalid('Relink target %s holds %d volume(s) for %d '
                             'source volume(s)' % (target_sg, len(targets),
                                                   len(found)))
    for source, target, instance in current:
        array.unlink_snapshot(name, [(source, target)], instance.snap_id)
    array.link_snapshot(name, list(zip([i.source for i in found], targets)),
                        now, duration, copy, snap_id, generation)


def terminate_named(array: typing.Any, sg: str,
                    name: typing.Optional[str]) -> None:
    """Terminate every set of ``name`` (every snapshot when None)."""
    sets = sorted({(i.name, i.snap_id) for d in members(array, sg)
                   for i in array.snapshots_of(d)
                   if name is None or i.name == name})
    if not sets:
        raise errors.ArrayError(404, 'Storage group %s has no snapshot %s'
                                % (sg, name or ''))
    for found_name, snap_id in sets:
        found = [i for d in members(array, sg)
                 for i in array.snapshots_of(d)
                 if (i.name, i.snap_id) == (found_name, snap_id)]
        array.delete_snapshot(found_name, [i.source for i in found],
                              snap_id, with_restore=True)


def unlink(array: typing.Any, sg: str, name: str, target_sg: str,
           snap_id=None, generation=None) -> None:
    found = instances(array, sg, name, snap_id, generation)
    array.group(target_sg)
    targets = set(members(array, target_sg))
    pairs = [(i.source, link.target) for i in found
             for link in i.real_links if link.target in targets]
    if not pairs:
        raise errors.ArrayError(404, 'Snapshot %s of storage group %s is '
                                'not linked to storage group %s' % (
                                    name, sg, target_sg))
    array.unlink_snapshot(name, pairs, snap_id, generation)


def restore(array: typing.Any, sg: str, name: str, now: float,
            duration: float, snap_id=None, generation=None) -> None:
    found = instances(array, sg, name, snap_id, generation)
    _whole(array, sg, found, 'restore')
    array.restore_snapshot(name, [i.source for i in found], now, duration,
                           snap_id, generation)


def rename(array: typing.Any, sg: str, name: str, new_name: str,
           snap_id=None, generation=None) -> None:
    found = instances(array, sg, name, snap_id, generation)
    array.rename_snapshot(name, [i.source for i in found], new_name,
                          snap_id, generation)


def terminate(array: typing.Any, sg: str, name: str, snap_id=None,
              generation=None) -> None:
    """Terminate the set on the members that have it.

    Refused as a whole while any instance has a link or a restore still
    in progress; a finished restore ends with the snapshot.
    """
    found = instances(array, sg, name, snap_id, generation)
    array.delete_snapshot(name, [i.source for i in found], snap_id,
                          generation, with_restore=True)


# -- views --------------------------------------------------------------------

def _linked_groups(array, found):
    entries = []
    for instance in found:
        for link in instance.real_links:
            groups = array.groups_of(link.target)
            entries.append({
                'name': groups[0] if groups else '',
                'source_volume_name': instance.source,
                'linked_volume_name': link.target, 'tracks': 0,
                'trackSize': 128, 'percentageCopied': link.percent_copied,
                'linkedCreationTimestamp': _stamp(link.created),
                'defined': link.defined,
                'background_define_in_progress': False})
    return entries


def detail(array: typing.Any, sg: str, found: list,
           instance_view: bool = False) -> dict:
    """One set as the storage-group snapshot endpoints show it.

    :param instance_view: ``GET .../snapid/{id}`` (snake_case
        ``snapVXSnapshotInstance``); every other answer (create, the
        actions, ``generation/{n}``) is the camelCase
        ``snapVXSnapshotGeneration``
    """
    first = found[0]
    linked = _linked_groups(array, found)
    states = sorted({i.state for i in found})
    restored = any(i.state == snapvx.RESTORED for i in found)
    expiry = (_stamp(first.expiry) if first.expiry is not None else 'N/A')
    sources = [{'name': i.source,
                'capacity': array.volumes[i.source].cap_cyl,
                'capacity_gb': array.volumes[i.source].cap_gb}
               for i in found]
    names = sorted({e['name'] for e in linked if e['name']})
    common = {'name': first.name, 'generation': first.generation,
              'timestamp': _stamp(first.created),
              'timestamp_utc': int(first.created * 1000), 'state': states,
              'tracks': 0, 'linked_storage_group_names': names}
    if instance_view:
        common.update({
            'snapid': first.snap_id, 'num_source_volumes': len(found),
            'source_volume': sources,
            'num_storage_group_volumes': len(members(array, sg)),
            'non_shared_tracks': 0, 'time_to_live_expiry_date': expiry,
            'secure_expiry_date': 'N/A',
            'expired': any(i.expired for i in found),
            'linked': bool(linked), 'restored': restored,
            'persistent': False, 'linked_storage_group': linked})
        return common
    common.update({
        'numSourceVolumes': len(found), 'sourceVolume': sources,
        'numStorageGroupVolumes': len(members(array, sg)),
        'numUniqueTracks': 0, 'numSharedTracks': 0, 'nonSharedTracks': 0,
        'timeToLiveExpiryDate': expiry, 'secureExpiryDate': 'N/A',
        'isExpired': any(i.expired for i in found),
        'isLinked': bool(linked), 'isRestored': restored,
        'linkedStorageGroup': linked})
    if array.snap_id_capable:
        common['snap_id'] = first.snap_id
    return common
