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

"""The NVMe/TCP driver on a PowerMax 8500: setup, attach, detach.

Masking is asserted on the array the fake holds (initiator groups of host
NQNs, views over NVMe/TCP port groups); the connection information is
handed to os-brick's own NVMe-oF connection-properties parser.
"""

import uuid

from cinder import exception as cinder_exception
from os_brick.initiator.connectors import nvmeof
import testtools

from cinder_powermax import naming
from cinder_powermax import nvme_tcp
from tests.fake_unisphere import data
from tests.fake_unisphere import model
from tests.fake_unisphere import nvme as fake_nvme
from tests.unit import base
from tests.unit import test_attach

SID = data.POWERMAX_8500
NVME_PG, NVME_PG2 = 'OS-nvme-PG', 'OS-nvme2-PG'
CINDER_ERRORS = test_attach.CINDER_ERRORS


def nvme_connector(host='HostN', host_id=None, multipath=False):
    """An os-brick NVMe-oF connector of a host with nvme-cli."""
    host_id = host_id or str(uuid.uuid5(uuid.NAMESPACE_DNS, host))
    return {'host': host, 'ip': '10.0.2.%d' % (len(host) % 200 + 1),
            'nqn': 'nqn.2014-08.org.nvmexpress:uuid:%s' % host_id,
            'nvme_hostid': host_id, 'uuid': host_id,
            'system uuid': host_id, 'nvme_native_multipath': True,
            'multipath': multipath, 'platform': 'x86_64',
            'os_type': 'linux2'}


def host_nqn(connector):
    return '%s:%s' % (connector['nqn'],
                      connector['nvme_hostid'].replace('-', ''))


HOST_N = nvme_connector()
HOST_M = nvme_connector('HostM')


def names(host, pg=NVME_PG):
    return test_attach.names(host, 'NVMe_TCP', pg)


class NVMeTestCase(test_attach.AttachTestMixin, base.DriverTestCase):
    """The NVMe/TCP driver on the PowerMax 8500 of the fake."""

    driver_class = nvme_tcp.PowerMaxNVMETCPDriver
    array = SID
    port_groups = [NVME_PG]

    def settings(self):
        values = super().settings()
        values['powermax_port_groups'] = list(self.port_groups)
        return values

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type()

    def nvme_ports(self, pg=NVME_PG):
        return [self.arr.port(d, p) for d, p in self.arr.port_groups[pg].ports]


