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

"""Initiator, host, port group, director and masking view endpoints.

Reference sections 12 to 14.
"""

from tests.fake_unisphere import errors
from tests.fake_unisphere import routing
from tests.fake_unisphere import views

SLOPROV = '/<ver>/sloprovisioning/symmetrix/<sid>'
SYSTEM = '/<ver>/system/symmetrix/<sid>'
route = routing.route


# -- initiators --------------------------------------------------------------

@route(SLOPROV + '/initiator', query=('initiator_hba', 'in_a_host'))
def list_initiators(call, sid):
    array = call.array(sid)
    wanted = [h.lower() for h in call.args.getlist('initiator_hba')]
    in_host = call.flag('in_a_host')
    found = []
    for hba, init in sorted(array.initiators.items()):
        if wanted and hba.lower() not in wanted:
            continue
        owner = array.host_of(hba)
        if in_host is not None and in_host != bool(owner):
            continue
        # One entry per port it has a login record on; one named in a
        # host that never logged in is listed by its bare id.
        found += ['%s:%s' % (port, hba) for port in init.ports] or (
            [hba] if owner else [])
    return 200, routing.names('initiatorId', found)


@route(SLOPROV + '/initiator/<initiator_id>')
def get_initiator(call, sid, initiator_id):
    array = call.array(sid)
    return 200, views.initiator(array, array.initiator(initiator_id))


# -- hosts -------------------------------------------------------------------

@route(SLOPROV + '/host')
def list_hosts(call, sid):
    return 200, routing.names('hostId', sorted(call.array(sid).hosts))


@route(SLOPROV + '/host/<host>')
def get_host(call, sid, host):
    array = call.array(sid)
    return 200, views.host(array, array.host(host))


def _host_params(body):
    name = routing.need(body, 'hostId', str)
    errors.check_name('host', name)
    hbas = body.get('initiatorId') or []
    if not isinstance(hbas, list):
        raise errors.invalid('initiatorId must be a list')
    flags = body.get('hostFlags') or {}
    if not isinstance(flags, dict):
        raise errors.invalid('hostFlags must be an object')
    return name, hbas, flags


@route(SLOPROV + '/host', 'POST')
def create_host(call, sid):
    array = call.array(sid)
    name, hbas, flags = _host_params(call.body)

    def effect():
        array.create_host(name, hbas, flags)
        return views.host(array, array.hosts[name]), [
            'Create Initiator Group [%s] on Symmetrix [%s]' % (name, sid)]
    return routing.Change(sid, 'Create Host %s' % name,
                          call.link() + '/' + name, effect, 201)


@route(SLOPROV + '/host/<host>', 'PUT')
def edit_host(call, sid, host):
    array = call.array(sid)
    array.host(host)
    key, value = routing.one_action(call.body, 'editHostActionParam')
    result = host
    if key == 'addInitiatorParam':
        hbas = routing.id_list(value, 'initiator')

        def apply():
            array.add_initiators(host, hbas)
    elif key == 'removeInitiatorParam':
        hbas = routing.id_list(value, 'initiator')

        def apply():
            array.remove_initiators(host, hbas)
    elif key == 'setHostFlagsParam':
        flags = routing.need(value, 'hostFlags')

        def apply():
            array.hosts[host].flags.update(flags)
    elif key == 'renameHostParam':
        result = routing.need(value, 'new_host_name', str)

        def apply():
            array.rename_host(host, result)
    else:
        raise errors.invalid('%s is not supported by this Unisphere' % key)

    def effect():
        apply()
        return views.host(array, array.hosts[result]), [
            'Modify Initiator Group [%s] on Symmetrix [%s]' % (host, sid)]
    return routing.Change(sid, 'Modify Host %s' % host, call.link(), effect)


@route(SLOPROV + '/host/<host>', 'DELETE')
def delete_host(call, sid, host):
    array = call.array(sid)
    array.host(host)
    return routing.Change(sid, 'Delete Host %s' % host, call.link(),
                          lambda: (array.delete_host(host), []), 204)


# -- port groups -------------------------------------------------------------

@route(SLOPROV + '/portgroup')
def list_port_groups(call, sid):
    return 200, routing.names('portGroupId',
                              sorted(call.array(sid).port_groups))


