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

"""Every driver operation as a sweep sees it: make, run, verify, undo.

``verify`` compares what the driver returned with what the fake array
holds, so a "success" the array contradicts fails the sweep.
"""

import ast

from cinder_powermax import iscsi
from cinder_powermax import naming
from tests.sweep import base
from tests.sweep import manage_operations

HOST_A = 'SweepHostA'
HOST_B = 'SweepHostB'
GOLD = 'Gold+SRP_1+%s'
GOLD_SG = 'OS-SRP_1-Gold-NONE-SG'
DIAMOND_SG = manage_operations.DIAMOND_SG
DIAMOND_SG_2 = 'OS-SRP_1-Diamond-NONE-2-SG'
# A storage group holds 4,096 devices; these sweeps fill one with fewer.
GROUP_LIMIT = 3
RE_SG = 'OS-SRP_1-Diamond-NONE-RE-SG'
REP_DEVICE = {'target_device_id': '000197800124',
              'remote_port_group': 'OS-fibre-PG', 'remote_pool': 'SRP_1',
              'rdf_group_label': '23_24_007', 'allow_extend': 'True'}
GB_CYL = manage_operations.GB_CYL


def connector(protocol, host):
    number = sum(host.encode()) % 4096
    return {'host': host, 'wwpns': ['10000090fa%06x' % number,
                                    '10000090fb%06x' % number],
            'initiator': 'iqn.1993-08.org.debian:01:%s' % host.lower(),
            'multipath': True, 'ip': '10.0.0.%d' % (number % 250 + 1),
            'platform': 'x86_64', 'os_type': 'linux2'}


class ReplicatedBackendMixin:
    """A backend with :data:`REP_DEVICE` as its replication device."""

    def settings(self):
        values = super().settings()
        values['replication_device'] = [REP_DEVICE]
        return values


