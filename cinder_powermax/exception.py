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

"""Typed errors of the PowerMax driver.

Every module below the driver boundary raises these; only ``fc.py``,
``iscsi.py`` and ``common.py`` turn them into Cinder exceptions. Each class
carries a message template filled from keyword arguments, so the text an
operator reads always names the values involved.
"""

from cinder import exception as cinder_exception

from cinder_powermax.i18n import _


class PowerMaxError(cinder_exception.VolumeDriverException):
    """Base class of every error raised by this driver."""

    message = _('PowerMax driver error: %(reason)s')


class ConfigError(PowerMaxError):
    """The driver configuration is invalid or inconsistent."""

    message = _('Invalid PowerMax configuration: %(reason)s')


QUOTE_MAX = 200  # characters of a bad input quoted in a message


def quoted(value, limit: int = QUOTE_MAX) -> str:
    """``repr(value)``, cut to ``limit`` characters (and an ellipsis)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '...'


class InvalidSpec(PowerMaxError):
    """A volume type extra spec, QoS spec or request argument is invalid."""

    message = _('Invalid value %(value)s for %(key)s: %(reason)s')

    def __init__(self, message=None, **kwargs):
        kwargs['value'] = quoted(kwargs.get('value'))
        super().__init__(message, **kwargs)


class NotManageable(PowerMaxError):
    """A device or snapshot a manage request names cannot be managed.

    :ivar existing_ref: the reference the request gave
    """

    message = _('%(what)s cannot be managed: %(reason)s')

    def __init__(self, message=None, **kwargs):
        self.existing_ref = kwargs.get('existing_ref')
        super().__init__(message, **kwargs)


class InvalidTarget(PowerMaxError):
    """A failover, failback or promotion this backend cannot take.

    An unknown secondary id, or one the backend's state refuses now.
    """

    message = _('%(reason)s')


class InvalidConnector(PowerMaxError):
    """The connector Cinder passed cannot be masked as it is."""

    message = _('the connector\'s %(key)s %(value)s is not usable: '
                '%(reason)s')


class InitiatorNotLoggedIn(InvalidConnector):
    """``initiator_check``: the array has not seen these initiators."""

    message = _('initiator(s) %(initiators)s of host %(host)s are not '
                'logged in to array %(array)s; check the zoning (FC), '
                'the iSCSI login or the NVMe/TCP connection, or set '
                'initiator_check = False')


class UnisphereError(PowerMaxError):
    """Unisphere answered a request with a non-success status.

    :ivar status: HTTP status code, or None for transport failures
    :ivar method: HTTP method of the request
    :ivar path: URL path of the request (no host, no credentials)
    :ivar detail: the ``message`` text of Unisphere's error body
    """

    message = _('Unisphere %(method)s %(path)s failed with status '
                '%(status)s: %(detail)s')
    retryable = False

    def __init__(self, message=None, **kwargs):
        self.status = kwargs.setdefault('status', None)
        self.method = kwargs.setdefault('method', '?')
        self.path = kwargs.setdefault('path', '?')
        self.detail = kwargs.setdefault('detail', '')
        super().__init__(message, **kwargs)


class BadRequest(UnisphereError):
    """400: Unisphere refused the request as invalid."""


class Unauthorized(UnisphereError):
    """401/403: wrong credentials or insufficient role."""

    message = _('Unisphere refused the credentials for %(method)s '
                '%(path)s (status %(status)s): %(detail)s')


class NotFound(UnisphereError):
    """404: the object or URL does not exist."""


class Conflict(UnisphereError):
    """409: the object already exists or is in a conflicting state."""


class Unavailable(UnisphereError):
    """Unisphere could not be reached, timed out or asked to retry.

    Raised for connection errors, timeouts and the 5xx/408/429 statuses
    that are worth retrying. ``status`` is None for transport failures.
    """

    message = _('Unisphere %(method)s %(path)s is unavailable '
                '(status %(status)s): %(detail)s')
    retryable = True


class UnreadableAnswer(Unavailable):
    """A success status with a body that cannot be read.

    Retryable like any answer that may not be the array's own, but only
    for requests that are safe to send again.
    """

    message = _('Unisphere answered %(method)s %(path)s with status '
                '%(status)s and %(detail)s, not the JSON expected; the '
                'outcome is unknown')


class JobUnknown(PowerMaxError):
    """Unisphere accepted a request (202) without a readable job id."""

    message = _('Unisphere accepted %(method)s %(path)s without a job id '
                'the driver can follow; its outcome must be looked up')


class TLSError(UnisphereError):
    """The TLS handshake with Unisphere failed (certificate not trusted).

    Not retryable: the same certificate will fail the same way until the
    operator fixes the CA bundle or the verification setting.
    """

    message = _('TLS verification of Unisphere failed for %(method)s '
                '%(path)s: %(detail)s. Check that the CA bundle given to '
                'the driver signs the Unisphere certificate.')


class UnsupportedVersion(ConfigError):
    """The Unisphere release is older or newer than this driver supports."""

    message = _('Unisphere version %(version)s is not supported: '
                '%(reason)s')


class JobFailed(PowerMaxError):
    """An asynchronous Unisphere job ended in a state other than SUCCEEDED."""

    message = _('Unisphere job %(job_id)s (%(name)s) ended %(status)s: '
                '%(result)s')

    def __init__(self, message=None, **kwargs):
        self.job_id = kwargs.setdefault('job_id', '?')
        self.status = kwargs.setdefault('status', 'FAILED')
        self.result = kwargs.setdefault('result', '')
        kwargs.setdefault('name', '')
        super().__init__(message, **kwargs)


class JobTimeout(PowerMaxError):
    """Something the array works on did not finish within its deadline.

    :ivar what: what was awaited (a job, a SnapVX copy, a restore)
    :ivar last: the last state seen
    """

    message = _('%(what)s did not finish within %(deadline)s seconds; '
                'last state seen: %(last)s')

    def __init__(self, message=None, **kwargs):
        self.what = kwargs.setdefault('what', 'an array operation')
        self.last = kwargs.setdefault('last', 'unknown')
        kwargs.setdefault('deadline', '?')
        super().__init__(message, **kwargs)


class SnapshotNotFound(PowerMaxError):
    """A SnapVX snapshot the operation needs is not on its source device."""

    message = _('snapshot %(name)s does not exist on device %(device)s of '
                'array %(array)s')


class SnapshotLeft(PowerMaxError):
    """A temporary SnapVX snapshot an operation made could not be removed."""

    message = _('the temporary snapshot %(name)s of device %(device)s of '
                'array %(array)s could not be removed')


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed change may still have been made on the array.

    True for an answer that could not be read, a job that could not be
    followed, failed or did not finish in time, a server error (Unisphere
    can fail after part of the work is done) and a connection lost after
    the request left; False where the array refused the request (4xx) or
    it never left.
    """
    if isinstance(exc, (UnreadableAnswer, JobUnknown, JobTimeout,
                        JobFailed)):
        return True
    if not isinstance(exc, UnisphereError):
        return False
    if exc.status is None:
        return not getattr(exc, 'not_sent', False)
    return exc.status >= 500
