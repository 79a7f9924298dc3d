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

"""The measurements of one driver, run inside its own process.

Per protocol, a fresh fake Unisphere with the latency model switched on
and, ``repeat`` times, one pass through the operations of a volume's life
(:data:`OPERATIONS`), each timed and its REST calls counted from the
fake's request log. Then the concurrent workload: N workers sharing one
driver, each doing create, attach, detach and delete on a shared set of
hosts, with the leak checker's verdict at the end.
"""

import collections
import contextlib
import tempfile
import threading
import time
import traceback
import typing
from unittest import mock

from cinder import coordination
from cinder import objects
from oslo_config import cfg

from tests.bench import drivers
from tests.fake_unisphere import data
from tests.fake_unisphere import fixture as fake_fixture

CONF = cfg.CONF
ARRAY = data.POWERMAX_8000
JOB_PATH = '/system/job/'

# (key, label) in the order one pass runs them.
OPERATIONS = (
    ('setup', 'driver setup'),
    ('stats', 'stats refresh'),
    ('create', 'create'),
    ('snapshot', 'snapshot'),
    ('from_snapshot', 'volume from snapshot'),
    ('clone', 'clone'),
    ('extend', 'extend'),
    ('first_attach', 'first attach of a host'),
    ('attach', 'further attach'),
    ('detach', 'detach'),
    ('last_detach', 'last detach'),
    ('delete_snapshot', 'delete snapshot'),
    ('delete', 'delete'),
)


def percentile(values: typing.Sequence[float], pct: float
               ) -> typing.Optional[float]:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(round(pct / 100.0 * len(ordered) + 0.499999)))
    return ordered[min(rank, len(ordered)) - 1]


def error_text(exc: BaseException) -> str:
    text = '%s: %s' % (type(exc).__name__, exc)
    return ' '.join(text.split())[:400]


class Counter:
    """REST calls of a slice of the fake's request log."""

    def __init__(self, log: list) -> None:
        self.log = log
        self.mark = len(log)

    def counts(self) -> dict:
        records = self.log[self.mark:]
        by_method = collections.Counter(r.method for r in records)
        return {'total': len(records),
                'by_method': dict(sorted(by_method.items())),
                'job_polls': sum(1 for r in records if r.method == 'GET'
                                 and JOB_PATH in r.path),
                'jobs': sum(1 for r in records if r.status == 202),
                'errors': sum(1 for r in records if r.status is None
                              or r.status >= 400)}


class Environment:
    """A fresh fake Unisphere with the latency model, the DB seams."""

    def __init__(self, which: str, args: typing.Any,
                 job_duration: typing.Optional[float] = None,
                 job_concurrency: typing.Optional[int] = None,
                 arrays: typing.Optional[list] = None,
                 replicated: bool = False) -> None:
        self.arrays = arrays or [ARRAY]
        self.replicated = replicated
        self.which = which
        self.args = args
        self.job_duration = (args.job_duration if job_duration is None
                             else job_duration)
        self.job_concurrency = job_concurrency

    def __enter__(self) -> 'Environment':
        self.stack = contextlib.ExitStack()
        self.fake = fake_fixture.FakeUnisphereFixture(
            arrays=self.arrays, endpoints=[drivers.ENDPOINT],
            username=drivers.USER, password=drivers.PASSWORD)
        self.fake.setUp()
        self.stack.callback(self.fake.cleanUp)
        self.fake.latency.request_delay = self.args.request_delay
        self.fake.latency.job_duration = self.job_duration
        self.fake.latency.job_concurrency = self.job_concurrency
        self.objects = {p: drivers.Objects(p, ARRAY)
                        for p in drivers.BACKENDS}
        if self.replicated:
            for backend in drivers.REP_BACKENDS:
                self.objects[backend] = drivers.Objects(backend, ARRAY)
        for target, replacement in drivers.db_seams(
                self.which, [o.vtype for o in self.objects.values()]):
            self.stack.enter_context(mock.patch(target, replacement))
        return self

    def __exit__(self, *exc_info: typing.Any) -> None:
        self.stack.close()

    def measure(self, func: typing.Callable[[], typing.Any]
                ) -> typing.Tuple[typing.Any, dict]:
        """Run ``func``; its result and what it cost (raises on failure)."""
        counter = Counter(self.fake.requests)
        start = time.monotonic()
        try:
            result = func()
        except Exception as exc:
            cost = counter.counts()
            cost['seconds'] = time.monotonic() - start
            exc.bench_cost = cost
            raise
        cost = counter.counts()
        cost['seconds'] = time.monotonic() - start
        return result, cost


# -- one pass through a volume's life -----------------------------------------

