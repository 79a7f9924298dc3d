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

"""What the sweeps read of the arrays besides debris.

* :func:`facts` and :func:`named_state`: a fresh read of what a device
  is (name, size, groups, pair and its state, host access, snapshots),
  the probe that outcome truth compares before and after an operation;
* :class:`DeviceLog`: which devices each changing request named, read
  from the request as it reached the fake and resolved against the
  arrays as they were then (a storage group's members at that moment);
  the identity check compares them with the devices the operation's
  volumes owned when it started;
* :class:`Saved`: the arrays as they were, put back after a run that
  found a defect, so that the sweep goes on from a clean start and
  counts every run.
"""

import collections
import copy
import json
import re
import typing

ROUTE = re.compile(r'^/univmax/restapi(?:/private)?/\d+/'
                   r'(sloprovisioning|replication)/symmetrix/(\w+)/(.*)$')
CHANGES = ('PUT', 'POST', 'DELETE')
# Keys of request bodies whose values are device ids (or {'name': id}).
DEVICE_KEYS = ('volumeId', 'localDeviceList', 'deviceNameListSource',
               'deviceNameListTarget')
# An Asynchronous or Metro RDF group moves whole: suspending and
# resuming its other pairs around one volume's change is what its
# replication mode asks, not an action on another volume's data.
WHOLE_GROUP_ACTIONS = ('Suspend', 'Resume', 'Establish')
MANAGEMENT_SG = re.compile(r'-rdf-sg$')
# Pair states a replicating pair passes through without any action.
FLOWING = ('SyncInProg', 'Synchronized', 'Consistent', 'ActiveBias',
           'ActiveActive')


class Facts(typing.NamedTuple):
    """A device as a fresh read of its array shows it."""

    identifier: typing.Optional[str]
    size_gb: float
    groups: tuple
    pair: typing.Optional[tuple]
    snapshots: tuple

    def __str__(self):
        return '%s %sGB in %s%s%s' % (
            self.identifier, self.size_gb, list(self.groups),
            ' %s of %s (%s)' % self.pair if self.pair else ' unpaired',
            ' snapshots %s' % list(self.snapshots) if self.snapshots
            else '')


def facts(array, device) -> typing.Optional[Facts]:
    """What ``device`` of ``array`` is now; None when it is gone."""
    volume = array.volumes.get(device)
    if volume is None:
        return None
    pair = array.pair_of(device)
    if pair is not None:
        role = pair.role(array.sid)
        # A pair copying now is in sync later, by itself.
        state = 'replicating' if pair.state in FLOWING else '%s, %s %s' % (
            pair.state, role, pair.volume_state(role))
        pair = (role, pair.remote(array.sid)[1], state)
    return Facts(volume.identifier, volume.cap_gb,
                 tuple(sorted(array.groups_of(device))), pair,
                 tuple(sorted(s.name for s in array.snapshots_of(device))))


def names_of(volume) -> set:
    """The identifiers a device of ``volume`` may carry."""
    found = {'OS-' + volume.id}
    if volume.obj_attr_is_set('_name_id') and volume._name_id:
        found.add('OS-' + volume._name_id)
    return found


def named_state(model, names, devices=()) -> dict:
    """Every device carrying one of ``names``, and ``devices``, read now.

    :param devices: (array, device id) pairs read whatever their name
    :returns: {(array, device): :class:`Facts` or None}
    """
    with model.lock:
        found = {(sid, dev): facts(array, dev)
                 for sid, array in model.arrays.items()
                 for dev, volume in array.volumes.items()
                 if volume.identifier in names}
        for sid, dev in devices:
            found[(sid, dev)] = facts(model.arrays[sid], dev)
        return found


def differences(before: dict, after: dict) -> typing.List[str]:
    """Readable differences of two :func:`named_state` reads."""
    return ['%s:%s was %s, is %s' % (sid, dev, before.get((sid, dev)),
                                     after.get((sid, dev)))
            for sid, dev in sorted(set(before) | set(after))
            if before.get((sid, dev)) != after.get((sid, dev))]


# -- identity ---------------------------------------------------------------

class Touch(typing.NamedTuple):
    """A changing request and the devices it named."""

    method: str
    path: str
    devices: frozenset
    shared: bool

    def __str__(self):
        return '%s %s' % (self.method, self.path.split('/symmetrix/')[-1])


class Mark(typing.NamedTuple):
    """Where an operation started: the log's length, the devices' names.

    :ivar partners: each paired device's SRDF partner then
    """

    index: int
    names: dict
    partners: dict


