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

"""Concurrent creates into one storage group, coalesced into one edit.

An array runs configuration changes one after another, each a job of a
second or more. When many creates for the same default group arrive
together (a Heat stack, a Kubernetes scale-out), one storage-group edit
can create several devices, each with its own identifier, in the time
one would take.

Per storage group, one edit is in flight at a time. A create that finds
none submits its device alone at once (a lone create waits for nobody);
creates that arrive while an edit runs queue up, and when it ends the
first of them submits the next edit with up to ``max_batch`` of the
queued devices. No create waits longer than the edit ahead of it plus its
own, each bounded by the job deadline.

Only the edit is shared. Each create learns the outcome of the edit it
was part of and handles it for its own volume (see
:meth:`cinder_powermax.storagegroups.StorageGroups.create_volume`): a
device is found by its identifier, a failed edit of several devices is
reported as :class:`BatchFailed` so that each is checked and retried
alone where that is safe.
"""

from __future__ import annotations

import collections
import threading
from typing import Callable, Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _

LOG = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 64


class BatchFailed(Exception):
    """An edit that created several devices, this one among them, failed.

    :ivar cause: the error of the edit
    :ivar size: how many devices the edit was to create
    """

    def __init__(self, cause: Exception, size: int) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.size = size


class _Request:
    """One device a create waits for."""

    def __init__(self, size_gb: int, identifier: str) -> None:
        self.size_gb = size_gb
        self.identifier = identifier
        self.wake = threading.Event()
        self.finished = False
        self.lead = False  # the create is to submit the next edit
        self.device: Optional[str] = None
        self.error: Optional[Exception] = None
        self.batch = 0


class Coalescer:
    """Batches creates into the same storage group into shared edits.

    :param create_one: ``create_one(group, size_gb, identifier)`` makes
        one device and returns its id (None when the job did not say)
    :param create_many: ``create_many(group, [(size_gb, identifier),
        ...])`` makes several in one edit
    :param max_batch: the most devices one edit creates (1: no batching)
    :param deadline: the longest one edit may take, in seconds; a create
        waits at most twice that for the edit ahead of it and its own
    """

    def __init__(self, create_one: Callable, create_many: Callable,
                 max_batch: int = DEFAULT_MAX_BATCH,
                 deadline: float = 600.0) -> None:
        self._create_one = create_one
        self._create_many = create_many
        self.max_batch = max(1, int(max_batch))
        self.deadline = deadline
        self._lock = threading.Lock()
        self._queues: dict = collections.defaultdict(collections.deque)
        self._busy: set = set()

    def create(self, group: str, size_gb: int, identifier: str,
               alone: bool = False) -> Optional[str]:
        """Create one device in ``group``, in an edit shared with others.

        :param alone: in an edit of its own, at once (a retry of a device
            whose shared edit failed)
        :returns: the device id, or None when the edit did not tell which
            device is this one (the caller finds it by identifier)
        :raises BatchFailed: when a shared edit of several devices failed
        :raises: the edit's own error when it created this device alone
        """
        if alone or self.max_batch == 1:
            return self._create_one(group, size_gb, identifier)
        request = _Request(size_gb, identifier)
        with self._lock:
            self._queues[group].append(request)
            request.lead = group not in self._busy
            self._busy.add(group)
        if not request.lead:
            self._wait(group, request)
        if not request.finished:
            self._submit(group)
        if request.error is not None:
            if request.batch > 1:
                raise BatchFailed(request.error, request.batch)
            raise request.error
        return request.device

    def _wait(self, group, request):
        """Wait to be done or to lead the next edit, within the deadline.

        The edit ahead and this create's own each have the deadline.
        """
        if request.wake.wait(2 * self.deadline):
            return
        with self._lock:
            if request.wake.is_set():
                return
            if request in self._queues[group]:
                self._queues[group].remove(request)
                raise exception.PowerMaxError(reason=_(
                    'the create of %(name)s waited %(secs)d s for the '
                    'edits of storage group %(sg)s ahead of it') % {
                        'name': request.identifier,
                        'secs': 2 * self.deadline,
                        'sg': group})
        # Taken into an edit that did not end in time: its outcome is
        # unknown, and the caller looks for the device.
        raise exception.JobTimeout(what=_('the edit of %s') % group,
                                   deadline=self.deadline,
                                   last=_('running'))

    def _submit(self, group):
        """Submit the next edit of ``group``; hand over to the next one."""
        with self._lock:
            queue = self._queues[group]
            batch = [queue.popleft()
                     for _ in range(min(self.max_batch, len(queue)))]
        try:
            self._run(group, batch)
        finally:
            for request in batch:
                request.finished = True
                request.wake.set()
            self._hand_over(group)

    def _run(self, group, batch):
        for request in batch:
            request.batch = len(batch)
        try:
            if len(batch) == 1:
                only = batch[0]
                only.device = self._create_one(group, only.size_gb,
                                               only.identifier)
                return
            LOG.debug('Creating %(n)d devices in one edit of %(sg)s.',
                      {'n': len(batch), 'sg': group})
            self._create_many(group, [(r.size_gb, r.identifier)
                                      for r in batch])
        except Exception as exc:
            for request in batch:
                request.error = exc

    def _hand_over(self, group):
        with self._lock:
            queue = self._queues[group]
            if queue:
                successor = queue[0]
                successor.lead = True
                successor.wake.set()
                return
            self._busy.discard(group)
            del self._queues[group]