class Pass:
    """The operations of one pass; each needs what earlier ones made."""

    def __init__(self, env: Environment, protocol: str, index: int) -> None:
        self.env = env
        self.protocol = protocol
        self.objs = env.objects[protocol]
        self.connector = drivers.connector(protocol, 1000 + index)
        env.fake.model.log_in_connector(self.connector)
        self.driver = None
        self.made: dict = {}

    def run(self, key: str) -> None:
        getattr(self, 'op_' + key)()

    def op_setup(self) -> None:
        driver = drivers.started_driver(self.protocol, self.objs.ctx)
        self.driver = driver

    def op_stats(self) -> None:
        self.driver.get_volume_stats(refresh=True)

    def _create(self, key: str, make: typing.Callable, *args) -> None:
        volume = self.objs.volume(name=key)
        update = make(volume, *args)
        if update:
            volume.update(update)
        self.made[key] = volume

    def op_create(self) -> None:
        self._create('volume', self.driver.create_volume)

    def op_snapshot(self) -> None:
        snap = self.objs.snapshot(self.made['volume'])
        update = self.driver.create_snapshot(snap)
        if update:
            snap.update(update)
        self.made['snapshot'] = snap

    def op_from_snapshot(self) -> None:
        self._create('from_snapshot', self.driver.create_volume_from_snapshot,
                     self.made['snapshot'])

    def op_clone(self) -> None:
        self._create('clone', self.driver.create_cloned_volume,
                     self.made['volume'])

    def op_extend(self) -> None:
        volume = self.made['volume']
        self.driver.extend_volume(volume, volume.size + 1)
        volume.size += 1

    def _attach(self, key: str) -> None:
        volume = self.made[key]
        self.driver.initialize_connection(volume, self.connector)
        self.made['attached_' + key] = volume

    def _detach(self, key: str) -> None:
        volume = self.made['attached_' + key]
        self.driver.terminate_connection(volume, self.connector)
        del self.made['attached_' + key]

    def op_first_attach(self) -> None:
        self._attach('volume')

    def op_attach(self) -> None:
        self._attach('from_snapshot')

    def op_detach(self) -> None:
        self._detach('from_snapshot')

    def op_last_detach(self) -> None:
        self._detach('volume')

    def op_delete_snapshot(self) -> None:
        self.driver.delete_snapshot(self.made.pop('snapshot'))

    def op_delete(self) -> None:
        self.driver.delete_volume(self.made.pop('volume'))

    def cleanup(self) -> typing.List[str]:
        """Undo what failed operations left; the errors it meets."""
        errors = []
        if self.driver is None:
            return errors
        steps = []
        for key in ('volume', 'from_snapshot'):
            if 'attached_' + key in self.made:
                steps.append(lambda k=key: self._detach(k))
        if 'snapshot' in self.made:
            steps.append(lambda: self.driver.delete_snapshot(
                self.made.pop('snapshot')))
        for key in ('from_snapshot', 'clone', 'volume'):
            if key in self.made:
                steps.append(lambda k=key: self.driver.delete_volume(
                    self.made.pop(k)))
        for cleanup_step in steps:
            try:
                cleanup_step()
            except Exception as exc:
                errors.append(error_text(exc))
        return errors


def summarise(samples: typing.List[dict]) -> dict:
    """Median calls and median/p95 time of the successful samples."""
    good = [s for s in samples if 'error' not in s]
    failed = [s for s in samples if 'error' in s]
    result = {'runs': len(samples), 'ok': len(good),
              'failed': len(failed),
              'errors': sorted({s['error'] for s in failed})}
    if good:
        def median_of(values):
            return percentile(values, 50)
        methods = sorted({m for s in good for m in s['by_method']})
        result.update(
            calls=median_of([s['total'] for s in good]),
            by_method={m: median_of([s['by_method'].get(m, 0)
                                     for s in good]) for m in methods},
            job_polls=median_of([s['job_polls'] for s in good]),
            jobs=median_of([s['jobs'] for s in good]),
            median_s=median_of([s['seconds'] for s in good]),
            p95_s=percentile([s['seconds'] for s in good], 95))
    return result


def run_operations(which: str, protocol: str, args: typing.Any) -> dict:
    """``args.repeat`` passes; per operation the summary of its samples."""
    samples: typing.Dict[str, list] = {key: [] for key, _ in OPERATIONS}
    cleanup_errors = []
    with Environment(which, args) as env:
        baseline = env.fake.snapshot()
        for index in range(args.repeat):
            one = Pass(env, protocol, index)
            failed = None
            for key, _label in OPERATIONS:
                if failed is not None:
                    samples[key].append({'error': 'not run: %s failed' %
                                         failed})
                    continue
                try:
                    _, cost = env.measure(lambda: one.run(key))
                except Exception as exc:
                    cost = dict(getattr(exc, 'bench_cost', {}))
                    cost['error'] = error_text(exc)
                    cost['traceback'] = traceback.format_exc()[-3000:]
                    samples[key].append(cost)
                    failed = key
                    continue
                samples[key].append(cost)
            cleanup_errors += one.cleanup()
        leaks = env.fake.check(baseline)
    report = {key: summarise(samples[key]) for key, _ in OPERATIONS}
    tracebacks = {key: next(s['traceback'] for s in samples[key]
                            if 'traceback' in s)
                  for key in samples
                  if any('traceback' in s for s in samples[key])}
    return {'operations': report, 'cleanup_errors': cleanup_errors,
            'leaks': leaks, 'tracebacks': tracebacks}


