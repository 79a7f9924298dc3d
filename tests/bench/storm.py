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

"""What a cloud does to a driver on a Monday morning, run in its process.

* bootstorm: ``--storm-volumes`` (100) instances booted at once from one
  image: each clones the image-cache volume and attaches its clone, one
  per instance, across ``--storm-hosts`` (25) compute hosts, all released
  together by a barrier, the array running one job at a time
  (``--storm-job-duration`` each). Then every clone is detached and
  deleted, together again, and the leak checker compares the array with
  the one before.
* failover: ``--failover-volumes`` (1,000) Synchronous replicated volumes
  (pairs made directly in the fake) failed over with ``failover_host``
  and failed back with ``default``, each timed and its calls counted; the
  pair states afterwards and the leak checker judge the outcome.
"""

import ast
from concurrent import futures
import threading
import time
import traceback
import typing

from tests.bench import drivers
from tests.bench import workloads
from tests.fake_unisphere import data
from tests.fake_unisphere import populate_srdf

REMOTE = data.POWERMAX_8000_R
RDF_GROUP = 7


# -- the boot storm -----------------------------------------------------------

class _Storm:
    """Clones attached by many workers at once, on one driver."""

    def __init__(self, env, driver, objs, hosts, source):
        self.env, self.driver, self.objs = env, driver, objs
        self.hosts, self.source = hosts, source
        self.lock = threading.Lock()
        self.errors: list = []
        self.attached: list = []

    def boot(self, index: int, gate: threading.Barrier) -> None:
        volume = self.objs.volume(name='boot-%03d' % index)
        volume.source_volid = self.source.id
        connector = self.hosts[index % len(self.hosts)]
        gate.wait()
        try:
            volume.update(self.driver.create_cloned_volume(
                volume, self.source) or {})
        except Exception as exc:
            self._failed('clone', exc)
            return
        try:
            self.driver.initialize_connection(volume, connector)
        except Exception as exc:
            self._failed('attach', exc)
            self._quietly(self.driver.delete_volume, volume)
            return
        with self.lock:
            self.attached.append((time.monotonic(), volume, connector))

    def release(self, volume, connector) -> None:
        try:
            self.driver.terminate_connection(volume, connector)
            self.driver.delete_volume(volume)
        except Exception as exc:
            self._failed('release', exc)

    def _failed(self, step, exc):
        with self.lock:
            self.errors.append('%s: %s' % (step, workloads.error_text(exc)))

    def _quietly(self, func, *args):
        try:
            func(*args)
        except Exception as exc:
            self._failed('cleanup', exc)


def _all_at_once(func, items, workers):
    gate = threading.Barrier(len(items) + 1)
    with futures.ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(func, item, gate) for item in items]
        gate.wait()
        start = time.monotonic()
        for job in jobs:
            job.result()
    return start


def run_boot_storm(which: str, protocol: str, args: typing.Any) -> dict:
    count, duration = args.storm_volumes, args.storm_job_duration
    with workloads.Environment(which, args, duration,
                               job_concurrency=1) as env:
        objs = env.objects[protocol]
        baseline = env.fake.snapshot()
        driver = drivers.started_driver(protocol, objs.ctx)
        source = objs.volume(name='image-cache')
        source.update(driver.create_volume(source) or {})
        hosts = [drivers.connector(protocol, 500 + n)
                 for n in range(args.storm_hosts)]
        for host in hosts:
            env.fake.model.log_in_connector(host)
        storm = _Storm(env, driver, objs, hosts, source)
        mark = len(env.fake.requests)
        start = _all_at_once(storm.boot, list(range(count)), count)
        requests = env.fake.requests[mark:]
        booted = len(storm.attached)
        last = max((t for t, _v, _c in storm.attached), default=None)
        mark = len(env.fake.requests)
        began = time.monotonic()
        with futures.ThreadPoolExecutor(max_workers=count) as pool:
            for _t, volume, connector in storm.attached:
                pool.submit(storm.release, volume, connector)
        release_s = time.monotonic() - began
        release_calls = len(env.fake.requests) - mark
        storm._quietly(driver.delete_volume, source)
        leaks = env.fake.check(baseline)
    wall = (last - start) if last is not None else None
    return {
        'volumes': count, 'hosts': args.storm_hosts,
        'job_duration_s': duration, 'booted': booted,
        'wall_s': wall,
        'job_durations': wall / duration if wall is not None else None,
        'calls': len(requests),
        'calls_per_volume': len(requests) / count,
        'jobs': sum(1 for r in requests if r.status == 202),
        'job_polls': sum(1 for r in requests if r.method == 'GET' and
                         workloads.JOB_PATH in r.path),
        'release_s': release_s, 'release_calls': release_calls,
        'errors': len(storm.errors),
        'error_samples': sorted(set(storm.errors))[:5], 'leaks': leaks}


