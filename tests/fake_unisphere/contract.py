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

"""Dell's OpenAPI description of Unisphere 10.0 as the judge of the traffic.

Every request a client sends to the fake and every answer the fake gives
is checked against ``unisphere-openapi-10.0.yaml`` (Dell's own description,
kept outside this repository): the path and method must be described, the
query parameters named, request and answer bodies must have no field the
description does not name, every field it requires, and its types and
enumerations. ``/101/`` and ``/92/`` (any release's) requests are
judged by the ``/100/`` templates. The description is found through
:data:`SPEC_ENV`, else in ``../shared/reference/`` beside the
repository; without it nothing is judged and :func:`judge` answers None.

What is judged:

* a request from a client (``Application-Type`` set, as the drivers set
  it), whatever the answer: a client sends only what the API describes;
* any request the fake accepted (2xx): the fake refuses what the API does
  not describe, as the array does;
* every 2xx answer the fake made itself (not one a fault injected). A 202
  carries the job the API describes under ``GET /system/job/{jobId}``.

The ``/private/`` endpoints are not in the description
(``unisphere-rest-reference.md`` covers them) and test-only routes are not
the API; both are counted, not judged. Where the description slips and the
clients written against real arrays read otherwise, :data:`ALLOWED` says
so, one entry each with its reason.
"""

import atexit
import collections
import json
import os
import re
import threading
import typing

from werkzeug import exceptions as wz_exceptions
from werkzeug import routing as wz_routing

SPEC_ENV = 'UNISPHERE_OPENAPI_SPEC'
TALLY_ENV = 'UNISPHERE_CONTRACT_TALLY'
SPEC_NAME = 'unisphere-openapi-10.0.yaml'
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEFAULT_SPEC = os.path.join(os.path.dirname(REPO_ROOT), 'shared',
                            'reference', SPEC_NAME)
ROOT = '/univmax/restapi'
API_RE = re.compile(r'^/\d{2,3}/')
PRIVATE = re.compile(r'^/(?:\d+/)?private/')
TEST_ONLY = '/fake/'
METHODS = ('get', 'put', 'post', 'delete', 'patch')
# Faults whose answer is the fault's, not the fake's.
FAULT_ANSWERS = ('error', 'html', 'truncate', 'fail_job',
                 'fail_job_applied')

# Where the description slips and the clients written against real arrays
# (the in-tree Cinder driver, PyU4V) read or send otherwise, the clients
# win. Keys are (method, template, side, location, kind); '*' matches any.
JOB = '/100/system/job/{jobId}'
ALLOWED: typing.Dict[typing.Tuple[str, ...], str] = {
    ('GET', '/version', 'answer', 'api_version', 'unknown'):
        'spelt api_Version in the description; PyU4V documents and reads '
        'api_version (its XML name in the description too)',
    ('GET', '/version', 'answer', 'supported_api_versions', 'unknown'):
        'spelt supported_Api_Versions in the description; PyU4V reads '
        'supported_api_versions',
    ('GET', '/100/system/symmetrix/{symmetrixId}', 'answer', 'ucode',
     'unknown'):
        'the in-tree driver and PyU4V read ucode first, microcode only as '
        'the fallback: 5977/5978 arrays report ucode',
    ('GET', JOB, 'answer', 'status', 'enum'):
        'CREATED is missing from the enumeration; PyU4V and the in-tree '
        'driver wait on it as a job that has not started',
    ('GET', '/100/system/symmetrix/{symmetrixId}/job/{jobId}', 'answer',
     'status', 'enum'):
        'the same job, the same missing CREATED',
    ('GET', '/100/system/tag', 'query', '*', 'required'):
        'every filter is marked required though each is described as '
        'optional; PyU4V and the in-tree driver send array_id alone',
    ('PUT', '/100/sloprovisioning/symmetrix/{symmetrixId}/storagegroup/'
     '{storageGroupId}', 'request', 'editStorageGroupActionParam.'
     'expandStorageGroupParam.addVolumeParam.volumeAttributes.*.volume_size',
     'type'):
        'the in-tree driver sends the new size as a number when it adds a '
        'volume to a group (PyU4V a string) and the array takes either',
    ('PUT', '/100/sloprovisioning/symmetrix/{symmetrixId}/volume/'
     '{volumeId}', 'request', 'editVolumeActionParam.expandVolumeParam.'
     'volumeAttribute.volume_size', 'type'):
        'the same number when the in-tree driver extends a volume',
    ('*', '*', 'request', '*', 'boolean-string'):
        'booleans as the strings "true"/"false": the in-tree driver and '
        'PyU4V send noCompression, force, establish, ... so, and the '
        'array takes them',
}