@route(SLOPROV + '/portgroup/<pg>')
def get_port_group(call, sid, pg):
    array = call.array(sid)
    return 200, views.port_group(array, array.port_group(pg))


def _port_keys(body, key='symmetrixPortKey'):
    keys = body.get(key) or []
    if not isinstance(keys, list):
        raise errors.invalid('%s must be a list' % key)
    ports = []
    for item in keys:
        director = routing.need(item, 'directorId', str)
        port = str(routing.need(item, 'portId', None))
        ports.append((director, port.rsplit(':', 1)[-1]))
    return ports


PROTOCOLS = {'SCSI_FC': 'FC', 'iSCSI': 'iSCSI'}


def _protocol(array, body):
    """The model's protocol of ``port_group_protocol`` (required on V4)."""
    value = body.get('port_group_protocol')
    if value is None and not array.v4:
        return None
    if value not in PROTOCOLS:
        raise errors.invalid('port_group_protocol must be SCSI_FC or iSCSI '
                             'on this array (NVMe_TCP is not modelled)')
    return PROTOCOLS[value]


@route(SLOPROV + '/portgroup', 'POST')
def create_port_group(call, sid):
    array = call.array(sid)
    name = routing.need(call.body, 'portGroupId', str)
    ports = _port_keys(call.body)
    protocol = _protocol(array, call.body)

    def effect():
        group = array.create_port_group(name, ports, protocol)
        return views.port_group(array, group), []
    return routing.Change(sid, 'Create Port Group %s' % name,
                          call.link() + '/' + name, effect, 201)


@route(SLOPROV + '/portgroup/<pg>', 'PUT')
def edit_port_group(call, sid, pg):
    """Add or remove ports, or rename (reference 13.1)."""
    array = call.array(sid)
    array.port_group(pg)
    key, value = routing.one_action(call.body, 'editPortGroupActionParam')
    result = pg
    if key in ('addPortParam', 'removePortParam'):
        ports = _port_keys(value, 'port')
        if not ports:
            raise errors.invalid('%s.port must list at least one port' % key)
        change = array.add_ports if key == 'addPortParam' else (
            array.remove_ports)

        def apply():
            change(pg, ports)
    elif key == 'renamePortGroupParam':
        result = routing.need(value, 'new_port_group_name', str)

        def apply():
            array.rename_port_group(pg, result)
    else:
        raise errors.invalid('%s is not supported by this Unisphere' % key)

    def effect():
        apply()
        return views.port_group(array, array.port_groups[result]), []
    return routing.Change(sid, 'Modify Port Group %s' % pg, call.link(),
                          effect)


@route(SLOPROV + '/portgroup/<pg>', 'DELETE')
def delete_port_group(call, sid, pg):
    array = call.array(sid)
    array.port_group(pg)
    return routing.Change(sid, 'Delete Port Group %s' % pg, call.link(),
                          lambda: (array.delete_port_group(pg), []), 204)


# -- directors and ports -----------------------------------------------------

@route(SYSTEM + '/director')
def list_directors(call, sid):
    return 200, {'directorId': sorted(call.array(sid).directors)}


def _director(array, director):
    try:
        return array.directors[director]
    except KeyError:
        raise errors.not_found('director', director)


@route(SYSTEM + '/director/<director>')
def get_director(call, sid, director):
    array = call.array(sid)
    return 200, views.director(array, _director(array, director))


@route(SYSTEM + '/director/<director>/port',
       query=('ip_list', 'iscsi_endpoint', 'iscsi_target'))
def list_ports(call, sid, director):
    array = call.array(sid)
    record = _director(array, director)
    address = call.arg('ip_list')
    # 9.x calls the virtual iSCSI target filter iscsi_target, 10.x
    # iscsi_endpoint; the other spelling is refused there.
    name, other = (('iscsi_endpoint', 'iscsi_target') if call.api >= 100
                   else ('iscsi_target', 'iscsi_endpoint'))
    if call.arg(other) is not None:
        raise errors.invalid('%s is not a filter of API %s; it is %s' % (
            other, call.api, name))
    target = call.flag(name)
    keys = []
    for number, port in sorted(record.ports.items()):
        if address is not None and address not in port.ip_addresses:
            continue
        if target is not None and (
                port.protocol != 'iSCSI' or port.iscsi_target != target):
            continue
        keys.append({'directorId': director, 'portId': number})
    return 200, routing.names('symmetrixPortKey', keys)


