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

"""Storage group and volume endpoints (reference sections 9 and 10)."""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import records
from tests.fake_unisphere import routing
from tests.fake_unisphere import srdf_routes
from tests.fake_unisphere import views

SLOPROV = '/<ver>/sloprovisioning/symmetrix/<sid>'
PRIVATE = '/private/<ver>/sloprovisioning/symmetrix/<sid>'
VOLUME_FILTERS = ('volume_identifier', 'storageGroupId', 'emulation', 'wwn',
                  'rdf_group_number')
route = routing.route


def _none(value: typing.Any) -> typing.Optional[str]:
    if value is None or (isinstance(value, str) and
                         value.strip().upper() in ('NONE', '')):
        return None
    if not isinstance(value, str):
        raise errors.invalid('%r is not a valid name' % (value,))
    return value


# -- storage groups ----------------------------------------------------------

@route(SLOPROV + '/storagegroup',
       query=('storageGroupId', 'volumeId', 'child'))
def list_groups(call, sid):
    array = call.array(sid)
    wanted, device = call.arg('storageGroupId'), call.arg('volumeId')
    child = call.flag('child')
    parents = array.parent_map() if child else {}
    found = []
    for name in array.storage_groups:
        if not routing.matches(name, wanted):
            continue
        if child and name not in parents:
            continue
        if device and device not in array.storage_groups[name].volumes:
            continue
        found.append(name)
    return 200, routing.names('storageGroupId', found)