def allowed(key: typing.Tuple[str, ...]) -> bool:
    """Whether a violation's key is on :data:`ALLOWED`."""
    if key in ALLOWED:
        return True
    return any(all(want in ('*', got) for want, got in zip(entry, key))
               for entry in ALLOWED)


class Violation(typing.NamedTuple):
    """One way a request or an answer departs from the description."""

    method: str
    template: str
    side: str       # 'route', 'query', 'request', 'answer'
    location: str   # dotted field path, '*' for list items
    kind: str       # 'unknown', 'required', 'type', 'enum', 'status', ...
    detail: str

    @property
    def key(self) -> typing.Tuple[str, ...]:
        return (self.method, self.template, self.side, self.location,
                self.kind)

    def __str__(self) -> str:
        return '%s %s: %s %s %s: %s' % (
            self.method, self.template, self.side, self.location or '(body)',
            self.kind, self.detail)


def spec_path() -> typing.Optional[str]:
    """Where the description is, or None when it is not there."""
    path = os.environ.get(SPEC_ENV) or DEFAULT_SPEC
    return path if os.path.isfile(path) else None


def skip_reason() -> str:
    return ('Unisphere OpenAPI description not found at %s (set %s to its '
            'path): the contract is not checked' % (
                os.environ.get(SPEC_ENV) or DEFAULT_SPEC, SPEC_ENV))


_LOCK = threading.Lock()
_JUDGES: typing.Dict[str, 'Judge'] = {}


def judge() -> typing.Optional['Judge']:
    """The process's judge (the description is read once), or None."""
    path = spec_path()
    if path is None:
        return None
    with _LOCK:
        if path not in _JUDGES:
            _JUDGES[path] = Judge(_load(path))
            if os.environ.get(TALLY_ENV):
                atexit.register(_JUDGES[path].write_tally,
                                os.environ[TALLY_ENV])
        return _JUDGES[path]


def _load(path: str) -> dict:
    import yaml  # only when the description is there
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    with open(path) as spec:
        return yaml.load(spec, Loader=loader)


def strict(schema: typing.Any) -> typing.Any:
    """``schema`` with every described object closed to other fields.

    OpenAPI objects are open unless ``additionalProperties`` says
    otherwise; the contract holds a client and the fake to the fields the
    description names, so each object with ``properties`` is closed.
    """
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: strict(value) for key, value in schema.items()}
    if 'properties' in schema and 'additionalProperties' not in schema:
        closed['additionalProperties'] = False
    if 'properties' in schema:
        # Field names are data here, not schema keywords.
        closed['properties'] = {name: strict(sub) for name, sub in
                                schema['properties'].items()}
    return closed


class Operation:
    """What the description says of one (template, method)."""

    def __init__(self, template: str, method: str, spec: dict) -> None:
        self.template, self.method = template, method.upper()
        self.parameters = {p['name']: p for p in spec.get('parameters', ())
                           if p.get('in') == 'query'}
        content = (spec.get('requestBody') or {}).get('content') or {}
        self.request_schema = (content.get('application/json') or {}).get(
            'schema')
        self.responses = {}
        for code, answer in (spec.get('responses') or {}).items():
            content = (answer or {}).get('content') or {}
            self.responses[str(code)] = (
                content.get('application/json') or {}).get('schema')