@route(SYSTEM + '/director/<director>/port/<port>')
def get_port(call, sid, director, port):
    array = call.array(sid)
    _director(array, director)
    return 200, {'symmetrixPort': views.port(array,
                                             array.port(director, port))}


# -- masking views -----------------------------------------------------------

@route(SLOPROV + '/maskingview',
       query=('port_group_name', 'host_or_host_group_name'))
def list_views(call, sid):
    array = call.array(sid)
    group, owner = call.arg('port_group_name'), call.arg(
        'host_or_host_group_name')
    found = [v.name for v in array.masking_views.values()
             if (group is None or v.port_group == group) and
             (owner is None or v.host == owner)]
    return 200, routing.names('maskingViewId', sorted(found))


@route(SLOPROV + '/maskingview/<mv>')
def get_view(call, sid, mv):
    array = call.array(sid)
    return 200, views.masking_view(array, array.view(mv))


@route(SLOPROV + '/maskingview/<mv>/connections', query=('volume_id',))
def get_connections(call, sid, mv):
    array = call.array(sid)
    return 200, views.connections(array, array.view(mv),
                                  call.arg('volume_id'))


def _selection(body, key, existing, id_key, create=None):
    """(name, create-params) from a ``*Selection`` object."""
    selection = routing.need(body, key)
    if len(selection) != 1:
        raise errors.invalid('%s must hold exactly one choice' % key)
    choice, value = next(iter(selection.items()))
    if choice == existing:
        return routing.need(value, id_key, str), None
    if create is not None and choice == create:
        return routing.need(value, id_key, str), value
    raise errors.invalid('%s is not supported by this Unisphere' % choice)


@route(SLOPROV + '/maskingview', 'POST')
def create_view(call, sid):
    array = call.array(sid)
    body = call.body
    name = routing.need(body, 'maskingViewId', str)
    errors.check_name('masking view', name)
    host, new_host = _selection(body, 'hostOrHostGroupSelection',
                                'useExistingHostParam', 'hostId',
                                'createHostParam')
    if new_host is not None:
        host, hbas, flags = _host_params(new_host)
    port_group, _ = _selection(body, 'portGroupSelection',
                               'useExistingPortGroupParam', 'portGroupId')
    group, _ = _selection(body, 'storageGroupSelection',
                          'useExistingStorageGroupParam', 'storageGroupId')
    lun = body.get('starting_lun_address')
    if lun is not None:
        try:
            lun = int(str(lun), 16)
        except ValueError:
            raise errors.invalid('starting_lun_address must be hex')

    def effect():
        if new_host is not None:
            array.create_host(host, hbas, flags)
        try:
            view = array.create_view(name, host, port_group, group, lun)
        except errors.ArrayError:
            if new_host is not None:
                del array.hosts[host]
            raise
        return views.masking_view(array, view), [
            'Create Masking View [%s] on Symmetrix [%s]' % (name, sid)]
    return routing.Change(sid, 'Create Masking View %s' % name,
                          call.link() + '/' + name, effect, 201)


@route(SLOPROV + '/maskingview/<mv>', 'PUT')
def edit_view(call, sid, mv):
    """Rename is the one edit of a masking view (reference 14)."""
    array = call.array(sid)
    array.view(mv)
    key, value = routing.one_action(call.body, 'editMaskingViewActionParam')
    if key != 'renameMaskingViewParam':
        raise errors.invalid('%s is not supported by this Unisphere' % key)
    new = routing.need(value, 'new_masking_view_name', str)

    def effect():
        array.rename_view(mv, new)
        return views.masking_view(array, array.masking_views[new]), []
    return routing.Change(sid, 'Modify Masking View %s' % mv, call.link(),
                          effect)


@route(SLOPROV + '/maskingview/<mv>', 'DELETE')
def delete_view(call, sid, mv):
    array = call.array(sid)
    array.view(mv)
    return routing.Change(sid, 'Delete Masking View %s' % mv, call.link(),
                          lambda: (array.delete_view(mv), []), 204)
