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

"""Asynchronous and Metro operations, each call faulted, and the process dying.

An Async or Metro RDF group is acted on whole: its pairs are filed in the
management group ``OS-<label>-<mode>-rdf-sg`` on both arrays, a Metro
delete suspends them all and establishes the others again, an Async
failover moves them together. After every run (the repeat of a failed
one included) the management group holds exactly the RDF group's devices
on each array, or is gone with the last pair; the pairs that stay keep
replicating; and the leak check over both arrays is clean.

Both fake arrays run PowerMaxOS 5978: an Async extend is the online one.
"""

from cinder import exception as cinder_exception

from tests.sweep import base
from tests.sweep import operations

LABELS = {7: '23_24_007', 8: '23_24_008', 9: '23_24_009'}
# A pair's mode as the array reports it, and its states while replicating.
PAIR_MODES = {'Synchronous': 'Synchronous', 'Asynchronous': 'Asynchronous',
              'Metro': 'Active'}
REPLICATING = {'Synchronous': ('SyncInProg', 'Synchronized'),
               'Asynchronous': ('SyncInProg', 'Consistent'),
               'Metro': ('SyncInProg', 'ActiveBias', 'ActiveActive')}
SUFFIXES = {'Synchronous': 'RE', 'Asynchronous': 'RA', 'Metro': 'RM'}


class ModeOperationsMixin(operations.OperationsMixin):
    """Operations of a backend replicating in ``mode`` over ``number``."""

    mode = 'Asynchronous'
    number = 8
    flags = {'allow_extend': 'True'}

    def settings(self):
        values = super().settings()
        device = dict(operations.REP_DEVICE, mode=self.mode,
                      rdf_group_label=LABELS[self.number])
        device.update(self.flags)
        values['replication_device'] = [device]
        return values

    @property
    def management(self):
        """The management group; None in Synchronous mode, which has none."""
        if self.mode == 'Synchronous':
            return None
        return 'OS-%s-%s-rdf-sg' % (LABELS[self.number], self.mode)

    @property
    def default_sg(self):
        return 'OS-SRP_1-Diamond-NONE-%s-SG' % SUFFIXES[self.mode]

    # -- checks of both arrays -----------------------------------------------

    def assertManaged(self, where=''):
        """The management groups hold exactly the RDF group, both sides."""
        for array in (self.arr, self.rem):
            paired = sorted(array.rdf[self.number].pairs)
            if self.management is None:
                self.assertEqual([], [g for g in array.storage_groups
                                      if g.endswith('-rdf-sg')], where)
                continue
            if not paired:
                self.assertNotIn(self.management, array.storage_groups,
                                 where)
                continue
            self.assertIn(self.management, array.storage_groups, where)
            self.assertEqual(paired, sorted(array.members(self.management)),
                             '%s: %s' % (array.sid, where))

    def assertModePaired(self, volume, where='', states=None):
        """R1 and R2 paired in ``mode``, named, sized, in their groups."""
        r1 = self.assertDevice(volume, where)
        r2 = operations.naming_location(volume.replication_driver_data)
        pair = self.arr.rdf[self.number].pairs.get(r1)
        self.assertIsNotNone(pair, where)
        self.assertIs(pair, self.rem.rdf[self.number].pairs.get(r2), where)
        self.assertEqual(PAIR_MODES[self.mode], pair.mode, where)
        self.assertIn(pair.state, states or REPLICATING[self.mode], where)
        self.assertEqual('OS-' + volume.id, self.rem.volumes[r2].identifier,
                         where)
        self.assertEqual(float(volume.size), self.rem.volumes[r2].cap_gb,
                         where)
        self.assertIn(r1, self.arr.members(self.default_sg), where)
        self.assertIn(r2, self.rem.members(self.default_sg), where)
        return r1, r2

    def keepers(self, count):
        """Replicated volumes that stay while the sweep runs."""
        vtype = self.rep_type()
        found = [self.create(vtype=vtype) for _ in range(count)]
        for volume in found:
            self.addCleanup(self.driver_call('delete_volume'), volume)
        return found

    def assertKept(self, keepers, where=''):
        """The keepers still replicate, and the groups are right."""
        for volume in keepers:
            self.assertModePaired(volume, where)
        self.assertManaged(where)

    # -- operations ----------------------------------------------------------

    def op_create_in_mode(self, keepers=()):
        def check(volume, where=''):
            self.assertModePaired(volume, where)
            self.assertKept(keepers, where)
        return self.op_create(self.rep_type(), check)

    def op_delete_in_mode(self, keepers=()):
        def verify(volume, result, where=''):
            self.assertGone(volume, where)
            self.assertKept(keepers, where)
        return self.op_delete_replicated()._replace(verify=verify)

    def op_extend_in_mode(self, keepers=()):
        op = self.op_extend_replicated()

        def verify(size, result, where=''):
            op.verify(size, result, where)
            self.assertKept(keepers, where)
        return op._replace(verify=verify)

    def op_extend_refused(self):
        """Extend a Metro volume: refused, with nothing changed."""
        volume = self.create(size=1, vtype=self.rep_type())
        self.addCleanup(self.driver_call('delete_volume'), volume)

        def run(size):
            return self.assertRaises(cinder_exception.InvalidInput,
                                     self.driver.extend_volume, volume, size)

        def verify(size, refusal, where=''):
            self.assertIn('Metro', str(refusal), where)
            self.assertModePaired(volume, where)
        return base.Operation(lambda: 2, run, verify,
                              lambda size, result: None,
                              owners=lambda size: [volume])

    def op_clone_in_mode(self, keepers=()):
        """Clone a replicated volume into a new replicated one."""
        def check(volume, where=''):
            self.assertModePaired(volume, where)
            self.assertKept(keepers, where)
        return self.op_clone(self.rep_type(), check)

    def assertReplicated(self, volume, where=''):
        # The Synchronous check of the shared operations, in this mode.
        self.assertModePaired(volume, where)

    def fail_over(self, volumes, secondary=None):
        """Fail over (or back), the volumes taking their updates."""
        backend, updates, _groups = self.driver.failover_host(
            self.ctx, volumes, secondary)
        for volume, update in zip(volumes, updates):
            volume.update(update['updates'])
        return backend, updates

    def assertFailedOver(self, volumes, updates, where=''):
        for update in updates:
            self.assertEqual('failed-over',
                             update['updates']['replication_status'], where)
        for volume in volumes:
            self.assertOwnLocation(volume, volume.provider_location, where)
            # The volume's location is the R2 now, its data the R1.
            r2 = self.device_of(volume)
            pair = self.rem.rdf[self.number].pairs.get(r2)
            self.assertIsNotNone(pair, where)
            self.assertEqual('Failed Over', pair.state, where)
        self.assertManaged(where)

    def op_failover_in_mode(self, keepers=()):
        """Fail over two volumes (and the keepers); the undo fails back."""
        vtype = self.rep_type()

        def make():
            return [self.create(vtype=vtype), self.create(vtype=vtype)]

        def run(volumes):
            return self.fail_over(list(keepers) + volumes)[1]

        def verify(volumes, updates, where=''):
            self.assertFailedOver(list(keepers) + volumes, updates, where)

        def undo(volumes, updates):
            self.fail_over(list(keepers) + volumes, 'default')
            for volume in volumes:
                self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo,
                              owners=lambda volumes: list(keepers) + volumes)

    def op_failback_in_mode(self):
        """Fail two failed-over volumes back; the undo deletes them."""
        vtype = self.rep_type()

        def make():
            volumes = [self.create(vtype=vtype), self.create(vtype=vtype)]
            backend, _updates = self.fail_over(volumes)
            return backend, volumes

        def run(inputs):
            backend, volumes = inputs
            # A restarted cinder-volume learns from Cinder that its
            # backend is failed over.
            self.driver.failover_completed(self.ctx, backend)
            return self.fail_over(volumes, 'default')

        def verify(inputs, result, where=''):
            self.assertEqual('default', result[0], where)
            for volume, update in zip(inputs[1], result[1]):
                self.assertEqual('enabled', update['updates'][
                    'replication_status'], where)
                self.assertModePaired(volume, where)
            self.assertManaged(where)

        def undo(inputs, result):
            for volume in inputs[1]:
                self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo)