class Judge:
    """The description, compiled once per process, and its verdicts."""

    def __init__(self, spec: dict) -> None:
        from openapi_schema_validator import validators
        import referencing
        from referencing import jsonschema as ref_jsonschema
        self._read = validators.OAS30ReadValidator
        self._write = validators.OAS30WriteValidator
        document = {'components': {'schemas': strict(
            spec.get('components', {}).get('schemas', {}))}}
        resource = referencing.Resource(
            contents=document, specification=ref_jsonschema.DRAFT4)
        self._registry = referencing.Registry().with_resource(
            'urn:unisphere', resource)
        self.operations: typing.Dict[typing.Tuple[str, str],
                                     Operation] = {}
        rules = []
        for template, item in spec['paths'].items():
            for method in METHODS:
                if method in item:
                    self.operations[(template, method.upper())] = Operation(
                        template, method, item[method])
            rules.append(wz_routing.Rule(
                re.sub(r'\{(\w+)\}', r'<\1>', template), endpoint=template))
        self._map = wz_routing.Map(rules, strict_slashes=False).bind('x')
        self._validators: typing.Dict[tuple, typing.Any] = {}
        self.counts = collections.Counter()
        self.seen: typing.Set[str] = set()
        self._count_lock = threading.Lock()

    # -- matching ------------------------------------------------------------

    def template(self, path: str) -> typing.Optional[str]:
        """The described template of a request path, or None."""
        if path.startswith(ROOT):
            path = path[len(ROOT):]
        path = API_RE.sub('/100/', path, count=1)
        try:
            return self._map.match(path, method='GET')[0]
        except wz_exceptions.HTTPException:
            return None

    def _validator(self, template: str, method: str, side: str,
                   schema: dict) -> typing.Any:
        key = (template, method, side)
        found = self._validators.get(key)
        if found is None:
            cls = self._write if side == 'request' else self._read
            rooted = _rooted(schema)
            found = cls(rooted, registry=self._registry,
                        format_checker=cls.FORMAT_CHECKER)
            self._validators[key] = found
        return found

    # -- verdicts ------------------------------------------------------------

    def check(self, method: str, path: str, query: typing.Mapping,
              body: typing.Any, status: typing.Optional[int],
              answer: typing.Any, client: bool, judged_answer: bool
              ) -> typing.List[Violation]:
        """Violations of one exchange (allow-listed ones left out).

        :param query: name -> list of values
        :param client: the request came from a client (judged whatever the
            answer)
        :param judged_answer: the answer is the fake's own (no fault)
        """
        short = path[len(ROOT):] if path.startswith(ROOT) else path
        if PRIVATE.match(short) or short.startswith(TEST_ONLY):
            self._count('undescribed')
            return []
        accepted = status is not None and 200 <= status < 300
        template = self.template(path)
        operation = self.operations.get((template, method.upper()))
        if operation is None:
            if not (client or accepted):
                return []
            return [Violation(method, template or short, 'route', '',
                              'undescribed', 'no such path and method in '
                              'the description')]
        found = []
        if client or accepted:
            self._count('requests')
            found += self._check_query(operation, query)
            found += self._check_request(operation, body)
        if accepted and judged_answer:
            self._count('answers')
            found += self._check_answer(operation, status, answer)
        found = [v for v in found if not allowed(v.key)]
        if found:
            with self._count_lock:
                self.seen.update(str(v) for v in found)
        return found

    def _check_query(self, operation: Operation, query: typing.Mapping
                     ) -> typing.List[Violation]:
        found = []
        for name, values in query.items():
            param = operation.parameters.get(name)
            if param is None:
                found.append(self._violation(
                    operation, 'query', name, 'unknown',
                    'query parameter the description does not name'))
                continue
            for value in values:
                problem = _query_problem(param.get('schema') or {}, value)
                if problem:
                    found.append(self._violation(
                        operation, 'query', name, problem[0], problem[1]))
        for name, param in operation.parameters.items():
            if param.get('required') and name not in query:
                found.append(self._violation(
                    operation, 'query', name, 'required',
                    'required query parameter missing'))
        return found

    def _check_request(self, operation: Operation, body: typing.Any
                       ) -> typing.List[Violation]:
        if operation.request_schema is None:
            if body in (None, {}, ''):
                return []
            return [self._violation(operation, 'request', '', 'unknown',
                                    'a body where the description takes '
                                    'none')]
        if body in (None, ''):
            body = {}
        validator = self._validator(operation.template, operation.method,
                                    'request', operation.request_schema)
        return self._errors(operation, 'request', validator, body)

    def _check_answer(self, operation: Operation, status: int,
                      answer: typing.Any) -> typing.List[Violation]:
        code = str(status)
        if code not in operation.responses:
            return [self._violation(
                operation, 'answer', '', 'status', 'status %s; the '
                'description answers %s' % (code, ', '.join(sorted(
                    operation.responses))))]
        schema = operation.responses[code]
        if schema is None and status == 202:
            # The job the answer carries, judged as the job it is.
            operation = self.operations[(JOB, 'GET')]
            schema = operation.responses.get('200')
        if schema is None:
            if answer in (None, ''):
                return []
            return [self._violation(operation, 'answer', '', 'unknown',
                                    'a body where the description has '
                                    'none')]
        validator = self._validator(operation.template, operation.method,
                                    'answer:%s' % code, schema)
        return self._errors(operation, 'answer', validator, answer)

    def _errors(self, operation: Operation, side: str, validator: typing.Any,
                instance: typing.Any) -> typing.List[Violation]:
        found = []
        for error in validator.iter_errors(instance):
            location = '.'.join('*' if isinstance(p, int) else str(p)
                                for p in error.absolute_path)
            if error.validator == 'additionalProperties':
                known = error.schema.get('properties', {})
                for name in sorted(set(error.instance) - set(known)):
                    found.append(self._violation(
                        operation, side, _join(location, name), 'unknown',
                        'field the description does not name'))
            elif error.validator == 'required':
                name = error.message.split("'")[1]
                found.append(self._violation(
                    operation, side, _join(location, name), 'required',
                    'required field missing'))
            else:
                found.append(self._violation(
                    operation, side, location, _kind(error),
                    error.message[:200]))
        return found

    @staticmethod
    def _violation(operation: Operation, side: str, location: str,
                   kind: str, detail: str) -> Violation:
        return Violation(operation.method, operation.template, side,
                         location, kind, detail)

    def _count(self, what: str) -> None:
        with self._count_lock:
            self.counts[what] += 1

    def write_tally(self, directory: str) -> None:
        """Add this process's counts to ``directory`` (for the figures)."""
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, '%d.json' % os.getpid()),
                  'w') as out:
            json.dump({'counts': dict(self.counts),
                       'violations': sorted(self.seen)}, out)