class DeviceLog:
    """The devices each changing request sent to the fake names.

    :param fake: the :class:`FakeUnisphereFixture`; its app's ``respond``
        is wrapped for the test's lifetime
    """

    def __init__(self, fake):
        self.fake = fake
        self.touches: typing.List[Touch] = []
        respond = fake.app.respond

        def logged(request):
            if request.method in CHANGES:
                self._note(request)
            return respond(request)
        fake.app.respond = logged

    def _note(self, request):
        try:
            body = json.loads(request.get_data(as_text=True) or '{}')
        except ValueError:
            body = {}
        with self.fake.model.lock:
            devices, shared = named_devices(self.fake.model, request.method,
                                            request.path, body)
        self.touches.append(Touch(request.method, request.path,
                                  frozenset(devices), shared))

    def mark(self) -> Mark:
        """The start of an operation: what every device is named now."""
        with self.fake.model.lock:
            names = {(sid, dev): volume.identifier
                     for sid, array in self.fake.model.arrays.items()
                     for dev, volume in array.volumes.items()}
            partners = {}
            for sid, array in self.fake.model.arrays.items():
                for group in array.rdf.values():
                    for dev, pair in group.pairs.items():
                        partners[(sid, dev)] = pair.remote(sid)[:2]
        return Mark(len(self.touches), names, partners)

    def strangers(self, mark: Mark, names, adopted=()) -> typing.List[str]:
        """Requests since ``mark`` naming a device not the operation's.

        Not named for its volumes when it started (nor, unnamed, paired
        with one that was: an R2 an interrupted create made), not made
        since, not adopted by it.
        """
        found = []
        for touch in self.touches[mark.index:]:
            for sid, dev in sorted(touch.devices):
                name = mark.names.get((sid, dev), '')
                partner = mark.names.get(mark.partners.get((sid, dev)))
                if (sid, dev) not in mark.names or name in names or (
                        not name and partner in names) or (
                        (sid, dev) in adopted) or touch.shared:
                    continue
                found.append('%s names %s:%s, which was %r' % (
                    touch, sid, dev, name))
        return found


def named_devices(model, method, path, body) -> tuple:
    """The (array, device) pairs a changing request acts on.

    :returns: (devices, shared): shared when it is an action on a whole
        Asynchronous or Metro RDF group that its mode calls for
    """
    match = ROUTE.match(path)
    if match is None:
        return set(), False
    category, sid, rest = match.groups()
    array = model.arrays.get(sid)
    if array is None:
        return set(), False
    parts = rest.split('/')
    devices = set()
    if parts[0] == 'volume' and len(parts) == 2:
        devices.add(parts[1])
    elif parts[0] == 'storagegroup' and category == 'sloprovisioning':
        if method == 'PUT':
            devices.update(_body_devices(body))
    elif parts[0] == 'rdf_group':
        devices.update(parts[3:4] or _body_devices(body))
    elif parts[0] == 'snapshot':
        devices.update(_body_devices(body))
    elif parts[0] == 'storagegroup' and parts[1] in array.storage_groups:
        devices.update(array.members(parts[1]))
        if parts[2:3] == ['rdf_group'] and method == 'PUT' and \
                MANAGEMENT_SG.search(parts[1]) and \
                body.get('action') in WHOLE_GROUP_ACTIONS:
            return set(), True
    return _with_partners(model, array, devices), False


def _body_devices(body) -> typing.List[str]:
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in DEVICE_KEYS:
                values = value if isinstance(value, list) else [value]
                found += [v.get('name') if isinstance(v, dict) else v
                          for v in values]
            else:
                found += _body_devices(value)
    elif isinstance(body, list):
        for value in body:
            found += _body_devices(value)
    return [str(d) for d in found if d]


def _with_partners(model, array, devices) -> set:
    """The devices, and the SRDF partners a change of them reaches."""
    found = {(array.sid, dev) for dev in devices}
    for dev in devices:
        pair = array.pair_of(dev)
        if pair is not None:
            other, partner, _number = pair.remote(array.sid)
            found.add((other, partner))
    return found


# -- putting the arrays back ------------------------------------------------

class Saved:
    """The fake's arrays, jobs and iterators as they were.

    :meth:`restore` puts them back in the same model object, which the
    fake's application and job runner keep referring to.
    """

    def __init__(self, model):
        self.model = model
        with model.lock:
            self.state = copy.deepcopy(
                {k: v for k, v in vars(model).items() if k != 'lock'})

    def restore(self):
        with self.model.lock:
            vars(self.model).update(copy.deepcopy(self.state))


# -- counting ---------------------------------------------------------------

KINDS = ('wrong success', 'wrong failure', 'raw exception', 'debris',
         'recovery failed', 'data loss', 'identity')


class Tally:
    """What one sweep found: runs, absorbed faults, clean errors, defects.

    A defect is kept with where it happened and what was seen; the sweep
    goes on after one from a clean start.
    """

    def __init__(self, name):
        self.name = name
        self.counts = collections.Counter()
        self.defects: typing.List[tuple] = []

    def count(self, what):
        """Count a run, an absorbed fault or a clean error."""
        self.counts[what] += 1

    def found(self, kind, where, text):
        """Keep a defect of ``kind`` (one of :data:`KINDS`)."""
        if kind not in KINDS:
            raise ValueError('unknown kind of defect %s' % kind)
        self.counts[kind] += 1
        self.defects.append((kind, where, ' '.join(str(text).split())))

    def summary(self) -> dict:
        return dict({'test': self.name}, **self.counts)

    def report(self, most=12) -> str:
        lines = ['%s: %s' % (self.name, ', '.join(
            '%s %d' % item for item in sorted(self.counts.items())))]
        lines += ['  %s at %s: %s' % (kind, where, text[:600])
                  for kind, where, text in self.defects[:most]]
        if len(self.defects) > most:
            lines.append('  ... and %d more' % (len(self.defects) - most))
        return '\n'.join(lines)
