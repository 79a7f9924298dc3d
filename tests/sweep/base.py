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

"""The fault and interruption sweeps' runner.

A clean run of an operation counts its REST calls. Then each call is
failed in turn, with each kind of fault a real Unisphere (or what stands
between it and the driver) can give. For every faulted run:

* either the operation succeeds, and the array holds exactly what the
  driver says it did (``verify``), or it raises a Cinder exception with a
  message;
* after a failure nothing new is left on the array, and the repeat
  succeeds;
* and after undoing the operation, the array is as before.

The interruption sweep makes the client process "die" at each call (no
``except`` or ``finally`` block can reach the array any more), then a new
driver on the same array repeats the operation and undoes it.

Time is virtual: the driver's polls and back-offs advance a fake clock
that tenacity's deadlines read, so a job stuck past its deadline costs
no real time.
"""

import dataclasses
import logging
import re
import typing

from cinder import exception as cinder_exception
import fixtures
import tenacity

from tests.fake_unisphere import app as fake_app
from tests.unit import base

CINDER_ERRORS = (cinder_exception.CinderException,)
ANY = None
GETS = ('GET',)
CHANGES = ('PUT', 'POST')
NEW_NUMBERED_SG = re.compile(r'new storage group (OS-\S+-[0-9]+-SG)$')
EMPTY_DEFAULT_SG = re.compile(r'storage group OS-(SRP_1|no_SLO)-\S* is empty')


@dataclasses.dataclass(frozen=True)
class Fault:
    """One kind of fault: a fault rule and the requests it applies to."""

    name: str
    rule: dict
    methods: typing.Optional[tuple] = ANY


FAULTS = (
    Fault('500', {'action': 'error', 'status': 500}),
    Fault('503', {'action': 'error', 'status': 503}),
    Fault('401', {'action': 'error', 'status': 401}),
    Fault('404 on a GET', {'action': 'error', 'status': 404}, GETS),
    Fault('409', {'action': 'error', 'status': 409}),
    Fault('read timeout', {'action': 'timeout'}),
    Fault('dropped connection', {'action': 'drop'}),
    Fault('truncated JSON', {'action': 'truncate'}),
    Fault('HTML page with 200', {'action': 'html'}),
    Fault('job stuck RUNNING', {'action': 'stuck_job'}, CHANGES),
    Fault('job FAILED', {'action': 'fail_job'}, CHANGES),
    Fault('job FAILED after its change', {'action': 'fail_job_applied'},
          CHANGES),
)


class VirtualClock:
    """Sleeping advances it; tenacity's deadlines read it."""

    def __init__(self):
        self.now = 1000.0

    def sleep(self, seconds):
        self.now += seconds

    def monotonic(self):
        return self.now


class Operation(typing.NamedTuple):
    """What a sweep needs to know of one driver operation.

    :ivar make: builds fresh inputs (the array baseline is taken after)
    :ivar run: ``run(inputs)`` performs the operation, returns its result
    :ivar verify: ``verify(inputs, result)`` checks the array holds what
        the result says; None when there is nothing to check
    :ivar undo: ``undo(inputs, result)`` returns the array to the state
        before ``make``
    :ivar removes: the operation removes objects (a delete, a detach):
        after a failure, objects it removed before failing are progress,
        not debris
    """

    make: typing.Callable
    run: typing.Callable
    verify: typing.Optional[typing.Callable]
    undo: typing.Callable
    removes: bool = False