# -- failover at scale --------------------------------------------------------

def _replicated_volumes(env, objs, count):
    """Cinder volumes of pairs made in the fake, as Cinder records them."""
    volumes = [objs.volume(name='rep-%04d' % n) for n in range(count)]
    pairs = populate_srdf.populate_pairs(
        env.fake.model, workloads.ARRAY, RDF_GROUP,
        ['OS-%s' % v.id for v in volumes])
    for volume, (r1, r2) in zip(volumes, pairs):
        volume.provider_location = str({'device_id': r1,
                                        'array': workloads.ARRAY})
        volume.replication_driver_data = str({'device_id': r2,
                                              'array': REMOTE})
        volume.replication_status = 'enabled'
        volume.obj_reset_changes()
    return volumes


def _apply(volumes, updates) -> typing.Tuple[int, dict]:
    """Apply a failover's volume updates; (volumes moved, statuses)."""
    by_id = {v.id: v for v in volumes}
    statuses: dict = {}
    moved = 0
    for update in updates or ():
        changes = dict(update.get('updates') or {})
        volume = by_id.get(update.get('volume_id'))
        if volume is None:
            continue
        status = changes.get('replication_status', changes.get('status'))
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if 'provider_location' in changes:
            moved += 1
        for key in ('provider_location', 'replication_driver_data',
                    'replication_status'):
            if key in changes:
                setattr(volume, key, changes[key])
    return moved, statuses


def _pair_states(env, volumes) -> dict:
    array = env.fake.model.arrays[workloads.ARRAY]
    states: dict = {}
    with env.fake.model.lock:
        for volume in volumes:
            location = ast.literal_eval(volume.provider_location)
            here = env.fake.model.arrays[location['array']]
            pair = here.pair_of(location['device_id']) or \
                array.pair_of(location['device_id'])
            key = '%s, R1 on %s' % (pair.state, pair.r1_sid) if pair \
                else 'unpaired'
            states[key] = states.get(key, 0) + 1
    return states


def _failover_step(env, driver, objs, volumes, secondary):
    result = {'secondary_id': secondary}
    try:
        (backend, updates, _groups), cost = env.measure(
            lambda: driver.failover_host(objs.ctx, volumes, secondary, []))
    except Exception as exc:
        result.update(getattr(exc, 'bench_cost', {}), ok=False,
                      error=workloads.error_text(exc),
                      traceback=traceback.format_exc()[-2000:])
        return result, False
    moved, statuses = _apply(volumes, updates)
    result.update(cost, ok=True, backend_id=backend, moved=moved,
                  statuses=statuses, pairs=_pair_states(env, volumes))
    return result, True


def run_failover_scale(which: str, args: typing.Any) -> dict:
    count = args.failover_volumes
    env = workloads.Environment(which, args,
                                arrays=[workloads.ARRAY, REMOTE],
                                replicated=True)
    with env:
        objs = env.objects[drivers.REP_BACKEND]
        volumes = _replicated_volumes(env, objs, count)
        made = env.fake.snapshot()
        driver = drivers.started_driver(drivers.REP_BACKEND, objs.ctx)
        steps = []
        over, ok = _failover_step(env, driver, objs, volumes, None)
        steps.append(('failover', over))
        if ok:
            back, _ok = _failover_step(env, driver, objs, volumes,
                                       'default')
            steps.append(('failback', back))
        leaks = env.fake.check(made)
    return {'volumes': count, 'steps': dict(steps), 'leaks': leaks}


