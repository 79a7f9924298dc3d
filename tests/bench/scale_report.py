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

"""Tables of the serialized-model, scaling and rollover measurements."""

import typing

from tests.bench import scale

DRIVERS = (('ours', 'ours'), ('intree', 'in-tree'))


def _num(value: typing.Optional[float], fmt: str = '%.2f') -> str:
    return '-' if value is None else fmt % value


def render(results: dict) -> typing.List[str]:
    drivers = results['drivers']
    return (_serialized(results['settings'], drivers) +
            _coalesced(drivers) + _scaling(drivers) + _rollover(drivers))


def _coalesced(drivers: dict) -> typing.List[str]:
    found = [(name, drivers[which]['coalesced']) for which, name in DRIVERS
             if 'coalesced' in drivers.get(which, {})]
    if not found:
        return []
    first = found[0][1]
    lines = ['', 'Coalesced creates: %d creates released at once into one '
             'default group; the array runs one job at a time, %.2f s each '
             '(target: all done within 4 job durations)' % (
                 first['creates'], first['job_duration_s'])]
    for name, run in found:
        sizes = run['edit_sizes']
        lines.append(
            '  %-8s %d/%d ok in %s s = %s job durations (%s), %d calls, '
            '%d volume-creating edits%s; errors %d, leaks %d' % (
                name, run['ok'], run['creates'], _num(run['wall_s']),
                _num(run['job_durations'], '%.1f'),
                'yes' if run['job_durations'] is not None and
                run['job_durations'] <= 4 and not run['errors'] else 'NO',
                run['calls'], run['edits'],
                ' of %s volumes' % '+'.join(map(str, sizes))
                if len(sizes) <= 6 else '', run['errors'],
                len(run['leaks'])))
        lines += ['    %s' % problem for problem in
                  run['error_samples'] + run['leaks']]
    return lines


def _serialized(settings: dict, drivers: dict) -> typing.List[str]:
    runs = {which: {r['workers']: r for r in fig.get('serialized', [])}
            for which, fig in drivers.items()}
    counts = sorted({w for by in runs.values() for w in by})
    if not counts:
        return []
    head = '%-8s %-8s | %6s %7s %7s %7s %8s | %6s %5s' % (
        'workers', 'driver', 'ops ok', 'ops/s', 'op p50', 'op p95',
        'wall s', 'errors', 'leaks')
    lines = ['', 'Serialized-job model: the array runs one job at a time, '
             '%.2f s each, in submission order; %s cycle(s) of create/'
             'attach/detach/delete per worker' % (
                 settings.get('serial_job_duration_s', 0),
                 settings.get('serial_cycles_per_worker', 1)),
             head, '-' * len(head)]
    for workers in counts:
        for which, name in DRIVERS:
            fig = runs.get(which, {}).get(workers)
            if fig is None:
                lines.append('%-8d %-8s | FAILED' % (workers, name))
                continue
            lines.append('%-8d %-8s | %6d %7.2f %7s %7s %8.1f | %6d %5d' % (
                workers, name, fig['ops_ok'], fig['ops_per_s'],
                _num(fig['op_p50_s']), _num(fig['op_p95_s']),
                fig['wall_s'], fig['errors'], len(fig['leaks'])))
    for workers in counts:
        for which, name in DRIVERS:
            fig = runs.get(which, {}).get(workers) or {}
            lines += ['  %s, %d workers: %s' % (name, workers, problem)
                      for problem in fig.get('error_samples', []) +
                      fig.get('leaks', [])]
    return lines


def _cell(op: dict) -> str:
    if 'calls' not in op:
        return '%-14s' % 'FAILED'
    return '%4d %9.2f' % (op['calls'], op['median_s'])


def _scaling(drivers: dict) -> typing.List[str]:
    sizes = {which: {r['devices']: r for r in fig.get('scaling', [])}
             for which, fig in drivers.items()}
    every = sorted({n for by in sizes.values() for n in by})
    if not every:
        return []
    head = '%-26s %-8s | ' % ('operation', 'driver') + ' | '.join(
        '%14s' % ('%d devices' % n) for n in every)
    lines = ['', 'Scaling: calls and median seconds per operation on an '
             'array already holding N devices (N/10 attached hosts, each '
             'with its view)', head, '-' * len(head)]
    for key, label in scale.SCALE_OPERATIONS:
        for which, name in DRIVERS:
            by = sizes.get(which, {})
            lines.append('%-26s %-8s | ' % (label, name) + ' | '.join(
                _cell(by.get(n, {}).get('operations', {}).get(key, {}))
                for n in every))
    for which, by in sorted(sizes.items()):
        for n, run in sorted(by.items()):
            for key, op in run['operations'].items():
                for error in op.get('errors', []):
                    lines.append('  %s, %d devices, %s: %s' % (
                        which, n, key, error))
            for leak in run['leaks']:
                lines.append('  %s, %d devices, leak: %s' % (which, n, leak))
    return lines


def _rollover(drivers: dict) -> typing.List[str]:
    found = [(name, drivers[which]['rollover']) for which, name in DRIVERS
             if 'rollover' in drivers.get(which, {})]
    if not found:
        return []
    lines = ['', 'Rollover: one create when %s already holds %d devices '
             '(the most a storage group holds)' % (
                 scale.FULL_GROUP, found[0][1]['devices_before'])]
    for name, run in found:
        if run.get('ok'):
            lines.append('  %-8s created in %.2f s, %d calls; new groups: '
                         '%s' % (name, run['seconds'], run['total'],
                                 ', '.join(run['new_groups']) or 'none'))
        else:
            lines.append('  %-8s FAILED after %s s, %s calls: %s' % (
                name, _num(run.get('seconds')), run.get('total', '-'),
                run.get('error')))
    return lines
