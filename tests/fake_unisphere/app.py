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

"""The HTTP front of the fake Unisphere: a Werkzeug WSGI application.

It authenticates, applies injected faults and latency, advances jobs,
routes the URL onto a handler of the route modules and serialises the
answer. Synchronous changes run at once; ``ASYNCHRONOUS`` ones answer 202
with a job (see :mod:`tests.fake_unisphere.jobs`).
"""

import dataclasses
import functools
import json
import re
import time
import typing

from werkzeug import exceptions as wz_exceptions
from werkzeug import routing as wz_routing
from werkzeug import wrappers

from tests.fake_unisphere import errors
from tests.fake_unisphere import faults as faults_mod
from tests.fake_unisphere import jobs as jobs_mod
from tests.fake_unisphere import masking_routes  # noqa: F401
from tests.fake_unisphere import perf_routes  # noqa: F401
from tests.fake_unisphere import routing
from tests.fake_unisphere import sg_routes  # noqa: F401
from tests.fake_unisphere import snapvx_routes  # noqa: F401
from tests.fake_unisphere import snapvx_sg_routes  # noqa: F401
from tests.fake_unisphere import srdf_routes  # noqa: F401
from tests.fake_unisphere import system_routes  # noqa: F401

ROOT = '/univmax/restapi'
# Faults acted out by the job (or, for a synchronous change, its answer).
JOB_FAULTS = ('fail_job', 'fail_job_applied', 'stuck_job')
# What a reverse proxy or a login portal in front of Unisphere answers.
HTML_PAGE = ('<!DOCTYPE html><html><head><title>Unisphere for PowerMax'
             '</title></head><body><p>The service is starting. Please try '
             'again later.</p></body></html>')
VERSION_RE = re.compile(r'^[A-Za-z](\d+)\.(\d+)\.\d+\.\d+$')


class ClientDied(BaseException):
    """The client process ends: no except clause runs.

    While sending (``die``: the request is not carried out), or once the
    request is carried out, before its answer is read (``die_after``).
    """


class Dropped(Exception):
    """The connection is to be dropped without an answer."""


class TimedOut(Exception):
    """The request is to time out; ``delay`` seconds pass first."""

    def __init__(self, delay: float) -> None:
        super().__init__('timed out')
        self.delay = delay


@dataclasses.dataclass
class RequestRecord:
    """One request the fake received, as the request log keeps it."""

    method: str
    path: str
    query: dict
    body: typing.Any
    status: typing.Optional[int]
    endpoint: typing.Optional[str]


class Personality:
    """What a Unisphere release answers on ``/version`` and serves.

    :param version: e.g. ``V10.1.0.2`` (serves 101, 100 and 92) or
        ``V9.2.1.4`` (serves 92 only)
    """

    def __init__(self, version: str) -> None:
        match = VERSION_RE.match(version)
        if not match:
            raise ValueError('bad Unisphere version %s' % version)
        major, minor = int(match.group(1)), int(match.group(2))
        self.version = version
        self.api_version = '%d%d' % (major, minor)
        self.major = major
        if major >= 10:
            self.supported = ['%d%d' % (major, m)
                              for m in range(minor, -1, -1)] + ['92']
        else:
            self.supported = [self.api_version]

    def version_body(self) -> dict:
        if self.major < 10:
            return {'version': self.version}
        return {'version': self.version, 'api_version': self.api_version,
                'supported_api_versions': list(self.supported)}


def _json(status: int, body: typing.Any) -> wrappers.Response:
    if status == 204 or body is None:
        return wrappers.Response(status=status)
    response = wrappers.Response(json.dumps(body), status=status,
                                 mimetype='application/json')
    # Observers judge the answer without parsing it again.
    response.fake_body = body
    return response


def _error(status: int, message: str) -> wrappers.Response:
    return _json(status, {'message': message})


@functools.lru_cache(maxsize=None)
def _route_table() -> typing.Tuple[wz_routing.Map, dict, dict]:
    """The URL map of every route, compiled once per process.

    Compiling a few hundred rules costs more than most tests; the map is
    only read once built, so every app shares it.
    """
    handlers, queries, rules = {}, {}, []
    for index, (template, methods, func, query) in enumerate(
            routing.ROUTES):
        handlers[index], queries[index] = func, query
        rules.append(wz_routing.Rule(ROOT + template, endpoint=index,
                                     methods=list(methods)))
    return wz_routing.Map(rules, strict_slashes=False), handlers, queries