def run(which: str, args: typing.Any, results: dict) -> None:
    protocol = args.concurrent_protocol or 'FC'
    if 'bootstorm' in args.only:
        results['bootstorm'] = run_boot_storm(which, protocol, args)
    if 'failover' in args.only:
        results['failover_scale'] = run_failover_scale(which, args)


# -- the report ---------------------------------------------------------------

def render(results: dict) -> typing.List[str]:
    figures = {which: fig for which, fig in results['drivers'].items()}
    return _storm_lines(figures) + _failover_lines(figures)


def _num(value, fmt='%.1f'):
    return '-' if value is None else fmt % value


def _storm_lines(figures) -> typing.List[str]:
    runs = {w: f.get('bootstorm') for w, f in figures.items()
            if f.get('bootstorm')}
    if not runs:
        return []
    first = next(iter(runs.values()))
    lines = ['', 'Boot storm: %d clones of one image-cache volume attached '
             'across %d hosts, released together; the array runs one job '
             'at a time, %.2f s each' % (first['volumes'], first['hosts'],
                                         first['job_duration_s']),
             '%-8s | %6s %8s %9s | %9s %7s %5s | %6s %5s | %s' % (
                 'driver', 'booted', 'wall s', 'job durs', 'calls/vol',
                 'jobs', 'polls', 'errors', 'leaks', 'release (s, calls)')]
    lines.append('-' * len(lines[-1]))
    for which, name in (('ours', 'ours'), ('intree', 'in-tree')):
        run = runs.get(which)
        if run is None:
            continue
        lines.append('%-8s | %6s %8s %9s | %9s %7d %5d | %6d %5d | %s, %d' % (
            name, '%d/%d' % (run['booted'], run['volumes']),
            _num(run['wall_s']), _num(run['job_durations']),
            _num(run['calls_per_volume']), run['jobs'], run['job_polls'],
            run['errors'], len(run['leaks']), _num(run['release_s']),
            run['release_calls']))
    for which, run in sorted(runs.items()):
        lines += ['  %s: %s' % (which, e) for e in run['error_samples']]
        lines += ['  %s leak: %s' % (which, e) for e in run['leaks'][:5]]
    return lines


def _failover_lines(figures) -> typing.List[str]:
    runs = {w: f.get('failover_scale') for w, f in figures.items()
            if f.get('failover_scale')}
    if not runs:
        return []
    first = next(iter(runs.values()))
    lines = ['', 'Failover at scale: %d Synchronous replicated volumes, '
             'failover_host then failback (default)' % first['volumes'],
             '%-9s %-8s | %-26s %8s | %-6s %s' % (
                 'step', 'driver', 'calls', 'seconds', 'moved',
                 'pair states afterwards')]
    lines.append('-' * len(lines[-1]))
    for step in ('failover', 'failback'):
        for which, name in (('ours', 'ours'), ('intree', 'in-tree')):
            found = (runs.get(which) or {}).get('steps', {}).get(step)
            if found is None:
                continue
            if not found.get('ok'):
                lines.append('%-9s %-8s | FAILED after %s calls, %s s: %s' % (
                    step, name, found.get('total', '-'),
                    _num(found.get('seconds')), found.get('error')))
                continue
            methods = found['by_method']
            lines.append('%-9s %-8s | %-26s %8s | %-6d %s' % (
                step, name, '%d (%s)' % (found['total'], '/'.join(
                    str(methods.get(m, 0)) for m in (
                        'GET', 'POST', 'PUT', 'DELETE'))),
                _num(found['seconds'], '%.2f'), found['moved'],
                ', '.join('%d %s' % (n, s) for s, n in sorted(
                    found['pairs'].items()))))
    for which, run in sorted(runs.items()):
        lines += ['  %s leak: %s' % (which, e) for e in run['leaks'][:5]]
    return lines
