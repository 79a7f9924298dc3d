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
``latency.job_duration`` seconds have passed since submission, the job
runs and ends ``SUCCEEDED``, or ``FAILED`` with the refusal as ``result``.
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
            for job in sorted(self.model.jobs.values(),
                              key=lambda j: (j.submitted, int(j.job_id))):
                if job.finished:
                    continue
                if job.hold is not None and job.hold():
                    job.status = 'RUNNING'
                elif now - job.submitted >= self.latency.job_duration:
                    self._run(job, now)
                else:
                    job.status = 'RUNNING'

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
            'task': [{'execution_order': i + 1, 'description': d}
                     for i, d in enumerate(job.tasks)],
            'links': [{'key': 'self', 'uris': [
                '/univmax/restapi/system/job/%s' % job.job_id]}],
        }