# -- the concurrent workload --------------------------------------------------

CYCLE = ('create', 'attach', 'detach', 'delete')


def run_concurrent(which: str, protocol: str, workers: int,
                   args: typing.Any, cycles: typing.Optional[int] = None,
                   env: typing.Optional[Environment] = None) -> dict:
    """``workers`` threads, ``cycles`` (or ``args.cycles``) each."""
    cycles = args.cycles if cycles is None else cycles
    with (env or Environment(which, args)) as env:
        objs = env.objects[protocol]
        baseline = env.fake.snapshot()
        driver = drivers.started_driver(protocol, objs.ctx)
        hosts = [drivers.connector(protocol, n) for n in range(args.hosts)]
        for host in hosts:
            env.fake.model.log_in_connector(host)
        lock = threading.Lock()
        op_times: typing.Dict[str, list] = {op: [] for op in CYCLE}
        cycle_times: list = []
        errors: list = []
        done = [0]
        start_gate = threading.Barrier(workers)
        mark = len(env.fake.requests)

        def cycle(worker: int, number: int) -> None:
            connector = hosts[(worker + number) % len(hosts)]
            volume = objs.volume(name='w%d-%d' % (worker, number))
            state = {'created': False, 'attached': False}
            steps = [
                ('create', lambda: volume.update(
                    driver.create_volume(volume) or {})),
                ('attach', lambda: driver.initialize_connection(
                    volume, connector)),
                ('detach', lambda: driver.terminate_connection(
                    volume, connector)),
                ('delete', lambda: driver.delete_volume(volume)),
            ]
            began = time.monotonic()
            for op, func in steps:
                t0 = time.monotonic()
                try:
                    func()
                except Exception as exc:
                    with lock:
                        errors.append('%s: %s' % (op, error_text(exc)))
                    undo(volume, connector, state)
                    return
                with lock:
                    op_times[op].append(time.monotonic() - t0)
                    done[0] += 1
                state['created'] = op in ('create', 'attach', 'detach')
                state['attached'] = op == 'attach'
            with lock:
                cycle_times.append(time.monotonic() - began)

        def undo(volume, connector, state):
            try:
                if state['attached']:
                    driver.terminate_connection(volume, connector)
                if state['created']:
                    driver.delete_volume(volume)
            except Exception as exc:
                with lock:
                    errors.append('cleanup: %s' % error_text(exc))

        def worker_main(worker: int) -> None:
            start_gate.wait()
            for number in range(cycles):
                cycle(worker, number)

        threads = [threading.Thread(target=worker_main, args=(w,),
                                    daemon=True) for w in range(workers)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
        requests = len(env.fake.requests) - mark
        leaks = env.fake.check(baseline)
    every = [t for times in op_times.values() for t in times]
    return {
        'workers': workers, 'cycles': workers * cycles,
        'hosts': args.hosts, 'wall_s': wall,
        'ops_ok': done[0], 'ops_per_s': done[0] / wall if wall else 0.0,
        'cycles_ok': len(cycle_times),
        'op_p50_s': percentile(every, 50), 'op_p95_s': percentile(every, 95),
        'op_max_s': max(every) if every else None,
        'per_op_p50_s': {op: percentile(t, 50) for op, t in op_times.items()},
        'per_op_p95_s': {op: percentile(t, 95) for op, t in op_times.items()},
        'cycle_p50_s': percentile(cycle_times, 50),
        'cycle_p95_s': percentile(cycle_times, 95),
        'requests': requests, 'errors': len(errors),
        'error_samples': sorted(set(errors))[:10], 'leaks': leaks,
    }


# -- the whole run of one driver -------------------------------------------

def run(which: str, args: typing.Any) -> dict:
    """Every measurement of one driver (this process loads only it)."""
    objects.register_all()
    results = {'driver': which, 'protocols': {}, 'concurrent': []}
    with tempfile.TemporaryDirectory() as workdir:
        conf_path = drivers.write_conf(workdir, which, ARRAY)
        CONF(['--config-file', conf_path], project='cinder')
        CONF.set_override('backend_url', 'file://' + workdir,
                          group='coordination')
        coordination.COORDINATOR.start()
        try:
            for protocol in (args.protocols if 'operations' in args.only
                             else ()):
                results['protocols'][protocol] = run_operations(
                    which, protocol, args)
            if args.concurrent_protocol and 'concurrent' in args.only:
                for workers in args.workers:
                    results['concurrent'].append(run_concurrent(
                        which, args.concurrent_protocol, workers, args))
            from tests.bench import scale
            scale.run(which, args, results)
            from tests.bench import groupbench
            groupbench.run(which, args, results)
            from tests.bench import replication
            replication.run(which, args, results)
            from tests.bench import storm
            storm.run(which, args, results)
        finally:
            coordination.COORDINATOR.stop()
    return results
