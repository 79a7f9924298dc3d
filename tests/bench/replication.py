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

"""Replicated create and delete, both drivers, on the same fake.

For each SRDF mode a backend with a ``replication_device`` (to the partner
array: Synchronous over RDF group ``23_24_007``, Asynchronous over
``23_24_008``, Metro over ``23_24_009``) creates ``--repeat`` volumes of a
replicated type in turn (the first protects the group, the others join
it), then deletes them: calls and latency per operation, and the leak
checker over both arrays afterwards.
"""

import traceback
import typing

from tests.bench import drivers
from tests.bench import workloads
from tests.fake_unisphere import data

REMOTE = data.POWERMAX_8000_R
OPERATIONS = (('rep_create', 'replicated create'),
              ('rep_delete', 'replicated delete'))
MODES = ('Synchronous', 'Asynchronous', 'Metro')


def _measure(env, samples, key, func) -> bool:
    try:
        _, cost = env.measure(func)
    except Exception as exc:
        cost = dict(getattr(exc, 'bench_cost', {}))
        cost['error'] = workloads.error_text(exc)
        cost['traceback'] = traceback.format_exc()[-3000:]
        samples[key].append(cost)
        return False
    samples[key].append(cost)
    return True


def run_replication(which: str, args: typing.Any,
                    mode: str = 'Synchronous') -> dict:
    samples: typing.Dict[str, list] = {key: [] for key, _ in OPERATIONS}
    env = workloads.Environment(which, args,
                                arrays=[workloads.ARRAY, REMOTE],
                                replicated=True)
    with env:
        backend = drivers.rep_backend(mode)
        objs = env.objects[backend]
        baseline = env.fake.snapshot()
        driver = drivers.started_driver(backend, objs.ctx)
        made = []
        for index in range(args.repeat):
            volume = objs.volume(name='rep%d' % index)
            if _measure(env, samples, 'rep_create', lambda: volume.update(
                    driver.create_volume(volume) or {})):
                made.append(volume)
        for volume in made:
            _measure(env, samples, 'rep_delete',
                     lambda: driver.delete_volume(volume))
        leaks = env.fake.check(baseline)
    tracebacks = {key: next(s['traceback'] for s in found
                            if 'traceback' in s)
                  for key, found in samples.items()
                  if any('traceback' in s for s in found)}
    return {'operations': {key: workloads.summarise(found)
                           for key, found in samples.items()},
            'leaks': leaks, 'tracebacks': tracebacks}


def run(which: str, args: typing.Any, results: dict) -> None:
    if 'replication' in args.only:
        results['replication'] = run_replication(which, args)
        for mode in MODES[1:]:
            results['replication_' + mode.lower()] = run_replication(
                which, args, mode)


def render(results: dict) -> typing.List[str]:
    lines = []
    for mode in MODES:
        key = 'replication' if mode == MODES[0] else \
            'replication_' + mode.lower()
        lines += _render_mode(results, key, mode)
    return lines


def _render_mode(results: dict, section: str,
                 mode: str) -> typing.List[str]:
    from tests.bench import report
    figures = {which: fig.get(section)
               for which, fig in results['drivers'].items()}
    if not any(figures.values()):
        return []
    head = '%-18s | %-8s | %-24s %6s %6s | %s' % (
        'operation', 'driver', 'calls', 'med s', 'p95 s', 'failed')
    lines = ['', 'Replicated (%s) create and delete, FC, %d volumes '
             '(calls: total (GET/POST/PUT/DELETE), medians)' % (
                 mode, results['settings']['repeat']),
             head, '-' * len(head)]
    for key, label in OPERATIONS:
        for which, name in (('ours', 'ours'), ('intree', 'in-tree')):
            op = (figures.get(which) or {}).get('operations', {}).get(
                key, {})
            lines.append('%-18s | %-8s | %-24s %6s %6s | %s' % (
                label, name, report.calls_text(op),
                report.number(op.get('median_s')),
                report.number(op.get('p95_s')),
                '%s/%s' % (op.get('failed', '-'), op.get('runs', '-'))))
    for which, fig in sorted(figures.items()):
        for key, op in sorted((fig or {}).get('operations', {}).items()):
            for error in op.get('errors', []):
                lines.append('  %s %s failed: %s' % (which, key, error))
        for leak in (fig or {}).get('leaks', []):
            lines.append('  %s %s replication leak: %s' % (
                which, mode, leak))
    return lines
