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

"""SRDF endpoints (reference section 15) and the SRDF parts of SG edits.

RDF groups are fixed by the array profile (``data.RDF_GROUPS``) or made
by a test through :meth:`srdf.SRDFRules.add_rdf_group`; creating,
modifying or deleting a group through the API is not modelled and is
answered 405. Body keys the fake does not model are refused (400) when
they ask for something, never silently ignored. ``metroBias`` is
modelled (see srdf.py); ``invalidateR2`` on pair create is accepted as
it changes nothing here: a new R2 is copied in full anyway.
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import routing
from tests.fake_unisphere import srdf_views

REPL = '/<ver>/replication/symmetrix/<sid>'
route = routing.route
# Options an SG-level action object may carry that change nothing here.
HARMLESS = ('force', 'symForce', 'immediate', 'remote', 'full')
# Options the model acts on (srdf_sg.check_action).
MODELLED = ('consExempt', 'metroBias')
REFUSED = ('star', 'hop2', 'bypass', 'halfSwap', 'refreshR1', 'refreshR2',
           'recoverPoint', 'restore', 'establish')


def _flag(body: dict, key: str) -> bool:
    value = body.get(key)
    return False if value is None else routing.as_bool(value, key)


def _refuse_flags(body: dict, keys: typing.Iterable[str]) -> None:
    for key in keys:
        if _flag(body, key):
            raise errors.invalid('%s is not supported by this Unisphere' %
                                 key)


def _clock(call: typing.Any) -> typing.Tuple[float, float]:
    return call.jobs.clock(), call.jobs.latency.job_duration


def _refresh(call: typing.Any) -> None:
    # A change may touch the remote array, whose views the front does not
    # refresh (it refreshes the array of the URL only).
    for array in call.model.arrays.values():
        array.refresh_luns()


# -- RDF groups ---------------------------------------------------------------

def _count_matches(count: int, wanted: str) -> bool:
    # An exact count: the API describes volume_count as an integer.
    return count == routing.as_int(wanted, 'volume_count')


def _group_matches(call, array, group) -> bool:
    view = srdf_views.rdf_group(array, group)
    remote = call.arg('remote_symmetrix_id')
    mode, count = call.arg('rdf_mode'), call.arg('volume_count')
    kind = call.arg('group_type')
    return ((remote is None or remote == group.remote_sid) and
            (mode is None or mode in view['modes']) and
            (count is None or _count_matches(view['numDevices'], count)) and
            (kind is None or kind.lower() == view['type'].lower()))


@route(REPL + '/rdf_group', query=(
    'remote_symmetrix_id', 'rdf_mode', 'volume_count', 'group_type'))
def list_rdf_groups(call, sid):
    array = call.array(sid)
    found = [srdf_views.rdf_group_entry(array.rdf[n])
             for n in sorted(array.rdf)
             if _group_matches(call, array, array.rdf[n])]
    return 200, {'rdfg_count': len(found), 'rdfGroupID': found}


@route(REPL + '/rdf_group/<int:number>')
def get_rdf_group(call, sid, number):
    array = call.array(sid)
    return 200, srdf_views.rdf_group(array, array.rdf_group(number))


@route(REPL + '/rdf_group/<int:number>/volume')
def list_pairs(call, sid, number):
    array = call.array(sid)
    return 200, routing.names('name', array.rdf_devices(number))


@route(REPL + '/rdf_group/<int:number>/volume/<dev>')
def get_pair(call, sid, number, dev):
    array = call.array(sid)
    return 200, srdf_views.pair(array, array.pair_in(number, dev))


def _local_devices(body: dict) -> typing.List[str]:
    if body.get('localDeviceAutoCriteriaParam') is not None:
        raise errors.invalid('localDeviceAutoCriteriaParam is not supported '
                             'by this Unisphere; name the devices')
    criteria = routing.need(body, 'localDeviceListCriteriaParam')
    if criteria.get('remoteThinPoolName') not in (None, 'SRP_1'):
        raise errors.invalid('remoteThinPoolName %s is not valid' %
                             criteria['remoteThinPoolName'])
    return list(dict.fromkeys(routing.id_list(criteria,
                                              'localDeviceList')))


PAIR_KEYS = ('executionOption', 'rdfMode', 'rdfType', 'invalidateR1',
             'invalidateR2', 'establish', 'restore', 'format', 'exempt',
             'noWD', 'remote', 'bias', 'localDeviceAutoCriteriaParam',
             'localDeviceListCriteriaParam')


@route(REPL + '/rdf_group/<int:number>/volume', 'POST')
def create_pairs(call, sid, number):
    array = call.array(sid)
    body = call.body
    routing.known(body, PAIR_KEYS)
    mode = routing.need(body, 'rdfMode', str)
    if routing.need(body, 'rdfType', str) != 'RDF1':
        raise errors.invalid('rdfType %s is not supported by this '
                             'Unisphere: the local devices become R1' %
                             body['rdfType'])
    devices = _local_devices(body)
    establish, exempt = _flag(body, 'establish'), _flag(body, 'exempt')
    bias = _flag(body, 'bias')
    # A new R2 is copied in full anyway: invalidating it changes nothing.
    _flag(body, 'invalidateR2')
    _refuse_flags(body, ('invalidateR1', 'restore', 'format', 'noWD',
                         'remote', 'recoverPoint'))
    array.rdf_group(number)

    def effect():
        now, duration = _clock(call)
        pairs = array.create_pairs(number, devices, mode, establish, exempt,
                                   now, duration, bias)
        return {'devicePair': [srdf_views.pair(array, p) for p in pairs]}, [
            'Create SRDF pair %s:%s -> %s:%s' % (
                p.r1_sid, p.r1_dev, p.r2_sid, p.r2_dev) for p in pairs]
    return routing.Change(sid, 'Create SRDF device pairs in RDF group %d' %
                          number, call.link(), effect, 201)


@route(REPL + '/rdf_group/<int:number>/volume/<dev>', 'DELETE')
def delete_pair(call, sid, number, dev):
    array = call.array(sid)
    array.pair_in(number, dev)
    return routing.Change(
        sid, 'Delete SRDF pair %s' % dev, call.link(),
        lambda: (array.delete_pair(number, dev), []), 204)


PortStates = typing.Dict[str, bool]


def _rdf_ports(array: typing.Any) -> typing.Dict[str, PortStates]:
    """director -> port -> online, from the ports the RDF groups use.

    A port is online while one of the groups using it has its links up.
    """
    found: typing.Dict[str, PortStates] = {}
    for group in array.rdf.values():
        for director, port in group.local_ports:
            ports = found.setdefault(director, {})
            ports[port] = ports.get(port, False) or group.online
    return found


def _rdf_director(array: typing.Any, director: str) -> PortStates:
    ports = _rdf_ports(array).get(director)
    if ports is None:
        raise errors.not_found('RDF director', director)
    return ports


@route(REPL + '/rdf_director')
def list_rdf_directors(call, sid):
    return 200, routing.names('directorId',
                              sorted(_rdf_ports(call.array(sid))))


@route(REPL + '/rdf_director/<director>')
def get_rdf_director(call, sid, director):
    ports = _rdf_director(call.array(sid), director)
    return 200, {'directorId': director, 'symmetrixID': sid,
                 'directorNumber': int(director.split('-')[1][:-1]),
                 'online': any(ports.values()), 'fiber': True,
                 'gige': False, 'hwCompressionSupported': True}


@route(REPL + '/rdf_director/<director>/port')
def list_rdf_ports(call, sid, director):
    ports = _rdf_director(call.array(sid), director)
    return 200, {'portNumber': sorted(ports, key=int)}


def _rdf_port(sid: str, director: str, port: str, online: bool) -> dict:
    return {'symmetrixID': sid, 'directorId': director,
            'directorNumber': int(director.split('-')[1][:-1]),
            'portNumber': int(port), 'online': online, 'protocol': 'FC',
            'wwn': '5000097%s%s%02x' % (sid[-6:], director[3:5].encode(
                'ascii').hex(), int(port))}


@route(REPL + '/rdf_director/<director>/port/<port>')
def get_rdf_port(call, sid, director, port):
    ports = _rdf_director(call.array(sid), director)
    if port not in ports:
        raise errors.not_found('RDF port', '%s:%s' % (director, port))
    return 200, _rdf_port(sid, director, port, ports[port])


@route(REPL + '/rdf_director/<director>/port/<port>/remote_port')
def get_rdf_remote_ports(call, sid, director, port):
    """The partner ports this RDF port reaches, over its groups' links."""
    array = call.array(sid)
    ports = _rdf_director(array, director)
    if port not in ports:
        raise errors.not_found('RDF port', '%s:%s' % (director, port))
    found = []
    for group in array.rdf.values():
        if (director, port) not in group.local_ports:
            continue
        for remote_director, remote_port in group.remote_ports:
            entry = _rdf_port(group.remote_sid, remote_director,
                              remote_port, group.online)
            if entry not in found:
                found.append(entry)
    return 200, {'remotePort': found}