@route(SLOPROV + '/storagegroup/<sg>')
def get_group(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    return 200, views.storage_group(array, sg)


def _volume_attributes(params: dict) -> typing.List[dict]:
    """Parsed ``volumeAttributes`` (9.1+ list shape or the older one)."""
    attributes = params.get('volumeAttributes')
    if attributes is None:
        attributes = [params]
    if isinstance(attributes, dict):
        attributes = [attributes]
    if not isinstance(attributes, list):
        raise errors.invalid('volumeAttributes must be a list')
    parsed = []
    for attr in attributes:
        count = routing.as_int(attr.get('num_of_vols', 0), 'num_of_vols')
        if count == 0:
            continue
        size = routing.as_number(routing.need(attr, 'volume_size', None),
                                 'volume_size')
        unit = attr.get('capacityUnit', 'GB')
        choice = attr.get('volumeIdentifier', params.get('volumeIdentifier'))
        parsed.append({'count': count,
                       'cylinders': records.to_cylinders(size, unit),
                       'identifier': _identifier(choice),
                       'append_id': _appends_id(choice)})
    return parsed


def _appends_id(choice: typing.Any) -> bool:
    return isinstance(choice, dict) and choice.get(
        'volumeIdentifierChoice') == 'identifier_name_plus_volume_id'


def _identifier(choice: typing.Any) -> typing.Optional[str]:
    if choice is None:
        return None
    kind = routing.need(choice, 'volumeIdentifierChoice', str)
    if kind == 'none':
        return None
    if kind in ('identifier_name', 'identifier_name_plus_volume_id'):
        name = routing.need(choice, 'identifier_name', str)
        if not name or len(name) > 64:
            raise errors.invalid('identifier_name must be 1-64 characters')
        return name
    raise errors.invalid('volumeIdentifierChoice %s is not valid' % kind)


def _create_volumes(array, name, attributes, allocate=False):
    # One edit is one configuration change: the array checks the whole
    # of it (room in the group and on the array, sizes, capacity) before
    # it makes any device, so a refused edit makes none.
    array.check_new_volumes(name, [(attr['count'], attr['cylinders'])
                                   for attr in attributes])
    tasks = []
    for attr in attributes:
        for device_id in array.create_volumes(
                name, attr['count'], attr['cylinders'], attr['identifier'],
                append_id=attr['append_id'], allocate=allocate):
            tasks.append('Creating new Volumes for %s : [%s]' % (
                name, device_id))
    return tasks


def _host_io_limits(params: dict) -> dict:
    limits = {}
    for key, low in (('host_io_limit_io_sec', 100),
                     ('host_io_limit_mb_sec', 1)):
        if params.get(key) is None:
            continue
        value = params[key]
        if not isinstance(value, str):
            # The API takes the limits as strings, as clients send them.
            raise errors.invalid('%s must be a string, not %r' % (
                key, value))
        if value.strip().lower() == 'nolimit':
            limits[key] = 'NOLIMIT'
            continue
        number = routing.as_int(value, key)
        if not low <= number <= 100000:
            raise errors.invalid('%s must be between %d and 100000' % (
                key, low))
        if key == 'host_io_limit_io_sec' and number % 100:
            raise errors.invalid('host_io_limit_io_sec must be a multiple '
                                 'of 100')
        limits[key] = str(number)
    if params.get('dynamicDistribution') is not None:
        value = params['dynamicDistribution']
        if value not in ('Never', 'OnFailure', 'Always'):
            raise errors.invalid('dynamicDistribution must be Never, '
                                 'OnFailure or Always')
        limits['dynamicDistribution'] = value
    if not limits:
        raise errors.invalid('setHostIOLimitsParam sets nothing')
    return limits


# The sloBasedStorageGroupParam keys the fake models; any other is refused
# rather than accepted and ignored.
SLO_PARAM_KEYS = frozenset((
    'sloId', 'workloadSelection', 'noCompression', 'volumeAttributes',
    'setHostIOLimitsParam', 'allocate_capacity_for_each_vol',
    'persist_preallocated_capacity_through_reclaim_or_copy'))
FULL_ALLOCATION_KEYS = (
    'allocate_capacity_for_each_vol',
    'persist_preallocated_capacity_through_reclaim_or_copy')


def _no_compression(array, params: dict) -> typing.Optional[bool]:
    """``compression`` from ``noCompression``, which needs a capable array."""
    if params.get('noCompression') is None:
        return None
    value = routing.as_bool(params['noCompression'], 'noCompression')
    if not array.compression_capable:
        raise errors.invalid('Compression is not supported on Symmetrix '
                             '%s: noCompression cannot be set' % array.sid)
    return not value


def _full_allocation(array, params: dict) -> bool:
    """Full allocation of new volumes (reference 18: not on V4)."""
    wanted = [k for k in FULL_ALLOCATION_KEYS if params.get(k) is not None
              and routing.as_bool(params[k], k)]
    if wanted and array.v4:
        raise errors.invalid('%s is not supported on Symmetrix %s' % (
            wanted[0], array.sid))
    return bool(wanted)


def _slo_params(array, params: typing.Any) -> dict:
    """The parsed first ``sloBasedStorageGroupParam`` entry."""
    if not isinstance(params, list) or not params or not isinstance(
            params[0], dict):
        raise errors.invalid('sloBasedStorageGroupParam must be a list')
    first = params[0]
    routing.need(first, 'volumeAttributes', list)
    unknown = sorted(set(first) - SLO_PARAM_KEYS)
    if unknown:
        raise errors.invalid('sloBasedStorageGroupParam.%s is not supported '
                             'by this Unisphere' % unknown[0])
    limits = None
    if first.get('setHostIOLimitsParam'):
        limits = _host_io_limits(first['setHostIOLimitsParam'])
    return {'slo': _none(first.get('sloId')),
            'workload': _none(first.get('workloadSelection')),
            'compression': _no_compression(array, first),
            'allocate': _full_allocation(array, first),
            'attributes': _volume_attributes(first), 'limits': limits}


CREATE_KEYS = ('executionOption', 'storageGroupId', 'snapshot_policies',
               'srpId', 'sloBasedStorageGroupParam', 'emulation')


@route(SLOPROV + '/storagegroup', 'POST')
def create_group(call, sid):
    array = call.array(sid)
    body = call.body
    routing.known(body, CREATE_KEYS)
    name = routing.need(body, 'storageGroupId', str)
    errors.check_name('storage group', name)
    if body.get('emulation', 'FBA') != 'FBA':
        raise errors.invalid('emulation %s is not supported by this '
                             'Unisphere' % body['emulation'])
    if body.get('snapshot_policies'):
        raise errors.invalid('snapshot_policies are not supported by this '
                             'Unisphere')
    srp = _none(body.get('srpId'))
    parsed = {'slo': None, 'workload': None, 'compression': None,
              'allocate': False, 'attributes': [], 'limits': None}
    if body.get('sloBasedStorageGroupParam'):
        parsed = _slo_params(array, body['sloBasedStorageGroupParam'])

    def effect():
        array.create_group(name, srp, parsed['slo'], parsed['workload'],
                           parsed['compression'])
        try:
            if parsed['limits']:
                array.set_host_io_limits(name, parsed['limits'])
            tasks = _create_volumes(array, name, parsed['attributes'],
                                    parsed['allocate'])
        except errors.ArrayError:
            for device_id in list(array.storage_groups[name].volumes):
                array.storage_groups[name].volumes.remove(device_id)
                array.free_volume(device_id)
                array.delete_volume(device_id)
            del array.storage_groups[name]
            raise
        tasks.insert(0, 'Create Storage Group [%s] on Symmetrix [%s]' % (
            name, sid))
        return views.storage_group(array, name), tasks
    return routing.Change(sid, 'Create Storage Group %s' % name,
                          call.link() + '/' + name, effect, 201)


def _expand(array, sg, params):
    key, value = _single(params, 'expandStorageGroupParam')
    if key == 'addVolumeParam':
        attributes = _volume_attributes(value)
        if not attributes:
            raise errors.invalid('addVolumeParam creates no volume')
        if value.get('create_new_volumes') is not None:
            routing.as_bool(value['create_new_volumes'],
                            'create_new_volumes')
        return lambda: _create_volumes(array, sg, attributes)
    if key == 'addSpecificVolumeParam':
        devices = routing.id_list(value, 'volumeId')
        return lambda: array.add_volumes(sg, devices) or [
            'Populating Storage Group(s) with volumes : [%s]' % ', '.join(
                devices)]
    if key == 'addExistingStorageGroupParam':
        children = routing.id_list(value, 'storageGroupId')

        def cascade():
            for child in children:
                array.add_child(sg, child)
        return cascade
    raise errors.invalid('%s is not supported by this Unisphere' % key)


def _single(params, wrapper):
    return routing.one_action({wrapper: params}, wrapper)


def _edit_action(array, sg, key, value):
    """The effect of one ``editStorageGroupActionParam`` action."""
    force = routing.as_bool(value.get('force', False), 'force')
    if key == 'expandStorageGroupParam':
        return _expand(array, sg, value)
    if key == 'removeVolumeParam':
        devices = routing.id_list(value, 'volumeId')
        return lambda: array.remove_volumes(sg, devices)
    if key == 'moveVolumeToStorageGroupParam':
        devices = routing.id_list(value, 'volumeId')
        target = routing.need(value, 'storageGroupId', str)
        return lambda: array.move_volumes(sg, target, devices, force)
    if key == 'removeStorageGroupParam':
        children = routing.id_list(value, 'storageGroupId')
        return lambda: [array.remove_child(sg, c, force) for c in children]
    if key == 'setHostIOLimitsParam':
        limits = _host_io_limits(value)
        return lambda: array.set_host_io_limits(sg, limits)
    if key == 'editStorageGroupSLOParam':
        slo = _none(routing.need(value, 'sloId', str))
        return lambda: array.set_slo(sg, slo)
    if key == 'editStorageGroupWorkloadParam':
        workload = routing.need(value, 'workloadSelection', str)
        return lambda: array.set_workload(sg, workload)
    if key == 'editStorageGroupSRPParam':
        srp = routing.need(value, 'srpId', str)
        return lambda: array.set_srp(sg, srp)
    if key == 'editCompressionParam':
        enabled = routing.as_bool(routing.need(value, 'compression', None),
                                  'compression')
        if not array.compression_capable:
            raise errors.invalid('Compression is not supported on Symmetrix '
                                 '%s' % array.sid)
        return lambda: array.set_compression(sg, enabled)
    if key == 'tagManagementParam':
        return _tags(array.group(sg).tags, value)
    raise errors.invalid('%s is not supported by this Unisphere' % key)


def _tags(tags: list, value: dict):
    key, names = _single(value, 'tagManagementParam')
    wanted = routing.id_list(names, 'tag_name')
    for tag in wanted:
        errors.check_name('tag', tag)
    if key == 'addTagsParam':
        return lambda: tags.extend(t for t in wanted if t not in tags)
    if key == 'removeTagsParam':
        return lambda: [tags.remove(t) for t in wanted if t in tags]
    raise errors.invalid('%s is not valid' % key)


@route(SLOPROV + '/storagegroup/<sg>', 'PUT')
def edit_group(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    key, value = routing.one_action(call.body, 'editStorageGroupActionParam')
    if key == 'renameStorageGroupParam':
        new = routing.need(value, 'new_storage_Group_name', str)
        result = new

        def apply():
            array.rename_group(sg, new)
    else:
        result = sg
        apply = srdf_routes.remote_edit(
            call, array, sg, key, value, _edit_action(array, sg, key, value))

    def effect():
        tasks = apply() or []
        if not isinstance(tasks, list) or not all(
                isinstance(t, str) for t in tasks):
            tasks = []
        tasks.append('Refresh [Storage Group [%s] on Symmetrix [%s]]' % (
            result, sid))
        return views.storage_group(array, result), tasks
    return routing.Change(sid, 'Modify Storage Group %s' % sg, call.link(),
                          effect)


@route(SLOPROV + '/storagegroup/<sg>', 'DELETE')
def delete_group(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    return routing.Change(
        sid, 'Delete Storage Group %s' % sg, call.link(),
        lambda: (array.delete_group(sg), []), 204)


# -- volumes -----------------------------------------------------------------

def _volume_filter(call, array):
    identifier = call.arg('volume_identifier')
    group = call.arg('storageGroupId')
    emulation = call.arg('emulation')
    wwn = call.arg('wwn')
    paired = srdf_routes.rdf_filter(call, array)
    members = None
    if group is not None:
        members = (set(array.members(group))
                   if group in array.storage_groups else set())
    found = []
    for device_id, vol in sorted(array.volumes.items()):
        if identifier is not None and not routing.matches(
                vol.identifier, identifier):
            continue
        if members is not None and device_id not in members:
            continue
        if emulation is not None and vol.emulation != emulation:
            continue
        if wwn is not None and vol.wwn.lower() != wwn.lower():
            continue
        if paired is not None and device_id not in paired:
            continue
        found.append(device_id)
    return found


@route(SLOPROV + '/volume', query=VOLUME_FILTERS)
def list_volumes(call, sid):
    array = call.array(sid)
    found = _volume_filter(call, array)
    return 200, call.model.iterate([{'volumeId': d} for d in found])


@route(PRIVATE + '/volume',
       query=VOLUME_FILTERS + ('expiration_time_mins',))
def list_private_volumes(call, sid):
    array = call.array(sid)
    found = _volume_filter(call, array)
    holders, mapped = array.group_map(), views.view_map(array)
    return 200, call.model.iterate(
        [views.private_volume(array, d, holders, mapped) for d in found])


@route(SLOPROV + '/volume/<dev>')
def get_volume(call, sid, dev):
    array = call.array(sid)
    array.volume(dev)
    return 200, views.volume(array, dev, call.api)


@route(SLOPROV + '/volume/<dev>', 'PUT')
def edit_volume(call, sid, dev):
    array = call.array(sid)
    array.volume(dev)
    key, value = routing.one_action(call.body, 'editVolumeActionParam')
    if key == 'modifyVolumeIdentifierParam':
        name = _identifier(routing.need(value, 'volumeIdentifier'))

        def apply():
            array.rename_volume(dev, name)
    elif key == 'expandVolumeParam':
        attr = routing.need(value, 'volumeAttribute')
        size = routing.as_number(routing.need(attr, 'volume_size', None),
                                 'volume_size')
        cylinders = records.to_cylinders(size, attr.get('capacityUnit',
                                                        'GB'))
        number = srdf_routes.rdf_number(value)

        def apply():
            if number is None:
                array.expand_volume(dev, cylinders)
            else:
                array.expand_rdf(dev, cylinders, number)
    elif key == 'freeVolumeParam':
        routing.as_bool(routing.need(value, 'free_volume', None),
                        'free_volume')

        def apply():
            array.free_volume(dev)
    else:
        raise errors.invalid('%s is not supported by this Unisphere' % key)

    def effect():
        apply()
        return views.volume(array, dev, call.api), [
            'Modify Volume [%s] on Symmetrix [%s]' % (dev, sid)]
    return routing.Change(sid, 'Modify Volume %s' % dev, call.link(), effect)


@route(SLOPROV + '/volume/<dev>', 'DELETE')
def delete_volume(call, sid, dev):
    array = call.array(sid)
    array.volume(dev)
    return routing.Change(sid, 'Delete Volume %s' % dev, call.link(),
                          lambda: (array.delete_volume(dev), []), 204)
