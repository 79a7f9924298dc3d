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
between it and the driver) can give; the interruption sweep makes the
client process "die" before each call and after the last (no ``except``
or ``finally`` block can reach the array any more; dying after call n is
dying before call n + 1 as far as the array and Cinder can tell). Each
run is checked:

* **outcome truth**: a success is what the arrays hold (``verify``); a
  raise leaves every device of the operation's volumes, on both arrays,
  and the device it adopts, as a fresh read showed them before
  (:func:`checks.named_state`), and nothing new (the leak check);
* **Cinder's recovery path**: what Cinder does next, as it does it: it
  re-drives the operation, or cleans up the errored record (the delete
  of an ``error`` or ``error_managing`` volume, of an errored snapshot,
  group or group snapshot); where it may do either, each fault point is
  run once for each. The recovery works at the first try and leaves the
  arrays as before the operation;
* **adopted objects**: what a manage touched still exists after the
  failure and after the clean-up, and can be managed again at once;
* **identity**: every changing request named only devices the
  operation's volumes owned when it started, devices it made, or the one
  it adopts (:class:`checks.DeviceLog`); the devices of other volumes it
  is given a record of (``others``) are left as they were.

A run that finds a defect records it (:class:`checks.Tally`), the arrays
are put back as they were before the sweep and a new driver goes on: the
sweep counts every run, and its end fails the test with what it found.
With ``SWEEP_TALLY`` set to a file name, each sweep appends its counts
there as a line of JSON.

Time is virtual: the driver's polls and back-offs advance a fake clock
that tenacity's deadlines read, so a job stuck past its deadline costs
no real time.
"""

import ast
import dataclasses
import functools
import json
import logging
import os
import re
import typing
import unittest

from cinder import exception as cinder_exception
from cinder import objects
import fixtures
import tenacity
from testtools import content

from tests.fake_unisphere import app as fake_app
from tests.fake_unisphere import errors as fake_errors
from tests.sweep import checks
from tests.unit import base

CINDER_ERRORS = (cinder_exception.CinderException,)
ANY = None
GETS = ('GET',)
CHANGES = ('PUT', 'POST')
WRITES = CHANGES + ('DELETE',)
NEW_NUMBERED_SG = re.compile(r'new storage group (OS-\S+-[0-9]+-SG)$')
EMPTY_DEFAULT_SG = re.compile(
    r'storage group (OS-(?:SRP_1|no_SLO)-\S*) is empty')
REDRIVE, CLEANUP = 'the re-drive', "Cinder's clean-up"


@dataclasses.dataclass(frozen=True)
class Fault:
    """One kind of fault: a fault rule and the requests it applies to."""

    name: str
    rule: dict
    methods: typing.Optional[tuple] = ANY

    @property
    def settled(self):
        """Whether the array has done all it will once the call failed.

        Not when a stuck job finishes once the fault is lifted, nor while
        Unisphere stays down and the driver cannot undo anything: then
        only Cinder's recovery, once the fault is gone, is judged.
        """
        return self.rule['action'] != 'stuck_job' and self.rule.get(
            'count', 1) == 1


class Point(typing.NamedTuple):
    """A fault point: where, the fault rules, how the failure is judged.

    :ivar settled: see :attr:`Fault.settled`
    :ivar death: the process dies there; a new driver recovers
    """

    where: str
    rules: list
    settled: bool = True
    death: bool = False


FAULTS = (
    Fault('500', {'action': 'error', 'status': 500}),
    Fault('503', {'action': 'error', 'status': 503}),
    Fault('401', {'action': 'error', 'status': 401}),
    Fault('404 on a GET', {'action': 'error', 'status': 404}, GETS),
    Fault('409', {'action': 'error', 'status': 409}),
    Fault('read timeout', {'action': 'timeout'}),
    Fault('dropped connection', {'action': 'drop'}),
    Fault('truncated JSON', {'action': 'truncate'}),
    Fault('answer lost', {'action': 'lose_answer'}, WRITES),
    Fault('HTML page with 200', {'action': 'html'}),
    Fault('job stuck RUNNING', {'action': 'stuck_job'}, CHANGES),
    Fault('job FAILED', {'action': 'fail_job'}, CHANGES),
    Fault('job FAILED after its change', {'action': 'fail_job_applied'},
          CHANGES),
)

# Unisphere down from this call on, until Cinder's recovery: the driver's
# own undo fails too (the outage sweeps).
OUTAGE = Fault('503 from this call on', {'action': 'error', 'status': 503,
                                         'count': None})


class VirtualClock:
    """Sleeping advances it; tenacity's deadlines read it."""

    def __init__(self):
        self.now = 1000.0

    def sleep(self, seconds):
        self.now += seconds

    def monotonic(self):
        return self.now