class NVMeAttachTest(NVMeTestCase):

    def test_first_attach_creates_masking_objects(self):
        volume = self.create(vtype=self.vtype)
        device = self.device_of(volume)
        info = self.attach(volume, HOST_N)
        expected = names('HostN')
        self.assertEqual('OS-HostN-NT-OS-nvme-PG-MV', expected.mv)
        self.assertEqual('OS-HostN-NT-IG', expected.ig)
        self.assertEqual([host_nqn(HOST_N)],
                         self.arr.hosts[expected.ig].initiators)
        view = self.arr.masking_views[expected.mv]
        self.assertEqual((expected.ig, NVME_PG, expected.parent),
                         (view.host, view.port_group, view.storage_group))
        self.assertEqual([expected.child], self.arr.groups_of(device))
        self.assertEqual('nvmeof', info['driver_volume_type'])
        self.assertEqual([], self.problems())

    def test_connection_info_is_what_os_brick_takes(self):
        volume = self.create(vtype=self.vtype)
        data_ = self.attach(volume, HOST_N)['data']
        endpoints = self.nvme_ports()
        nqn = fake_nvme.subsystem_nqn(SID)
        self.assertEqual({nqn}, {p.identifier for p in endpoints})
        self.assertEqual(
            sorted((ip, 4420, 'tcp') for p in endpoints
                   for ip in p.ip_addresses),
            sorted(tuple(p) for p in data_['portals']))
        self.assertEqual(nqn, data_['target_nqn'])
        nguid = self.arr.volumes[self.device_of(volume)].wwn[:32]
        self.assertEqual(nguid, data_['volume_nguid'])
        self.assertIs(True, data_['discard'])
        # os-brick's own parser of NVMe-oF connection properties.
        props = nvmeof.NVMeOFConnProps(dict(data_))
        (target,) = props.targets
        self.assertEqual(nqn, target.nqn)
        self.assertEqual(str(uuid.UUID(nguid)), target.nguid)
        self.assertEqual(len(data_['portals']), len(target.portals))
        self.assertEqual({'tcp'}, {p.transport for p in target.portals})

    def test_last_detach_removes_everything(self):
        volume = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.attach(volume, HOST_N)
        self.assertIsNone(self.detach(volume, HOST_N))
        self.assertNothingFor('HostN')
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_second_volume_reuses_view(self):
        first = self.create(vtype=self.vtype)
        second = self.create(vtype=self.vtype)
        self.attach(first, HOST_N)
        lun = self.lun(names('HostN').mv, first)
        self.attach(second, HOST_N)
        self.assertEqual(['OS-HostN-NT-OS-nvme-PG-MV'],
                         [v for v in self.arr.masking_views
                          if 'HostN' in v])
        self.assertEqual(lun, self.lun(names('HostN').mv, first))
        self.detach(first, HOST_N)
        self.detach(second, HOST_N)
        self.assertNothingFor('HostN')

    def test_existing_initiator_group_is_reused(self):
        # An NVMe host the administrator grouped under another name: the
        # array lets an initiator be in one group only.
        self.log_in(HOST_N)
        self.arr.create_host('admin-nvme-host', [host_nqn(HOST_N)])
        volume = self.create(vtype=self.vtype)
        self.attach(volume, HOST_N)
        view = self.arr.masking_views[names('HostN').mv]
        self.assertEqual('admin-nvme-host', view.host)
        self.assertNotIn(names('HostN').ig, self.arr.hosts)
        self.detach(volume, HOST_N)
        self.assertIn('admin-nvme-host', self.arr.hosts)
        self.assertNotIn(names('HostN').mv, self.arr.masking_views)

    def test_live_migration_between_nvme_hosts(self):
        volume = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.attach(volume, HOST_N)
        info = self.attach(volume, HOST_M)
        device = self.device_of(volume)
        self.assertEqual({names('HostN').mv, names('HostM').mv},
                         set(self.arr.views_of_device(device)))
        self.assertLessEqual(len(self.fast_groups_of(device)), 1)
        nguid = info['data']['volume_nguid']
        self.detach(volume, HOST_N)
        self.assertNothingFor('HostN')
        self.assertEqual([names('HostM').mv],
                         self.arr.views_of_device(device))
        self.assertEqual([names('HostM').child], self.fast_groups_of(device))
        self.assertEqual(nguid, self.attach(volume, HOST_M)['data'][
            'volume_nguid'])
        self.detach(volume, HOST_M)
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_multiattach(self):
        vtype = self.volume_type({'multiattach': '<is> True'})
        volume = self.create(vtype=vtype, multiattach=True)
        self.attach(volume, HOST_N)
        self.attach(volume, HOST_M)
        device = self.device_of(volume)
        self.assertIn(device, self.arr.storage_groups[
            names('HostN').no_slo].volumes)
        self.detach(volume, HOST_M)
        self.detach(volume, HOST_N)
        self.assertNothingFor('HostN')
        self.assertNothingFor('HostM')
        self.assertInDefaultGroup(volume)

    def test_connector_without_nqn_refused(self):
        volume = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        for key in ('nqn', 'nvme_hostid'):
            connector = dict(HOST_N)
            del connector[key]
            error = self.assertRaises(
                cinder_exception.InvalidConnectorException,
                self.driver.initialize_connection, volume, connector)
            self.assertIn(key, str(error))
        self.assertEqual([], self.fake.check(baseline))

    def test_initiator_check_refuses_host_not_logged_in(self):
        driver = self.make_driver(initiator_check=True)
        driver.do_setup(self.ctx)
        volume = self.create(vtype=self.vtype)
        error = self.assertRaises(
            cinder_exception.InvalidConnectorException,
            driver.initialize_connection, volume, HOST_M)
        self.assertIn(host_nqn(HOST_M), str(error))
        self.log_in(HOST_M)
        self.assertEqual('nvmeof', driver.initialize_connection(
            volume, HOST_M)['driver_volume_type'])
        driver.terminate_connection(volume, HOST_M)
        self.assertNothingFor('HostM')

    def test_stats_protocol(self):
        stats = self.driver.get_volume_stats(refresh=True)
        self.assertEqual('NVMe-TCP', stats['storage_protocol'])

    def test_attach_fault_sweep(self):
        def failed(volume, baseline, where):
            self.assertEqual([], self.problems(baseline), where)
            self.assertInDefaultGroup(volume)

        def finish(volume, info, baseline, where):
            self.assertEqual(self.device_of(volume), next(
                d for d, v in self.arr.volumes.items()
                if v.wwn[:32] == info['data']['volume_nguid']), where)
            self.detach(volume, HOST_N)
            self.assertEqual([], self.problems(baseline), where)
            self.driver.delete_volume(volume)

        def undo(volume, info):
            self.detach(volume, HOST_N)
            self.driver.delete_volume(volume)

        self.fault_sweep(lambda: self.create(vtype=self.vtype),
                         lambda volume: self.attach(volume, HOST_N), undo,
                         CINDER_ERRORS, failed, finish)
        self.assertNothingFor('HostN')
        self.assertClean()


