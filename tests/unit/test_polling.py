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

"""The one polling helper: what it awaits, tolerates and reports."""

import itertools


from cinder_powermax import exception
from cinder_powermax import polling
from tests import base as tests_base


class Clock:
    """A fake clock that sleeping advances, for tenacity and the helper."""

    def __init__(self):
        self.now = 0.0
        self.pauses = []

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


class WaitUntilTest(tests_base.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = Clock()
        # tenacity measures its deadline with time.monotonic.
        clock = self.clock
        self.patch(polling.tenacity, 'time',
                   type('FakeTime', (), {
                       'monotonic': staticmethod(lambda: clock.now)}))

    def wait(self, states, deadline=10, longest=3):
        values = iter(states)

        def read():
            value = next(values)
            if isinstance(value, Exception):
                raise value
            return value
        return polling.wait_until(read, lambda s: s == 'done',
                                  what='the copy of snap to 0001B',
                                  deadline=deadline, longest=longest,
                                  sleep=self.clock.sleep)

    def test_returns_the_finished_state(self):
        self.assertEqual('done', self.wait(['copying', 'copying', 'done']))
        # A quarter second before the first poll and between the next.
        self.assertEqual([0.25, 0.25, 0.25], self.clock.pauses)

    def test_failed_poll_is_ridden_out(self):
        error = exception.Unavailable(method='GET', path='/x', detail='503')
        self.assertEqual('done', self.wait(['copying', error, 'done']))

    def test_gone_ends_the_wait(self):
        gone = exception.NotFound(method='GET', path='/x', detail='404')
        self.assertRaises(exception.NotFound, self.wait, ['copying', gone])

    def test_timeout_names_what_and_last_state(self):
        error = self.assertRaises(
            exception.JobTimeout, self.wait,
            itertools.chain(['copying'], itertools.repeat(
                exception.Unavailable(method='GET', path='/x',
                                      detail='503'))), deadline=5)
        self.assertIn('the copy of snap to 0001B', str(error))
        self.assertIn('copying', str(error))
        self.assertIn('5', str(error))

    def test_timeout_without_any_answer(self):
        error = self.assertRaises(
            exception.JobTimeout, self.wait, itertools.repeat(
                exception.Unavailable(method='GET', path='/x',
                                      detail='503')), deadline=2)
        self.assertEqual('no answer', error.last)

    def test_pauses_grow_to_the_longest(self):
        self.wait(itertools.chain(['copying'] * 12, ['done']), deadline=60,
                  longest=3)
        self.assertEqual(3, max(self.clock.pauses))
        self.assertEqual(0.25, self.clock.pauses[0])


class BestEffortTest(tests_base.TestCase):

    def test_retries_then_gives_up_quietly(self):
        calls = []

        def step():
            calls.append(1)
            raise exception.PowerMaxError(reason='still busy')
        self.assertFalse(polling.best_effort(step, what='cleanup',
                                             sleep=lambda s: None))
        self.assertEqual(3, len(calls))

    def test_success(self):
        self.assertTrue(polling.best_effort(lambda: None,
                                            sleep=lambda s: None))