class ModeSweepMixin:
    """The sweeps of one mode; ``exercise`` faults or interrupts them."""

    def after_undo(self, where):
        self.assertManaged(where)

    def test_create_first(self):
        self.exercise(self.op_create_in_mode())

    def test_create_later(self):
        self.exercise(self.op_create_in_mode(self.keepers(1)))

    def test_delete_later(self):
        self.exercise(self.op_delete_in_mode(self.keepers(2)))

    def test_delete_last(self):
        self.exercise(self.op_delete_in_mode())

    def test_clone(self):
        self.exercise(self.op_clone_in_mode())


class AsyncFaultSweepTest(ModeSweepMixin, ModeOperationsMixin,
                          base.SweepTestCase):

    def test_extend(self):
        self.exercise(self.op_extend_in_mode(self.keepers(1)))

    def test_failover(self):
        self.exercise(self.op_failover_in_mode())

    def test_failback(self):
        self.exercise(self.op_failback_in_mode())


class AsyncInterruptionTest(base.Interrupted, AsyncFaultSweepTest):
    """The Asynchronous sweeps, the process dying at each call."""


class MetroFaultSweepTest(ModeSweepMixin, ModeOperationsMixin,
                          base.SweepTestCase):

    mode = 'Metro'
    number = 9
    flags = {'allow_delete_metro': 'True'}

    def test_extend_refused(self):
        self.exercise(self.op_extend_refused())


class MetroInterruptionTest(base.Interrupted, MetroFaultSweepTest):
    """The Metro sweeps, the process dying at each call."""


class SyncFaultSweepTest(ModeOperationsMixin, base.SweepTestCase):
    """What the Synchronous sweeps of test_replication do not cover."""

    mode = 'Synchronous'
    number = 7

    def after_undo(self, where):
        self.assertManaged(where)

    def test_clone(self):
        self.exercise(self.op_clone_in_mode())

    def test_failback(self):
        self.exercise(self.op_failback_in_mode())


class SyncInterruptionTest(base.Interrupted, SyncFaultSweepTest):
    """The Synchronous sweeps, the process dying at each call."""


class AsyncOutageTest(base.Outage, AsyncFaultSweepTest):
    """The Asynchronous sweeps, Unisphere down from each call on."""


class MetroOutageTest(base.Outage, MetroFaultSweepTest):
    """The Metro sweeps, Unisphere down from each call on."""


class SyncOutageTest(base.Outage, SyncFaultSweepTest):
    """The Synchronous sweeps, Unisphere down from each call on."""
