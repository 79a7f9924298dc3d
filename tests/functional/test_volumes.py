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

"""Provisioning through the Cinder API, checked on the array too.

Volume types and QoS, pools, create, show, list, delete, snapshots,
volume from snapshot, clone, extend and revert: each scenario asserts what
Cinder reports and what the fake array holds, and ends with the fake's leak
checker finding nothing.
"""

import logging

import fixtures

from tests.functional import base

GOLD_SG = base.GOLD_SG


class PoolsTest(base.FunctionalTestCase):

    def test_get_pools_detail(self):
        """``cinder get-pools --detail``: one pool per service level."""
        pools = {p['name']: p['capabilities'] for p in self.get_pools()}
        levels = ('Bronze', 'Diamond', 'Gold', 'Optimized', 'Platinum',
                  'Silver')
        for backend in base.BACKENDS:
            names = {name.split('#')[1] for name in pools
                     if name.startswith('%s@%s#' % (base.HOST, backend))}
            # Every service level alone, with NONE and None (the spellings
            # volumes of the in-tree driver carry), and no service level.
            expected = {base.pool(level, workload)
                        for level in levels + ('NONE', 'None')
                        for workload in (None, 'NONE', 'None')}
            self.assertEqual(expected, names)
        for name, caps in pools.items():
            backend = name.split('@')[1].split('#')[0]
            self.assertEqual(backend, caps['volume_backend_name'])
            self.assertEqual('Dell', caps['vendor_name'].split()[0])
            self.assertEqual(
                {base.FC: 'FC', base.ISCSI: 'iSCSI'}[backend],
                caps['storage_protocol'])
            self.assertEqual(name.split('#')[1], caps['pool_name'])
            self.assertGreater(caps['total_capacity_gb'], 0)
            self.assertGreater(caps['free_capacity_gb'], 0)
            self.assertIn(base.ARRAY, caps['location_info'])
        self.assertArrayClean()


