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

"""Operations on a volume whose record names another volume's device.

Cinder's records can be stale or copied: a ``provider_location`` or a
``replication_driver_data`` may name a device of another volume (a
retype that lost its pair leaves one, a restored database another).
Volume ``b``'s record here names a device of volume ``a``; whatever the
driver makes of it (acts on ``b``'s own devices, found by their names,
or refuses), ``a``'s devices on both arrays are left as they were and no
request names them (the runner's ``others`` and identity checks).

Each ``make`` gives ``(b as the record has it, b as it really is)``.
"""

from tests.sweep import base
from tests.sweep import operations


class ForeignRecordMixin:
    """Operations given a record of ``b`` naming ``a``'s devices."""

    def foreign(self, field, replicated=False):
        """``make`` for (b's foreign record, b's true one), and ``a``.

        :param field: the field of b's record that names a's device:
            ``provider_location`` or ``replication_driver_data``
        """
        vtype = self.rep_type() if replicated else self.volume_type()
        other = self.create(vtype=vtype)
        self.addCleanup(self.driver_call('delete_volume'), other)

        def make():
            volume = self.create(vtype=vtype)
            return base.record(volume, **{field: getattr(other, field)}), \
                volume
        return make, other

    def op_foreign_delete(self, field='provider_location',
                          replicated=False):
        make, other = self.foreign(field, replicated)
        return base.Operation(
            make, lambda pair: self.driver.delete_volume(pair[0]),
            lambda pair, result, where='': self.assertGone(pair[1], where),
            lambda pair, result: None, removes=True,
            others=lambda pair: [other])

    def op_foreign_extend(self, field='provider_location',
                          replicated=False):
        make, other = self.foreign(field, replicated)
        check = self.assertReplicated if replicated else self.assertDevice

        def verify(pair, result, where=''):
            pair[1].size = 2
            check(pair[1], where)
        return base.Operation(
            make, lambda pair: self.driver.extend_volume(pair[0], 2), verify,
            lambda pair, result: self.driver.delete_volume(pair[1]),
            others=lambda pair: [other])

    def op_foreign_attach(self):
        make, other = self.foreign('provider_location')

        def run(pair):
            return self.driver.initialize_connection(pair[0],
                                                     self.connector())

        def undo(pair, info):
            self.driver.terminate_connection(pair[1], self.connector())
            self.driver.delete_volume(pair[1])
        return base.Operation(
            make, run, lambda pair, info, where='': self.assertAttached(
                pair[1], operations.HOST_A, info, where), undo,
            others=lambda pair: [other])

    def op_foreign_retype(self):
        """Retype to a plain type a volume whose R2 record is another's."""
        make, other = self.foreign('replication_driver_data', True)
        plain = self.volume_type()
        op = self.op_retype_from_replicated()

        def run(pair):
            return op.run(pair[0])

        def undo(pair, result):
            pair[1].volume_type, pair[1].volume_type_id = plain, plain.id
            self.driver.delete_volume(pair[1])
        return base.Operation(
            make, run, lambda pair, result, where='': op.verify(
                pair[0], result, where), undo, others=lambda pair: [other])

    # -- failover and failback -----------------------------------------------

    def failed_over_alone(self, update, volume, where=''):
        """``volume``'s own pair moved, or it was marked in error alone."""
        if update['replication_status'] == 'error':
            return
        r2 = self.assertOwnLocation(volume, update['provider_location'],
                                    where)
        self.assertEqual('Failed Over', self.rem.pair_of(r2).state, where)

    def op_foreign_failover(self):
        """Fail over a volume whose R2 record names another's R2."""
        make, other = self.foreign('replication_driver_data', True)

        def run(pair):
            return self.driver.failover_host(self.ctx, [pair[0]], None)[1]

        def undo(pair, updates):
            update = updates[0]['updates']
            volume = pair[1]
            if update.get('replication_status') != 'error':
                volume = base.record(volume, **update)
            self.driver.failover_host(self.ctx, [volume], 'default')
            self.driver.delete_volume(pair[1])
        return base.Operation(
            make, run, lambda pair, updates, where='': self.failed_over_alone(
                updates[0]['updates'], pair[1], where), undo,
            others=lambda pair: [other])

    def op_foreign_failback(self):
        """Fail back a volume whose record of its R1 names another's R1."""
        vtype = self.rep_type()
        other = self.create(vtype=vtype)
        self.addCleanup(self.driver_call('delete_volume'), other)

        def make():
            volume = self.create(vtype=vtype)
            backend, updates, _groups = self.driver.failover_host(
                self.ctx, [volume], None)
            volume = base.record(volume, **updates[0]['updates'])
            return backend, base.record(
                volume, replication_driver_data=other.provider_location), \
                volume

        def run(inputs):
            self.driver.failover_completed(self.ctx, inputs[0])
            return self.driver.failover_host(self.ctx, [inputs[1]],
                                             'default')[1]

        def verify(inputs, updates, where=''):
            update = updates[0]['updates']
            if update['replication_status'] != 'error':
                self.assertOwnLocation(inputs[2], update['provider_location'],
                                       where)

        def undo(inputs, updates):
            volume = inputs[2]
            if updates[0]['updates']['replication_status'] == 'error':
                # Still failed over: back it goes, with its true record.
                self.driver.failover_completed(self.ctx, inputs[0])
                self.driver.failover_host(self.ctx, [volume], 'default')
            self.driver.delete_volume(base.record(
                volume, provider_location=volume.replication_driver_data,
                replication_driver_data=volume.provider_location))
        return base.Operation(make, run, verify, undo,
                              others=lambda inputs: [other])
