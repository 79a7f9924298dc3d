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

"""``python -m tests.bench``: both drivers side by side.

Without a sub-command (or with ``compare``) it runs ``run --driver ours``
and ``run --driver intree`` in subprocesses, one after the other, with the
same options, then prints the table and writes the JSON file. ``run``
measures one driver in this process and writes its JSON.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import typing
import warnings


SECTIONS = ('operations', 'concurrent', 'serialized', 'coalesced',
            'scaling', 'rollover', 'groups', 'replication', 'bootstorm',
            'failover')


def _ints(text: str) -> typing.List[int]:
    return [int(item) for item in text.split(',') if item.strip()]


def _sections(text: str) -> typing.List[str]:
    chosen = [item.strip() for item in text.split(',') if item.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        raise argparse.ArgumentTypeError('unknown section %s (choose from '
                                         '%s)' % (unknown[0],
                                                  ', '.join(SECTIONS)))
    return chosen


def _scale_options(common: argparse.ArgumentParser) -> None:
    """The sections and the options of the measurements at scale."""
    common.add_argument('--only', type=_sections, default=list(SECTIONS),
                        help='comma-separated sections to run: %s '
                        '(default all)' % ', '.join(SECTIONS))
    common.add_argument('--serial-workers', type=_ints, default=[1, 16, 64],
                        help='worker counts under the serialized-job model '
                        '(default 1,16,64)')
    common.add_argument('--serial-job-duration', type=float, default=0.1,
                        help='seconds per job when the array runs one job '
                        'at a time (default 0.1)')
    common.add_argument('--serial-cycles', type=int, default=1,
                        help='cycles per worker under the serialized-job '
                        'model (default 1)')
    common.add_argument('--coalesce-creates', type=int, default=64,
                        help='creates started at once into one default '
                        'group, serialized jobs (default 64)')
    common.add_argument('--coalesce-job-duration', type=float, default=0.5,
                        help='seconds per job for those creates, one job '
                        'at a time (default 0.5)')
    common.add_argument('--scale-sizes', type=_ints,
                        default=[0, 1000, 10000],
                        help='devices on the array for the scaling table '
                        '(default 0,1000,10000)')
    common.add_argument('--scale-repeat', type=int, default=2,
                        help='passes per array size (default 2)')
    common.add_argument('--storm-volumes', type=int, default=100,
                        help='instances booted at once in the boot storm, '
                        'each cloning the image-cache volume and attaching '
                        'its clone (default 100)')
    common.add_argument('--storm-hosts', type=int, default=25,
                        help='compute hosts of the boot storm (default 25)')
    common.add_argument('--storm-job-duration', type=float, default=0.1,
                        help='seconds per job in the boot storm, the array '
                        'running one at a time (default 0.1)')
    common.add_argument('--failover-volumes', type=int, default=1000,
                        help='Synchronous replicated volumes failed over '
                        'and back (default 1000)')


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--request-delay', type=float, default=0.02,
                        help='seconds the fake takes per request '
                        '(default 0.02)')
    common.add_argument('--job-duration', type=float, default=0.5,
                        help='seconds an asynchronous job takes '
                        '(default 0.5)')
    common.add_argument('--repeat', type=int, default=3,
                        help='passes per protocol for the per-operation '
                        'figures (default 3)')
    common.add_argument('--protocols', default='FC,iSCSI',
                        type=lambda s: [p for p in s.split(',') if p],
                        help='protocols of the per-operation figures '
                        '(default FC,iSCSI)')
    common.add_argument('--workers', type=_ints, default=[1, 4, 16],
                        help='worker counts of the concurrent workload '
                        '(default 1,4,16)')
    common.add_argument('--cycles', type=int, default=2,
                        help='create/attach/detach/delete cycles per '
                        'worker (default 2)')
    common.add_argument('--hosts', type=int, default=4,
                        help='compute hosts the workers share (default 4)')
    common.add_argument('--timeout', type=float, default=3600,
                        help='seconds one driver\'s run may take before it '
                        'is stopped and reported failed (default 3600)')
    common.add_argument('--concurrent-protocol', default='FC',
                        help='protocol of the concurrent workload '
                        '(default FC; empty to skip it)')
    _scale_options(common)
    top = argparse.ArgumentParser(
        prog='python -m tests.bench', parents=[common],
        description='REST calls, latency and throughput of this driver and '
        'the in-tree PowerMax driver against the fake Unisphere.')
    top.add_argument('--json', default='bench-results.json',
                     help='where the results go (default '
                     'bench-results.json)')
    top.add_argument('--drivers', default='ours,intree',
                     type=lambda s: [d for d in s.split(',') if d],
                     help=argparse.SUPPRESS)
    sub = top.add_subparsers(dest='command')
    run = sub.add_parser('run', parents=[common],
                         help='measure one driver in this process')
    run.add_argument('--driver', choices=('ours', 'intree'), required=True)
    run.add_argument('--json', required=True)
    run.add_argument('--log', help='write the drivers\' debug log here')
    sub.add_parser('compare', parents=[common],
                   help='both drivers side by side (the default)')
    return top


def forwarded(args: argparse.Namespace) -> typing.List[str]:
    return ['--request-delay', str(args.request_delay),
            '--job-duration', str(args.job_duration),
            '--repeat', str(args.repeat),
            '--protocols', ','.join(args.protocols),
            '--workers', ','.join(str(w) for w in args.workers),
            '--cycles', str(args.cycles), '--hosts', str(args.hosts),
            '--concurrent-protocol', args.concurrent_protocol,
            '--only', ','.join(args.only),
            '--serial-workers', ','.join(str(w) for w in args.serial_workers),
            '--serial-job-duration', str(args.serial_job_duration),
            '--serial-cycles', str(args.serial_cycles),
            '--scale-sizes', ','.join(str(n) for n in args.scale_sizes),
            '--scale-repeat', str(args.scale_repeat),
            '--storm-volumes', str(args.storm_volumes),
            '--storm-hosts', str(args.storm_hosts),
            '--storm-job-duration', str(args.storm_job_duration),
            '--failover-volumes', str(args.failover_volumes)]


def run_one(args: argparse.Namespace) -> int:
    import logging
    # The drivers log what they do and every failure; the report shows
    # the failures, the rest would only drown the table.
    if args.log:
        logging.basicConfig(filename=args.log, level=logging.DEBUG,
                            format='%(asctime)s %(threadName)s %(name)s '
                            '%(levelname)s %(message)s')
    else:
        logging.getLogger().addHandler(logging.NullHandler())
    from tests.bench import workloads
    results = workloads.run(args.driver, args)
    with open(args.json, 'w') as out:
        json.dump(results, out, indent=1, sort_keys=True)
    return 0


def compare(args: argparse.Namespace) -> int:
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    from tests.bench import report
    results = {'settings': {
        'request_delay_s': args.request_delay,
        'job_duration_s': args.job_duration, 'repeat': args.repeat,
        'protocols': args.protocols, 'workers': args.workers,
        'cycles_per_worker': args.cycles, 'hosts': args.hosts,
        'concurrent_protocol': args.concurrent_protocol, 'interval': 1,
        'only': args.only, 'serial_workers': args.serial_workers,
        'serial_job_duration_s': args.serial_job_duration,
        'serial_cycles_per_worker': args.serial_cycles,
        'coalesce_creates': args.coalesce_creates,
        'coalesce_job_duration_s': args.coalesce_job_duration,
        'scale_sizes': args.scale_sizes, 'scale_repeat': args.scale_repeat,
        'storm_volumes': args.storm_volumes,
        'storm_hosts': args.storm_hosts,
        'storm_job_duration_s': args.storm_job_duration,
        'failover_volumes': args.failover_volumes,
        'transport': 'in-process fake Unisphere (requests adapter)'},
        'machine': report.machine(), 'drivers': {}}
    base = os.path.splitext(args.json)[0]
    for which in args.drivers:
        part = '%s-%s.json' % (base, which)
        print('== measuring %s driver ...' % which, flush=True)
        began = time.monotonic()
        try:
            code = subprocess.call(
                [sys.executable, '-W', 'ignore', '-m', 'tests.bench', 'run',
                 '--driver',
                 which, '--json', part] + forwarded(args),
                timeout=args.timeout)
        except subprocess.TimeoutExpired:
            code = 'timeout after %.0f s' % args.timeout
        if code or not os.path.exists(part):
            results['drivers'][which] = {'failed': 'exit status %s' % code}
            continue
        with open(part) as infile:
            results['drivers'][which] = json.load(infile)
        os.unlink(part)
        print('   done in %.0f s' % (time.monotonic() - began), flush=True)
    print(report.render(results))
    with open(args.json, 'w') as out:
        json.dump(results, out, indent=1, sort_keys=True)
    print('results written to %s' % args.json)
    return 0


def main(argv: typing.Optional[typing.List[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.command == 'run':
        return run_one(args)
    return compare(args)


if __name__ == '__main__':
    sys.exit(main())
