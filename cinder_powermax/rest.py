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

"""The thin REST client for Unisphere for PowerMax.

It knows HTTP, JSON, URLs, asynchronous jobs and result paging, and nothing
of Cinder objects or configuration: everything it needs arrives as explicit
constructor arguments. It is the only module that imports ``requests``.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from typing import Any, Iterable, Optional, Union
import urllib.parse
import warnings

from oslo_log import log as logging
from oslo_utils import strutils
import requests
from requests import adapters
import tenacity
from urllib3 import exceptions as urllib3_exc

from cinder_powermax import exception
from cinder_powermax import polling

LOG = logging.getLogger(__name__)

BASE_PATH = '/univmax/restapi'
API_100 = '100'
API_92 = '92'
MIN_RELEASE = (9, 2)

# Job states in which Unisphere is still working on the request.
JOB_PENDING = frozenset(('created', 'unscheduled', 'scheduled', 'running',
                         'validating', 'validated'))
JOB_SUCCEEDED = 'succeeded'

# Methods whose repetition cannot change the result; only these are re-sent
# after a request may have reached Unisphere. A PUT is not among them: an
# addVolumeParam PUT sent twice creates two devices.
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'DELETE'))
RETRYABLE_STATUSES = frozenset((408, 429, 502, 503, 504))

VERSION_RE = re.compile(r'^([A-Za-z])(\d+)\.(\d+)\.(\d+)\.(\d+)$')

Verify = Union[bool, str]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One Unisphere server the client may talk to.

    :ivar host: IP address or host name
    :ivar port: HTTPS port
    :ivar username: Unisphere user
    :ivar password: Unisphere password (never logged)
    :ivar verify: True (system CA bundle), False, or a CA bundle path
    """

    host: str
    port: int
    username: str
    password: str = dataclasses.field(repr=False)
    verify: Verify = True

    @property
    def base_url(self) -> str:
        host = '[%s]' % self.host if ':' in self.host else self.host
        return 'https://%s:%s%s' % (host, self.port, BASE_PATH)

    @property
    def name(self) -> str:
        return '%s:%s' % (self.host, self.port)


def parse_version(text: str) -> tuple[str, tuple[int, int, int, int]]:
    """Split a Unisphere version string such as ``V10.1.0.2``.

    :param text: the ``version`` field of ``GET /version``
    :returns: (build letter upper-cased, four release numbers)
    :raises UnsupportedVersion: when the text is not of that form
    """
    match = VERSION_RE.match(text or '')
    if not match:
        raise exception.UnsupportedVersion(
            version=text, reason='expected a letter and four numbers, '
                                 'for example V10.1.0.2')
    letter, *numbers = match.groups()
    return letter.upper(), tuple(int(n) for n in numbers)


def choose_api_version(info: dict) -> str:
    """Pick the URL prefix to use from a ``GET /version`` answer.

    Unisphere 10.x and later serve the ``100`` prefix; 9.2 serves ``92``.
    Releases before 9.2 lack endpoints the driver depends on and are refused.
    A newer Unisphere that still lists ``100`` among its supported API
    versions is accepted, unlike a hard upper bound that breaks every
    upgrade.

    :param info: the decoded ``GET /version`` body
    :returns: ``'100'`` or ``'92'``
    :raises UnsupportedVersion: for releases below 9.2, or a newer release
        that no longer serves the ``100`` prefix
    """
    text = info.get('version', '')
    letter, release = parse_version(text)
    supported = [str(v) for v in info.get('supported_api_versions') or ()]
    if release[:2] < MIN_RELEASE:
        raise exception.UnsupportedVersion(
            version=text, reason='the driver needs Unisphere for PowerMax '
                                 '9.2 or later (10.x recommended)')
    if letter != 'V':
        LOG.warning('Unisphere %(version)s is a test or development build.',
                    {'version': text})
    if release[0] < 10:
        return API_92
    if release[0] == 10 or not supported or API_100 in supported:
        return API_100
    raise exception.UnsupportedVersion(
        version=text, reason='this release serves API versions %s and no '
                             'longer %s' % (', '.join(supported), API_100))


SUCCESS = (200, 201, 202, 204)
# Answers whose body the driver reads: a GET's, a synchronous edit's.
BODY_EXPECTED = frozenset(('GET', 'PUT'))


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def _decode(response: requests.Response, method: str, path: str) -> Any:
    """The JSON body of a success answer, read strictly.

    An empty 200 to a GET or PUT, a body that is not JSON (a truncated
    answer, an HTML page from a proxy) is not success: it raises a
    retryable :class:`UnreadableAnswer` naming the request, and only
    requests that are safe to repeat are sent again.
    """
    status = response.status_code
    if status == 204 or (not response.content and (
            status != 200 or method not in BODY_EXPECTED)):
        return None
    kind = response.headers.get('Content-Type', '')
    try:
        if 'html' in kind.lower():
            raise ValueError('an HTML page')
        return response.json()
    except ValueError:
        text = (response.text or '').strip()
        raise exception.UnreadableAnswer(
            method=method, path=path, status=status,
            detail=(repr(text[:exception.QUOTE_MAX]) if text
                    else 'an empty body'))