class OperationsMixin(manage_operations.ManageOperationsMixin):
    """The operations, against ``self.driver`` and ``self.arr``."""

    def connector(self, host=HOST_A):
        protocol = ('iSCSI' if self.driver_class is
                    iscsi.PowerMaxISCSIDriver else 'FC')
        found = connector(protocol, host)
        if protocol == 'FC':
            for wwpn in found['wwpns']:
                self.arr.log_in(wwpn)
        else:
            self.arr.log_in(found['initiator'])
        return found

    # -- checks of the array against results ---------------------------------

    def assertDevice(self, volume, where=''):
        device = self.device_of(volume)
        self.assertIn(device, self.arr.volumes, where)
        found = self.arr.volumes[device]
        self.assertEqual(naming.volume_identifier(volume.id),
                         found.identifier, where)
        self.assertEqual(float(volume.size), found.cap_gb, where)
        return device

    def assertIndependent(self, volume, where=''):
        device = self.assertDevice(volume, where)
        self.assertFalse(self.arr.is_snapvx_target(device), where)

    def write(self, volume, token):
        """A host writes ``token`` to the volume's device."""
        self.fake.write(self.array, self.device_of(volume), token)

    def assertHolds(self, volume, token, where=''):
        """The volume's device presents ``token``: its own data."""
        self.assertEqual(token, self.fake.content(
            self.array, self.device_of(volume)), where)

    def views_of(self, volume):
        return self.arr.views_of_device(self.device_of(volume))

    def view_name(self, host):
        return [v for v in self.arr.masking_views
                if v.startswith('OS-%s-' % host)]

    def assertAttached(self, volume, host, info, where=''):
        views = [v for v in self.views_of(volume)
                 if v.startswith('OS-%s-' % host)]
        self.assertEqual(1, len(views), where)
        lun = self.arr.masking_views[views[0]].luns[self.device_of(volume)]
        self.assertEqual(lun, info['data']['target_lun'], where)

    def assertDetached(self, volume, host, where=''):
        self.assertEqual([], [v for v in self.views_of(volume)
                              if v.startswith('OS-%s-' % host)], where)

    # -- volumes -------------------------------------------------------------

    def op_create(self, vtype=None, check=None):
        """Create a volume; ``check(volume, where)`` verifies it."""
        check = check or self.assertDevice

        def run(volume):
            volume.update(self.driver.create_volume(volume))
            return volume

        def verify(volume, result, where=''):
            check(result, where)
            # A new device is blank: never another volume's data.
            self.assertHolds(result, '', where)
        return base.Operation(
            lambda: self.volume(vtype=vtype), run, verify,
            lambda volume, result: self.driver.delete_volume(result),
            cleanup=self.delete_errored)

    def delete_errored(self, volume):
        """Cinder deletes the volume a failed create left in error."""
        self.driver.delete_volume(base.errored(volume))

    def op_delete(self):
        def verify(volume, result, where=''):
            self.assertEqual([], [d for d, v in self.arr.volumes.items()
                                  if v.identifier == 'OS-' + volume.id],
                             where)
        return base.Operation(self.create, self.driver_call('delete_volume'),
                              verify, lambda volume, result: None,
                              removes=True)

    def driver_call(self, name, *args):
        """``run`` for a driver method, looked up on the current driver."""
        return lambda *inputs: getattr(self.driver, name)(*inputs, *args)

    def op_extend(self, attached=False):
        volume = self.create(size=1)
        if attached:
            self.driver.initialize_connection(volume, self.connector())
        sizes = iter(range(2, 1000))

        def make():
            return next(sizes)

        def run(size):
            self.driver.extend_volume(volume, size)
            return size

        def verify(size, result, where=''):
            self.assertEqual(float(size), self.arr.volumes[
                self.device_of(volume)].cap_gb, where)
        self.addCleanup(self.cleanup_volume, volume, attached)
        return base.Operation(make, run, verify, lambda size, result: None,
                              owners=lambda size: [volume])

    def cleanup_volume(self, volume, attached=False):
        if attached:
            self.driver.terminate_connection(volume, self.connector())
        self.driver.delete_volume(volume)

    # -- snapshots -----------------------------------------------------------

    def op_create_snapshot(self):
        volume = self.create()
        self.addCleanup(self.driver.delete_volume, volume)

        def run(snap):
            snap.update(self.driver.create_snapshot(snap))
            return snap

        def verify(snap, result, where=''):
            names = [s.name for s in self.arr.snapshots_of(
                self.device_of(volume))]
            self.assertIn(naming.snapshot_name(snap.id), names, where)
        return base.Operation(lambda: self.snapshot(volume), run, verify,
                              lambda snap, result: self.driver
                              .delete_snapshot(result),
                              cleanup=lambda snap: self.driver.delete_snapshot(
                                  base.record(snap, status='deleting',
                                              provider_location=None)))

    def op_delete_snapshot(self):
        volume = self.create()
        self.addCleanup(self.driver.delete_volume, volume)

        def verify(snap, result, where=''):
            self.assertEqual([], [s.name for s in self.arr.snapshots_of(
                self.device_of(volume))], where)
        return base.Operation(lambda: self.take_snapshot(volume),
                              self.driver_call('delete_snapshot'), verify,
                              lambda snap, result: None, removes=True)

    def op_from_snapshot(self):
        source = self.create()
        self.write(source, 'source at the snapshot')
        snap = self.take_snapshot(source)
        self.write(source, 'source since')
        self.addCleanup(self.driver.delete_volume, source)
        self.addCleanup(self.driver.delete_snapshot, snap)

        def run(volume):
            volume.update(self.driver.create_volume_from_snapshot(volume,
                                                                  snap))
            return volume

        def verify(volume, result, where=''):
            self.assertIndependent(result, where)
            self.assertHolds(result, 'source at the snapshot', where)
            self.assertHolds(source, 'source since', where)
        return base.Operation(
            lambda: self.volume(snapshot_id=snap.id), run, verify,
            lambda volume, result: self.driver.delete_volume(result),
            owners=lambda volume: [volume, source],
            cleanup=self.delete_errored)

    def op_clone(self, vtype=None, check=None):
        """Clone a volume of ``vtype``; ``check(volume, where)`` the copy."""
        check = check or self.assertIndependent
        source = self.create(vtype=vtype)
        self.write(source, 'clone source')
        self.addCleanup(self.driver_call('delete_volume'), source)

        def run(volume):
            volume.update(self.driver.create_cloned_volume(volume, source))
            return volume

        def verify(volume, result, where=''):
            check(result, where)
            self.assertFalse(self.arr.is_snapvx_target(
                self.device_of(result)), where)
            self.assertHolds(result, 'clone source', where)
            self.assertEqual([], [s.name for s in self.arr.snapshots_of(
                self.device_of(source))], where)
        return base.Operation(lambda: self.volume(vtype=vtype,
                                                  source_volid=source.id),
                              run, verify,
                              lambda volume, result: self.driver
                              .delete_volume(result),
                              owners=lambda volume: [volume, source],
                              cleanup=self.delete_errored)

    def op_revert(self):
        volume = self.create()
        self.write(volume, 'at the snapshot')
        snap = self.take_snapshot(volume)
        self.addCleanup(self.driver.delete_volume, volume)
        self.addCleanup(self.driver.delete_snapshot, snap)

        def make():
            self.write(volume, 'written since')
            return snap

        def verify(inputs, result, where=''):
            self.assertHolds(volume, 'at the snapshot', where)
            device = self.device_of(volume)
            for found in self.arr.snapshots_of(device):
                self.assertEqual([], [link for link in found.links
                                      if link.target == device], where)
        return base.Operation(
            make, lambda s: self.driver.revert_to_snapshot(
                self.ctx, volume, s), verify, lambda s, result: None)

    # -- attach and detach ---------------------------------------------------

    def op_attach(self, host=HOST_A, others=()):
        """Attach a new volume to ``host``; ``others`` attached first."""
        def make():
            volume = self.create()
            self.write(volume, 'own data of %s' % volume.id)
            for other in others:
                self.driver.initialize_connection(volume,
                                                  self.connector(other))
            return volume

        def run(volume):
            return self.driver.initialize_connection(volume,
                                                     self.connector(host))

        def verify(volume, info, where=''):
            self.assertAttached(volume, host, info, where)
            # The host reaches this volume's device, holding its data.
            self.assertEqual([(self.array, self.device_of(volume))],
                             self.fake.presented(info['data'],
                                                 self.connector(host)),
                             where)
            self.assertHolds(volume, 'own data of %s' % volume.id, where)
            for other in others:
                self.assertEqual(1, len([v for v in self.views_of(volume)
                                         if v.startswith('OS-%s-' % other)]),
                                 where)

        def undo(volume, info):
            for name in (host,) + tuple(others):
                self.driver.terminate_connection(volume,
                                                 self.connector(name))
            self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo)

    def op_detach(self, host=HOST_A, last=True):
        """Detach a volume from ``host``; another volume stays unless last."""
        if not last:
            keeper = self.create()
            self.driver.initialize_connection(keeper, self.connector(host))
            self.addCleanup(self.cleanup_volume_on, keeper, host)

        def make():
            volume = self.create()
            self.driver.initialize_connection(volume, self.connector(host))
            return volume

        def run(volume):
            return self.driver.terminate_connection(volume,
                                                    self.connector(host))
        return base.Operation(
            make, run,
            lambda volume, result, where='': self.assertDetached(
                volume, host, where),
            lambda volume, result: self.driver.delete_volume(volume),
            removes=True)

    # -- full default groups -------------------------------------------------

    def fill_default_group(self, outsiders):
        """Devices of another client in the Diamond default group.

        The group then holds ``GROUP_LIMIT`` minus what the sweep's
        operation brings.
        """
        self.arr.max_sg_devices = GROUP_LIMIT
        self.arr.create_group(DIAMOND_SG, srp='SRP_1', slo='Diamond',
                              workload='NONE')
        self.arr.create_volumes(DIAMOND_SG, outsiders, GB_CYL, 'outsider')

    def op_create_past_full_group(self):
        """Create when the default group filled since the last create."""
        self.fill_default_group(GROUP_LIMIT)

        def make():
            self.new_driver()
            return self.volume()

        def run(volume):
            volume.update(self.driver.create_volume(volume))
            return volume

        def verify(volume, result, where=''):
            device = self.assertDevice(result, where)
            self.assertEqual([DIAMOND_SG_2], self.arr.groups_of(device),
                             where)
        return base.Operation(
            make, run, verify,
            lambda volume, result: self.driver.delete_volume(result),
            cleanup=self.delete_errored)

    def op_detach_into_full_group(self, host=HOST_A):
        """Detach when the default group filled while it was attached."""
        self.fill_default_group(GROUP_LIMIT - 1)

        def make():
            self.new_driver()
            volume = self.create()
            self.driver.initialize_connection(volume, self.connector(host))
            # Another create takes the place the attach freed.
            return volume, self.create()

        def run(inputs):
            return self.driver.terminate_connection(inputs[0],
                                                    self.connector(host))

        def verify(inputs, result, where=''):
            self.assertDetached(inputs[0], host, where)
            self.assertEqual([DIAMOND_SG_2], self.arr.groups_of(
                self.device_of(inputs[0])), where)

        def undo(inputs, result):
            for volume in inputs:
                self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo, removes=True)

    def cleanup_volume_on(self, volume, host):
        self.driver.terminate_connection(volume, self.connector(host))
        self.driver.delete_volume(volume)

    # -- retype and migration ------------------------------------------------

    def op_retype(self, attached=False):
        """Retype a new volume to Gold with QoS, detached or attached."""
        gold = self.volume_type({'pool_name': GOLD % self.array},
                                qos={'total_iops_sec': '500'})
        location = {'host': 'host@sweep#' + GOLD % self.array,
                    'capabilities': {'location_info': '%s#SRP_1#Gold#NONE'
                                     % self.array}}

        def make():
            volume = self.create()
            if attached:
                self.driver.initialize_connection(volume, self.connector())
            return volume

        def run(volume):
            return self.driver.retype(self.ctx, volume, gold, {}, location)

        def verify(volume, done, where=''):
            self.assertTrue(done, where)
            groups = self.arr.groups_of(self.device_of(volume))
            self.assertEqual(['Gold'], [self.arr.storage_groups[g].slo
                                        for g in groups], where)
            self.assertEqual('500', self.arr.storage_groups[groups[0]]
                             .host_io_limit['host_io_limit_io_sec'], where)
            if attached:
                self.assertEqual(1, len(self.views_of(volume)), where)

        def undo(volume, done):
            volume.volume_type, volume.volume_type_id = gold, gold.id
            if attached:
                self.driver.terminate_connection(volume, self.connector())
            self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo)

    def op_migrate(self):
        """Hand an available volume to a Gold pool of the same array."""
        location = {'host': 'host@other#' + GOLD % self.array,
                    'capabilities': {'location_info': '%s#SRP_1#Gold#NONE'
                                     % self.array}}

        def verify(volume, result, where=''):
            self.assertEqual((True, None), result, where)
            self.assertEqual([GOLD_SG], self.arr.groups_of(
                self.device_of(volume)), where)

        def undo(volume, result):
            volume.volume_type = self.volume_type(
                {'pool_name': GOLD % self.array})
            volume.volume_type_id = volume.volume_type.id
            self.driver.delete_volume(volume)
        return base.Operation(
            lambda: self.create(status='available'),
            lambda volume: self.driver.migrate_volume(self.ctx, volume,
                                                      location),
            verify, undo)

    # -- stats and setup -----------------------------------------------------

    def op_stats(self):
        def verify(inputs, stats, where=''):
            srp = self.arr.srps['SRP_1']
            self.assertEqual(round(srp.total_gb, 2),
                             stats['pools'][0]['total_capacity_gb'], where)
        return base.Operation(
            lambda: None,
            lambda inputs: self.driver.get_volume_stats(refresh=True),
            verify, lambda inputs, result: None)

    def op_setup(self):
        def run(inputs):
            self.driver = self.make_driver()
            self.driver.do_setup(self.ctx)
            self.driver.check_for_setup_error()
            return self.driver.common.array

        def verify(inputs, info, where=''):
            self.assertEqual(self.array, info.serial, where)
            self.assertEqual(self.arr.model, info.model, where)
        return base.Operation(lambda: None, run, verify,
                              lambda inputs, result: None)

    # -- SRDF replication (backends with REP_DEVICE) -------------------------

    @property
    def rem(self):
        return self.fake.model.arrays[REP_DEVICE['target_device_id']]

    def rep_type(self):
        return self.volume_type({'replication_enabled': '<is> True'})

    def assertReplicated(self, volume, where=''):
        """The R1 and its R2, paired, named and in their groups."""
        r1 = self.assertDevice(volume, where)
        r2 = naming_location(volume.replication_driver_data)
        pair = self.arr.rdf[7].pairs.get(r1)
        self.assertIsNotNone(pair, where)
        self.assertEqual((r1, r2), (pair.r1_dev, pair.r2_dev), where)
        self.assertEqual('OS-' + volume.id, self.rem.volumes[r2].identifier,
                         where)
        self.assertIn(r1, self.arr.members(RE_SG), where)
        self.assertIn(r2, self.rem.members(RE_SG), where)
        self.assertEqual(float(volume.size), self.rem.volumes[r2].cap_gb,
                         where)

    def op_create_replicated(self):
        return self.op_create(self.rep_type(), self.assertReplicated)

    def op_delete_replicated(self):
        vtype = self.rep_type()

        return base.Operation(lambda: self.create(vtype=vtype),
                              self.driver_call('delete_volume'),
                              lambda volume, result, where='':
                              self.assertGone(volume, where),
                              lambda volume, result: None, removes=True)

    def assertGone(self, volume, where=''):
        """No device of either array carries ``volume``'s identifier."""
        for array in (self.arr, self.rem):
            self.assertEqual([], [d for d, v in array.volumes.items()
                                  if v.identifier == 'OS-' + volume.id],
                             where)

    def op_extend_replicated(self):
        volume = self.create(size=1, vtype=self.rep_type())
        sizes = iter(range(2, 1000))

        def run(size):
            self.driver.extend_volume(volume, size)
            return size

        def verify(size, result, where=''):
            volume.size = size
            self.assertReplicated(volume, where)
        self.addCleanup(self.cleanup_volume, volume)
        return base.Operation(lambda: next(sizes), run, verify,
                              lambda size, result: None,
                              owners=lambda size: [volume])

    def _retype_op(self, make, vtype, verify):
        """Retype a volume ``make`` gives to ``vtype``, Diamond, in place."""
        location = {'host': 'host@sweep#Diamond+SRP_1+' + self.array,
                    'capabilities': {'location_info': '%s#SRP_1#Diamond#NONE'
                                     % self.array}}

        def run(volume):
            done = self.driver.retype(self.ctx, volume, vtype, {}, location)
            volume.volume_type, volume.volume_type_id = vtype, vtype.id
            volume.update(done[1])
            return volume
        return base.Operation(make, run, verify,
                              lambda volume, result: self.driver
                              .delete_volume(result))

    def op_retype_to_replicated(self):
        """Retype a new plain volume to a replicated type in place."""
        return self._retype_op(
            self.create, self.rep_type(),
            lambda volume, result, where='': self.assertReplicated(result,
                                                                   where))

    def op_retype_from_replicated(self):
        """Retype a new replicated volume to a plain type in place."""
        def verify(volume, result, where=''):
            device = self.assertDevice(result, where)
            self.assertEqual('disabled', result.replication_status, where)
            self.assertIsNone(self.arr.pair_of(device), where)
            self.assertEqual([DIAMOND_SG], self.arr.groups_of(device), where)
            self.assertEqual([], [d for d, v in self.rem.volumes.items()
                                  if v.identifier == 'OS-' + volume.id],
                             where)
        return self._retype_op(lambda: self.create(vtype=self.rep_type()),
                               self.volume_type(), verify)

    def op_manage_replicated(self, grouped=True):
        """Manage a device by its id into a replicated type."""
        return self.op_manage(self.rep_type(), self.assertReplicated,
                              grouped)

    def op_unmanage_replicated(self):
        """Unmanage a replicated volume: unpaired, or refused."""
        return self.op_unmanage(self.rep_type(), self.assertReplicated)

    def op_failover(self):
        """Fail over two replicated volumes; the undo fails back."""
        vtype = self.rep_type()

        def make():
            volumes = [self.create(vtype=vtype), self.create(vtype=vtype)]
            for volume in volumes:
                self.write(volume, 'own data of %s' % volume.id)
            return volumes

        def run(volumes):
            backend, updates, _groups = self.driver.failover_host(
                self.ctx, volumes, None)
            return updates

        def verify(volumes, updates, where=''):
            for volume, update in zip(volumes, updates):
                self.assertEqual('failed-over', update['updates'][
                    'replication_status'], where)
                r2 = self.assertOwnLocation(
                    volume, update['updates']['provider_location'], where)
                pair = self.rem.rdf[7].pairs[r2]
                self.assertEqual('Failed Over', pair.state, where)
                # What the volume now is on the target holds its data.
                self.assertEqual('own data of %s' % volume.id,
                                 self.fake.content(self.rem.sid, r2), where)

        def undo(volumes, updates):
            self.driver.failover_host(self.ctx, volumes, 'default')
            for volume in volumes:
                self.assertHolds(volume, 'own data of %s' % volume.id)
                self.driver.delete_volume(volume)
        return base.Operation(make, run, verify, undo)


def naming_location(text):
    """The device id of a location string."""
    return ast.literal_eval(text)['device_id']
