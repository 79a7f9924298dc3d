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

"""What a cluster run measured, read from the array and Cinder's logs.

* :func:`masking_census` — initiator groups and masking views per compute
  host and port group, from the fake's model: with a shared lock, exactly
  one of each however many services attached to the host at once;
* :class:`ServedBy` — which ``cinder-volume`` process completed which
  operations, counted from the manager's own log lines since a mark.
"""

import collections
import os
import typing

from tools.cluster import workload

#: The volume manager's log line when it has finished an operation.
COMPLETED = {
    'create': 'Created volume successfully.',
    'attach': 'Attach volume completed successfully.',
    'connect': 'Initialize volume connection completed successfully.',
    'extend': 'Extend volume completed successfully.',
    'disconnect': 'Terminate volume connection completed successfully.',
    'detach': 'Detach volume completed successfully.',
    'delete': 'Deleted volume successfully.',
}


def masking_census(model: typing.Any, array: str) -> dict:
    """Initiator groups and masking views of each compute host.

    :returns: ``{'groups': n, 'views': n, 'problems': [...]}``; a problem
        is a host with several initiator groups for one protocol, or an
        initiator group with several views through one port group
    """
    arr = model.arrays[array]
    with model.lock:
        hosts = {name: list(host.initiators)
                 for name, host in arr.hosts.items()}
        views = [(view.host, view.port_group)
                 for view in arr.masking_views.values()]
    problems = []
    for index in range(workload.HOSTS):
        conn = workload.connector(index)
        for protocol, hbas in (('FC', conn['wwpns']),
                               ('iSCSI', [conn['initiator']])):
            groups = sorted(name for name, initiators in hosts.items()
                            if set(hbas) & set(initiators))
            if len(groups) > 1:
                problems.append('%s has %d %s initiator groups: %s' % (
                    conn['host'], len(groups), protocol, ', '.join(groups)))
    for (group, port_group), count in sorted(
            collections.Counter(views).items()):
        if count > 1:
            problems.append('%s has %d masking views through %s' % (
                group, count, port_group))
    return {'groups': len(hosts), 'views': len(views), 'problems': problems}


def refusals(fake: typing.Any, since: int,
             since_time: float) -> typing.Dict[str, int]:
    """The array's 4xx/5xx answers and failed jobs since a mark.

    :param since: index in the fake's request log
    :param since_time: jobs submitted before are not counted

    Each is a race the driver met and had to recover from (an object
    created by another member meanwhile, one still in use): what a shared
    lock keeps from happening.
    """
    found = collections.Counter()
    for record in fake.requests[since:]:
        if record.status is not None and record.status >= 400:
            found['%s %s: %d' % (record.method, _kind(record.path),
                                 record.status)] += 1
    with fake.model.lock:
        jobs = list(fake.model.jobs.values())
    for job in jobs:
        if job.status == 'FAILED' and job.submitted >= since_time:
            found['failed job: %s' % job.name] += 1
    return dict(sorted(found.items()))


def _kind(path: str) -> str:
    """The object kind a Unisphere URL addresses (``maskingview`` ...)."""
    parts = path.split('/')
    if 'symmetrix' in parts:
        index = parts.index('symmetrix') + 2
        return '/'.join(parts[index:index + 1]) or 'symmetrix'
    return parts[-1]


class ServedBy(object):
    """Counts of completed operations per cinder-volume log since a mark."""

    def __init__(self, logs: typing.Dict[str, str]) -> None:
        self.logs = logs
        self.marks = {host: self._size(path) for host, path in logs.items()}

    @staticmethod
    def _size(path: str) -> int:
        return os.path.getsize(path) if os.path.exists(path) else 0

    def counts(self) -> typing.Dict[str, collections.Counter]:
        found = {}
        for host, path in self.logs.items():
            found[host] = collections.Counter()
            with open(path, errors='replace') as log:
                log.seek(self.marks[host])
                for line in log:
                    for name, text in COMPLETED.items():
                        if text in line:
                            found[host][name] += 1
        return found


def say(text: str = '') -> None:
    print(text, flush=True)


def print_run(title: str, figures: dict) -> None:
    """One run's figures, one line each."""
    say()
    say('== %s' % title)
    for key, value in figures.items():
        if isinstance(value, dict):
            say('  %s:' % key)
            for name, inner in value.items():
                say('    %s: %s' % (name, inner))
        elif isinstance(value, list):
            say('  %s: %s' % (key, 'none' if not value else ''))
            for item in value[:20]:
                say('    - %s' % item)
            if len(value) > 20:
                say('    ... and %d more' % (len(value) - 20))
        else:
            say('  %s: %s' % (key, value))