def _masked(body: Any) -> Any:
    if isinstance(body, dict):
        return strutils.mask_dict_password(body)
    return body


def _was_not_sent(exc: requests.RequestException) -> bool:
    """Tell whether a transport error happened before the request left.

    A refused or timed-out connection never reached Unisphere, so even a
    non-idempotent request can safely be sent again, to this or another
    endpoint.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, urllib3_exc.MaxRetryError):
        cause = cause.reason
    return isinstance(cause, (urllib3_exc.NewConnectionError,
                              urllib3_exc.ConnectTimeoutError))


class RestClient:
    """A client for one or more Unisphere servers managing the same arrays.

    No I/O happens in the constructor; the first request (or an explicit
    :meth:`discover_version`) reads the Unisphere version.

    :param endpoints: Unisphere servers, primary first; the client fails
        over to the next one when the current one cannot be reached
    :param connect_timeout: seconds to wait for a TCP/TLS connection
    :param read_timeout: seconds to wait for an answer
    :param job_deadline: seconds an asynchronous job may take
    :param job_poll_max: longest pause between two polls of a job
    :param max_attempts: tries of a retryable request, per client call
    :param backoff: the first pause between retries, doubling each time
    :param pool_size: HTTP connections kept per endpoint; should cover the
        number of concurrent cinder-volume workers
    :param sleep: injectable sleep, so tests never really wait
    :param fail_back_after: seconds after a failover before requests try
        the primary endpoint again (None: stay on the standby)
    """

    def __init__(self, endpoints: Iterable[Endpoint], *,
                 connect_timeout: float = 30, read_timeout: float = 30,
                 job_deadline: float = 600, job_poll_max: float = 3,
                 max_attempts: int = 3, backoff: float = 0.5,
                 pool_size: int = 32, sleep: Optional[polling.Sleep] = None,
                 fail_back_after: Optional[float] = None):
        self.endpoints = list(endpoints)
        if not self.endpoints:
            raise exception.ConfigError(reason='no Unisphere endpoint given')
        if not all(endpoint.verify for endpoint in self.endpoints):
            # Setup warns once that verification is off; urllib3 would
            # warn again on every request.
            warnings.filterwarnings(
                'once', category=urllib3_exc.InsecureRequestWarning)
        self.timeout = (connect_timeout, read_timeout)
        self.job_deadline = job_deadline
        self.job_poll_max = job_poll_max
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.pool_size = pool_size
        self._sleep = sleep or polling.default_sleep
        self._sessions: dict[str, requests.Session] = {}
        self._active = 0
        self._lock = threading.Lock()
        self.fail_back_after = fail_back_after
        self._failed_over_at = 0.0
        self.api_version: Optional[str] = None
        self.unisphere_version: Optional[str] = None

    # -- endpoints and sessions ---------------------------------------------

    @property
    def endpoint(self) -> Endpoint:
        return self.endpoints[self._active]

    def _session(self, endpoint: Endpoint) -> requests.Session:
        with self._lock:
            session = self._sessions.get(endpoint.name)
            if session is None:
                session = requests.Session()
                session.auth = (endpoint.username, endpoint.password)
                session.verify = endpoint.verify
                session.headers.update({
                    'Content-Type': 'application/json',
                    'Accept': 'application/json',
                    'Application-Type': 'openstack',
                })
                adapter = adapters.HTTPAdapter(pool_connections=1,
                                               pool_maxsize=self.pool_size)
                session.mount('https://', adapter)
                self._sessions[endpoint.name] = session
            return session

    def _fail_over(self, failed: Endpoint) -> None:
        with self._lock:
            if self.endpoints[self._active] is not failed:
                return  # another thread has already moved on
            self._active = (self._active + 1) % len(self.endpoints)
            self._failed_over_at = time.monotonic()
            LOG.warning('Unisphere %(failed)s cannot be reached; switching '
                        'to %(next)s.', {'failed': failed.name,
                                         'next': self.endpoint.name})

    def fail_back(self) -> bool:
        """Return to the primary Unisphere if it answers again.

        :returns: True when the primary is in use afterwards
        """
        if self._active == 0:
            return True
        primary = self.endpoints[0]
        try:
            response = self._session(primary).get(
                primary.base_url + '/version', timeout=self.timeout,
                verify=primary.verify)
        except requests.RequestException:
            return False
        if response.status_code != 200:
            return False
        with self._lock:
            self._active = 0
        LOG.info('Unisphere %(name)s answers again; using it.',
                 {'name': primary.name})
        return True

    def _maybe_fail_back(self) -> None:
        """Try the primary again once it has had time to come back."""
        if (self._active == 0 or self.fail_back_after is None or
                time.monotonic() - self._failed_over_at <
                self.fail_back_after):
            return
        if not self.fail_back():
            with self._lock:
                self._failed_over_at = time.monotonic()

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            for session in self._sessions.values():
                session.close()
            self._sessions.clear()

    # -- URLs ----------------------------------------------------------------

    def path(self, category: str, array: Optional[str], *parts: Any,
             private: bool = False) -> str:
        """Build a versioned resource path.

        ``path('sloprovisioning', '000197800123', 'storagegroup', 'SG1')``
        gives ``/100/sloprovisioning/symmetrix/000197800123/storagegroup/SG1``.
        Every part is URL-quoted, so names can never inject path segments.
        """
        segments = ['private'] if private else []
        segments += [self.version(), category]
        if array is not None:
            segments += ['symmetrix', array]
        segments += [str(p) for p in parts]
        return '/' + '/'.join(urllib.parse.quote(s, safe=':')
                              for s in segments)

    def version(self) -> str:
        """The API prefix in use, discovering it on first use."""
        if self.api_version is None:
            self.discover_version()
        return self.api_version

    def discover_version(self) -> str:
        """Read ``GET /version`` and choose the API prefix.

        :returns: the chosen prefix (``'100'`` or ``'92'``)
        :raises UnsupportedVersion: for an unsupported release
        """
        info = self.request('GET', '/version')
        prefix = choose_api_version(info)
        self.unisphere_version = info.get('version')
        self.api_version = prefix
        LOG.info('Unisphere %(version)s at %(url)s; using API %(prefix)s.',
                 {'version': self.unisphere_version,
                  'url': self.endpoint.base_url, 'prefix': prefix})
        return prefix

    # -- verbs ----------------------------------------------------------------

    def get(self, path: str, params: Optional[dict] = None) -> Any:
        return self.request('GET', path, params=params)

    def post(self, path: str, body: dict) -> Any:
        return self.request('POST', path, body=body)

    def put(self, path: str, body: dict) -> Any:
        return self.request('PUT', path, body=body)

    def delete(self, path: str, body: Optional[dict] = None,
               params: Optional[dict] = None) -> Any:
        return self.request('DELETE', path, params=params, body=body)

    def request(self, method: str, path: str, *,
                params: Optional[dict] = None,
                body: Optional[dict] = None) -> Any:
        """Send a request and return the decoded answer.

        A 202 answer is followed to the end of its job, and the finished job
        is returned. Connection failures and retryable statuses are retried
        with backoff when it is safe, failing over between endpoints.

        :param method: HTTP method
        :param path: path below ``/univmax/restapi``
        :param params: query parameters
        :param body: JSON body
        :returns: the decoded JSON body, or None for an empty answer
        :raises UnisphereError: (or a subclass) for a refused request
        :raises JobFailed: when the asynchronous job failed
        :raises JobTimeout: when the job did not finish in time
        """
        method = method.upper()
        self._maybe_fail_back()
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_attempts),
            wait=tenacity.wait_exponential(multiplier=self.backoff, max=10),
            retry=tenacity.retry_if_exception(
                lambda exc: self._should_retry(method, exc)),
            sleep=self._sleep, reraise=True)
        status, data = retrying(self._send_once, method, path, params, body)
        if status == 202:
            if not (isinstance(data, dict) and data.get('jobId')):
                # Unisphere took the request; what became of it is unknown
                # and must be looked up, never assumed.
                raise exception.JobUnknown(method=method, path=path)
            return self.wait_for_job(data)
        return data

    @staticmethod
    def _should_retry(method: str, exc: BaseException) -> bool:
        if not isinstance(exc, exception.Unavailable):
            return False
        return method in IDEMPOTENT_METHODS or getattr(exc, 'not_sent', False)

    def _send_once(self, method, path, params, body):
        endpoint = self.endpoint
        session = self._session(endpoint)
        url = endpoint.base_url + path
        LOG.debug('Unisphere request %(method)s %(url)s params=%(params)s '
                  'body=%(body)s', {'method': method, 'url': url,
                                    'params': params, 'body': _masked(body)})
        started = time.monotonic()
        try:
            # verify is passed on every request: on the session alone,
            # requests lets REQUESTS_CA_BUNDLE override a configured CA.
            # Unisphere never redirects; following one could send the
            # credentials elsewhere, or over plain HTTP.
            response = session.request(method, url, params=params, json=body,
                                       timeout=self.timeout,
                                       verify=endpoint.verify,
                                       allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise exception.TLSError(method=method, path=path,
                                     detail=str(exc)) from exc
        except requests.RequestException as exc:
            detail = str(exc) or type(exc).__name__
            error = exception.Unavailable(method=method, path=path,
                                          detail=detail)
            error.not_sent = _was_not_sent(exc)
            if len(self.endpoints) > 1:
                self._fail_over(endpoint)
            raise error from exc
        elapsed = time.monotonic() - started
        LOG.debug('Unisphere answer %(status)s to %(method)s %(path)s in '
                  '%(elapsed).3fs', {'status': response.status_code,
                                     'method': method, 'path': path,
                                     'elapsed': elapsed})
        if response.status_code not in SUCCESS:
            raise self.error_for(response.status_code, method, path,
                                 _json_or_none(response), response.text)
        return response.status_code, _decode(response, method, path)

    @staticmethod
    def error_for(status: int, method: str, path: str, data: Any,
                  text: str = '') -> exception.UnisphereError:
        """Turn a non-success answer into the matching typed error.

        :param status: HTTP status code
        :param method: HTTP method of the request
        :param path: path of the request
        :param data: decoded JSON body, if any
        :param text: raw body, used when it was not JSON
        :returns: an :class:`UnisphereError` subclass instance
        """
        if isinstance(data, dict) and data.get('message'):
            detail = str(data['message'])
        else:
            detail = ((text or '').strip()[:exception.QUOTE_MAX] or
                      'no message')
        if status in (401, 403):
            cls = exception.Unauthorized
        elif status == 404:
            cls = exception.NotFound
        elif status == 409:
            cls = exception.Conflict
        elif status in RETRYABLE_STATUSES:
            cls = exception.Unavailable
        elif status == 400:
            cls = exception.BadRequest
        else:
            cls = exception.UnisphereError
        return cls(status=status, method=method, path=path, detail=detail)

    # -- jobs -----------------------------------------------------------------

    def wait_for_job(self, job: dict) -> dict:
        """Poll an asynchronous job until it ends.

        :param job: the job object of a 202 answer
        :returns: the finished job (its ``task`` list names created devices)
        :raises JobFailed: when the job ended in any state but SUCCEEDED
        :raises JobTimeout: when it is still pending after ``job_deadline``
        """
        job_id = job['jobId']
        path = '/%s/system/job/%s' % (self.version(), job_id)
        final = polling.wait_until(
            lambda: self.get(path),
            lambda state: str(state.get('status', '')).lower()
            not in JOB_PENDING,
            what='Unisphere job %s (%s)' % (job_id, job.get('name', '')),
            deadline=self.job_deadline, longest=self.job_poll_max,
            sleep=self._sleep,
            describe=lambda state: str(state.get('status')),
            gone_ends=False)
        if str(final.get('status', '')).lower() != JOB_SUCCEEDED:
            raise exception.JobFailed(job_id=job_id,
                                      name=final.get('name', ''),
                                      status=final.get('status'),
                                      result=final.get('result', ''))
        return final

    # -- paging ---------------------------------------------------------------

    def get_all(self, path: str, params: Optional[dict] = None) -> list:
        """Return every result of an iterator-backed list.

        Fetches the further pages of ``common/Iterator`` when the list is
        longer than one page and releases the iterator afterwards.

        :param path: a list endpoint answering with an iterator envelope
        :param params: filters
        :returns: the concatenated ``result`` entries
        """
        return self._collect(self.get(path, params) or {})

    def post_all(self, path: str, body: dict) -> list:
        """Every result of a query POSTed for an iterator-backed answer.

        Performance metrics are asked for this way.

        :param path: the query endpoint
        :param body: the query
        :returns: the concatenated ``result`` entries
        """
        return self._collect(self.post(path, body) or {})

    def _collect(self, envelope: dict) -> list:
        """The results of an iterator envelope, every page fetched."""
        page = envelope.get('resultList') or {}
        results = list(page.get('result') or [])
        count = int(envelope.get('count') or 0)
        iterator = envelope.get('id')
        if not iterator or len(results) >= count:
            return results
        size = int(envelope.get('maxPageSize') or len(results) or 1000)
        page_path = '/common/Iterator/%s/page' % urllib.parse.quote(iterator)
        try:
            while len(results) < count:
                start = len(results) + 1
                end = min(start + size - 1, count)
                more = self.get(page_path, {'from': start, 'to': end}) or {}
                batch = more.get('result') or []
                if not batch:
                    break
                results.extend(batch)
        finally:
            self._release_iterator(iterator)
        return results

    def _release_iterator(self, iterator: str) -> None:
        try:
            self.delete('/common/Iterator/%s' % urllib.parse.quote(iterator))
        except exception.UnisphereError as exc:
            # An iterator expires on its own; failing to release it early
            # must not fail the listing that already has its results.
            LOG.debug('Could not release iterator %(id)s: %(err)s',
                      {'id': iterator, 'err': exc})
