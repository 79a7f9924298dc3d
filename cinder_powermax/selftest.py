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


"""A bounded lifecycle on a lab array, to show the driver works there.

What ``cinder-powermax-selftest`` runs: the backend's driver, built as
cinder-volume builds it, creates a 1 GB volume, snapshots it, clones it,
extends it, attaches it to an initiator and detaches it (when one is
given), creates and deletes a replicated volume (when the backend has a
``replication_device``), and deletes everything. Each step is timed and
its Unisphere requests counted.

Everything it makes is named from volume and snapshot ids that begin with
:data:`ID_PREFIX`, so the array shows ``OS-5e1f7e57-...`` identifiers and
the initiator group of host :data:`HOST`. Whatever happens, what it made
is deleted in the end, and the array is then searched for anything of its
own that is left (from this run or an interrupted earlier one).
"""

from __future__ import annotations

import dataclasses
import logging as std_logging
import time
import uuid
from typing import Callable, Optional

from cinder import context as cinder_context
from cinder import objects
from oslo_log import log as logging

from cinder_powermax import naming
from cinder_powermax.unisphere import inventory

LOG = logging.getLogger(__name__)

#: The first 8 hex digits of every id the self-test makes ("selftest").
ID_PREFIX = '5e1f7e57'
#: The host name of the self-test's connector.
HOST = 'powermax-selftest'
#: The identifier prefix of the self-test's devices on the array.
IDENTIFIER_PREFIX = naming.PREFIX + ID_PREFIX


def new_id() -> str:
    """A volume or snapshot id of the self-test's own."""
    return ID_PREFIX + str(uuid.uuid4())[len(ID_PREFIX):]


def connector(initiator: str, protocol: str) -> dict:
    """The connector of a host with one initiator.

    :param initiator: an FC WWPN (16 hex digits) or an iSCSI IQN
    :param protocol: the backend's, ``'FC'`` or ``'iSCSI'``
    :raises ValueError: for an initiator of the other protocol
    """
    wwn = initiator.replace(':', '').lower()
    is_wwn = len(wwn) == 16 and all(c in '0123456789abcdef' for c in wwn)
    if protocol == 'FC' and not is_wwn:
        raise ValueError('%s is not an FC WWPN (16 hexadecimal digits), '
                         'which an FC backend needs' % initiator)
    if protocol == 'iSCSI' and is_wwn:
        raise ValueError('%s is an FC WWPN; an iSCSI backend needs an IQN'
                         % initiator)
    found = {'host': HOST, 'platform': 'x86_64', 'os_type': 'linux',
             'multipath': True, 'ip': '127.0.0.1'}
    if is_wwn:
        found.update(wwpns=[wwn], wwnns=[wwn])
    else:
        found['initiator'] = initiator
    return found


class CallCounter(std_logging.Handler):
    """Counts the REST client's requests from its debug log records.

    The client logs each request it sends, retries included; counting
    them needs no hook in the client.
    """

    def __init__(self):
        super().__init__(std_logging.DEBUG)
        self.count = 0

    def emit(self, record):
        if str(record.msg).startswith('Unisphere request'):
            self.count += 1

    def install(self):
        logger = std_logging.getLogger('cinder_powermax.rest')
        self._level = logger.level
        logger.setLevel(std_logging.DEBUG)
        logger.addHandler(self)

    def remove(self):
        logger = std_logging.getLogger('cinder_powermax.rest')
        logger.removeHandler(self)
        logger.setLevel(self._level)


@dataclasses.dataclass
class Step:
    """One step's outcome, for the table and ``--json``."""

    name: str
    ok: bool = False
    calls: int = 0
    seconds: float = 0.0
    detail: str = ''


