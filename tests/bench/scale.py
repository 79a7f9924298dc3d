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

"""The measurements at array scale, run inside one driver's process.

* serialized: the concurrent workload with the array running one
  configuration job at a time (``Latency.job_concurrency = 1``);
* scaling: the operations of a volume's life on an array already holding
  0, 1,000 or 10,000 devices (a tenth as many attached hosts);
* coalesced: many creates started at once into one default group,
  the array running one job at a time;
* rollover: one create into a default storage group that already holds
  the 4,096 devices a storage group can hold.
"""

from concurrent import futures
import threading
import time
import traceback
import typing

from tests.bench import drivers
from tests.bench import workloads

# (key of workloads.Pass, label) measured at each array size.
SCALE_OPERATIONS = (
    ('setup', 'driver setup'),
    ('stats', 'stats refresh'),
    ('create', 'create'),
    ('first_attach', 'attach (first of a host)'),
    ('last_detach', 'detach (last of a host)'),
    ('delete', 'delete'),
)
# The unattached devices of a populated array go to default groups of
# these levels, so that the measured creates (Diamond) find room.
OTHER_LEVELS = ('Gold', 'Silver', 'Bronze', 'Platinum', 'Optimized')
FULL_GROUP = 'OS-SRP_1-Diamond-NONE-SG'


def run_serialized(which: str, protocol: str, args: typing.Any) -> list:
    """The concurrent workload under the serialized-job model."""
    runs = []
    for workers in args.serial_workers:
        env = workloads.Environment(which, args, args.serial_job_duration,
                                    job_concurrency=1)
        runs.append(workloads.run_concurrent(which, protocol, workers, args,
                                             args.serial_cycles, env))
    return runs


def _volume_edits(requests: list) -> typing.List[int]:
    """How many volumes each volume-creating storage-group edit asked."""
    sizes = []
    for request in requests:
        body = request.body if isinstance(request.body, dict) else {}
        add = body.get('editStorageGroupActionParam', {}).get(
            'expandStorageGroupParam', {}).get('addVolumeParam')
        if request.method == 'PUT' and add:
            sizes.append(len(add.get('volumeAttributes') or [add]))
    return sizes


def run_coalesced(which: str, protocol: str, args: typing.Any) -> dict:
    """``--coalesce-creates`` creates released together, serialized jobs.

    The default group exists already (one volume made first), so every
    create measured is one storage-group edit's worth of work.
    """
    count = args.coalesce_creates
    with workloads.Environment(which, args, args.coalesce_job_duration,
                               job_concurrency=1) as env:
        objs = env.objects[protocol]
        baseline = env.fake.snapshot()
        driver = drivers.started_driver(protocol, objs.ctx)
        keeper = objs.volume(name='keeper')
        keeper.update(driver.create_volume(keeper) or {})
        volumes = [objs.volume(name='c%d' % n) for n in range(count)]
        gate = threading.Barrier(count + 1)
        lock = threading.Lock()
        ends: list = []
        errors: list = []

        def create(volume: typing.Any) -> None:
            gate.wait()
            try:
                volume.update(driver.create_volume(volume) or {})
            except Exception as exc:
                with lock:
                    errors.append(workloads.error_text(exc))
                return
            with lock:
                ends.append(time.monotonic())

        mark = len(env.fake.requests)
        with futures.ThreadPoolExecutor(max_workers=count) as pool:
            jobs = [pool.submit(create, v) for v in volumes]
            gate.wait()
            start = time.monotonic()
            for job in jobs:
                job.result()
        edits = _volume_edits(env.fake.requests[mark:])
        calls = len(env.fake.requests) - mark
        for volume in volumes + [keeper]:
            if volume.provider_location:
                try:
                    driver.delete_volume(volume)
                except Exception as exc:
                    errors.append('delete: %s' % workloads.error_text(exc))
        leaks = env.fake.check(baseline)
    wall = (max(ends) - start) if ends else None
    return {'creates': count, 'ok': len(ends), 'errors': len(errors),
            'error_samples': sorted(set(errors))[:3], 'leaks': leaks,
            'job_duration_s': args.coalesce_job_duration,
            'wall_s': wall, 'calls': calls, 'edits': len(edits),
            'edit_sizes': edits,
            'job_durations': (wall / args.coalesce_job_duration
                              if wall is not None else None)}


def _one_size(which: str, protocol: str, size: int, args: typing.Any
              ) -> dict:
    samples: typing.Dict[str, list] = {k: [] for k, _ in SCALE_OPERATIONS}
    with workloads.Environment(which, args) as env:
        if size:
            env.fake.populate(workloads.ARRAY, devices=size,
                              hosts=size // 10, default_slos=OTHER_LEVELS)
        baseline = env.fake.snapshot()
        for index in range(args.scale_repeat):
            one = workloads.Pass(env, protocol, index)
            for key, _label in SCALE_OPERATIONS:
                try:
                    _, cost = env.measure(lambda: one.run(key))
                except Exception as exc:
                    cost = dict(getattr(exc, 'bench_cost', {}))
                    cost['error'] = workloads.error_text(exc)
                    samples[key].append(cost)
                    break
                samples[key].append(cost)
            one.cleanup()
        leaks = env.fake.check(baseline)
    return {'devices': size, 'hosts': size // 10, 'leaks': leaks,
            'operations': {k: workloads.summarise(samples[k])
                           for k, _ in SCALE_OPERATIONS}}


def run_scaling(which: str, protocol: str, args: typing.Any) -> list:
    return [_one_size(which, protocol, size, args)
            for size in args.scale_sizes]


def run_rollover(which: str, protocol: str, args: typing.Any) -> dict:
    """One create when the default group holds 4,096 devices already."""
    with workloads.Environment(which, args) as env:
        env.fake.populate(workloads.ARRAY, devices=4096, hosts=0,
                          default_slos=('Diamond',))
        array = env.fake.model.arrays[workloads.ARRAY]
        before = set(array.storage_groups)
        one = workloads.Pass(env, protocol, 0)
        result = {'group': FULL_GROUP, 'devices_before': len(
            array.storage_groups[FULL_GROUP].volumes)}
        try:
            one.run('setup')
            _, cost = env.measure(lambda: one.run('create'))
            result.update(cost, ok=True)
        except Exception as exc:
            result.update(getattr(exc, 'bench_cost', {}), ok=False,
                          error=workloads.error_text(exc),
                          traceback=traceback.format_exc()[-2000:])
        result['new_groups'] = sorted(set(array.storage_groups) - before)
        result['devices_after'] = len(array.storage_groups[
            FULL_GROUP].volumes)
        one.cleanup()
    return result


SECTIONS = {'serialized': run_serialized, 'coalesced': run_coalesced,
            'scaling': run_scaling, 'rollover': run_rollover}


def run(which: str, args: typing.Any, results: dict) -> None:
    """The sections of ``args.only`` this module measures, into results."""
    protocol = args.concurrent_protocol or 'FC'
    for section, func in SECTIONS.items():
        if section in args.only:
            results[section] = func(which, protocol, args)
