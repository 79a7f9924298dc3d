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

"""Performance endpoints (versionless, reference section 17).

Registration, the available time ranges, and the metrics of port groups
and front-end ports, diagnostic and real time, with the field names of
the 10.0 OpenAPI spec (``registrationDetailsInfo``, ``arrayRegisterParam``,
``arrayKeyResult``, ``portGroupParam``, ``fePortParam``,
``realTimeMetricsParam``). Metric lists answer with an iterator envelope.
A field the spec does not have, a metric the category does not offer or
an array not registered is refused.
"""

import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import performance
from tests.fake_unisphere import routing

PERF = '/performance'
route = routing.route
#: Real-time categories this fake serves (the spec's example spells the
#: front-end port category FEPort; the in-tree driver sends FEPORT).
REAL_TIME_PORT = 'feport'
#: The fields each request takes (all the spec has for it).
REGISTER_FIELDS = ('symmetrixId', 'diagnostic', 'realtime', 'file')
PORT_GROUP_FIELDS = ('symmetrixId', 'portGroupId', 'startDate', 'endDate',
                     'dataFormat', 'metrics')
PORT_FIELDS = ('symmetrixId', 'directorId', 'portId', 'startDate',
               'endDate', 'dataFormat', 'metrics')
REAL_TIME_FIELDS = ('symmetrixId', 'instanceId', 'startDate', 'endDate',
                    'category', 'metrics')


def _now(call, perf: performance.Performance) -> int:
    """Now, in epoch ms: the array's performance clock, or the jobs'."""
    return int((perf.clock or call.jobs.clock)() * 1000)


def _perf(call, sid: str) -> performance.Performance:
    return call.array(sid).performance


def _fields(body: dict, allowed: typing.Iterable[str],
            required: typing.Iterable[str]) -> dict:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise errors.invalid('Unknown field(s) %s' % ', '.join(unknown))
    for key in required:
        routing.need(body, key, None)
    return body


def _registration(sid: str, perf: performance.Performance) -> dict:
    return {'symmetrixId': sid, 'file': False, 'message': 'Success',
            'diagnostic': perf.diagnostic_since is not None,
            'realtime': perf.real_time_since is not None,
            'collectionintervalmins': performance.DIAGNOSTIC_MS //
            performance.MINUTE_MS}


@route(PERF + '/Array/registrationdetails/<sid>')
def registration_details(call, sid):
    return 200, {'registrationDetailsInfo': [
        _registration(sid, _perf(call, sid))]}


@route(PERF + '/Array/registration/<sid>')
def is_registered(call, sid):
    return 200, {'isRegistered': _perf(call, sid).diagnostic_since
                 is not None}


@route(PERF + '/Array/register', 'POST')
def register(call):
    body = _fields(call.body, REGISTER_FIELDS,
                   ('symmetrixId', 'diagnostic', 'realtime'))
    if routing.as_bool(body.get('file', False), 'file'):
        raise errors.invalid('File statistics are not supported by this '
                             'array')
    sid = routing.need(body, 'symmetrixId', str)
    perf = _perf(call, sid)
    perf.register(
        _now(call, perf), routing.as_bool(body['diagnostic'], 'diagnostic'),
        routing.as_bool(body['realtime'], 'realtime'))
    return 200, {'message': ['Successfully applied registration changes '
                             'for %s array(s).' % sid]}


def _ranges(call, real_time: bool) -> dict:
    found = []
    for sid, array in sorted(call.model.arrays.items()):
        perf = array.performance
        last = (perf.last_real_time if real_time else
                perf.last_diagnostic)(_now(call, perf))
        if last is None:
            continue  # not registered, or no sample collected yet
        found.append({'symmetrixId': sid, 'firstAvailableDate': (
            perf.first_real_time if real_time else perf.first_diagnostic)(),
            'lastAvailableDate': last})
    return {'arrayInfo': found}


@route(PERF + '/Array/keys')
def array_keys(call):
    return 200, _ranges(call, False)


@route(PERF + '/realtime/help/times')
def real_time_times(call):
    return 200, _ranges(call, True)


