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

"""An active-active Cinder cluster on this driver, proven under load.

``tox -e cluster`` runs this. It starts MariaDB, RabbitMQ and etcd on
loopback (:mod:`tools.cluster.services`), serves the fake Unisphere over
HTTPS in this process (so its leak checker can read the array), and runs
Cinder as separate processes (:mod:`tools.cluster.stack`): ``cinder-api``
under uWSGI, ``cinder-scheduler``, and two ``cinder-volume`` processes in
one cluster. Then three runs of concurrent volume life cycles
(:mod:`tools.cluster.workload`):

1. both volume services up: every cycle must succeed, spread over both,
   with one initiator group and one masking view per host and port group;
2. one volume service killed with SIGKILL half way: the survivor serves on;
   the operator asks Cinder to clean up the dead service's work
   (``POST /workers/cleanup``) and re-drives the cycles that failed; then
   Cinder and the array must agree, with nothing left behind;
3. a fresh deployment whose volume services lock only their own files, not
   etcd: what the shared lock prevents, reported and not asserted.

It exits non-zero when run 1 or 2 fails a check.
"""

import argparse
import shutil
import sys
import tempfile
import threading
import time
import typing

from tests.fake_unisphere import fixture as fake_fixture
from tools import cinderstack
from tools.cluster import deployment
from tools.cluster import report
from tools.cluster import stack as stack_mod
from tools.cluster import workload

ARRAY = deployment.ARRAY
VOLUME_HOSTS = deployment.VOLUME_HOSTS
VICTIM = 'cv-2'
#: How long the survivor may take to clean up what the dead member held.
CLEANUP_TIMEOUT = 300


class Mark(object):
    """Where a run starts: the array, the logs, the clock."""

    def __init__(self, dep, fake) -> None:
        self.baseline = fake.snapshot()
        self.served = dep.served_by()
        self.requests = len(fake.requests)
        self.began = time.time()


def summary(cycles, mark: Mark, fake) -> dict:
    steps = sum(len(c.done) for c in cycles)
    return {
        'cycles': len(cycles),
        'operations completed': steps,
        'time': '%.1fs' % (time.time() - mark.began),
        'served by': {host: dict(sorted(counts.items()))
                      for host, counts in mark.served.counts().items()},
        'array refusals the driver met': report.refusals(
            fake, mark.requests, mark.began),
        'leak check': fake.check(mark.baseline),
    }


def run_plain(dep, fake, count: int, title: str, strict: bool) -> bool:
    """Run ``count`` cycles on the whole cluster; check or just report."""
    mark = Mark(dep, fake)
    cycles = [workload.Cycle(dep.client, i) for i in range(count)]
    peak = {}
    workload.run_cycles(cycles, lambda: peak.update(
        report.masking_census(fake.model, ARRAY)))
    figures = summary(cycles, mark, fake)
    errors = [e for c in cycles for e in c.errors]
    left = dep.cinder_view()
    figures.update({'errors': errors, 'volumes left in Cinder': left,
                    'at peak (all attached)': peak or 'never reached'})
    report.print_run(title, figures)
    problems = list(errors) + figures['leak check'] + peak.get(
        'problems', ['the peak was never reached'])
    if left:
        problems.append('Cinder still holds volumes: %s' % left)
    idle = [h for h, c in mark.served.counts().items() if not c]
    problems += ['%s served nothing' % h for h in idle]
    return _verdict(problems, strict)


def _verdict(problems: list, strict: bool) -> bool:
    if not strict:
        return True
    report.say('  verdict: %s' % ('PASS' if not problems else 'FAIL'))
    for problem in problems:
        report.say('    - %s' % problem)
    return not problems


def operator_cleanup(dep) -> dict:
    """What an operator does once a cinder-volume host has died."""
    began = time.time()
    cinderstack.wait_until(
        lambda: all(svc['state'] == 'down' for svc in dep.client.services()
                    if svc['host'].startswith(VICTIM + '@')),
        timeout=stack_mod.SERVICE_DOWN_TIME * 5, interval=1,
        what='Cinder seeing %s down' % VICTIM)
    seen_down = time.time() - began
    stuck = _stuck(dep)
    # cinder work-cleanup --host cv-2: a live member of the cluster claims
    # the dead one's unfinished work and cleans it, one volume after
    # another (creating -> error, deleting -> deleted again).
    answer = dep.client.call('POST', '/workers/cleanup', {
        'host': VICTIM, 'binary': 'cinder-volume'})
    # Done when no stuck volume is in a service's hands any more: the dead
    # one's claims have passed to the survivor, and the survivor has
    # finished them. How long that takes depends on the machine's load, so
    # the bound is generous; passing it fails the run.
    cinderstack.wait_until(
        lambda: not set(_stuck(dep)) & dep.work_in_hand(),
        timeout=CLEANUP_TIMEOUT, interval=1, what='the workers cleanup')
    # What the dead member had only taken off the queue, not started, has
    # no volume service on its worker entry (none, or the scheduler that
    # passed a create on): Cinder cannot know it was lost, and the operator
    # resets it (cinder reset-state --state error).
    left = _stuck(dep)
    for volume_id in left:
        dep.client.action(volume_id, 'os-reset_status', {'status': 'error'})
    return {'seen down after': '%.1fs' % seen_down,
            'cleaned by': sorted(s['host'] for s in answer['cleaning']),
            'unavailable': sorted(s['host'] for s in answer['unavailable']),
            'creating/deleting before cleanup': len(stuck),
            'left for reset-state by hand': len(left)}


def _stuck(dep) -> typing.List[str]:
    return [v['id'] for v in dep.client.volumes()
            if v['status'] in ('creating', 'deleting')]