class SweepTestCase(base.DriverTestCase):
    """Runs the driver against the fake with a virtual clock."""

    faults = FAULTS

    def setUp(self):
        # Thousands of injected failures are logged; keep them for the
        # failing test's details only.
        self.useFixture(fixtures.FakeLogger(level=logging.WARNING))
        self.clock = VirtualClock()
        clock = self.clock
        self.useFixture(fixtures.MonkeyPatch(
            'tenacity.time', type('VirtualTime', (), {
                'monotonic': staticmethod(clock.monotonic)})))
        super().setUp()
        # The base replaces sleeping with nothing; here it moves time on.
        self.useFixture(fixtures.MonkeyPatch(
            'cinder_powermax.polling.default_sleep', clock.sleep))
        self.driver = self.make_driver()
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        self.assertIsNotNone(tenacity.time.monotonic())

    # -- the fault sweep ---------------------------------------------------

    def clean_run(self, op):
        """Run the operation once unfaulted: the methods of its calls."""
        inputs = op.make()
        before = len(self.fake.requests)
        result = op.run(inputs)
        calls = [r.method for r in self.fake.requests[before:]]
        if op.verify:
            op.verify(inputs, result)
        op.undo(inputs, result)
        self.assertTrue(calls, 'the operation made no call')
        return calls

    def sweep(self, op, faults=None):
        """Fail each call of ``op`` with each fault; see the module doc."""
        calls = self.clean_run(op)
        failures = 0
        for fault in faults or self.faults:
            for nth, method in enumerate(calls, 1):
                if fault.methods and method not in fault.methods:
                    continue
                where = '%s on call %d of %d (%s)' % (
                    fault.name, nth, len(calls), method)
                failures += self.one_faulted_run(op, fault, nth, where)
        return failures

    def one_faulted_run(self, op, fault, nth, where):
        start = self.fake.snapshot()
        inputs = op.make()
        baseline = self.fake.snapshot()
        rule = self.fake.faults.add(nth=nth, message='injected ' + where,
                                    **fault.rule)
        failed = False
        try:
            result = op.run(inputs)
        except CINDER_ERRORS as exc:
            failed = True
            self.assertTrue(str(exc), 'error without a message: ' + where)
        self.fake.faults.clear()
        self.assertLessEqual(rule.hits, 1, where)
        if failed:
            if fault.rule['action'] != 'stuck_job':
                # A stuck job finishes only once the fault is lifted; the
                # repeat meets what it did.
                self.assertEqual([], self.debris(baseline, op.removes),
                                 'debris after ' + where)
            result = op.run(inputs)
        self.finish(op, inputs, result, start, where)
        return int(failed)

    def finish(self, op, inputs, result, start, where):
        """Check a run's result on the array and undo it.

        Nothing may be left since ``start`` afterwards.
        """
        if op.verify:
            op.verify(inputs, result, where)
        op.undo(inputs, result)
        self.assertEqual([], self.debris(start), 'left after ' + where)

    def debris(self, baseline, removes=False):
        """What the array holds that it should not, once jobs are done.

        Jobs whose answer was lost still complete on the array; the fake
        runs them now, as time would. A default group emptied because its
        volume is attached is the driver's choice to keep or not.
        """
        with self.fake.model.lock:
            self.fake.app.jobs.advance()
        found = self.fake.check(baseline)
        if removes:
            found = [p for p in found if not p.endswith(' is gone') and
                     not self._moved_home(p)]
        if self.arr.masking_views:
            found = [p for p in found if not EMPTY_DEFAULT_SG.search(p)]
        return found

    def _moved_home(self, problem):
        """A numbered default group a detach returned its device to.

        A detach puts the device back in a default group with room; when
        the others are full it makes the next one. Holding the device, it
        is where the volume lives now, not debris.
        """
        match = NEW_NUMBERED_SG.search(problem)
        return bool(match) and bool(self.arr.members(match.group(1)))

    # -- the interruption sweep ----------------------------------------------

    def interruption_sweep(self, op):
        """The process dies at each call; a new driver finishes the job."""
        calls = self.clean_run(op)
        for nth in range(1, len(calls) + 1):
            where = 'death at call %d of %d (%s)' % (nth, len(calls),
                                                     calls[nth - 1])
            baseline = self.fake.snapshot()
            # Each round starts as the clean run did: a new driver, with
            # nothing cached.
            self.driver = self.make_driver()
            self.driver.do_setup(self.ctx)
            inputs = op.make()
            self.fake.faults.add(nth=nth, action='die', count=None)
            self.assertRaises(fake_app.ClientDied, op.run, inputs)
            self.fake.faults.clear()
            # cinder-volume restarts: a new driver, the same array.
            self.driver = self.make_driver()
            self.driver.do_setup(self.ctx)
            self.finish(op, inputs, op.run(inputs), baseline, where)