class UnisphereApp:
    """The WSGI application.

    :param model: the :class:`tests.fake_unisphere.model.Model` it serves
    :param version: the Unisphere release it impersonates
    :param faults: a :class:`faults.FaultInjector` (a fresh one if None)
    :param latency: a :class:`faults.Latency` (zero if None)
    :param log: list the request records are appended to

    ``observers`` are called with (request, record, response, fault rule
    or None) after each answer (the contract check is one).
    """

    def __init__(self, model: typing.Any, version: str = 'V10.1.0.2',
                 username: str = 'smc', password: str = 'smc-pass',
                 faults: typing.Optional[faults_mod.FaultInjector] = None,
                 latency: typing.Optional[faults_mod.Latency] = None,
                 log: typing.Optional[list] = None,
                 clock: typing.Callable[[], float] = time.time) -> None:
        self.model = model
        self.personality = Personality(version)
        self.username, self.password = username, password
        self.faults = faults if faults is not None else (
            faults_mod.FaultInjector())
        self.latency = latency if latency is not None else (
            faults_mod.Latency())
        self.log = log if log is not None else []
        self.jobs = jobs_mod.JobRunner(model, self.latency, clock)
        self.observers: typing.List[typing.Callable] = []
        self.url_map, self.handlers, self.queries = _route_table()

    def __call__(self, environ: dict, start_response: typing.Callable
                 ) -> typing.Iterable[bytes]:
        response = self.respond(wrappers.Request(environ))
        return response(environ, start_response)

    def respond(self, request: wrappers.Request) -> wrappers.Response:
        """Answer one request (raises Dropped / TimedOut for faults)."""
        endpoint = request.environ.get('fake.endpoint') or request.host
        record = RequestRecord(request.method, request.path,
                               request.args.to_dict(), None, None, endpoint)
        self.log.append(record)
        try:
            record.body = self._body(request)
        except errors.ArrayError:
            record.body = request.get_data(as_text=True)
        outcome = (None, None)
        try:
            outcome = self._respond(request, record, endpoint)
            return outcome[1]
        finally:
            # A dropped or timed-out request is still judged (no answer).
            for observer in self.observers:
                observer(request, record, outcome[1], outcome[0])

    def _respond(self, request: wrappers.Request, record: RequestRecord,
                 endpoint: str) -> typing.Tuple[
                     typing.Optional[faults_mod.Rule], wrappers.Response]:
        if self.latency.request_delay:
            time.sleep(self.latency.request_delay)
        rule = self.faults.match(request.method, request.path, endpoint)
        fail_job = None
        if rule is not None:
            if rule.action == 'die':
                raise ClientDied(request.method, request.path)
            if rule.action == 'drop':
                raise Dropped()
            if rule.action == 'timeout':
                raise TimedOut(rule.delay)
            if rule.action == 'delay':
                time.sleep(rule.delay)
            elif rule.action == 'error':
                response = _error(rule.status, rule.message)
                record.status = response.status_code
                return rule, response
            elif rule.action == 'html':
                response = wrappers.Response(
                    HTML_PAGE, status=200, content_type='text/html')
                record.status = response.status_code
                return rule, response
            elif rule.action in JOB_FAULTS:
                fail_job = rule
        response = self._dispatch(request, fail_job)
        if rule is not None and rule.action == 'die_after':
            raise ClientDied(request.method, request.path)
        if rule is not None and rule.action == 'lose_answer':
            raise Dropped()
        if rule is not None and rule.action == 'truncate':
            data = response.get_data()
            response.set_data(data[:len(data) // 2])
        record.status = response.status_code
        return rule, response

    def _authorised(self, request: wrappers.Request) -> bool:
        auth = request.authorization
        return bool(auth and auth.type == 'basic' and
                    auth.username == self.username and
                    auth.password == self.password)

    @staticmethod
    def _body(request: wrappers.Request) -> typing.Any:
        raw = request.get_data(as_text=True)
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise errors.invalid('The request body is not valid JSON: %s' %
                                 exc)
        if not isinstance(body, dict):
            raise errors.invalid('The request body must be a JSON object')
        return body

    def _dispatch(self, request: wrappers.Request,
                  fail_job: typing.Optional[faults_mod.Rule]
                  ) -> wrappers.Response:
        if not self._authorised(request):
            response = _error(401, 'Unauthorized')
            response.headers['WWW-Authenticate'] = 'Basic realm="Unisphere"'
            return response
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            index, values = adapter.match()
        except wz_exceptions.MethodNotAllowed:
            return _error(405, 'Method %s is not allowed on %s' % (
                request.method, request.path))
        except wz_exceptions.HTTPException:
            return _error(404, 'Unknown resource %s' % request.path)
        version = values.pop('ver', None)
        if version is not None and version not in (
                self.personality.supported):
            return _error(404, 'API version %s is not supported by this '
                          'Unisphere (%s)' % (version,
                                              self.personality.version))
        unknown = sorted(set(request.args) - self.queries[index])
        if unknown:
            return _error(400, 'Invalid query parameter(s) %s for %s' % (
                ', '.join(unknown), request.path))
        with self.model.lock:
            self.jobs.advance()
            try:
                body = self._body(request)
                api = int(version or self.personality.api_version)
                call = routing.Call(self.model, request.args, body, api,
                                    request.path[len(ROOT):])
                call.personality, call.jobs = self.personality, self.jobs
                result = self.handlers[index](call, **values)
                if isinstance(result, routing.Change):
                    return self._change(result, body, fail_job)
                if fail_job is not None and fail_job.action == 'fail_job':
                    return _error(fail_job.status, fail_job.message)
                return _json(*result)
            except errors.ArrayError as exc:
                return _error(exc.status, exc.message)

    def _change(self, change: routing.Change, body: dict,
                fail_job: typing.Optional[faults_mod.Rule]
                ) -> wrappers.Response:
        array = self.model.array(change.sid)

        def effect():
            try:
                return change.effect()
            finally:
                array.refresh_luns()

        if routing.synchronous(body):
            if fail_job is not None and fail_job.action == 'fail_job':
                return _error(fail_job.status, fail_job.message)
            if fail_job is not None and fail_job.action == 'fail_job_applied':
                effect()
                return _error(fail_job.status, fail_job.message)
            result, _tasks = effect()
            return _json(change.status, result)
        fails = fail_job is not None and fail_job.action != 'stuck_job'
        job = self.jobs.submit(
            change.sid, change.name, change.link, effect,
            fail_job.message if fails else None, self.username)
        if fail_job is not None and fail_job.action == 'stuck_job':
            job.hold = functools.partial(self.faults.active, fail_job)
        job.apply_then_fail = fails and fail_job.action == 'fail_job_applied'
        return _json(202, self.jobs.render(job))