def _rooted(schema: dict) -> dict:
    """A schema whose references resolve in the compiled components."""
    text = json.dumps(schema, default=str)
    return json.loads(text.replace('"#/components/',
                                   '"urn:unisphere#/components/'))


def _kind(error: typing.Any) -> str:
    if (error.validator == 'type' and error.validator_value == 'boolean'
            and isinstance(error.instance, str)
            and error.instance.lower() in ('true', 'false')):
        return 'boolean-string'
    return error.validator


def _join(location: str, name: str) -> str:
    return '%s.%s' % (location, name) if location else name


def _query_problem(schema: dict, value: str
                   ) -> typing.Optional[typing.Tuple[str, str]]:
    kind = schema.get('type', 'string')
    if kind == 'integer' and not re.match(r'^-?\d+$', value):
        return 'type', '%r is not an integer' % value
    if kind == 'boolean' and value.lower() not in ('true', 'false'):
        return 'type', '%r is not a boolean' % value
    if schema.get('enum') and value not in schema['enum']:
        return 'enum', '%r is not one of %s' % (value, schema['enum'])
    return None


class Recorder:
    """Collects one fake's violations for its test (see the fixture)."""

    def __init__(self, spec_judge: Judge) -> None:
        self.judge = spec_judge
        self.violations: typing.List[Violation] = []
        self.expected: typing.Set[typing.Tuple[str, str]] = set()
        self._lock = threading.Lock()

    def observe(self, request: typing.Any, record: typing.Any,
                response: typing.Any, fault: typing.Any) -> None:
        """Judge one exchange of :class:`tests.fake_unisphere.app`."""
        judged_answer = fault is None or fault.action not in FAULT_ANSWERS
        found = self.judge.check(
            record.method, record.path, request.args.to_dict(flat=False),
            record.body, record.status, getattr(response, 'fake_body', None),
            bool(request.headers.get('Application-Type')), judged_answer)
        if found:
            with self._lock:
                self.violations.extend(found)

    def expect(self, side: str, location: str) -> None:
        """Tolerate one departure a test makes on purpose.

        A test of the REST client may send what the API does not allow
        to see it refused; only the named field is let through, only in
        that test.
        """
        with self._lock:
            self.expected.add((side, location))

    def problems(self) -> typing.List[str]:
        with self._lock:
            seen = collections.OrderedDict()
            for violation in self.violations:
                if (violation.side, violation.location) in self.expected:
                    continue
                seen.setdefault(violation.key, str(violation))
            return list(seen.values())

    def assert_clean(self) -> None:
        problems = self.problems()
        if problems:
            raise AssertionError(
                'traffic the Unisphere OpenAPI description does not '
                'allow (tests/fake_unisphere/contract.py):\n  ' +
                '\n  '.join(problems))
