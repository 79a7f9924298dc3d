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

"""Storage-group SnapVX endpoints (reference section 11.2).

``/{ver}/replication/symmetrix/{sid}/storagegroup/{sg}/snapshot``: create,
list by name, snap ids and generations, detail, the Link / Unlink /
Relink / Restore / Rename actions, terminate (one set, or in bulk by
name) and the list of groups by replication. The snap-id forms are refused
on arrays that are not snap-id capable. What is not modelled is refused
with a 400 naming it: secure snapshots, ``bothSides``, remote links,
``SetTimeToLive`` / ``SetSecure`` / ``SetMode`` / ``Persist``, bulk
terminate by count or age, and unknown query parameters.
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import routing
from tests.fake_unisphere import snapvx
from tests.fake_unisphere import snapvx_sg

members = snapvx_sg.members

REPL_SG = '/<ver>/replication/symmetrix/<sid>/storagegroup/<sg>'
SG = REPL_SG + '/snapshot'
ACTIONS = ('Link', 'Relink', 'Unlink', 'Restore', 'Rename')
UNMODELLED_ACTIONS = ('SetTimeToLive', 'SetSecure', 'SetMode', 'Persist')
CREATE_KEYS = ('snapshotName', 'timeToLive', 'timeInHours', 'secure',
               'bothSides', 'executionOption', 'star', 'force')
# Keys of each action object: (snap-id form, generation form).
TARGET_KEYS = {'link': ('storage_group_name', 'linkStorageGroupName'),
               'relink': ('storage_group_name', 'relinkStorageGroupName'),
               'unlink': ('storage_group_name', 'unlinkStorageGroupName')}
RENAME_KEYS = ('new_snapshot_name', 'newSnapshotName')
# Flags that must be false when given: the fake does not model them.
UNMODELLED_FLAGS = ('remote', 'force', 'symforce', 'no_compression',
                    'star')
route = routing.route


def _snap_id(array, value: int) -> int:
    if not array.snap_id_capable:
        raise errors.invalid(
            'snapid is not supported on Symmetrix %s (microcode %s); '
            'address the snapshot by generation' % (
                array.sid, array.microcode_version))
    return value


def _clock(call) -> typing.Tuple[float, float]:
    return call.jobs.clock(), call.jobs.latency.job_duration


def _false_flags(params: dict, keys: typing.Iterable[str]) -> None:
    for key in keys:
        if params.get(key) is not None and routing.as_bool(params[key],
                                                           key):
            raise errors.invalid('%s=true is not supported by this '
                                 'Unisphere emulation' % key)


@route(SG)
def list_snapshots(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    found = snapvx_sg.names(array, sg)
    return 200, {'name': [e['name'] for e in found],
                 'sl_snapshot_name': [],
                 'snapshot_names_and_counts': found}


@route(SG, 'POST')
def create_snapshot(call, sid, sg):
    array = call.array(sid)
    body = call.body
    unknown = sorted(set(body) - set(CREATE_KEYS))
    if unknown:
        raise errors.invalid('Unknown parameter(s) %s' % ', '.join(unknown))
    name = snapvx.check_snap_name(routing.need(body, 'snapshotName', str))
    _false_flags(body, ('secure', 'bothSides', 'star', 'force'))
    ttl = 0.0
    if body.get('timeToLive') is not None:
        ttl = routing.as_number(body['timeToLive'], 'timeToLive')
        if ttl < 0:
            raise errors.invalid('timeToLive must not be negative')
        hours = body.get('timeInHours')
        if hours is None or not routing.as_bool(hours, 'timeInHours'):
            ttl *= 24  # days
    array.group(sg)

    def effect():
        now, _duration = _clock(call)
        made = snapvx_sg.create(array, sg, name, now, ttl)
        return snapvx_sg.detail(array, sg, made), [
            'Create SnapVX snapshot %s of storage group %s' % (name, sg)]
    return routing.Change(sid, 'Create snapVx snapshot %s of %s' % (
        name, sg), call.link(), effect, 201)


@route(REPL_SG[:-len('/<sg>')], query=(
    'hasSnapshots', 'hasSrdf', 'is_link_target'))
def list_replication_groups(call, sid):
    """Storage groups by replication: with snapshots, SRDF, link targets."""
    array = call.array(sid)
    wanted = {key: call.flag(key) for key in (
        'hasSnapshots', 'hasSrdf', 'is_link_target')}
    found = []
    for name in sorted(array.storage_groups):
        devices = members(array, name)
        have = {'hasSnapshots': bool(snapvx_sg.names(array, name)),
                'hasSrdf': bool(array.sg_rdf_groups(name)),
                'is_link_target': any(array.is_snapvx_target(d)
                                      for d in devices)}
        if all(value is None or have[key] == value
               for key, value in wanted.items()):
            found.append(name)
    return 200, {'name': found}


@route(SG, 'DELETE', query=('snapshot_name', 'terminate_all_snapshots',
                            'force', 'keep_count', 'snapset_id_and_older'))
def terminate_snapshots(call, sid, sg):
    """Bulk terminate: every set of one name, or every snapshot."""
    array = call.array(sid)
    array.group(sg)
    for key in ('keep_count', 'snapset_id_and_older'):
        if call.arg(key) is not None:
            raise errors.invalid('%s is not supported by this Unisphere '
                                 'emulation' % key)
    call.flag('force')
    name = call.arg('snapshot_name')
    if name is None and not call.flag('terminate_all_snapshots'):
        raise errors.invalid('Name snapshot_name, or set '
                             'terminate_all_snapshots')

    def effect():
        snapvx_sg.terminate_named(array, sg, name)
        return None, ['Terminate SnapVX snapshots %s of storage group %s' %
                      (name or '(all)', sg)]
    return routing.Change(sid, 'Terminate snapVx snapshots of %s' % sg,
                          call.link(), effect, 204)


@route(SG + '/<name>/snapid')
def list_snap_ids(call, sid, sg, name):
    array = call.array(sid)
    _snap_id(array, 0)
    array.group(sg)
    return 200, {'snapids': snapvx_sg.snap_ids(array, sg, name)}


@route(SG + '/<name>/generation')
def list_generations(call, sid, sg, name):
    array = call.array(sid)
    array.group(sg)
    return 200, {'generations': snapvx_sg.generations(array, sg, name)}


def _address(array, kind: str, key: int) -> dict:
    """The instance selector of a ``snapid/{id}`` or ``generation/{n}``."""
    if kind == 'snapid':
        return {'snap_id': _snap_id(array, key), 'generation': None}
    return {'snap_id': None, 'generation': key}


@route(SG + '/<name>/<any(snapid, generation):kind>/<int:key>')
def get_snapshot(call, sid, sg, name, kind, key):
    """One set, by snap id or by generation."""
    array = call.array(sid)
    where = _address(array, kind, key)
    found = snapvx_sg.instances(array, sg, name, **where)
    return 200, snapvx_sg.detail(array, sg, found, kind == 'snapid')


def _action(body: dict) -> typing.Tuple[str, dict]:
    action = routing.need(body, 'action', str)
    if action in UNMODELLED_ACTIONS:
        raise errors.invalid('action %s is not supported by this Unisphere '
                             'emulation' % action)
    if action not in ACTIONS:
        raise errors.invalid('action %s is not valid: one of %s' % (
            action, ', '.join(ACTIONS + UNMODELLED_ACTIONS)))
    params = body.get(action.lower()) or {}
    if not isinstance(params, dict):
        raise errors.invalid('%s must be an object' % action.lower())
    return action, params


def _target(params: dict, action: str, by_snap_id: bool) -> str:
    snake, camel = TARGET_KEYS[action.lower()]
    key = snake if by_snap_id else camel
    if params.get(key) is None:
        raise errors.invalid('Missing required parameter %s.%s' % (
            action.lower(), key))
    return params[key]


@route(SG + '/<name>/<any(snapid, generation):kind>/<int:key>', 'PUT')
def modify_snapshot(call, sid, sg, name, kind, key):
    array = call.array(sid)
    where = _address(array, kind, key)
    action, params = _action(call.body)
    by_snap_id = kind == 'snapid'
    _false_flags(params, UNMODELLED_FLAGS)
    snapvx_sg.instances(array, sg, name, **where)
    if action in ('Link', 'Relink', 'Unlink'):
        target = _target(params, action, by_snap_id)
        copy = routing.as_bool(params.get('copy', False), 'copy')
    elif action == 'Rename':
        new_name = snapvx.check_snap_name(
            params.get(RENAME_KEYS[0 if by_snap_id else 1]))

    def effect():
        now, duration = _clock(call)
        shown = name
        if action == 'Link':
            snapvx_sg.link(array, sg, name, target, now, duration, copy,
                           **where)
        elif action == 'Relink':
            snapvx_sg.relink(array, sg, name, target, now, duration, copy,
                             **where)
        elif action == 'Unlink':
            snapvx_sg.unlink(array, sg, name, target, **where)
        elif action == 'Restore':
            snapvx_sg.restore(array, sg, name, now, duration, **where)
        else:
            snapvx_sg.rename(array, sg, name, new_name, **where)
            shown = new_name
        found = snapvx_sg.instances(array, sg, shown, **where)
        return snapvx_sg.detail(array, sg, found), [
            '%s SnapVX snapshot %s of storage group %s' % (action, name,
                                                           sg)]
    return routing.Change(sid, '%s snapVx snapshot %s of %s' % (
        action, name, sg), call.link(), effect)


@route(SG + '/<name>/<any(snapid, generation):kind>/<int:key>', 'DELETE',
       query=('force', 'symforce'))
def terminate_snapshot(call, sid, sg, name, kind, key):
    # Cinder always sends force=true; the fake's terminate has nothing
    # force could override (a link or a restore session still refuses).
    if call.arg('force') is not None:
        call.flag('force')
    if call.flag('symforce'):
        raise errors.invalid('symforce=true is not supported by this '
                             'Unisphere emulation')
    array = call.array(sid)
    where = _address(array, kind, key)
    snapvx_sg.instances(array, sg, name, **where)

    def effect():
        snapvx_sg.terminate(array, sg, name, **where)
        return None, ['Terminate SnapVX snapshot %s of storage group %s' % (
            name, sg)]
    return routing.Change(sid, 'Terminate snapVx snapshot %s of %s' % (
        name, sg), call.link(), effect, 204)