class SelfTest:
    """The lifecycle on one backend's array.

    :param driver: the backend's driver, constructed, not yet set up
    :param protocol: ``'FC'`` or ``'iSCSI'``
    :param initiator: an initiator to attach to, or None
    :param clock: the monotonic clock (tests pass their own)
    """

    def __init__(self, driver, protocol: str, initiator: Optional[str],
                 clock: Callable[[], float] = time.monotonic):
        self.driver = driver
        self.protocol = protocol
        self.connector = connector(initiator, protocol) if initiator \
            else None
        self.clock = clock
        self.ctx = cinder_context.get_admin_context()
        self.steps: list[Step] = []
        self.counter = CallCounter()
        #: What exists on the array now, in the order it was made.
        self.made: list = []
        self.attached = None
        self.left: list[str] = []

    # -- running steps --------------------------------------------------------

    def step(self, name, func, *args):
        """Run ``func`` as step ``name``; returns its result or None."""
        record = Step(name)
        self.steps.append(record)
        before, started = self.counter.count, self.clock()
        try:
            result = func(*args)
            record.ok = True
            return result
        except Exception as exc:
            record.detail = str(exc) or type(exc).__name__
            return None
        finally:
            record.seconds = self.clock() - started
            record.calls = self.counter.count - before

    @property
    def passed(self) -> bool:
        return all(s.ok for s in self.steps) and not self.left

    def run(self) -> bool:
        """Run every step, then clean up; True when all passed."""
        self.counter.install()
        try:
            if self.step('driver setup', self._setup) is not None:
                self._lifecycle()
        finally:
            self._clean_up()
            self.counter.remove()
        return self.passed

    def _setup(self):
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        stats = self.driver.get_volume_stats(refresh=True)
        return stats

    def _lifecycle(self):
        volume = self.step('create 1 GB volume', self._create, {})
        if volume is None:
            return
        snap = self.step('snapshot', self._snapshot, volume)
        self.step('clone', self._clone, volume)
        if snap is not None:
            self.step('volume from snapshot', self._from_snapshot, snap)
        self.step('extend to 2 GB', self._extend, volume)
        if self.connector:
            if self.step('attach to %s' % self._initiator(),
                         self._attach, volume) is not None:
                self.step('detach', self._detach)
        if self._replication_id():
            replicated = self.step('create replicated volume (%s)' %
                                   self._replication_id(), self._create,
                                   self._replicated_specs())
            if replicated is not None:
                self.step('delete replicated volume', self._delete,
                          replicated)

    # -- the operations -------------------------------------------------------

    def _initiator(self):
        return (self.connector.get('initiator') or
                self.connector['wwpns'][0])

    def _replication_id(self):
        devices = self.driver.common.settings.replication_devices or ()
        return devices[0].get('backend_id') if devices else None

    def _replicated_specs(self):
        return {'replication_enabled': '<is> True',
                'storagetype:replication_device_backend_id':
                    self._replication_id()}

    def _volume(self, extra_specs, size=1):
        vtype = objects.VolumeType(
            context=self.ctx, id=new_id(), name='powermax-selftest',
            extra_specs=dict(extra_specs), qos_specs_id=None,
            is_public=True, description=None)
        return objects.Volume(
            context=self.ctx, id=new_id(), size=size,
            display_name='powermax-selftest', volume_type_id=vtype.id,
            volume_type=vtype, provider_location=None, metadata={},
            status='creating', host='%s@selftest#pool' % HOST)

    def _made(self, obj, update):
        obj.update(update or {})
        self.made.append(obj)
        return obj

    def _create(self, extra_specs):
        volume = self._volume(extra_specs)
        return self._made(volume, self.driver.create_volume(volume))

    def _snapshot(self, volume):
        snap = objects.Snapshot(
            context=self.ctx, id=new_id(), volume_id=volume.id,
            volume=volume, volume_size=volume.size, provider_location=None,
            display_name='powermax-selftest', status='creating')
        return self._made(snap, self.driver.create_snapshot(snap))

    def _clone(self, volume):
        clone = self._volume(volume.volume_type.extra_specs, volume.size)
        return self._made(clone, self.driver.create_cloned_volume(
            clone, volume))

    def _from_snapshot(self, snap):
        volume = self._volume(snap.volume.volume_type.extra_specs,
                              snap.volume_size)
        return self._made(volume, self.driver.create_volume_from_snapshot(
            volume, snap))

    def _extend(self, volume):
        self.driver.extend_volume(volume, 2)
        volume.size = 2
        return volume

    def _attach(self, volume):
        info = self.driver.initialize_connection(volume, self.connector)
        self.attached = volume
        return info

    def _detach(self):
        self.driver.terminate_connection(self.attached, self.connector)
        self.attached = None
        return True

    def _delete(self, obj):
        if isinstance(obj, objects.Snapshot):
            self.driver.delete_snapshot(obj)
        else:
            self.driver.delete_volume(obj)
        self.made.remove(obj)
        return True

    # -- cleaning up ----------------------------------------------------------

    def _clean_up(self):
        """Delete what was made, newest first; then look for leftovers."""
        if self.attached is not None:
            self.step('detach (clean-up)', self._detach)
        for obj in reversed(list(self.made)):
            kind = 'snapshot' if isinstance(obj, objects.Snapshot) else \
                'volume'
            self.step('delete %s' % kind, self._delete, obj)
        self.step('nothing left on the array', self._check_left)

    def _serials(self):
        """The arrays the self-test may have made something on."""
        settings = self.driver.common.settings
        return [settings.array] + sorted({
            d['target_device_id'] for d in settings.replication_devices or ()
            if d.get('target_device_id')})

    def _check_left(self):
        common = self.driver.common
        if common.arrays is None:
            return True  # setup failed before the array was reached
        for serial in self._serials():
            context = common.arrays.get(serial)
            found = inventory.Inventory(context.sloprov.client, serial)
            self.left += sorted(
                'device %s (%s) on %s' % (
                    d['volumeHeader']['volumeId'],
                    d['volumeHeader'].get('userDefinedIdentifier'), serial)
                for d in found.devices(IDENTIFIER_PREFIX))
            self.left += sorted('initiator group %s on %s' % (name, serial)
                                for name in found.hosts(naming.PREFIX + HOST))
        if self.left:
            raise RuntimeError('left behind: %s' % ', '.join(self.left))
        return True
