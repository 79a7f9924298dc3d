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

"""Volume-level (private) SnapVX endpoints (reference section 11.1).

Instances are addressed by ``snap_id`` on snap-id capable arrays (a body
carrying ``snap_id`` is refused on 5977) or by ``generation`` (default 0).
Time (creation stamps, copy progress) comes from the fake's job clock;
a copy or restore takes ``latency.job_duration`` seconds.
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import routing
from tests.fake_unisphere import snapvx
from tests.fake_unisphere import snapvx_views

PRIVATE = '/private/<ver>/replication/symmetrix/<sid>'
ACTIONS = ('Link', 'Unlink', 'Rename', 'Restore')
route = routing.route


def _devices(body: dict, key: str, required: bool = True
             ) -> typing.List[str]:
    """``[{"name": "00001"}, ...]`` (bare ids accepted too)."""
    if not required and body.get(key) is None:
        return []
    value = routing.need(body, key, list)
    devices = []
    for item in value:
        if isinstance(item, dict):
            item = item.get('name')
        if not isinstance(item, str) or not item:
            raise errors.invalid('%s entries must be {"name": <device id>}' %
                                 key)
        devices.append(item)
    if not devices:
        raise errors.invalid('%s must name at least one device' % key)
    return devices


def _address(array: typing.Any, body: dict
             ) -> typing.Tuple[typing.Optional[int], typing.Optional[int]]:
    """(snap_id, generation) of the body, per the array's personality."""
    snap_id, generation = body.get('snap_id'), body.get('generation')
    if snap_id is not None:
        if not array.snap_id_capable:
            raise errors.invalid(
                'snap_id is not supported on Symmetrix %s (microcode %s); '
                'address the snapshot by generation' % (
                    array.sid, array.microcode_version))
        snap_id = routing.as_int(snap_id, 'snap_id')
    if generation is not None:
        generation = routing.as_int(generation, 'generation')
        if generation < 0:
            raise errors.invalid('generation must not be negative')
    return snap_id, generation


def _flag(body: dict, key: str) -> bool:
    value = body.get(key)
    return False if value is None else routing.as_bool(value, key)


def _clock(call: typing.Any) -> typing.Tuple[float, float]:
    return call.jobs.clock(), call.jobs.latency.job_duration


@route(PRIVATE + '/snapshot/<name>', 'POST')
def create_snapshot(call, sid, name):
    array = call.array(sid)
    body = call.body
    snapvx.check_snap_name(name)
    devices = list(dict.fromkeys(_devices(body, 'deviceNameListSource')))
    ttl = 0.0
    if body.get('timeToLive') is not None:
        ttl = routing.as_number(body['timeToLive'], 'timeToLive')
        hours = body.get('timeInHours')
        if hours is not None and not routing.as_bool(hours, 'timeInHours'):
            ttl *= 24  # days
        ttl = int(ttl) if ttl == int(ttl) else ttl
    for device_id in devices:
        array.volume(device_id)

    def effect():
        now, _duration = _clock(call)
        array.create_snapshot(name, devices, now, ttl)
        return snapvx_views.volume_snapshots(array, devices[0], name), [
            'Create SnapVX snapshot %s of [%s]' % (name, ', '.join(devices))]
    return routing.Change(sid, 'Create snapVx snapshot %s' % name,
                          call.link(), effect, 201)


@route(PRIVATE + '/snapshot/<name>', 'PUT')
def modify_snapshot(call, sid, name):
    array = call.array(sid)
    body = call.body
    action = routing.need(body, 'action', str)
    if action not in ACTIONS:
        raise errors.invalid('action %s is not supported: one of %s' % (
            action, ', '.join(ACTIONS)))
    sources = _devices(body, 'deviceNameListSource')
    targets = _devices(body, 'deviceNameListTarget',
                       required=action in ('Link', 'Unlink'))
    snap_id, generation = _address(array, body)
    if action in ('Link', 'Unlink'):
        if len(sources) != len(targets):
            raise errors.invalid('deviceNameListSource and '
                                 'deviceNameListTarget must be parallel '
                                 'lists of the same length')
        pairs = list(zip(sources, targets))
        copy = _flag(body, 'copy')
    elif action == 'Restore':
        if targets and targets != sources:
            raise errors.invalid('Restore targets must be the source '
                                 'devices themselves')
    elif action == 'Rename':
        new_name = snapvx.check_snap_name(
            routing.need(body, 'newsnapshotname', str))

    def effect():
        now, duration = _clock(call)
        if action == 'Link':
            array.link_snapshot(name, pairs, now, duration, copy, snap_id,
                                generation)
        elif action == 'Unlink':
            array.unlink_snapshot(name, pairs, snap_id, generation)
        elif action == 'Restore':
            array.restore_snapshot(name, sources, now, duration, snap_id,
                                   generation)
        else:
            array.rename_snapshot(name, sources, new_name, snap_id,
                                  generation)
        shown = new_name if action == 'Rename' else name
        return snapvx_views.volume_snapshots(array, sources[0], shown), [
            '%s SnapVX snapshot %s of [%s]' % (action, name,
                                               ', '.join(sources))]
    return routing.Change(sid, '%s snapVx snapshot %s' % (action, name),
                          call.link(), effect)


@route(PRIVATE + '/snapshot/<name>', 'DELETE')
def delete_snapshot(call, sid, name):
    array = call.array(sid)
    body = call.body
    sources = _devices(body, 'deviceNameListSource')
    snap_id, generation = _address(array, body)
    restore = _flag(body, 'restore')

    def effect():
        array.delete_snapshot(name, sources, snap_id, generation, restore)
        return None, ['Terminate SnapVX %s%s of [%s]' % (
            'restore session of ' if restore else '', name,
            ', '.join(sources))]
    return routing.Change(sid, 'Terminate snapVx snapshot %s' % name,
                          call.link(), effect, 204)


@route(PRIVATE + '/volume/<dev>/snapshot')
def volume_snapshots(call, sid, dev):
    array = call.array(sid)
    array.volume(dev)
    return 200, snapvx_views.volume_snapshots(array, dev)


@route(PRIVATE + '/volume/<dev>/snapshot/<name>')
def volume_snapshot(call, sid, dev, name):
    array = call.array(sid)
    array.volume(dev)
    if not any(i.name == name for i in array.snapshots_of(dev)):
        raise errors.ArrayError(404, 'Snapshot %s cannot be found on device '
                                '%s' % (name, dev))
    return 200, snapvx_views.volume_snapshot(array, dev, name)


@route(PRIVATE + '/volume/<dev>/snapshot/<name>/generation')
def snapshot_generations(call, sid, dev, name):
    return volume_snapshot(call, sid, dev, name)


@route(PRIVATE + '/volume/<dev>/snapshot/<name>/generation/<int:gen>')
def snapshot_generation(call, sid, dev, name, gen):
    array = call.array(sid)
    instance = array.find_snapshot(dev, name, generation=gen)
    return 200, snapvx_views.snapshot_generation(array, dev, name, instance)