class NVMeSetupTest(NVMeTestCase):

    def refusal(self, **overrides):
        driver = self.make_driver(**overrides)
        driver.do_setup(self.ctx)
        return str(self.assertRaises(
            cinder_exception.InvalidConfigurationValue,
            driver.check_for_setup_error))

    def test_powermax_2500_accepted(self):
        self.fake.model.arrays[data.POWERMAX_2500] = model.Array(
            data.POWERMAX_2500, data.PROFILES[data.POWERMAX_2500])
        driver = self.make_driver(powermax_array=data.POWERMAX_2500)
        driver.do_setup(self.ctx)
        driver.check_for_setup_error()

    def test_array_without_nvme_refused(self):
        text = self.refusal(powermax_array=data.POWERMAX_8000,
                            powermax_port_groups=['OS-fibre-PG'])
        self.assertIn(data.POWERMAX_8000, text)
        self.assertIn('PowerMax_8000', text)
        self.assertIn('PowerMax_2500 or PowerMax_8500', text)

    def test_port_group_of_another_protocol_refused(self):
        text = self.refusal(powermax_port_groups=['OS-iscsi-PG'])
        self.assertIn('OS-iscsi-PG', text)
        self.assertIn('NVMe_TCP', text)

    def test_replication_to_array_without_nvme_refused(self):
        text = self.refusal(replication_device=[{
            'target_device_id': data.POWERMAX_8000_R,
            'remote_port_group': 'OS-fibre-PG', 'remote_pool': 'SRP_1',
            'rdf_group_label': '23_24_007'}])
        self.assertIn(data.POWERMAX_8000_R, text)
        self.assertIn('PowerMax_8000', text)


class NVMeOldUnisphereTest(base.DriverTestCase):
    """Unisphere 9.2 reports no NVMe/TCP endpoint and no NGUID.

    The FC driver sets the fixture up; the NVMe/TCP driver is then built
    for the same array.
    """

    array = SID
    version = 'V9.2.1.4'

    def test_unisphere_9_refused(self):
        self.driver_class = nvme_tcp.PowerMaxNVMETCPDriver
        driver = self.make_driver(powermax_port_groups=[NVME_PG])
        driver.do_setup(self.ctx)
        error = self.assertRaises(
            cinder_exception.InvalidConfigurationValue,
            driver.check_for_setup_error)
        self.assertIn('Unisphere for PowerMax 10 or later', str(error))
        self.assertIn('V9.2.1.4', str(error))


class NamesTest(testtools.TestCase):

    def test_protocol_code(self):
        self.assertEqual('NT', naming.protocol_code(
            nvme_tcp.PowerMaxNVMETCPDriver.PROTOCOL))