@route(PERF + '/PortGroup/keys', 'POST')
def port_group_keys(call):
    body = _fields(call.body, ('symmetrixId',), ('symmetrixId',))
    sid = body['symmetrixId']
    range_ = _diagnostic_range(call, sid)
    return 200, {'portGroupInfo': [dict(range_, portGroupId=name)
                                   for name in sorted(
                                       call.array(sid).port_groups)]}


@route(PERF + '/FEPort/keys', 'POST')
def port_keys(call):
    body = _fields(call.body, ('symmetrixId', 'directorId'),
                   ('symmetrixId', 'directorId'))
    array = call.array(body['symmetrixId'])
    director = array.directors.get(body['directorId'])
    if director is None:
        raise errors.not_found('director', body['directorId'])
    range_ = _diagnostic_range(call, array.sid)
    return 200, {'fePortInfo': [
        dict(range_, portId=number) for number, port in sorted(
            director.ports.items()) if not port.iscsi_target]}


def _diagnostic_range(call, sid: str) -> dict:
    perf = _perf(call, sid)
    if perf.diagnostic_since is None:
        raise errors.invalid('Array %s is not registered for diagnostic '
                             'performance statistics' % sid)
    return {'firstAvailableDate': perf.first_diagnostic(),
            'lastAvailableDate': perf.last_diagnostic(_now(call, perf))}


def _window(body: dict) -> typing.Tuple[int, int]:
    start = routing.as_int(body['startDate'], 'startDate')
    end = routing.as_int(body['endDate'], 'endDate')
    if start > end:
        raise errors.invalid('startDate %d is after endDate %d' % (start,
                                                                   end))
    return start, end


def _metrics(body: dict, offered: typing.Sequence[str]) -> list:
    names = body['metrics']
    if not isinstance(names, list) or not names:
        raise errors.invalid('metrics must be a non-empty list')
    unknown = [n for n in names if n not in offered]
    if unknown:
        raise errors.invalid('Metric(s) %s are not valid for this category;'
                             ' valid: %s' % (', '.join(map(str, unknown)),
                                             ', '.join(offered)))
    return names


def _data_format(body: dict) -> str:
    value = body.get('dataFormat', 'Average')
    if value not in performance.DATA_FORMATS:
        raise errors.invalid('dataFormat must be Average or Maximum')
    return value


@route(PERF + '/PortGroup/metrics', 'POST')
def port_group_metrics(call):
    body = _fields(call.body, PORT_GROUP_FIELDS,
                   ('symmetrixId', 'portGroupId', 'startDate', 'endDate',
                    'metrics'))
    array = call.array(body['symmetrixId'])
    group = array.port_group(routing.need(body, 'portGroupId', str))
    start, end = _window(body)
    rows = array.performance.series(
        ['%s:%s' % port for port in group.ports], start, end,
        _metrics(body, performance.PORT_GROUP_METRICS), _data_format(body),
        _now(call, array.performance))
    return 200, call.model.iterate(rows)


@route(PERF + '/FEPort/metrics', 'POST')
def port_metrics(call):
    body = _fields(call.body, PORT_FIELDS,
                   ('symmetrixId', 'directorId', 'portId', 'startDate',
                    'endDate', 'metrics'))
    array = call.array(body['symmetrixId'])
    port = array.port(str(body['directorId']), str(body['portId']))
    start, end = _window(body)
    names = _metrics(body, performance.PORT_METRICS)
    # A virtual iSCSI target has no front-end statistics of its own.
    rows = [] if port.iscsi_target else array.performance.series(
        [port.key], start, end, names, _data_format(body),
        _now(call, array.performance))
    return 200, call.model.iterate(rows)


@route(PERF + '/realtime/metrics', 'POST')
def real_time_metrics(call):
    body = _fields(call.body, REAL_TIME_FIELDS, REAL_TIME_FIELDS)
    if str(body['category']).lower() != REAL_TIME_PORT:
        raise errors.invalid('Real-time category %s is not served by this '
                             'Unisphere (FEPort is)' % body['category'])
    array = call.array(body['symmetrixId'])
    director, _sep, number = str(body['instanceId']).partition(':')
    port = array.port(director, number)
    start, end = _window(body)
    names = _metrics(body, performance.REAL_TIME_METRICS)
    rows = [] if port.iscsi_target else array.performance.series(
        [port.key], start, end, names, 'Average',
        _now(call, array.performance), real_time=True)
    return 200, call.model.iterate(rows)
