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

"""The side-by-side table, the ratios and the targets of the issue."""

import os
import platform
import typing

from tests.bench import workloads

METHODS = ('GET', 'POST', 'PUT', 'DELETE')
ROUND_TRIPS = 5  # "a few round trips" of the latency target
CALL_RATIO = 1 / 3.0  # at most a third of the in-tree REST calls
THROUGHPUT_RATIO = 2.5  # at 16 workers, at least 2.5x the in-tree


def machine() -> dict:
    try:
        import cinder.version
        cinder_version = cinder.version.version_info.version_string()
    except Exception:  # pragma: no cover - only a label
        cinder_version = 'unknown'
    return {'cpus': os.cpu_count(), 'python': platform.python_version(),
            'platform': platform.platform(), 'cinder': cinder_version}


def ratio(ours: typing.Optional[float], theirs: typing.Optional[float]
          ) -> typing.Optional[float]:
    if ours is None or not theirs:
        return None
    return ours / theirs


def _num(value: typing.Optional[float], fmt: str = '%.2f') -> str:
    return '-' if value is None else fmt % value


def calls_text(op: dict) -> str:
    return _calls(op)


def number(value: typing.Optional[float]) -> str:
    return _num(value)


def _calls(op: dict) -> str:
    if 'calls' not in op:
        return 'FAILED'
    methods = op.get('by_method', {})
    return '%d (%s)' % (op['calls'], '/'.join(
        '%d' % methods.get(m, 0) for m in METHODS))


def compare_operations(ours: dict, theirs: dict, settings: dict) -> dict:
    """Per operation: ratios and the verdict on the targets."""
    out = {}
    for key, _label in workloads.OPERATIONS:
        mine, base = ours.get(key, {}), theirs.get(key, {})
        calls = ratio(mine.get('calls'), base.get('calls'))
        bound = None
        if 'median_s' in mine:
            bound = (mine['jobs'] * settings['job_duration_s'] +
                     ROUND_TRIPS * settings['request_delay_s'])
        out[key] = {
            'calls_ratio': calls,
            'median_ratio': ratio(mine.get('median_s'),
                                  base.get('median_s')),
            'p95_ratio': ratio(mine.get('p95_s'), base.get('p95_s')),
            'calls_target_met': (None if calls is None
                                 else calls <= CALL_RATIO + 1e-9),
            'latency_bound_s': bound,
            'latency_target_met': (None if bound is None
                                   else mine['median_s'] <= bound),
        }
    return out


def compare_concurrent(ours: list, theirs: list) -> list:
    by_workers = {run['workers']: run for run in theirs}
    out = []
    for run in ours:
        base = by_workers.get(run['workers'], {})
        throughput = ratio(run['ops_per_s'], base.get('ops_per_s'))
        out.append({
            'workers': run['workers'], 'throughput_ratio': throughput,
            'op_p50_ratio': ratio(run['op_p50_s'], base.get('op_p50_s')),
            'op_p95_ratio': ratio(run['op_p95_s'], base.get('op_p95_s')),
            'target_met': (None if throughput is None else (
                throughput >= THROUGHPUT_RATIO and not run['errors'] and
                not run['leaks'])) if run['workers'] == 16 else None,
        })
    return out


def add_comparison(results: dict) -> None:
    """Add ``results['comparison']`` from both drivers' figures."""
    ours = results['drivers'].get('ours', {})
    theirs = results['drivers'].get('intree', {})
    comparison = {'protocols': {}, 'concurrent': []}
    for protocol, figures in ours.get('protocols', {}).items():
        base = theirs.get('protocols', {}).get(protocol, {})
        comparison['protocols'][protocol] = compare_operations(
            figures['operations'], base.get('operations', {}),
            results['settings'])
    comparison['concurrent'] = compare_concurrent(
        ours.get('concurrent', []), theirs.get('concurrent', []))
    results['comparison'] = comparison


def _verdict(value: typing.Optional[bool]) -> str:
    return {True: 'yes', False: 'NO', None: '-'}[value]


def render(results: dict) -> str:
    """The human table."""
    add_comparison(results)
    settings = results['settings']
    lines = [
        '',
        'Benchmark: this driver ("ours") and the in-tree PowerMax driver '
        'against the fake Unisphere',
        'latency model: %.0f ms per request, %.2f s per asynchronous job; '
        'interval = 1 s; %d passes per protocol' % (
            settings['request_delay_s'] * 1000,
            settings['job_duration_s'], settings['repeat']),
        'machine: %(cpus)s CPUs, Python %(python)s, cinder %(cinder)s, '
        '%(platform)s' % results['machine'],
    ]
    failed = {which: fig['failed'] for which, fig in
              results['drivers'].items() if 'failed' in fig}
    for which, why in sorted(failed.items()):
        lines.append('THE %s RUN FAILED: %s' % (which.upper(), why))
    ours = results['drivers'].get('ours', {})
    theirs = results['drivers'].get('intree', {})
    only = settings.get('only', ('operations',))
    for protocol in (settings['protocols'] if 'operations' in only
                     else ()):
        mine = ours.get('protocols', {}).get(protocol, {})
        base = theirs.get('protocols', {}).get(protocol, {})
        comp = results['comparison']['protocols'].get(protocol, {})
        lines += _operations_table(protocol, mine, base, comp)
    lines += _concurrent_table(ours.get('concurrent', []),
                               theirs.get('concurrent', []),
                               results['comparison']['concurrent'])
    lines += scale_tables(results)
    from tests.bench import groupbench
    lines += groupbench.render(results)
    from tests.bench import replication
    lines += replication.render(results)
    from tests.bench import storm
    lines += storm.render(results)
    lines += _problems(results)
    return '\n'.join(lines)


