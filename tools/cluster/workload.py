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

"""Concurrent volume life cycles through Cinder's REST API.

Each cycle is what a user and Nova do to one volume: create, attach
(``os-reserve``, ``os-initialize_connection``, ``os-attach``), extend while
attached, detach (``os-begin_detaching``, ``os-terminate_connection``,
``os-detach``) and delete. Cycles run in threads, half on the FC backend and
half on iSCSI, over eight compute hosts, so several volume services work on
one host's initiator group and masking view at once. A cycle that fails
records the step it reached; :func:`redrive` later takes the volume from
wherever it stands to the end, as an operator would.
"""

import threading
import time
import typing

import requests
from requests import adapters

from tools import cinderstack

#: How long one step may keep a volume in a transitional state.
STEP_TIMEOUT = 90
#: How long one API request may take to answer. A call the API makes to
#: a dead volume service fails after ``rpc_response_timeout`` (30 s); on a
#: busy machine a live one's answer can take a while too. A request the
#: client gave up on may still be carried out, leaving a volume the cycle
#: does not know of, so the client waits well beyond the API's own bound.
REQUEST_TIMEOUT = 180
HOSTS = 8
STEPS = ('create', 'attach', 'extend', 'detach', 'delete')
TYPES = {cinderstack.FC: 'cluster-fc', cinderstack.ISCSI: 'cluster-iscsi'}


class StepFailed(Exception):
    pass


def connector(index: int) -> dict:
    """Compute host ``index``: FC HBAs and an iSCSI initiator (os-brick's)."""
    name = 'compute-%d' % (index + 1)
    return {'host': name, 'ip': '192.0.2.%d' % (index + 1),
            'platform': 'x86_64', 'os_type': 'linux', 'multipath': True,
            'initiator': 'iqn.1993-08.org.debian:01:%s' % name,
            'wwpns': ['10000090fa0c%02x%02x' % (index, port)
                      for port in (1, 2)],
            'wwnns': ['20000090fa0c%02x%02x' % (index, port)
                      for port in (1, 2)]}


class Client(object):
    """The calls ``openstack volume ...`` and Nova make, over HTTP."""

    def __init__(self, url: str, token: str = cinderstack.TOKEN) -> None:
        self.url = url
        self.session = requests.Session()
        # One pooled connection per concurrent cycle.
        self.session.mount('http://', adapters.HTTPAdapter(pool_maxsize=64))
        self.session.headers.update({
            'X-Auth-Token': token,
            'OpenStack-API-Version': 'volume %s' % cinderstack.API_VERSION,
            'Accept': 'application/json'})

    def call(self, method: str, path: str, body=None, ok=(200, 202, 204)):
        answer = self.session.request(method, self.url + path, json=body,
                                      timeout=REQUEST_TIMEOUT)
        if answer.status_code not in ok:
            raise StepFailed('%s %s: %s %s' % (
                method, path, answer.status_code, answer.text[:200]))
        return answer.json() if answer.content else None

    def action(self, volume_id: str, name: str, body=None):
        return self.call('POST', '/volumes/%s/action' % volume_id,
                         {name: body if body is not None else {}})

    def volume(self, volume_id: str) -> typing.Optional[dict]:
        answer = self.call('GET', '/volumes/%s' % volume_id, ok=(200, 404))
        return answer['volume'] if answer and 'volume' in answer else None

    def wait(self, volume_id: str, transitional: tuple,
             expected: typing.Optional[str] = None,
             timeout: float = STEP_TIMEOUT) -> typing.Optional[dict]:
        """Poll until the volume leaves ``transitional``; None once gone."""
        what = 'volume %s leaving %s' % (volume_id, '/'.join(transitional))
        volume = cinderstack.wait_until(
            lambda: self._settled(volume_id, transitional),
            timeout=timeout, interval=0.5, what=what)
        volume = volume.get('volume')
        if volume is not None and expected and volume['status'] != expected:
            raise StepFailed('volume %s is %s, not %s' % (
                volume_id, volume['status'], expected))
        return volume

    def _settled(self, volume_id, transitional):
        volume = self.volume(volume_id)
        if volume is None or volume['status'] not in transitional:
            return {'volume': volume}
        return None

    def volumes(self) -> list:
        return self.call('GET', '/volumes/detail?all_tenants=1')['volumes']

    def services(self) -> list:
        return self.call('GET', '/os-services')['services']


