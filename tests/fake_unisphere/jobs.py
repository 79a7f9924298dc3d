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

"""Asynchronous jobs of the fake Unisphere.

A job holds the effect of the request that created it; the effect is
applied when the job completes, not when it is submitted, so a client
that does not wait for its job sees the array unchanged. Jobs advance on
every request the fake receives (a poll is a request): once
``latency.job_duration`` seconds have passed since it started, the job
runs and ends ``SUCCEEDED``, or ``FAILED`` with the refusal as ``result``.

A job starts when submitted, unless ``latency.job_concurrency`` limits how
many jobs one array runs at once: then it waits ``SCHEDULED`` in
submission order and starts when an earlier job ends, at the moment that
job ends, so the model does not depend on when clients poll.
"""

import time
import typing

from tests.fake_unisphere import errors
from tests.fake_unisphere import records

Effect = typing.Callable[[], typing.Tuple[typing.Any, typing.List[str]]]


def _stamp(seconds: typing.Optional[float]) -> typing.Tuple[str, int]:
    if seconds is None:
        return '', 0
    return (time.strftime('%b-%d-%Y %H:%M:%S.000', time.gmtime(seconds)),
            int(seconds * 1000))


def _held(job: records.Job) -> bool:
    """Whether a stuck-job fault keeps the job running."""
    return job.hold is not None and job.hold()


class JobRunner:
    """Submits, advances and renders jobs kept in ``model.jobs``."""

    def __init__(self, model: typing.Any, latency: typing.Any,
                 clock: typing.Callable[[], float] = time.time) -> None:
        self.model = model
        self.latency = latency
        self.clock = clock

    def submit(self, sid: str, name: str, resource_link: str,
               effect: Effect, fail_message: typing.Optional[str] = None,
               username: str = 'smc') -> records.Job:
        with self.model.lock:
            job = records.Job(self.model.new_job_id(), name, sid,
                              resource_link, self.clock(), effect,
                              fail_message, username=username)
            self.model.jobs[job.job_id] = job
            return job

    def advance(self) -> None:
        """Complete every job whose time has come, oldest first.

        SnapVX copies and restores advance first, so that one started by a
        job completes at a later request, as one started synchronously.
        """
        with self.model.lock:
            now = self.clock()
            for array in self.model.arrays.values():
                array.advance_snapvx(now)
                array.advance_srdf(now)
            pending = sorted((j for j in self.model.jobs.values()
                              if not j.finished),
                             key=lambda j: (j.submitted, int(j.job_id)))
            limit = self.latency.job_concurrency
            if limit is None:
                self._advance_parallel(pending, now)
                return
            for sid in sorted({j.symmetrix_id for j in pending}):
                self._advance_queue([j for j in pending
                                     if j.symmetrix_id == sid], now,
                                    max(1, int(limit)))

    def _advance_parallel(self, pending: list, now: float) -> None:
        for job in pending:
            job.started = job.submitted
            if _held(job):
                job.status = 'RUNNING'
            elif now - job.submitted >= self.latency.job_duration:
                self._run(job, now)
            else:
                job.status = 'RUNNING'

    def _advance_queue(self, jobs: list, now: float, limit: int) -> None:
        """One array's jobs, at most ``limit`` running, in order."""
        duration = self.latency.job_duration
        running = [j for j in jobs if j.started is not None]
        waiting = [j for j in jobs if j.started is None]
        freed: typing.List[float] = []
        while True:
            while waiting and len(running) < limit:
                job = waiting.pop(0)
                job.started = max([job.submitted] + freed[:1])
                del freed[:1]
                job.status = 'RUNNING'
                running.append(job)
            if not running:
                break
            first = min(running, key=lambda j: j.started)
            if first.started + duration > now or _held(first):
                break  # a stuck job holds its place in the queue
            running.remove(first)
            self._run(first, first.started + duration)
            freed.append(first.started + duration)
        for job in waiting:
            job.status = 'SCHEDULED'

    def _run(self, job: records.Job, now: float) -> None:
        job.completed = now
        if job.fail_message is not None and not job.apply_then_fail:
            job.status, job.result = 'FAILED', job.fail_message
            return
        try:
            _body, tasks = job.effect()
        except errors.ArrayError as exc:
            job.status, job.result = 'FAILED', exc.message
            return
        if job.fail_message is not None:
            job.status, job.result = 'FAILED', job.fail_message
            return
        job.status = 'SUCCEEDED'
        job.result = 'Succeeded'
        job.tasks = tasks

    def job(self, job_id: str) -> records.Job:
        try:
            return self.model.jobs[job_id]
        except KeyError:
            raise errors.not_found('job', job_id)

    @staticmethod
    def render(job: records.Job) -> dict:
        scheduled, scheduled_ms = _stamp(job.submitted)
        completed, completed_ms = _stamp(job.completed)
        modified, modified_ms = _stamp(job.completed or job.submitted)
        return {
            'jobId': job.job_id, 'name': job.name,
            'symmetrixId': job.symmetrix_id, 'status': job.status,
            'username': job.username, 'result': job.result,
            'resourceLink': job.resource_link,
            'scheduled_date': scheduled,
            'scheduled_date_milliseconds': scheduled_ms,
            'completed_date': completed,
            'completed_date_milliseconds': completed_ms,
            'last_modified_date': modified,
            'last_modified_date_milliseconds': modified_ms,
            # No ``links``: the API describes them with one key,
            # SNAPSHOT_CREATED, and no client reads them.
            'task': [{'execution_order': i + 1, 'description': d}
                     for i, d in enumerate(job.tasks)],
        }