class VolumeTest(base.FunctionalTestCase):

    def test_create_show_list_delete(self):
        vtype = self.volume_type('gold', pool_name=base.pool('Gold'),
                                 **{'storagetype:portgroupname':
                                    'OS-fibre-PG'})
        self.assertEqual(base.pool('Gold'),
                         vtype['extra_specs']['pool_name'])
        volume = self.create_volume(2, 'gold', name='vol-a')
        # Cinder's view: the pool of the type, and the device in metadata.
        self.assertEqual('%s@%s#%s' % (base.HOST, base.FC, base.pool('Gold')),
                         volume['os-vol-host-attr:host'])
        self.assertEqual(2, volume['size'])
        self.assertEqual('gold', volume['volume_type'])
        device = self.device(volume)
        meta = volume['metadata']
        self.assertEqual(device, meta['DeviceID'])
        self.assertEqual(base.ARRAY, meta['ArrayID'])
        self.assertEqual('Gold', meta['ServiceLevel'])
        self.assertEqual('SRP_1', meta['SRP'])
        listed = {v['id']: v for v in self.api.get_volumes()}
        self.assertEqual('available', listed[volume['id']]['status'])
        shown = self.api.get_volume(volume['id'])
        # Timestamps move with Cinder's own updates; the rest must agree.
        for key in ('id', 'size', 'volume_type', 'metadata', 'status',
                    'os-vol-host-attr:host'):
            self.assertEqual(volume.get(key), shown.get(key), key)
        # The array's view: a 2 GB device named after the volume in the
        # default storage group of its SRP, service level and workload.
        with self.fake.model.lock:
            self.assertEqual(2.0, self.arr.volumes[device].cap_gb)
            self.assertEqual([GOLD_SG], self.arr.groups_of(device))
            self.assertEqual('Gold', self.arr.storage_groups[GOLD_SG].slo)
            self.assertEqual([], self.arr.views_of_device(device))
        self.delete_volume(volume['id'])
        self.assertNotIn(device, self.arr.volumes)
        self.assertNotIn(GOLD_SG, self.arr.storage_groups)
        self.assertArrayClean()

    def test_default_service_level_of_the_backend(self):
        """A type naming only the backend gets powermax_service_level."""
        self.volume_type('plain', backend=base.ISCSI)
        volume = self.create_volume(1, 'plain')
        # The scheduler picks any pool of the backend; the array gets the
        # backend's service level all the same.
        self.assertTrue(volume['os-vol-host-attr:host'].startswith(
            '%s@%s#' % (base.HOST, base.ISCSI)))
        device = self.device(volume)
        self.assertEqual([base.DEFAULT_SG], self.arr.groups_of(device))
        self.assertEqual('Diamond', volume['metadata']['ServiceLevel'])
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_qos_host_io_limits(self):
        """Seed QoS use case 1: back-end QoS on the storage group."""
        vtype = self.volume_type('diamond-qos', pool_name=base.pool())
        qos = self.qos_specs('qos-1', total_iops_sec='500',
                             total_bytes_sec='104857600',
                             DistributionType='Always')
        self.associate_qos(qos['id'], vtype['id'])
        associations = self.api.api_get(
            '/qos-specs/%s/associations' % qos['id'])['qos_associations']
        self.assertEqual([vtype['id']], [a['id'] for a in associations])
        volume = self.create_volume(1, 'diamond-qos')
        device = self.device(volume)
        groups = self.arr.groups_of(device)
        self.assertEqual(1, len(groups))
        limits = self.arr.storage_groups[groups[0]].host_io_limit
        self.assertEqual({'host_io_limit_io_sec': '500',
                          'host_io_limit_mb_sec': '100',
                          'dynamicDistribution': 'Always'},
                         {k: str(v) for k, v in limits.items()})
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_qos_refused_ends_in_error(self):
        """A QoS the array cannot take leaves the volume in error.

        Not in ``creating`` for good: reading the type's QoS must not
        change the volume object Cinder saves afterwards.
        """
        vtype = self.volume_type('bad-qos', pool_name=base.pool())
        qos = self.qos_specs('qos-550', total_iops_sec='550')
        self.associate_qos(qos['id'], vtype['id'])
        volume = self.create_volume(1, 'bad-qos', expected='error')
        self.assertEqual('error', volume['status'])
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_snapshot_volume_from_snapshot_clone(self):
        self.volume_type('gold', pool_name=base.pool('Gold'))
        source = self.create_volume(1, 'gold', name='source')
        source_dev = self.device(source)
        self.fake.write(base.ARRAY, source_dev, 'source@snap')
        snap = self.create_snapshot(source['id'], 'snap-1')
        self.fake.write(base.ARRAY, source_dev, 'source@clone')
        self.assertEqual(source['id'], snap['volume_id'])
        self.assertEqual(1, snap['size'])
        snap_names = [s.name for s in self.arr.snapshots_of(source_dev)]
        self.assertEqual(1, len(snap_names), snap_names)

        from_snap = self.create_volume(2, 'gold', name='from-snap',
                                       snapshot_id=snap['id'])
        self.assertEqual(snap['id'], from_snap['snapshot_id'])
        self.assertEqual(2, from_snap['size'])
        from_dev = self.device(from_snap)
        self.assertNotEqual(source_dev, from_dev)
        self.assertEqual(2.0, self.arr.volumes[from_dev].cap_gb)
        self.assertEqual([GOLD_SG], self.arr.groups_of(from_dev))
        # The source's data at the snapshot, not as it is now.
        self.assertEqual('source@snap', self.fake.content(base.ARRAY,
                                                          from_dev))

        clone = self.create_volume(1, 'gold', name='clone',
                                   source_volid=source['id'])
        self.assertEqual(source['id'], clone['source_volid'])
        clone_dev = self.device(clone)
        self.assertNotIn(clone_dev, (source_dev, from_dev))
        self.assertEqual([GOLD_SG], self.arr.groups_of(clone_dev))
        # No temporary snapshot of the clone is left on the source.
        self.assertEqual(snap_names,
                         [s.name for s in self.arr.snapshots_of(source_dev)])
        self.assertEqual('source@clone', self.fake.content(base.ARRAY,
                                                           clone_dev))

        # The copies do not depend on the snapshot.
        self.delete_snapshot(snap['id'])
        self.assertEqual([], self.arr.snapshots_of(source_dev))
        self.assertEqual(
            ['source@snap', 'source@clone', 'source@clone'],
            [self.fake.content(base.ARRAY, d)
             for d in (from_dev, clone_dev, source_dev)])
        for volume in (from_snap, clone, source):
            self.delete_volume(volume['id'])
        self.assertEqual({}, {d: v for d, v in self.arr.volumes.items()
                              if v.identifier})
        self.assertArrayClean()

    def test_extend_available(self):
        self.volume_type('gold', pool_name=base.pool('Gold'))
        volume = self.create_volume(1, 'gold')
        device = self.device(volume)
        self.action(volume['id'], 'os-extend', {'new_size': 3})
        volume = self.wait_volume(volume['id'], ('extending',), 'available')
        self.assertEqual(3, volume['size'])
        self.assertEqual(3.0, self.arr.volumes[device].cap_gb)
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_revert_to_snapshot(self):
        self.volume_type('gold', pool_name=base.pool('Gold'))
        volume = self.create_volume(1, 'gold')
        device = self.device(volume)
        self.fake.write(base.ARRAY, device, 'before')
        snap = self.create_snapshot(volume['id'])
        self.fake.write(base.ARRAY, device, 'after')
        self.action(volume['id'], 'revert', {'snapshot_id': snap['id']})
        volume = self.wait_volume(volume['id'], ('reverting',), 'available')
        self.assertEqual('before', self.fake.content(base.ARRAY, device))
        self.assertEqual('available',
                         self.api.get_snapshot(snap['id'])['status'])
        self.assertEqual(device, self.device(volume))
        # No restore session is left running on the array.
        # (Cinder's own safety snapshot of the volume may still exist.)
        self.assertEqual([], [link for s in self.arr.snapshots_of(device)
                              for link in s.links if link.restore])
        self.delete_snapshot(snap['id'])
        self.delete_volume(volume['id'])
        self.assertArrayClean()

    def test_wrong_pool_name(self):
        """A type whose pool_name no backend has: error, and why."""
        scheduler_log = self.useFixture(fixtures.FakeLogger(
            name='cinder.scheduler', level=logging.INFO))
        self.volume_type('wrong', pool_name='Gold+SRP_9+%s' % base.ARRAY)
        volume = self.create_volume(1, 'wrong', expected='error')
        self.assertIsNone(volume['os-vol-host-attr:host'])
        messages = self.api.api_get('/messages')['messages']
        mine = [m for m in messages if m['resource_uuid'] == volume['id']]
        self.assertEqual(1, len(mine), messages)
        # The scheduler's capabilities filter refuses the pool before the
        # driver sees the volume.
        self.assertEqual('schedule allocate volume:Could not find any '
                         'available weighted backend.',
                         mine[0]['user_message'])
        # The operator finds why in the scheduler's log: the capabilities
        # filter removed every pool, for the type's pool_name.
        self.assertRegex(scheduler_log.output,
                         r'CapabilitiesFilter: \(start: \d+, end: 0\)')
        self.assertIn("'pool_name': 'Gold+SRP_9+%s'" % base.ARRAY,
                      scheduler_log.output)
        self.assertEqual({}, self.arr.volumes)
        self.delete_volume(volume['id'])
        self.assertArrayClean()