def _expected(test, defect):
    """``test`` marked as failing for ``defect``."""
    @functools.wraps(test)
    def known(self):
        return test(self)
    known.__doc__ = 'Known to fail: %s.' % defect
    return unittest.expectedFailure(known)


class Adoption(typing.NamedTuple):
    """What a manage operation takes over from the administrator.

    :ivar devices: ``devices(inputs)``: the (array, device id) pairs it
        adopts, which must never be deleted by a failure or a clean-up
    :ivar again: ``again(inputs)`` manages them again with new records
        (it must succeed at once) and deletes those, leaving the arrays
        as before the sweep's ``make``
    """

    devices: typing.Callable
    again: typing.Callable


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
        not debris, and nothing is compared with the state before
    :ivar owners: ``owners(inputs)``: the volumes whose devices it acts
        on (default: the volumes and snapshots' volumes in ``inputs``)
    :ivar cleanup: ``cleanup(inputs)``: Cinder's clean-up of the record
        a failure leaves in error; None when Cinder has none
    :ivar redrive: Cinder (or its operator) runs it again after a failure
    :ivar adopted: the :class:`Adoption` of a manage operation
    :ivar others: ``others(inputs)``: volumes whose devices the operation
        is given a (foreign) record of, and must leave untouched
    :ivar names: ``names(inputs)``: identifiers besides the volumes' own
        that mark their devices (an unmanaged device's bare id)
    """

    make: typing.Callable
    run: typing.Callable
    verify: typing.Optional[typing.Callable]
    undo: typing.Callable
    removes: bool = False
    owners: typing.Optional[typing.Callable] = None
    cleanup: typing.Optional[typing.Callable] = None
    redrive: bool = True
    adopted: typing.Optional[Adoption] = None
    others: typing.Optional[typing.Callable] = None
    names: typing.Optional[typing.Callable] = None


class Watch(typing.NamedTuple):
    """An operation's start: the log's mark and its devices read then."""

    mark: checks.Mark
    names: set
    adopted: list
    before: dict
    others: set
    others_before: dict


def volumes_in(inputs) -> list:
    """The Cinder volumes in an operation's inputs, snapshots' included."""
    if isinstance(inputs, objects.Volume):
        return [inputs]
    if isinstance(inputs, objects.Snapshot):
        return [inputs.volume] if inputs.obj_attr_is_set('volume') else []
    if isinstance(inputs, dict):
        inputs = list(inputs.values())
    if isinstance(inputs, (list, tuple)):
        return [v for item in inputs for v in volumes_in(item)]
    return []


def record(obj, **fields):
    """A copy of a Cinder object as Cinder's database holds it now."""
    found = obj.obj_clone()
    found.update(fields)
    return found


def errored(volume, status='deleting'):
    """The record Cinder deletes after a create that failed.

    The failed create's model update was never saved: the record has no
    location and no replication data.
    """
    return record(volume, status=status, provider_location=None,
                  replication_driver_data=None)


class SweepTestCase(base.DriverTestCase):
    """Runs the driver against the fake with a virtual clock.

    :cvar known_failures: test name -> the defect it finds until the
        defect is fixed: the test is expected to fail (and fails when it
        passes, so that the mark goes with the fix); None lifts a mark a
        base class set
    """

    faults = FAULTS
    known_failures = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, defect in cls.__dict__.get('known_failures', {}).items():
            test = getattr(cls, name)
            test = getattr(test, '__wrapped__', test)
            setattr(cls, name, _expected(test, defect) if defect else test)

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
        self.device_log = checks.DeviceLog(self.fake)
        self.tally = checks.Tally(self.id())
        self.saved = None
        # Cinder's database, as the driver reads it: the volumes made.
        self.records = {}
        self.useFixture(fixtures.MockPatch(
            'cinder.objects.Volume.get_by_id', side_effect=self.read_record))

    def volume(self, *args, **fields):
        found = super().volume(*args, **fields)
        self.records[found.id] = found
        return found

    def read_record(self, ctxt, volume_id):
        """A volume's record as Cinder's database holds it."""
        try:
            return self.records[volume_id]
        except KeyError:
            raise cinder_exception.VolumeNotFound(volume_id=volume_id)

    def exercise(self, op):
        """Every call of the operation failed with every fault."""
        self.sweep(op)

    def new_driver(self):
        """A new driver on the same arrays, as after a restart."""
        self.driver = self.make_driver()
        self.driver.do_setup(self.ctx)

    # -- the sweeps ----------------------------------------------------------

    def clean_run(self, op):
        """Run the operation once unfaulted: the methods of its calls."""
        self.saved = checks.Saved(self.fake.model)
        inputs = op.make()
        watch = self.watch(op, inputs)
        before = len(self.fake.requests)
        result = op.run(inputs)
        calls = [r.method for r in self.fake.requests[before:]]
        self.assertTrue(calls, 'the operation made no call')
        self.check_watch(watch, 'the clean run')
        # The first run may settle what the setup left (a default group
        # an attach emptied): the runs that follow compare with their own
        # start.
        self.finish(op, inputs, result, None, 'the clean run')
        return calls

    def sweep(self, op, faults=None):
        """Fail each call of ``op`` with each fault; see the module doc.

        :returns: how many fault points made the operation fail
        """
        calls = self.clean_run(op)
        failures = 0
        for fault in faults or self.faults:
            for nth, method in enumerate(calls, 1):
                if fault.methods and method not in fault.methods:
                    continue
                where = '%s on call %d of %d (%s)' % (
                    fault.name, nth, len(calls), method)
                failures += self.fault_point(op, Point(where, [dict(
                    fault.rule, nth=nth, message='injected ' + where)],
                    fault.settled))
        self.conclude()
        return failures

    def interruption_sweep(self, op):
        """The process dies at each call; a new driver recovers."""
        calls = self.clean_run(op)
        for nth, method in enumerate(calls, 1):
            where = 'death at call %d of %d (%s)' % (nth, len(calls), method)
            self.fault_point(op, Point(where, [dict(nth=nth, action='die')],
                                       False, True))
        where = 'death after call %d of %d (%s), before Cinder learns' % (
            len(calls), len(calls), calls[-1])
        self.fault_point(op, Point(where, [
            dict(nth=len(calls), action='die_after')], False, True))
        self.conclude()

    def recoveries(self, op):
        return [kind for kind, applies in ((REDRIVE, op.redrive),
                                           (CLEANUP, op.cleanup))
                if applies]

    def fault_point(self, op, point):
        """Runs at one fault point, one per recovery Cinder may use.

        The runs fail alike: the failure itself is checked in the first.

        :returns: 1 when the operation failed, else 0
        """
        for nth, recovery in enumerate(self.recoveries(op)):
            if not self.one_run(op, point, recovery, nth == 0):
                return 0
        return 1

    def one_run(self, op, point, recovery, first):
        """One faulted run, its checks and Cinder's recovery.

        :returns: True when the operation failed
        """
        self.tally.count('runs')
        found = len(self.tally.defects)
        if point.death:
            # Each round starts as the clean run did: nothing cached.
            self.new_driver()
        start = self.fake.snapshot()
        inputs = op.make()
        baseline = self.fake.snapshot()
        watch = self.watch(op, inputs)
        added = [self.fake.faults.add(**rule) for rule in point.rules]
        result, error = self.attempt(op, inputs, point)
        self.fake.faults.clear()
        if added[0].count == 1 and not point.death:
            self.assertLessEqual(added[0].hits, 1, point.where)
        if first:
            self.check_watch(watch, point.where)
        if error is None:
            self.tally.count('absorbed')
            self.finish(op, inputs, result, start, point.where,
                        lenient=not point.settled)
        else:
            if point.death:
                # cinder-volume restarts: a new driver, the same arrays.
                self.new_driver()
            if first and point.settled:
                self.check_failure(op, baseline, watch, point.where)
            if first:
                self.check_adopted(op, inputs, point.where)
            self.recover(op, recovery, inputs, start, '%s after %s' % (
                recovery, point.where))
            if len(self.tally.defects) == found:
                self.tally.count('recovered deaths' if point.death
                                 else 'clean errors')
        if len(self.tally.defects) > found:
            self.reset()
        return error is not None

    def attempt(self, op, inputs, point):
        """Run ``op`` on ``inputs``: (result, None) or (None, the error)."""
        where = point.where
        try:
            result = op.run(inputs)
        except fake_app.ClientDied as exc:
            return None, exc
        except CINDER_ERRORS as exc:
            if not str(exc):
                self.tally.found('raw exception', where,
                                 'an error without a message: %r' % exc)
            return None, exc
        except Exception as exc:
            self.tally.found('raw exception', where, '%s: %s' % (
                type(exc).__name__, exc))
            return None, exc
        if point.death:
            self.fail('the operation did not reach %s' % where)
        return result, None

    # -- the checks ----------------------------------------------------------

    def watch(self, op, inputs) -> Watch:
        """What the identity and outcome checks compare with, read now."""
        owners = (op.owners or volumes_in)(inputs)
        names = set().union(*(checks.names_of(v) for v in owners))
        names |= set(op.names(inputs) if op.names else ())
        adopted = list(op.adopted.devices(inputs)) if op.adopted else []
        others = set().union(*(checks.names_of(v) for v in (
            op.others(inputs) if op.others else ())))
        model = self.fake.model
        return Watch(self.device_log.mark(), names, adopted,
                     checks.named_state(model, names, adopted), others,
                     checks.named_state(model, others))

    def check_watch(self, watch, where):
        """Identity: only the operation's devices named, others untouched."""
        strangers = self.device_log.strangers(watch.mark, watch.names,
                                              watch.adopted)
        if strangers:
            self.tally.found('identity', where, '; '.join(strangers))
        with self.fake.model.lock:
            self.fake.app.jobs.advance()
        changed = checks.differences(watch.others_before, checks.named_state(
            self.fake.model, watch.others))
        if changed:
            self.tally.found('data loss', where, 'another volume\'s device '
                             'changed: ' + '; '.join(changed))

    def check_failure(self, op, baseline, watch, where):
        """Outcome truth of a raise: nothing new, nothing changed."""
        left = self.debris(baseline, op.removes)
        if left:
            self.tally.found('debris', where, left)
        if op.removes:
            return
        changed = checks.differences(watch.before, checks.named_state(
            self.fake.model, watch.names, watch.adopted))
        if changed:
            self.tally.found('wrong failure', where, 'it raised, yet ' +
                             '; '.join(changed))

    def check_adopted(self, op, inputs, where):
        """What a manage adopted exists still.

        :returns: False when an adopted device is gone
        """
        for sid, device in op.adopted.devices(inputs) if op.adopted else ():
            if device not in self.fake.model.arrays[sid].volumes:
                self.tally.found('data loss', where, 'the adopted device '
                                 '%s of %s is gone' % (device, sid))
                return False
        return True

    def finish(self, op, inputs, result, start, where, lenient=False):
        """Check a success on the array and undo it.

        Nothing may be left since ``start`` afterwards (unless None).

        :param lenient: empty default groups are not debris (see
            :meth:`settle`)
        """
        try:
            if op.verify:
                op.verify(inputs, result, where)
        except AssertionError as exc:
            self.tally.found('wrong success', where, exc)
        self.settle(lambda: op.undo(inputs, result), start,
                    'the undo after ' + where, lenient)

    def recover(self, op, recovery, inputs, start, where):
        """Cinder's next step after a failure, at the first try."""
        watch = self.watch(op, inputs)
        try:
            if recovery == REDRIVE:
                result = op.run(inputs)
            else:
                op.cleanup(inputs)
        except (AssertionError,) + CINDER_ERRORS as exc:
            self.check_watch(watch, where)
            kind = ('data loss' if isinstance(exc, AssertionError)
                    else 'recovery failed')
            self.tally.found(kind, where, exc)
            return
        self.check_watch(watch, where)
        if recovery == REDRIVE:
            self.finish(op, inputs, result, start, where)
            return
        kept = self.check_adopted(op, inputs, where)
        self.settle(lambda: kept and op.adopted and op.adopted.again(inputs),
                    start, where)

    def settle(self, finish, start, where, lenient=False):
        """Run ``finish`` (an undo); nothing may be left since ``start``.

        :param lenient: an operation succeeded while Unisphere went down:
            the default groups it emptied could not be removed then, and
            are the next volume of their type's to fill or remove (they
            are removed here, for the next run to start clean)
        """
        try:
            finish()
            self.after_undo(where)
        except CINDER_ERRORS as exc:
            self.tally.found('recovery failed', where, exc)
            return
        except AssertionError as exc:
            self.tally.found('data loss', where, exc)
            return
        if start is None:
            return
        left = self.debris(start)
        if lenient:
            left = self.drop_empty_defaults(left)
        if left:
            self.tally.found('debris', where, left)

    def drop_empty_defaults(self, problems):
        """Remove the empty default groups ``problems`` name.

        :returns: the other problems
        """
        empty = set()
        for problem in problems:
            match = EMPTY_DEFAULT_SG.search(problem)
            if match is None:
                continue
            array = self.fake.model.arrays[problem.partition(':')[0]]
            try:
                with self.fake.model.lock:
                    array.delete_group(match.group(1))
            except fake_errors.ArrayError:
                continue  # the array keeps it: still debris
            empty.add(match.group(1))
        return [p for p in problems if p.rpartition(' is empty')[0]
                .rpartition('storage group ')[2] not in empty and
                p.rpartition('new storage group ')[2] not in empty]

    def assertOwnLocation(self, volume, location, where=''):
        """A location a result gives names a device of ``volume``.

        :returns: the device id
        """
        found = ast.literal_eval(location)
        device = self.fake.model.arrays[found['array']].volumes.get(
            found['device_id'])
        self.assertIsNotNone(device, where)
        self.assertIn(device.identifier, checks.names_of(volume), where)
        return found['device_id']

    def after_undo(self, where):
        """More checks of the arrays once a run is undone (none here)."""

    def reset(self):
        """The arrays as before the sweep, and a new driver."""
        self.saved.restore()
        self.fake.faults.clear()
        self.new_driver()

    def conclude(self):
        """Keep the sweep's counts; fail with the defects it found."""
        self.addDetail('sweep-tally', content.text_content(
            self.tally.report(most=200)))
        path = os.environ.get('SWEEP_TALLY')
        if path:
            with open(path, 'a') as out:
                out.write(json.dumps(self.tally.summary()) + '\n')
        if self.tally.defects:
            self.fail(self.tally.report())

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
        return [p for p in found if not self.outside(p)]

    def outside(self, problem):
        """A finding about what the administrator keeps outside groups."""
        return False

    def _moved_home(self, problem):
        """A numbered default group a detach returned its device to.

        A detach puts the device back in a default group with room; when
        the others are full it makes the next one. Holding the device, it
        is where the volume lives now, not debris.
        """
        match = NEW_NUMBERED_SG.search(problem)
        return bool(match) and bool(self.arr.members(match.group(1)))


class Interrupted:
    """Mixed in before a sweep test: the process dies at each call."""

    def exercise(self, op):
        """The process dies at each call; a new driver recovers."""
        self.interruption_sweep(op)


class Outage:
    """Mixed in before a sweep test: Unisphere goes down at each call.

    It stays down until Cinder's recovery (:data:`OUTAGE`).
    """

    faults = (OUTAGE,)
