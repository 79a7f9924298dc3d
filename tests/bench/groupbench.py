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

"""A group snapshot of 16 volumes beside 16 single snapshots.

In one driver's process: a consistent-snapshot group of
:data:`GROUP_SIZE` volumes is made, then its group snapshot is taken and
deleted, then the same volumes are snapshotted one by one and those
snapshots deleted; each step's REST calls and time are measured under the
latency model. Cinder's group type lookup, a database read, is answered
from the group type the bench made.
"""

import traceback
import typing
from unittest import mock
import uuid

from cinder import objects

from tests.bench import drivers
from tests.bench import workloads

GROUP_SIZE = 16
CG_SPECS = {'consistent_group_snapshot_enabled': '<is> True'}
STEPS = (('group_snapshot', 'group snapshot of %d volumes' % GROUP_SIZE),
         ('single_snapshots', '%d single snapshots' % GROUP_SIZE),
         ('delete_group_snapshot', 'delete the group snapshot'),
         ('delete_single_snapshots', 'delete the %d single snapshots' %
          GROUP_SIZE))


class GroupRun:
    """The group, its volumes and snapshots in one environment."""

    def __init__(self, env: workloads.Environment, protocol: str) -> None:
        self.env = env
        self.objs = env.objects[protocol]
        self.type_id = str(uuid.uuid4())
        env.stack.enter_context(mock.patch(
            'cinder.volume.group_types.get_group_type',
            lambda ctxt, type_id, expected_fields=None: {
                'id': type_id, 'name': 'bench-cg',
                'group_specs': dict(CG_SPECS)}))
        self.driver = drivers.started_driver(protocol, self.objs.ctx)
        vtype = self.objs.vtype
        self.group = objects.Group(
            context=self.objs.ctx, id=str(uuid.uuid4()), name='bench',
            group_type_id=self.type_id, status='creating',
            volume_type_ids=[vtype.id], host=self.objs.volume().host,
            volume_types=objects.VolumeTypeList(objects=[vtype]))
        self.volumes: list = []
        self.singles: list = []
        self.group_snap = None

    def make_group(self) -> None:
        self.driver.create_group(self.objs.ctx, self.group)
        for index in range(GROUP_SIZE):
            volume = self.objs.volume(name='g%d' % index)
            volume.group_id, volume.group = self.group.id, self.group
            volume.update(self.driver.create_volume(volume) or {})
            self.volumes.append(volume)

    def group_snapshot(self) -> None:
        gsnap = objects.GroupSnapshot(
            context=self.objs.ctx, id=str(uuid.uuid4()),
            group_id=self.group.id, group=self.group,
            group_type_id=self.type_id, status='creating')
        snaps = [self.objs.snapshot(v) for v in self.volumes]
        for snap in snaps:
            snap.group_snapshot_id = gsnap.id
        _update, updates = self.driver.create_group_snapshot(
            self.objs.ctx, gsnap, snaps)
        for snap, update in zip(snaps, updates or ()):
            snap.update({k: v for k, v in update.items() if k != 'id'})
        self.group_snap = (gsnap, snaps)

    def delete_group_snapshot(self) -> None:
        gsnap, snaps = self.group_snap
        self.driver.delete_group_snapshot(self.objs.ctx, gsnap, snaps)
        self.group_snap = None

    def single_snapshots(self) -> None:
        for volume in self.volumes:
            snap = self.objs.snapshot(volume)
            snap.update(self.driver.create_snapshot(snap) or {})
            self.singles.append(snap)

    def delete_single_snapshots(self) -> None:
        while self.singles:
            self.driver.delete_snapshot(self.singles.pop())

    def cleanup(self) -> typing.List[str]:
        errors = []
        steps = [self.delete_single_snapshots]
        if self.group_snap:
            steps.append(self.delete_group_snapshot)
        steps.append(lambda: self.driver.delete_group(
            self.objs.ctx, self.group, self.volumes))
        for step in steps:
            try:
                step()
            except Exception as exc:
                errors.append(workloads.error_text(exc))
        return errors


def run_groups(which: str, protocol: str, args: typing.Any) -> dict:
    """Each step's calls and time, ``args.repeat`` times."""
    samples: typing.Dict[str, list] = {key: [] for key, _ in STEPS}
    errors: typing.List[str] = []
    leaks: typing.List[str] = []
    for _index in range(args.repeat):
        with workloads.Environment(which, args) as env:
            baseline = env.fake.snapshot()
            try:
                one = GroupRun(env, protocol)
                one.make_group()
            except Exception as exc:
                errors.append('set-up: %s' % workloads.error_text(exc))
                continue
            for key, _label in STEPS:
                try:
                    _, cost = env.measure(getattr(one, key))
                except Exception as exc:
                    cost = dict(getattr(exc, 'bench_cost', {}))
                    cost['error'] = workloads.error_text(exc)
                    cost['traceback'] = traceback.format_exc()[-2000:]
                samples[key].append(cost)
            errors += one.cleanup()
            leaks += env.fake.check(baseline)
    return {'size': GROUP_SIZE, 'errors': errors, 'leaks': leaks,
            'steps': {key: workloads.summarise(samples[key])
                      for key, _ in STEPS}}


def run(which: str, args: typing.Any, results: dict) -> None:
    if 'groups' in args.only:
        results['groups'] = run_groups(
            which, args.concurrent_protocol or 'FC', args)


def render(results: dict) -> typing.List[str]:
    """The table of both drivers' group figures."""
    drivers_ = results['drivers']
    if not any('groups' in fig for fig in drivers_.values()):
        return []
    head = '%-34s %-8s | %6s %5s %5s | %8s %8s' % (
        'step', 'driver', 'calls', 'jobs', 'polls', 'median s', 'p95 s')
    lines = ['', 'Groups: one consistent snapshot of a %d-volume group '
             'beside %d single snapshots' % (GROUP_SIZE, GROUP_SIZE),
             head, '-' * len(head)]
    for key, label in STEPS:
        for which, name in (('ours', 'ours'), ('intree', 'in-tree')):
            fig = drivers_.get(which, {}).get('groups')
            if fig is None:
                continue
            step = fig['steps'][key]
            if not step.get('ok'):
                lines.append('%-34s %-8s | FAILED %s' % (
                    label, name, '; '.join(step.get('errors', ()))[:80]))
                continue
            lines.append('%-34s %-8s | %6d %5d %5d | %8.2f %8.2f' % (
                label, name, step['calls'], step['jobs'],
                step['job_polls'], step['median_s'], step['p95_s']))
    for which, fig in sorted(drivers_.items()):
        for problem in (fig.get('groups') or {}).get('errors', []) + (
                fig.get('groups') or {}).get('leaks', []):
            lines.append('  %s: %s' % (which, problem))
    return lines
