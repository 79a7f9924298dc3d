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

"""The benchmark's charts, drawn from a ``bench-results.json``.

The documentation build (``conf.py``) draws them from the figures the
performance page quotes, ``figures/bench-results.json``, into
``figures/generated/``; after a new run of ``tox -e bench`` copy its
``bench-results.json`` there. Also runnable on any results file::

    python doc/source/benchcharts.py bench-results.json OUTPUT_DIR

Each chart puts this driver ("ours") beside the in-tree driver: REST
calls per operation, median latency per operation, and throughput against
the number of workers. Sized to be read at the page's width.
"""

import json
import os
import sys

import matplotlib
matplotlib.use('Agg')  # no display: files only
from matplotlib import pyplot  # noqa: E402

#: (key, label) of the operations, in the benchmark's order.
OPERATIONS = (
    ('setup', 'driver setup'), ('stats', 'stats refresh'),
    ('create', 'create'), ('snapshot', 'snapshot'),
    ('from_snapshot', 'volume from snapshot'), ('clone', 'clone'),
    ('extend', 'extend'), ('first_attach', 'first attach of a host'),
    ('attach', 'further attach'), ('detach', 'detach'),
    ('last_detach', 'last detach'), ('delete_snapshot', 'delete snapshot'),
    ('delete', 'delete'))
DRIVERS = (('ours', 'this driver', '#3b5b8c'),
           ('intree', 'in-tree driver', '#c9822b'))
#: Inches: about the width of the documentation's text column.
WIDTH = 7.2


def _operations(results, driver, protocol):
    return (results['drivers'].get(driver, {}).get('protocols', {})
            .get(protocol, {}).get('operations', {}))


def _bars(results, protocol, field, xlabel, title, path):
    """Horizontal bars, one pair per operation."""
    labels = [label for _key, label in OPERATIONS]
    figure, axes = pyplot.subplots(figsize=(WIDTH, 5.2))
    height = 0.38
    for n, (driver, name, colour) in enumerate(DRIVERS):
        ops = _operations(results, driver, protocol)
        values = [ops.get(key, {}).get(field) or 0
                  for key, _label in OPERATIONS]
        rows = [i + (n - 0.5) * height for i in range(len(labels))]
        bars = axes.barh(rows, values, height, label=name, color=colour)
        axes.bar_label(bars, fmt='%g' if field == 'calls' else '%.2f',
                       padding=2, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    axes.set_title(title, fontsize=10)
    axes.legend(loc='lower right', fontsize=8)
    axes.margins(x=0.12)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def _throughput(results, path):
    """Operations per second against the number of workers."""
    figure, axes = pyplot.subplots(figsize=(WIDTH, 3.6))
    for driver, name, colour in DRIVERS:
        runs = sorted(results['drivers'].get(driver, {}).get(
            'concurrent', []), key=lambda run: run['workers'])
        if not runs:
            continue
        workers = [run['workers'] for run in runs]
        rates = [run['ops_per_s'] for run in runs]
        axes.plot(workers, rates, marker='o', label=name, color=colour)
        for x, y, run in zip(workers, rates, runs):
            note = '%.1f' % y + (' (%d errors)' % run['errors']
                                 if run.get('errors') else '')
            axes.annotate(note, (x, y), textcoords='offset points',
                          xytext=(4, 6), fontsize=7)
    axes.set_xscale('log', base=2)
    ticks = sorted({run['workers'] for driver, _n, _c in DRIVERS
                    for run in results['drivers'].get(driver, {}).get(
                        'concurrent', [])})
    axes.set_xticks(ticks, [str(t) for t in ticks])
    axes.margins(x=0.08, y=0.15)
    axes.set_xlabel('workers sharing one driver (create, attach, detach, '
                    'delete cycles)')
    axes.set_ylabel('successful operations per second')
    axes.set_title('Throughput against workers', fontsize=10)
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def draw(results_path, outdir, protocol='FC'):
    """Draw every chart; returns the paths written."""
    with open(results_path) as source:
        results = json.load(source)
    os.makedirs(outdir, exist_ok=True)
    settings = results.get('settings', {})
    model = '%.0f ms per request, %.1f s per job' % (
        settings.get('request_delay_s', 0) * 1000,
        settings.get('job_duration_s', 0))
    paths = [os.path.join(outdir, name) for name in (
        'bench-calls.png', 'bench-latency.png', 'bench-throughput.png')]
    _bars(results, protocol, 'calls', 'REST calls to Unisphere (fewer is '
          'better)', '%s: REST calls per operation' % protocol, paths[0])
    _bars(results, protocol, 'median_s', 'median seconds (%s)' % model,
          '%s: latency per operation' % protocol, paths[1])
    _throughput(results, paths[2])
    return paths


if __name__ == '__main__':
    for written in draw(sys.argv[1], sys.argv[2]):
        print(written)