class Cycle(object):
    """One volume's life; which step it reached and what went wrong."""

    def __init__(self, client: Client, index: int) -> None:
        self.client = client
        self.index = index
        self.backend = (cinderstack.FC, cinderstack.ISCSI)[
            (index // HOSTS) % 2]
        self.connector = connector(index % HOSTS)
        self.volume_id = None
        self.step = None
        self.done: typing.List[typing.Tuple[str, float]] = []
        self.errors: typing.List[str] = []
        #: What the re-drive did, in order: actions and the steps run.
        self.redriven: typing.List[str] = []
        #: GB after the extend step.
        self.extended_size = 2

    def run(self, steps=STEPS, peak=None) -> bool:
        """Run ``steps``; at ``peak`` (a barrier) once attached."""
        for self.step in steps:
            try:
                getattr(self, self.step)()
            except (StepFailed, TimeoutError, requests.RequestException) as e:
                self.errors.append('%s: %s' % (self.step, e))
                if peak is not None:
                    peak.abort()
                return False
            self.done.append((self.step, time.time()))
            if self.step == 'attach' and peak is not None:
                try:
                    peak.wait()
                except threading.BrokenBarrierError:
                    pass
        return True

    def create(self) -> None:
        volume = self.client.call('POST', '/volumes', {'volume': {
            'size': 1, 'name': 'cycle-%02d' % self.index,
            'volume_type': TYPES[self.backend]}})['volume']
        self.volume_id = volume['id']
        self.client.wait(self.volume_id, ('creating',), 'available')

    def attach(self) -> None:
        self.client.action(self.volume_id, 'os-reserve')
        self.client.action(self.volume_id, 'os-initialize_connection',
                           {'connector': self.connector})
        self.client.action(self.volume_id, 'os-attach', {
            'host_name': self.connector['host'], 'mountpoint': '/dev/sdb',
            'mode': 'rw'})
        self.client.wait(self.volume_id, ('attaching',), 'in-use')

    def extend(self) -> None:
        self.client.action(self.volume_id, 'os-extend',
                           {'new_size': self.extended_size})
        volume = self.client.wait(self.volume_id, ('extending',), 'in-use')
        if volume['size'] != self.extended_size:
            raise StepFailed('volume %s is %s GB after extend' % (
                self.volume_id, volume['size']))

    def detach(self) -> None:
        volume = self.client.volume(self.volume_id)
        self.client.action(self.volume_id, 'os-begin_detaching')
        self.client.action(self.volume_id, 'os-terminate_connection',
                           {'connector': self.connector})
        self.client.action(self.volume_id, 'os-detach', {
            'attachment_id': volume['attachments'][0]['attachment_id']})
        self.client.wait(self.volume_id, ('detaching', 'in-use'),
                         'available')

    def delete(self) -> None:
        self.client.call('DELETE', '/volumes/%s' % self.volume_id)
        self.client.wait(self.volume_id, ('deleting',), None)
        if self.client.volume(self.volume_id) is not None:
            raise StepFailed('volume %s is %s after delete' % (
                self.volume_id,
                self.client.volume(self.volume_id)['status']))


def run_cycles(cycles: typing.List[Cycle], peak_action=None) -> None:
    """Run every cycle in its own thread; wait for all.

    :param peak_action: when given, the cycles wait for each other once
        attached and it is called then, with every volume attached
    """
    peak = None
    if peak_action is not None:
        peak = threading.Barrier(len(cycles), action=peak_action,
                                 timeout=STEP_TIMEOUT * 2)
    threads = [threading.Thread(target=cycle.run, args=(STEPS, peak),
                                name='cycle-%d' % cycle.index)
               for cycle in cycles]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each step is bounded; this bounds the whole cycle.
        thread.join(STEP_TIMEOUT * (len(STEPS) + 3))


# -- re-driving what failed ---------------------------------------------------

#: Where a stuck status goes back to, by the action an operator (or Nova
#: rolling back) would take.
UNSTICK = {
    'attaching': ('os-unreserve', None),
    'detaching': ('os-roll_detaching', None),
    'extending': ('os-reset_status', {'status': 'in-use'}),
    'error_extending': ('os-reset_status', {'status': 'in-use'}),
    'error_deleting': ('os-reset_status', {'status': 'error'}),
}


def remaining_steps(cycle: Cycle, volume: typing.Optional[dict]) -> tuple:
    """The steps that take ``volume`` from where it stands to the end."""
    if volume is None:
        # Never created, or deleted: start again unless delete was next.
        return () if cycle.step == 'delete' else STEPS
    status, size = volume['status'], volume['size']
    if status == 'error':
        # A failed create is deleted and driven again from the start.
        return ('delete',) if cycle.step == 'delete' else ('delete',) + STEPS
    if status == 'in-use':
        return STEPS[2:] if size < cycle.extended_size else STEPS[3:]
    if status == 'available' and cycle.step in ('create', 'attach'):
        return STEPS[1:]
    return ('delete',)


def redrive(cycle: Cycle) -> bool:
    """Unstick the cycle's volume and finish its life on what serves."""
    try:
        return _redrive(cycle)
    except (StepFailed, TimeoutError, requests.RequestException) as e:
        cycle.errors.append('re-drive of %s: %s' % (cycle.step, e))
        return False


def _redrive(cycle: Cycle) -> bool:
    client = cycle.client
    volume = client.volume(cycle.volume_id) if cycle.volume_id else None
    cycle.redriven.append('%s interrupted, volume %s' % (
        cycle.step, volume['status'] if volume else 'none'))
    if volume is not None and volume['status'] in UNSTICK:
        name, body = UNSTICK[volume['status']]
        client.action(cycle.volume_id, name, body)
        volume = client.volume(cycle.volume_id)
        cycle.redriven.append('%s -> %s' % (
            name, volume['status'] if volume else 'gone'))
    if (volume is not None and volume['status'] == 'in-use'
            and cycle.step == 'attach'):
        volume = roll_back_attach(cycle)
        cycle.redriven.append('attach rolled back -> %s' % volume['status'])
    steps = remaining_steps(cycle, volume)
    if steps[:1] == ('delete',) and steps[1:]:
        # A failed create: delete it, then the whole cycle anew.
        cycle.redriven.append('delete')
        cycle.run(('delete',))
        cycle.volume_id = None
        steps = steps[1:]
    cycle.redriven.append(', '.join(steps) or 'nothing left to do')
    return cycle.run(steps) if steps else True


def roll_back_attach(cycle: Cycle) -> dict:
    """Undo an attach whose ``os-attach`` the dead member took.

    The volume is ``in-use`` once it has an attachment record, and the
    record exists from the moment the member began the attach: it may
    have finished it, or died before marking the attachment attached
    (the volume is then ``in-use`` but refuses ``os-begin_detaching``,
    and a second ``os-attach`` is refused as a second attachment). Which
    one happened cannot be told from the answer Nova got (a timeout), so
    Nova rolls the attach back either way, as its legacy attach does when
    ``os-attach`` fails: it terminates the connection and detaches
    without naming the attachment, which removes the one record whatever
    its state. The volume is then ``available`` and the cycle attaches
    again.
    """
    client = cycle.client
    client.action(cycle.volume_id, 'os-terminate_connection',
                  {'connector': cycle.connector})
    client.action(cycle.volume_id, 'os-detach')
    return client.wait(cycle.volume_id, ('in-use', 'detaching'),
                       'available')