def in_parallel(function, items) -> list:
    results = [None] * len(items)

    def one(index):
        results[index] = function(items[index])
    threads = [threading.Thread(target=one, args=(i,))
               for i in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(workload.STEP_TIMEOUT * (len(workload.STEPS) + 3))
    return results


def _done(cycles) -> int:
    return sum(len(c.done) for c in cycles)


def run_killed(dep, fake, count: int) -> bool:
    """Kill one volume service half way; clean up, re-drive, check."""
    mark = Mark(dep, fake)
    cycles = [workload.Cycle(dep.client, i) for i in range(count)]
    runner = threading.Thread(target=workload.run_cycles, args=(cycles,))
    runner.start()
    # Without the peak's barrier the cycles spread over every step, so a
    # kill after one operation per cycle finds creates, attaches and
    # extends in flight on the victim.
    cinderstack.wait_until(
        lambda: _done(cycles) >= count or not runner.is_alive(),
        timeout=600, what='%d operations' % count)
    dep.cinder.kill_volume(VICTIM)
    killed_at, done_at_kill = time.time(), _done(cycles)
    report.say('killed cinder-volume %s (SIGKILL) after %d operations' % (
        VICTIM, done_at_kill))
    runner.join(workload.STEP_TIMEOUT * (len(workload.STEPS) + 4))
    failed = [c for c in cycles if c.errors]
    cleanup = operator_cleanup(dep)
    redriven = in_parallel(workload.redrive, failed)
    figures = summary(cycles, mark, fake)
    after = sum(1 for c in cycles for _s, at in c.done if at > killed_at)
    left = dep.cinder_view()
    figures.update({
        'operations completed after the kill (by %s)' % VOLUME_HOSTS[0]:
            after,
        'cycles interrupted': len(failed),
        'errors seen by the interrupted cycles': [
            e for c in failed for e in c.errors[:1]],
        'operator cleanup': cleanup,
        're-driven to the end': '%d of %d' % (
            sum(map(bool, redriven)), len(failed)),
        'how each was re-driven': [
            'cycle %d: %s' % (c.index, '; '.join(c.redriven))
            for c in failed],
        'volumes left in Cinder': left,
        'at the end': report.masking_census(fake.model, ARRAY),
    })
    report.print_run('Run 2: %d cycles, %s killed half way' % (count, VICTIM),
                     figures)
    problems = ['cycle %d: %s' % (c.index, c.errors[-1])
                for c, ok in zip(failed, redriven) if not ok]
    problems += figures['leak check'] + figures['at the end']['problems']
    if left:
        problems.append('Cinder still holds volumes: %s' % left)
    if not after:
        problems.append('nothing completed after the kill')
    if not failed:
        problems.append('the kill interrupted nothing: nothing is proven')
    return _verdict(problems, True)


def show_errors(deployment) -> None:
    """The errors Cinder's processes logged, to say why a run failed."""
    for name in deployment.cinder.processes_seen:
        path = deployment.cinder.log_path(name)
        try:
            with open(path, errors='replace') as log:
                errors = [line.rstrip() for line in log if ' ERROR ' in line]
        except OSError:
            continue
        if errors:
            report.say('errors in %s:\n  %s' % (
                path, '\n  '.join(errors[-10:])))


def deployment_runs(workdir, infra, fake, url, ca, args) -> bool:
    """Runs 1 and 2 on the shared lock, then run 3 without it."""
    ok = True
    for name, shared in (('shared', True), ('nolock', False)):
        if name == 'nolock' and args.skip_no_lock:
            continue
        directory = tempfile.mkdtemp(prefix=name + '-', dir=workdir)
        dep = deployment.Deployment(
            directory, infra.deployment(name), fake, url, ca, shared)
        try:
            dep.start()
            if shared:
                ok &= run_plain(dep, fake, args.cycles, 'Run 1: %d cycles '
                                'on both volume services' % args.cycles, True)
                ok &= run_killed(dep, fake, args.cycles)
            else:
                run_plain(dep, fake, args.cycles, 'Run 3: %d cycles, each '
                          'volume service with only its own file locks '
                          '(reported, not asserted)' % args.cycles, False)
        except Exception:
            show_errors(dep)
            raise
        finally:
            dep.stop()
        if shared and not ok:
            show_errors(dep)
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cycles', type=int, default=32)
    parser.add_argument('--request-delay', type=float, default=0.02,
                        help='seconds the fake takes per request')
    parser.add_argument('--job-duration', type=float, default=0.5,
                        help='seconds an asynchronous job takes')
    parser.add_argument('--skip-no-lock', action='store_true',
                        help='leave out run 3 (no shared lock)')
    parser.add_argument('--keep', action='store_true',
                        help='keep the work directory (logs, cinder.conf)')
    args = parser.parse_args(argv)
    began = time.time()
    workdir = tempfile.mkdtemp(prefix='cinder-cluster-')
    infra = deployment.Infra(workdir)
    fake = fake_fixture.FakeUnisphereFixture(endpoints=())
    try:
        infra.start()
        fake.setUp()
        # Unisphere's own pace: requests take tens of milliseconds and jobs
        # a while, which is what leaves operations in flight to race.
        fake.latency.request_delay = args.request_delay
        fake.latency.job_duration = args.job_duration
        url, ca = fake.start_https()
        report.say('fake Unisphere on %s (array %s)' % (url, ARRAY))
        ok = deployment_runs(workdir, infra, fake, url, ca, args)
    finally:
        fake.cleanUp()
        infra.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report.say()
    report.say('cluster: %s in %.0fs%s' % (
        'PASS' if ok else 'FAIL', time.time() - began,
        (', logs in %s' % workdir) if args.keep else ''))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
