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

"""Sixteen attaches (and detaches) of different volumes to one new host.

The shared objects (initiator group, parent storage group, child storage
group, masking view) are created once, under ``cinder.coordination``
locks, whatever the interleaving; every volume gets its own LUN; the
detaches together remove everything of the host.
"""

from concurrent import futures

from cinder_powermax import iscsi
from cinder_powermax import naming
from tests.unit import base

THREADS = 16
ROUNDS = 3
SRP = base.SRP


class ConcurrentAttachMixin:

    protocol = 'FC'
    port_group = 'OS-fibre-PG'

    def connector(self):
        raise NotImplementedError

    def names(self):
        label = naming.short_host_name(self.connector()['host'])
        pg = naming.port_group_label(self.port_group)
        return (naming.initiator_group_name(label, self.protocol),
                naming.parent_sg_name(label, self.protocol, pg),
                naming.child_sg_name(label, SRP, 'Diamond', None, pg),
                naming.masking_view_name(label, self.protocol, pg))

    def host_objects(self):
        stem = '%s%s-' % (naming.PREFIX, naming.short_host_name(
            self.connector()['host']))
        return ([h for h in self.arr.hosts if h.startswith(stem)],
                [v for v in self.arr.masking_views if v.startswith(stem)],
                [g for g in self.arr.storage_groups if g.startswith(stem)])

    def run_all(self, func, volumes):
        with futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
            jobs = [pool.submit(func, volume, self.connector())
                    for volume in volumes]
            # result() re-raises what a thread raised.
            return [job.result() for job in jobs]

    def one_round(self, round_no):
        vtype = self.volume_type()
        volumes = [self.create(vtype=vtype) for _ in range(THREADS)]
        devices = [self.device_of(v) for v in volumes]
        baseline = self.fake.snapshot()
        ig, parent, child, mv = self.names()

        self.log_in(self.connector())
        infos = self.run_all(self.driver.initialize_connection, volumes)

        hosts, views, groups = self.host_objects()
        where = 'round %d' % round_no
        self.assertEqual([ig], hosts, where)
        self.assertEqual([mv], views, where)
        self.assertEqual(sorted([parent, child]), sorted(groups), where)
        self.assertEqual([mv], self.arr.views_of_host(ig), where)
        self.assertEqual([child], self.arr.storage_groups[parent].children,
                         where)
        self.assertEqual(sorted(devices),
                         sorted(self.arr.storage_groups[child].volumes),
                         where)
        luns = self.arr.masking_views[mv].luns
        self.assertEqual(sorted(devices), sorted(luns), where)
        self.assertEqual(THREADS, len(set(luns.values())), where)
        for device, info in zip(devices, infos):
            self.assertEqual(luns[device], info['data']['target_lun'],
                             where)
            self.assertEqual([child], self.arr.groups_of(device), where)

        results = self.run_all(self.driver.terminate_connection, volumes)

        self.assertEqual(([], [], []), self.host_objects(), where)
        for device in devices:
            self.assertEqual(['OS-SRP_1-Diamond-NONE-SG'],
                             self.arr.groups_of(device), where)
            self.assertEqual([], self.arr.views_of_device(device), where)
        self.assertEqual([], self.fake.check(baseline), where)
        self.check_detach_results(results, where)
        for volume in volumes:
            self.driver.delete_volume(volume)
        self.assertClean()

    def check_detach_results(self, results, where):
        pass

    def test_sixteen_attaches_and_detaches(self):
        # A little time per request lets the threads interleave.
        self.fake.latency.request_delay = 0.002
        for round_no in range(ROUNDS):
            self.one_round(round_no)


class FCConcurrentAttachTest(ConcurrentAttachMixin, base.DriverTestCase):

    def connector(self):
        return {'host': 'HostC',
                'wwpns': ['10000090fa0c0001', '10000090fa0c0002'],
                'wwnns': ['20000090fa0c0001', '20000090fa0c0002'],
                'initiator': 'iqn.1993-08.org.debian:01:hostc',
                'multipath': False, 'ip': '10.0.0.3'}

    def check_detach_results(self, results, where):
        # Only the detach that removed the view returns zoning data.
        zoned = [r for r in results if r['data']]
        self.assertEqual(1, len(zoned), where)
        self.assertEqual(sorted(self.connector()['wwpns']),
                         sorted(zoned[0]['data']['initiator_target_map']),
                         where)


class ISCSIConcurrentAttachTest(ConcurrentAttachMixin, base.DriverTestCase):

    driver_class = iscsi.PowerMaxISCSIDriver
    protocol = 'iSCSI'
    port_group = 'OS-iscsi-PG'

    def connector(self):
        return {'host': 'HostC',
                'initiator': 'iqn.1993-08.org.debian:01:hostc',
                'multipath': True, 'ip': '10.0.1.3'}