def _operations_table(protocol: str, mine: dict, base: dict,
                      comp: dict) -> typing.List[str]:
    head = ('%-24s | %-18s %5s %6s %6s | %-18s %5s %6s %6s | %6s %6s | '
            '%-5s %-5s' % (
                'operation', 'ours calls', 'polls', 'med s', 'p95 s',
                'in-tree calls', 'polls', 'med s', 'p95 s', 'calls',
                'med', '<=1/3', 'lat'))
    lines = ['', '%s per operation (calls: total (GET/POST/PUT/DELETE), '
             'medians; ratios ours/in-tree; targets met?)' % protocol,
             head, '-' * len(head)]
    mops, bops = mine.get('operations', {}), base.get('operations', {})
    for key, label in workloads.OPERATIONS:
        m, b, c = mops.get(key, {}), bops.get(key, {}), comp.get(key, {})
        lines.append(
            '%-24s | %-18s %5s %6s %6s | %-18s %5s %6s %6s | %6s %6s | '
            '%-5s %-5s' % (
                label, _calls(m), _num(m.get('job_polls'), '%d'),
                _num(m.get('median_s')), _num(m.get('p95_s')), _calls(b),
                _num(b.get('job_polls'), '%d'), _num(b.get('median_s')),
                _num(b.get('p95_s')), _num(c.get('calls_ratio')),
                _num(c.get('median_ratio')),
                _verdict(c.get('calls_target_met')),
                _verdict(c.get('latency_target_met'))))
    return lines


def _concurrent_table(mine: list, base: list, comp: list
                      ) -> typing.List[str]:
    if not mine and not base:
        return []
    head = ('%-8s %-8s | %6s %7s %7s %7s %8s %8s | %6s %5s | %s' % (
        'workers', 'driver', 'ops ok', 'ops/s', 'op p50', 'op p95',
        'cyc p50', 'cyc p95', 'errors', 'leaks', 'throughput ratio'))
    lines = ['', 'Concurrent create/attach/detach/delete (op latencies in '
             's; ratio ours/in-tree)', head, '-' * len(head)]
    by_workers = {run['workers']: run for run in base}
    comp_by = {c['workers']: c for c in comp}
    for run in mine:
        other = by_workers.get(run['workers'])
        c = comp_by.get(run['workers'], {})
        for name, fig in (('ours', run), ('in-tree', other)):
            if fig is None:
                lines.append('%-8d %-8s | FAILED' % (run['workers'], name))
                continue
            extra = ''
            if name == 'ours':
                extra = _num(c.get('throughput_ratio'))
                if c.get('target_met') is not None:
                    extra += ' (target >= %.1f, no errors, no leaks: %s)' % (
                        THROUGHPUT_RATIO, _verdict(c['target_met']))
            lines.append(
                '%-8d %-8s | %6d %7.2f %7s %7s %8s %8s | %6d %5d | %s' % (
                    fig['workers'], name, fig['ops_ok'], fig['ops_per_s'],
                    _num(fig['op_p50_s']), _num(fig['op_p95_s']),
                    _num(fig['cycle_p50_s']), _num(fig['cycle_p95_s']),
                    fig['errors'], len(fig['leaks']), extra))
    return lines


def scale_tables(results: dict) -> typing.List[str]:
    """The serialized-model, scaling and rollover figures."""
    from tests.bench import scale_report
    return scale_report.render(results)


def _problems(results: dict) -> typing.List[str]:
    lines = []
    for which, figures in sorted(results['drivers'].items()):
        for protocol, fig in sorted(figures.get('protocols', {}).items()):
            for key, op in fig['operations'].items():
                for error in op.get('errors', []):
                    lines.append('%s %s %s failed %d/%d: %s' % (
                        which, protocol, key, op['failed'], op['runs'],
                        error))
            for error in fig.get('cleanup_errors', []):
                lines.append('%s %s cleanup: %s' % (which, protocol, error))
            for leak in fig.get('leaks', []):
                lines.append('%s %s leak: %s' % (which, protocol, leak))
        for run in figures.get('concurrent', []):
            for error in run['error_samples']:
                lines.append('%s %d workers: %s' % (
                    which, run['workers'], error))
            for leak in run['leaks']:
                lines.append('%s %d workers leak: %s' % (
                    which, run['workers'], leak))
    if not lines:
        return ['', 'No operation failed; no leaks.']
    return ['', 'Failures and leaks (never hidden):'] + [
        '  ' + line for line in lines]
