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

"""Waiting for something the array works on: jobs, copies, restores.

One helper, tenacity underneath, used by the REST client for jobs and by
the provisioner for SnapVX copies and restores. Polls come every quarter
second for the first two seconds (most jobs and copies take a second or
less), then the pauses grow with the time already spent, up to a ceiling,
so a long one costs few calls. A failed poll does not end the wait: the
array goes on working whatever happens to one read of its progress.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

from oslo_log import log as logging
import tenacity

from cinder_powermax import exception

LOG = logging.getLogger(__name__)

FIRST_POLL = 0.25  # seconds before the first poll: nothing finishes sooner

Sleep = Callable[[float], None]


def default_sleep(seconds: float) -> None:
    """The pause between retries and polls (tests replace it)."""
    time.sleep(seconds)


def poll_schedule(longest: float):
    """The tenacity wait between polls: a quarter second, then growing."""
    def wait(state: tenacity.RetryCallState) -> float:
        elapsed = state.seconds_since_start or 0
        if elapsed < 2:
            return min(FIRST_POLL, longest)
        return min(elapsed / 2, longest)
    return wait


def wait_until(read: Callable[[], Any], done: Callable[[Any], bool], *,
               what: str, deadline: float, longest: float,
               sleep: Optional[Sleep] = None,
               describe: Callable[[Any], str] = str,
               gone_ends: bool = True) -> Any:
    """Poll ``read`` until ``done`` accepts what it returns.

    :param read: reads the current state; a :class:`NotFound` ends the
        wait (the thing awaited is gone), any other Unisphere error is
        logged and polling goes on
    :param done: tells a finished state
    :param what: what is awaited, for the log and the timeout message
    :param deadline: seconds to wait at most
    :param longest: the longest pause between two polls
    :param sleep: injectable sleep
    :param describe: turns a state into the text the timeout reports
    :param gone_ends: False where a 404 is no proof the thing is gone (a
        job's 404 says nothing of the change it makes): it is ridden out
        like any failed poll
    :returns: the finished state
    :raises JobTimeout: naming ``what`` and the last state seen
    """
    pause = sleep or default_sleep
    seen = []

    def poll():
        try:
            state = read()
        except exception.NotFound:
            if gone_ends:
                raise
            LOG.warning('Polling %(what)s answered 404; polling on.',
                        {'what': what})
            return _UNREAD
        except exception.UnisphereError as exc:
            LOG.warning('Polling %(what)s failed: %(err)s; polling on.',
                        {'what': what, 'err': exc})
            return _UNREAD
        seen[:] = [state]
        return state

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_result(
            lambda state: state is _UNREAD or not done(state)),
        wait=poll_schedule(longest),
        stop=tenacity.stop_after_delay(deadline),
        sleep=pause, retry_error_callback=lambda rs: _UNREAD)
    pause(min(FIRST_POLL, longest))
    final = retrying(poll)
    if final is _UNREAD:
        raise exception.JobTimeout(
            what=what, deadline=deadline,
            last=describe(seen[0]) if seen else 'no answer')
    return final


_UNREAD = object()


def retried(func: Callable, *args, sleep: Optional[Sleep] = None,
            attempts: int = 3) -> Any:
    """Run a step up to ``attempts`` times while it fails; its result."""
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(exception.PowerMaxError),
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_exponential(multiplier=0.5, max=5),
        sleep=sleep or default_sleep, reraise=True)
    return retrying(func, *args)


def best_effort(func: Callable, *args, what: str = '',
                sleep: Optional[Sleep] = None) -> bool:
    """Run a clean-up step up to three times; log if it still fails.

    :returns: True when the step succeeded
    """
    try:
        retried(func, *args, sleep=sleep)
    except exception.PowerMaxError as exc:
        LOG.warning('The %(what)s failed: %(err)s',
                    {'what': what or getattr(func, '__name__', func),
                     'err': exc})
        return False
    return True


def read_or_none(read: Callable, *args) -> Any:
    """What ``read(*args)`` returns, or None when it is confirmed absent.

    One 404 is not believed: a proxy, a Unisphere restart or a cache can
    answer one wrongly, and a "gone" acted on deletes or reports the wrong
    thing. A second read that also says 404 confirms it.
    """
    try:
        return read(*args)
    except exception.NotFound:
        LOG.debug('%(read)s%(args)s answered 404; reading again to confirm.',
                  {'read': getattr(read, '__name__', read), 'args': args})
    try:
        return read(*args)
    except exception.NotFound:
        return None