# -- storage-group SRDF -------------------------------------------------------

@route(REPL + '/storagegroup/<sg>', query=(
    'include_remote_sgs', 'exclude_manual_snaps', 'exclude_sl_snaps'))
def sg_replication_view(call, sid, sg):
    """The replication view of a storage group (reference 11.2)."""
    array = call.array(sid)
    array.group(sg)
    # No snapshot policies here: every snapshot is a manual one.
    call.flag('exclude_sl_snaps')
    return 200, srdf_views.sg_replication(
        array, sg, bool(call.flag('include_remote_sgs')),
        bool(call.flag('exclude_manual_snaps')))


@route(REPL + '/storagegroup/<sg>/rdf_group')
def sg_rdf_groups(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    return 200, {'rdfgs': array.sg_rdf_groups(sg)}


@route(REPL + '/storagegroup/<sg>/rdf_group/<int:number>')
def sg_rdf_state(call, sid, sg, number):
    array = call.array(sid)
    array.group(sg)
    return 200, srdf_views.sg_state(array, sg, number)


def _pick_group(array: typing.Any, remote_sid: str, mode: str) -> int:
    """The RDF group the array pairs in when none is named.

    The lowest-numbered online group to the remote array that holds no
    pairs or only pairs of the same mode.
    """
    for number in sorted(array.rdf):
        group = array.rdf[number]
        if (group.remote_sid == remote_sid and group.online
                and set(group.modes) <= {mode}):
            return number
    raise errors.invalid('No online RDF group to Symmetrix %s can take %s '
                         'pairs; name one with rdfgNumber' % (remote_sid,
                                                              mode))


@route(REPL + '/storagegroup/<sg>/rdf_group', 'POST')
def protect(call, sid, sg):
    array = call.array(sid)
    array.group(sg)
    body = call.body
    mode = routing.need(body, 'replicationMode', str)
    remote_sid = routing.need(body, 'remoteSymmId', str)
    if 'rdfgNumber' not in body:
        number = _pick_group(array, remote_sid, mode)
    else:
        number = routing.as_int(body['rdfgNumber'], 'rdfgNumber')
    remote_sg = body.get('remoteStorageGroupName') or sg
    slo = body.get('remoteSLO')
    if isinstance(slo, str) and slo.strip().upper() in ('', 'NONE'):
        slo = None  # a group without a service level, as clients write it
    establish, bias = _flag(body, 'establish'), _flag(body, 'metroBias')
    _refuse_flags(body, ('forceNewRdfGroup',))
    for key in ('thinPool', 'fastPolicy'):
        if body.get(key) is not None:
            raise errors.invalid('%s is not supported by this Unisphere' %
                                 key)
    array.check_protect(sg, number, remote_sid, remote_sg, mode, slo, bias)

    def effect():
        now, duration = _clock(call)
        array.protect(sg, number, remote_sid, remote_sg, mode, slo,
                      establish, now, duration, bias)
        _refresh(call)
        return srdf_views.sg_state(array, sg, number), [
            'Protect Storage Group [%s] with SRDF group %d to [%s] on '
            'Symmetrix [%s]' % (sg, number, remote_sg, remote_sid)]
    return routing.Change(sid, 'Protect Storage Group %s' % sg, call.link(),
                          effect, 201)


def _action_options(body: dict, action: str) -> dict:
    options = body.get(action[:1].lower() + action[1:]) or {}
    if not isinstance(options, dict):
        raise errors.invalid('%s options must be an object' % action)
    known = HARMLESS + MODELLED
    unknown = set(options) - set(known) - set(REFUSED)
    if unknown:
        raise errors.invalid('Unknown %s options: %s' % (
            action, ', '.join(sorted(unknown))))
    _refuse_flags(options, REFUSED)
    return {k: _flag(options, k) for k in options if k in known}


@route(REPL + '/storagegroup/<sg>/rdf_group/<int:number>', 'PUT')
def modify(call, sid, sg, number):
    array = call.array(sid)
    array.group(sg)
    action = routing.need(call.body, 'action', str)
    options = _action_options(call.body, action)
    array.check_action(sg, number, action, options)

    def effect():
        now, duration = _clock(call)
        array.sg_action(sg, number, action, options, now, duration)
        return srdf_views.sg_state(array, sg, number), [
            '%s SRDF group %d of Storage Group [%s]' % (action, number, sg)]
    return routing.Change(sid, '%s SRDF Storage Group %s' % (action, sg),
                          call.link(), effect)


@route(REPL + '/storagegroup/<sg>/rdf_group/<int:number>', 'DELETE',
       query=('force', 'symforce', 'star', 'bypass', 'keepR1', 'keepR2'))
def unprotect(call, sid, sg, number):
    array = call.array(sid)
    array.group(sg)
    force = bool(call.flag('force')) or bool(call.flag('symforce'))
    for key in ('star', 'bypass', 'keepR1', 'keepR2'):
        if call.flag(key):
            raise errors.invalid('%s is not supported by this Unisphere' %
                                 key)
    array.sg_pairs(sg, number)
    return routing.Change(
        sid, 'Delete SRDF of Storage Group %s' % sg, call.link(),
        lambda: (array.unprotect(sg, number, force), []), 204)


# -- hooks of the storage-group and volume edits (sg_routes) ------------------

RemoteInfo = typing.Optional[typing.Tuple[str, str, bool]]


def remote_info(value: dict) -> RemoteInfo:
    """(remote sid, remote SG, force) of ``remoteSymmSGInfoParam``.

    None when it only carries ``force`` (clients send that on every SG),
    or is absent.
    """
    info = value.get('remoteSymmSGInfoParam')
    if info is None:
        return None
    if not isinstance(info, dict):
        raise errors.invalid('remoteSymmSGInfoParam must be an object')
    unknown = set(info) - {'force', 'remote_symmetrix_1_id',
                           'remote_symmetrix_1_sgs'}
    if unknown:
        raise errors.invalid('remoteSymmSGInfoParam: %s not supported by '
                             'this Unisphere (one hop only)' % ', '.join(
                                 sorted(unknown)))
    force = _flag(info, 'force')
    if info.get('remote_symmetrix_1_id') is None:
        if info.get('remote_symmetrix_1_sgs'):
            raise errors.invalid('remote_symmetrix_1_sgs needs '
                                 'remote_symmetrix_1_id')
        return None
    sgs = routing.id_list(info, 'remote_symmetrix_1_sgs')
    if len(sgs) != 1:
        raise errors.invalid('remote_symmetrix_1_sgs must name one storage '
                             'group')
    return info['remote_symmetrix_1_id'], sgs[0], force


def _volume_edit(key: str, value: dict
                 ) -> typing.Tuple[typing.Optional[str], dict]:
    """('add' | 'remove' | None, the action's parameters)."""
    if key == 'removeVolumeParam':
        return 'remove', value
    if key == 'expandStorageGroupParam' and isinstance(value, dict):
        for sub in ('addVolumeParam', 'addSpecificVolumeParam'):
            if isinstance(value.get(sub), dict):
                return 'add', value[sub]
    return None, value


def remote_edit(call: typing.Any, array: typing.Any, sg: str, key: str,
                value: dict, apply: typing.Callable) -> typing.Callable:
    """Wrap an SG edit's effect with its SRDF part, if it has one.

    Adding volumes with a remote SG creates their R2s there and pairs
    them; removing them takes their partners out of it and deletes the
    pairs (both devices stay, for the client to delete).
    """
    kind, params = _volume_edit(key, value)
    if kind is None:
        if isinstance(value, dict) and value.get('remoteSymmSGInfoParam'):
            raise errors.invalid('remoteSymmSGInfoParam is not supported '
                                 'with %s by this Unisphere' % key)
        return apply
    info = remote_info(params)
    if info is None:
        return apply
    array.remote_plan(sg, *info)
    maker = _remove_effect if kind == 'remove' else _add_effect
    return maker(call, array, sg, params, info, apply)


def _remove_effect(call: typing.Any, array: typing.Any, sg: str, params: dict,
                   info: tuple, apply: typing.Callable) -> typing.Callable:
    devices = routing.id_list(params, 'volumeId')

    def remove():
        group = array.remote_plan(sg, *info)
        array.check_remove_paired(group, devices)
        tasks = apply()
        array.remove_paired(group, devices, info[1])
        _refresh(call)
        return tasks
    return remove


def _add_effect(call: typing.Any, array: typing.Any, sg: str, params: dict,
                info: tuple, apply: typing.Callable) -> typing.Callable:
    specific = params.get('volumeId') is not None

    def add():
        group = array.remote_plan(sg, *info)
        if specific:
            array.check_add_paired(sg, group,
                                   routing.id_list(params, 'volumeId'))
        before = set(array.members(sg))
        tasks = apply()
        now, duration = _clock(call)
        new = sorted(set(array.members(sg)) - before)
        try:
            array.add_paired(sg, new, group, info[1], now, duration)
        except errors.ArrayError:
            _undo_add(array, sg, new, not specific)
            raise
        _refresh(call)
        return tasks
    return add


def _undo_add(array: typing.Any, sg: str, devices: typing.List[str],
              created: bool) -> None:
    """Take back the local half of an add whose R2s could not be made."""
    array.remove_volumes(sg, devices)
    if created:
        for device_id in devices:
            array.delete_volume(device_id)


def rdf_number(value: dict) -> typing.Optional[int]:
    """``rdfGroupNumber`` of an ``expandVolumeParam``."""
    if value.get('rdfGroupNumber') is None:
        return None
    return routing.as_int(value['rdfGroupNumber'], 'rdfGroupNumber')


def rdf_filter(call: typing.Any, array: typing.Any
               ) -> typing.Optional[typing.Set[str]]:
    """Devices the ``rdf_group_number`` volume filter keeps (None: all)."""
    wanted = call.arg('rdf_group_number')
    if wanted is None:
        return None
    number = routing.as_int(wanted, 'rdf_group_number')
    group = array.rdf.get(number)
    return set(group.pairs) if group is not None else set()
