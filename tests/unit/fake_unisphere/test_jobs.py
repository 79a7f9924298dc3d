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

"""The latency model of jobs: parallel, or serialized per array."""

import ddt

from tests.fake_unisphere import data
from tests.unit.fake_unisphere import base


@ddt.ddt
class JobQueueTest(base.FakeTestCase):

    def setUp(self):
        super().setUp()
        self.now = 1000.0
        self.fake.app.jobs.clock = lambda: self.now
        self.fake.latency.job_duration = 10.0
        for sid in (self.sid, data.VMAX_AFA):
            self.arr_of(sid).tags.clear()

    def arr_of(self, sid):
        return self.fake.model.arrays[sid]

    def submit(self, count, sid=None):
        """``count`` asynchronous tag edits; their job ids in order."""
        ids = []
        for n in range(count):
            response = self.call('PUT', '', {
                'executionOption': 'ASYNCHRONOUS',
                'editSymmetrixActionParam': {'tagManagementParam': {
                    'addTagsParam': {'tag_name': ['t%d' % n]}}}},
                sid=sid)
            ids.append(self.assertStatus(202, response)['jobId'])
        return ids

    def states(self, ids, at):
        self.now = at
        self.fake.app.jobs.advance()
        return [self.fake.model.jobs[i].status for i in ids]

    def test_parallel_by_default(self):
        ids = self.submit(3)
        self.assertEqual(['RUNNING'] * 3, self.states(ids, 1005))
        self.assertEqual(['SUCCEEDED'] * 3, self.states(ids, 1010))

    def test_one_at_a_time_in_submission_order(self):
        self.fake.latency.job_concurrency = 1
        ids = self.submit(3)
        self.assertEqual(['RUNNING', 'SCHEDULED', 'SCHEDULED'],
                         self.states(ids, 1005))
        # Polled late: starts are chained on completions, not on polls.
        self.assertEqual(['SUCCEEDED', 'SUCCEEDED', 'RUNNING'],
                         self.states(ids, 1025))
        self.assertEqual(['SUCCEEDED'] * 3, self.states(ids, 1030))
        self.assertEqual([1010, 1020, 1030], [
            self.fake.model.jobs[i].completed for i in ids])
        self.assertEqual(['t0', 't1', 't2'], self.arr.tags)

    @ddt.data((2, [1010, 1010, 1020, 1020]), (4, [1010] * 4))
    @ddt.unpack
    def test_n_at_a_time(self, limit, ends):
        self.fake.latency.job_concurrency = limit
        ids = self.submit(4)
        self.states(ids, 1100)
        self.assertEqual(ends, [self.fake.model.jobs[i].completed
                                for i in ids])

    def test_arrays_queue_independently(self):
        self.fake.latency.job_concurrency = 1
        mine = self.submit(2)
        other = self.submit(1, sid=data.VMAX_AFA)
        self.assertEqual(['SUCCEEDED', 'RUNNING', 'SUCCEEDED'],
                         self.states(mine + other, 1010))

    def test_late_submission_starts_when_submitted(self):
        self.fake.latency.job_concurrency = 1
        first = self.submit(1)
        self.states(first, 1050)
        self.now = 1060
        second = self.submit(1)
        self.states(second, 1070)
        self.assertEqual(1070, self.fake.model.jobs[second[0]].completed)
