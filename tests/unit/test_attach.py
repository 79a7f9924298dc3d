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

"""Attach and detach: masking views, FC and iSCSI connection information.

The drivers are driven through Cinder's API only (``initialize_connection``,
``terminate_connection``, ``extend_volume``); the tests assert on the
array state the fake Unisphere holds: initiator groups (hosts), parent and
child storage groups, masking views and the LUN each view gives a device.
"""

import itertools
import logging
import re
import typing

from cinder import exception as cinder_exception
import ddt
import fixtures

from cinder_powermax import iscsi
from cinder_powermax import naming
from tests.fake_unisphere import data
from tests.unit import base

SID = data.POWERMAX_8000
SRP = base.SRP
DEFAULT_SG = 'OS-SRP_1-Diamond-NONE-SG'
FC_PG = 'OS-fibre-PG'
FC_PG2 = 'OS-fibre2-PG'
ISCSI_PG = 'OS-iscsi-PG'
# What a refused or failed attach may raise: a Cinder exception.
CINDER_ERRORS = (cinder_exception.CinderException,)
WRONG_PG_ERRORS = (cinder_exception.VolumeBackendAPIException,
                   cinder_exception.InvalidInput)

EMPTY_DEFAULT_SG = re.compile(r'storage group OS-(SRP_1|no_SLO)-\S* is empty')

CHAP_USER = 'chapuser'
CHAP_SECRET = 'chap-s3cret-123'


def fc_connector(host='HostX', wwpns=('10000090fa0b0001',
                                      '10000090fa0b0002')):
    wwpns = list(wwpns)
    return {'host': host, 'wwpns': wwpns,
            'wwnns': ['20000090fa0b%04x' % i for i in range(len(wwpns))],
            'initiator': 'iqn.1993-08.org.debian:01:%s' % host.lower(),
            'multipath': False, 'ip': '10.0.0.%d' % (len(host) % 200 + 1),
            'platform': 'x86_64', 'os_type': 'linux2'}


def iscsi_connector(host='HostX', multipath=False):
    return {'host': host,
            'initiator': 'iqn.1993-08.org.debian:01:%s' % host.lower(),
            'multipath': multipath, 'ip': '10.0.1.%d' % (len(host) % 200 + 1),
            'platform': 'x86_64', 'os_type': 'linux2'}


HOST_A = fc_connector('HostA', ['10000090fa0a0001', '10000090fa0a0002'])
HOST_B = fc_connector('HostB', ['10000090fa0b1001', '10000090fa0b1002'])
HOST_X = fc_connector()


class Names(typing.NamedTuple):
    """The masking objects of one host, port group and service level."""

    ig: str
    parent: str
    child: str
    no_slo: str
    mv: str


def names(host, protocol='FC', pg=FC_PG, level='Diamond', workload=None,
          disable_compression=False):
    """Expected names, computed with the naming helpers of the package."""
    label = naming.short_host_name(host)
    pg_label = naming.port_group_label(pg)
    return Names(
        ig=naming.initiator_group_name(label, protocol),
        parent=naming.parent_sg_name(label, protocol, pg_label),
        child=naming.child_sg_name(label, SRP, level, workload, pg_label,
                                   disable_compression),
        no_slo=naming.no_slo_child_sg_name(label, pg_label),
        mv=naming.masking_view_name(label, protocol, pg_label))


class AttachTestMixin:
    """Helpers over the fake array's masking state."""

    def problems(self, baseline=None):
        """The fake's problems, but an emptied default group is allowed.

        Whether the default group of an attached volume is deleted when it
        empties is up to the driver; it must exist again after a detach.
        """
        return [p for p in self.fake.check(baseline)
                if not EMPTY_DEFAULT_SG.search(p)]

    def assertInDefaultGroup(self, volume, group=DEFAULT_SG):
        device = self.device_of(volume)
        self.assertEqual([group], self.arr.groups_of(device))
        self.assertEqual([], self.arr.views_of_device(device))

    def assertNothingFor(self, host, where=None):
        """No IG, view or storage group of the host is left."""
        label = naming.short_host_name(host)
        stem = '%s%s-' % (naming.PREFIX, label)
        self.assertEqual([], [h for h in self.arr.hosts if h.startswith(
            stem)], where)
        self.assertEqual([], [v for v in self.arr.masking_views
                              if v.startswith(stem)], where)
        self.assertEqual([], [g for g in self.arr.storage_groups
                              if g.startswith(stem)], where)

    def fast_groups_of(self, device):
        return [g for g in self.arr.groups_of(device)
                if self.arr.storage_groups[g].slo is not None]

    def wwns(self, pg):
        group = self.arr.port_groups[pg]
        return sorted(self.arr.port(d, p).identifier.lower()
                      for d, p in group.ports)

    def portals(self, pg):
        """{'<ip>:3260': iqn} for the ports of an iSCSI port group."""
        found = {}
        for director, number in self.arr.port_groups[pg].ports:
            port = self.arr.port(director, number)
            for address in port.ip_addresses:
                found['%s:3260' % address] = port.identifier.split(',')[0]
        return found

    def lun(self, mv, volume):
        return self.arr.masking_views[mv].luns[self.device_of(volume)]

    def attach(self, volume, connector):
        self.log_in(connector)
        return self.driver.initialize_connection(volume, connector)

    def detach(self, volume, connector):
        return self.driver.terminate_connection(volume, connector)

    def assertZoning(self, info, connector, pg=FC_PG):
        self.assertEqual('fibre_channel', info['driver_volume_type'])
        data_ = info['data']
        targets = self.wwns(pg)
        self.assertEqual(targets, sorted(w.lower() for w in
                                         data_['target_wwn']))
        itmap = data_['initiator_target_map']
        self.assertEqual(sorted(connector['wwpns']),
                         sorted(i.lower() for i in itmap))
        for initiator, reached in itmap.items():
            self.assertEqual(targets, sorted(w.lower() for w in reached),
                             initiator)


@ddt.ddt
class FCAttachTest(AttachTestMixin, base.DriverTestCase):
    """FC driver: masking objects, reuse, cleanup, connection info."""

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type()

    def test_first_attach_creates_masking_objects(self):
        volume = self.create(vtype=self.vtype)
        device = self.device_of(volume)
        info = self.attach(volume, HOST_X)

        # Literal names: host HostX, Diamond, FC port group OS-fibre-PG.
        # SL+WL "DiamondNONE" is cut to 10 by head and tail: "DiamodNONE".
        ig, parent = 'OS-HostX-F-IG', 'OS-HostX-F-OS-fibre-PG-SG'
        child = 'OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG'
        mv = 'OS-HostX-F-OS-fibre-PG-MV'
        self.assertEqual(names('HostX'),
                         Names(ig, parent, child,
                               'OS-HostX-No_SLO-OS-fibre-PG', mv))

        self.assertEqual(sorted(HOST_X['wwpns']),
                         sorted(self.arr.hosts[ig].initiators))
        self.assertEqual([ig], [h for h in self.arr.hosts
                                if 'HostX' in h])
        top = self.arr.storage_groups[parent]
        self.assertIsNone(top.slo)
        self.assertEqual([child], top.children)
        self.assertEqual([], top.volumes)
        sub = self.arr.storage_groups[child]
        self.assertEqual('Diamond', sub.slo)
        self.assertEqual(SRP, sub.srp)
        self.assertTrue(sub.compression)
        self.assertEqual([device], sub.volumes)
        self.assertEqual([child], self.arr.groups_of(device))
        view = self.arr.masking_views[mv]
        self.assertEqual((ig, FC_PG, parent),
                         (view.host, view.port_group, view.storage_group))
        self.assertEqual([mv], self.arr.views_of_device(device))
        self.assertEqual(view.luns[device], info['data']['target_lun'])
        self.assertEqual([], self.problems())

    def test_fc_connection_info(self):
        volume = self.create(vtype=self.vtype)
        info = self.attach(volume, HOST_X)
        self.assertEqual('fibre_channel', info['driver_volume_type'])
        data_ = info['data']
        self.assertIs(True, data_['target_discovered'])
        self.assertIs(True, data_['discard'])
        self.assertEqual(volume.id, data_['volume_id'])
        self.assertIsInstance(data_['target_lun'], int)
        self.assertEqual(self.lun(names('HostX').mv, volume),
                         data_['target_lun'])
        self.assertEqual(['500009730001b004', '500009730002b004'],
                         self.wwns(FC_PG))
        self.assertZoning(info, HOST_X)

    def test_qualified_host_name_is_shortened(self):
        volume = self.create(vtype=self.vtype)
        self.attach(volume, fc_connector('HostX.example.com'))
        self.assertIn('OS-HostX-F-IG', self.arr.hosts)
        self.assertIn('OS-HostX-F-OS-fibre-PG-MV', self.arr.masking_views)

    def test_long_host_name_is_hashed(self):
        host = 'compute-node-00001.example.com'
        volume = self.create(vtype=self.vtype)
        self.attach(volume, fc_connector(host))
        expected = names(host)
        self.assertLessEqual(len(naming.short_host_name(host)), 16)
        self.assertIn(expected.ig, self.arr.hosts)
        self.assertIn(expected.mv, self.arr.masking_views)
        self.assertIn(self.device_of(volume),
                      self.arr.storage_groups[expected.child].volumes)
        self.detach(volume, fc_connector(host))
        self.assertNothingFor(host)

    def test_second_volume_reuses_view(self):
        one = self.create(vtype=self.vtype)
        two = self.create(vtype=self.vtype)
        first = self.attach(one, HOST_X)
        second = self.attach(two, HOST_X)
        expected = names('HostX')
        self.assertEqual([expected.mv],
                         self.arr.views_of_host(expected.ig))
        self.assertEqual([expected.ig],
                         [h for h in self.arr.hosts if 'HostX' in h])
        self.assertEqual([expected.parent],
                         [g for g in self.arr.storage_groups
                          if g.endswith('-SG') and 'HostX' in g])
        self.assertEqual({self.device_of(one), self.device_of(two)},
                         set(self.arr.storage_groups[expected.child].volumes))
        luns = self.arr.masking_views[expected.mv].luns
        self.assertNotEqual(luns[self.device_of(one)],
                            luns[self.device_of(two)])
        self.assertEqual(luns[self.device_of(one)],
                         first['data']['target_lun'])
        self.assertEqual(luns[self.device_of(two)],
                         second['data']['target_lun'])

    def test_second_service_level_gets_its_own_child(self):
        one = self.create(vtype=self.vtype)
        gold = self.volume_type({'pool_name': 'Gold+SRP_1+%s' % SID})
        two = self.create(vtype=gold)
        self.attach(one, HOST_X)
        self.attach(two, HOST_X)
        diamond, gold_names = names('HostX'), names('HostX', level='Gold')
        self.assertEqual(diamond.mv, gold_names.mv)
        self.assertEqual([diamond.mv], self.arr.views_of_host(diamond.ig))
        self.assertEqual(
            {diamond.child, gold_names.child},
            set(self.arr.storage_groups[diamond.parent].children))
        self.assertEqual('Gold', self.arr.storage_groups[
            gold_names.child].slo)
        self.assertEqual([gold_names.child],
                         self.arr.groups_of(self.device_of(two)))
        self.detach(one, HOST_X)
        self.assertNotIn(diamond.child, self.arr.storage_groups)
        self.assertIn(diamond.mv, self.arr.masking_views)
        self.detach(two, HOST_X)
        self.assertNothingFor('HostX')
        self.assertInDefaultGroup(one)
        self.assertInDefaultGroup(two, 'OS-SRP_1-Gold-NONE-SG')

    def test_repeated_attach_keeps_lun(self):
        volume = self.create(vtype=self.vtype)
        first = self.attach(volume, HOST_X)
        before = self.fake.snapshot()
        again = self.attach(volume, HOST_X)
        self.assertEqual(first['data']['target_lun'],
                         again['data']['target_lun'])
        self.assertEqual([], self.problems(before))
        self.assertEqual([names('HostX').child],
                         self.arr.groups_of(self.device_of(volume)))

    def test_compression_disabled_child(self):
        vtype = self.volume_type({'storagetype:disablecompression': 'True'})
        volume = self.create(vtype=vtype)
        self.attach(volume, HOST_X)
        child = 'OS-HostX-SRP_1-DiamodNONE-OS-fibre-PG-CD'
        self.assertEqual(names('HostX', disable_compression=True).child,
                         child)
        self.assertFalse(self.arr.storage_groups[child].compression)
        self.assertEqual([child], self.arr.groups_of(self.device_of(volume)))
        self.detach(volume, HOST_X)
        self.assertNothingFor('HostX')
        self.assertInDefaultGroup(volume, 'OS-SRP_1-Diamond-NONE-CD-SG')

    def test_no_service_level_child(self):
        vtype = self.volume_type({'pool_name': 'None+SRP_1+%s' % SID})
        volume = self.create(vtype=vtype)
        self.attach(volume, HOST_X)
        child = 'OS-HostX-No_SLO-OS-fibre-PG'
        self.assertEqual(names('HostX', level=None).child, child)
        self.assertIsNone(self.arr.storage_groups[child].slo)
        self.assertEqual([child], self.arr.groups_of(self.device_of(volume)))
        self.detach(volume, HOST_X)
        self.assertNothingFor('HostX')
        self.assertInDefaultGroup(volume, 'OS-no_SLO-SG')

    def test_qos_on_child_group(self):
        qos = {'total_iops_sec': '500', 'total_bytes_sec': '104857600',
               'DistributionType': 'Always'}
        volume = self.create(vtype=self.volume_type(qos=qos))
        self.attach(volume, HOST_X)
        self.assertEqual({'host_io_limit_io_sec': '500',
                          'host_io_limit_mb_sec': '100',
                          'dynamicDistribution': 'Always'},
                         self.arr.storage_groups[
                             names('HostX').child].host_io_limit)

    def test_host_gains_initiators(self):
        one = self.create(vtype=self.vtype)
        two = self.create(vtype=self.vtype)
        self.attach(one, fc_connector('HostX', ['10000090fa0b0001']))
        self.attach(two, HOST_X)
        self.assertEqual(sorted(HOST_X['wwpns']),
                         sorted(self.arr.hosts['OS-HostX-F-IG'].initiators))
        self.assertEqual(['OS-HostX-F-OS-fibre-PG-MV'],
                         self.arr.views_of_host('OS-HostX-F-IG'))

    # -- detach ---------------------------------------------------------------

    def test_last_detach_removes_everything(self):
        one = self.create(vtype=self.vtype)
        two = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.attach(one, HOST_X)
        self.attach(two, HOST_X)
        expected = names('HostX')

        info = self.detach(one, HOST_X)
        self.assertEqual({'driver_volume_type': 'fibre_channel', 'data': {}},
                         info)
        self.assertInDefaultGroup(one)
        self.assertEqual([self.device_of(two)],
                         self.arr.storage_groups[expected.child].volumes)
        self.assertEqual([expected.mv],
                         self.arr.views_of_device(self.device_of(two)))

        info = self.detach(two, HOST_X)
        self.assertZoning(info, HOST_X)
        for gone in (expected.mv,):
            self.assertNotIn(gone, self.arr.masking_views)
        for gone in (expected.parent, expected.child):
            self.assertNotIn(gone, self.arr.storage_groups)
        self.assertNotIn(expected.ig, self.arr.hosts)
        self.assertNothingFor('HostX')
        self.assertInDefaultGroup(one)
        self.assertInDefaultGroup(two)
        self.assertEqual([], self.fake.check(baseline))

    def test_detach_of_unattached_volume(self):
        volume = self.create(vtype=self.vtype)
        before = self.fake.snapshot()
        self.detach(volume, HOST_X)
        self.detach(volume, None)
        self.assertEqual([], self.fake.check(before))
        self.assertInDefaultGroup(volume)

    def test_repeated_detach(self):
        volume = self.create(vtype=self.vtype)
        before = self.fake.snapshot()
        self.attach(volume, HOST_X)
        self.detach(volume, HOST_X)
        info = self.detach(volume, HOST_X)
        self.assertEqual('fibre_channel', info['driver_volume_type'])
        self.assertEqual([], self.fake.check(before))
        self.assertInDefaultGroup(volume)

    def test_two_hosts_independent_views(self):
        one = self.create(vtype=self.vtype)
        two = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.attach(one, HOST_A)
        info_b = self.attach(two, HOST_B)
        a, b = names('HostA'), names('HostB')
        self.assertEqual([a.mv], self.arr.views_of_host(a.ig))
        self.assertEqual([b.mv], self.arr.views_of_host(b.ig))
        self.assertEqual(sorted(HOST_A['wwpns']),
                         sorted(self.arr.hosts[a.ig].initiators))
        self.assertEqual(sorted(HOST_B['wwpns']),
                         sorted(self.arr.hosts[b.ig].initiators))
        self.assertEqual([a.mv], self.arr.views_of_device(
            self.device_of(one)))
        self.assertEqual([b.mv], self.arr.views_of_device(
            self.device_of(two)))
        lun_b = self.lun(b.mv, two)
        self.assertEqual(lun_b, info_b['data']['target_lun'])

        self.assertZoning(self.detach(one, HOST_A), HOST_A)
        self.assertNothingFor('HostA')
        self.assertEqual(lun_b, self.lun(b.mv, two))
        self.assertEqual([b.child], self.arr.groups_of(self.device_of(two)))
        self.assertZoning(self.detach(two, HOST_B), HOST_B)
        self.assertNothingFor('HostB')
        self.assertEqual([], self.fake.check(baseline))

    def test_force_detach(self):
        one = self.create(vtype=self.vtype)
        two = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.attach(one, HOST_A)
        self.attach(two, HOST_A)
        self.driver.terminate_connection(one, None)
        self.assertInDefaultGroup(one)
        a = names('HostA')
        self.assertEqual([a.mv], self.arr.views_of_device(
            self.device_of(two)))
        self.assertEqual([self.device_of(two)],
                         self.arr.storage_groups[a.child].volumes)
        self.driver.terminate_connection(two, None)
        self.assertInDefaultGroup(two)
        self.assertNothingFor('HostA')
        self.assertEqual([], self.fake.check(baseline))

    def test_force_detach_from_every_view(self):
        vtype = self.volume_type({'multiattach': '<is> True'})
        shared = self.create(vtype=vtype, multiattach=True)
        other = self.create(vtype=vtype, multiattach=True)
        baseline = self.fake.snapshot()
        self.attach(shared, HOST_A)
        self.attach(other, HOST_A)
        self.attach(shared, HOST_B)
        a, b = names('HostA'), names('HostB')
        self.assertEqual({a.mv, b.mv}, set(self.arr.views_of_device(
            self.device_of(shared))))
        self.driver.terminate_connection(shared, None, force=True)
        self.assertInDefaultGroup(shared)
        # HostB's view held nothing else: it is gone, with its groups.
        self.assertNothingFor('HostB')
        self.assertEqual([a.mv], self.arr.views_of_device(
            self.device_of(other)))
        self.assertNotIn(a.no_slo, self.arr.storage_groups)
        self.assertEqual([a.child], self.arr.groups_of(self.device_of(other)))
        self.detach(other, HOST_A)
        self.assertNothingFor('HostA')
        self.assertEqual([], self.fake.check(baseline))

    # -- port groups ----------------------------------------------------------

    def test_port_group_from_extra_spec(self):
        vtype = self.volume_type({'storagetype:portgroupname': FC_PG2})
        volume = self.create(vtype=vtype)
        info = self.attach(volume, HOST_X)
        expected = names('HostX', pg=FC_PG2)
        self.assertEqual('OS-HostX-F-OS-fibre2-PG-MV', expected.mv)
        view = self.arr.masking_views[expected.mv]
        self.assertEqual(FC_PG2, view.port_group)
        self.assertEqual(expected.parent, view.storage_group)
        self.assertEqual(['OS-HostX-F-OS-fibre2-PG-MV'],
                         self.arr.views_of_host(expected.ig))
        self.assertEqual(['500009730001b005', '500009730002b005'],
                         self.wwns(FC_PG2))
        self.assertZoning(info, HOST_X, FC_PG2)
        self.assertEqual(view.luns[self.device_of(volume)],
                         info['data']['target_lun'])
        self.assertZoning(self.detach(volume, HOST_X), HOST_X, FC_PG2)
        self.assertNothingFor('HostX')

    def test_extra_spec_port_group_wins_over_config(self):
        self.driver = self.make_driver(powermax_port_groups=[FC_PG])
        self.driver.do_setup(self.ctx)
        vtype = self.volume_type({'storagetype:portgroupname': FC_PG2})
        volume = self.create(vtype=vtype)
        self.attach(volume, HOST_X)
        self.assertEqual([names('HostX', pg=FC_PG2).mv],
                         self.arr.views_of_device(self.device_of(volume)))

    def test_port_group_picked_from_config(self):
        self.driver = self.make_driver(powermax_port_groups=[FC_PG, FC_PG2])
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        # Hosts spread over the configured port groups; the choice is
        # injected so each host's group is known.
        picks = itertools.cycle([FC_PG2, FC_PG])
        self.driver.common.masking.choose = lambda groups: next(picks)
        baseline = self.fake.snapshot()
        attached = []
        for index in range(4):
            connector = fc_connector('Host%02d' % index,
                                     ['10000090fa1d%04x' % index])
            volume = self.create(vtype=self.vtype)
            info = self.attach(volume, connector)
            pg = FC_PG2 if index % 2 == 0 else FC_PG
            self.assertEqual([names(connector['host'], pg=pg).mv],
                             self.arr.views_of_device(self.device_of(volume)))
            self.assertZoning(info, connector, pg)
            attached.append((volume, connector))
        for volume, connector in attached:
            self.detach(volume, connector)
            self.assertNothingFor(connector['host'])
            self.driver.delete_volume(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_initiator_check_refuses_initiators_not_logged_in(self):
        self.driver = self.make_driver(initiator_check=True)
        self.driver.do_setup(self.ctx)
        volume = self.create(vtype=self.vtype)
        wwpns = HOST_X['wwpns']
        self.arr.log_in(wwpns[0])
        baseline = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.InvalidConnectorException,
            self.driver.initialize_connection, volume, HOST_X)
        self.assertIn(wwpns[1], str(error))
        self.assertNotIn(wwpns[0], str(error))
        self.assertEqual([], self.fake.check(baseline))
        self.assertNothingFor('HostX')
        self.arr.log_in(wwpns[1])
        self.driver.initialize_connection(volume, HOST_X)
        self.assertEqual([names('HostX').mv],
                         self.arr.views_of_device(self.device_of(volume)))
        self.detach(volume, HOST_X)
        self.assertNothingFor('HostX')

    def assertRefusedBeforeAnything(self, volume, connector, errors,
                                    named=None, group=DEFAULT_SG):
        baseline = self.fake.snapshot()
        error = self.assertRaises(errors, self.attach, volume, connector)
        if named:
            self.assertIn(named, str(error))
        self.assertEqual([], self.fake.check(baseline))
        self.assertInDefaultGroup(volume, group)
        return error

    @ddt.data(None, 'HostX', {},
              {'wwpns': ['10000090fa0b0001']},
              {'host': '', 'wwpns': ['10000090fa0b0001']},
              {'host': 'h\u00f6st-\u00e9', 'wwpns': ['10000090fa0b0001']},
              {'host': 'Host X', 'wwpns': ['10000090fa0b0001']},
              {'host': 'HostX'},
              {'host': 'HostX', 'wwpns': []},
              {'host': 'HostX', 'wwpns': ['not-a-wwpn']},
              {'host': 'HostX', 'wwpns': 'not-a-list'})
    def test_bad_connector_refused(self, connector):
        volume = self.create(vtype=self.vtype)
        error = self.assertRefusedBeforeAnything(
            volume, connector, cinder_exception.InvalidConnectorException)
        self.assertLess(len(str(error)), 400)
        self.assertNothingFor('HostX')
        self.driver.delete_volume(volume)

    def test_bad_connector_refused_on_detach(self):
        volume = self.create(vtype=self.vtype)
        self.attach(volume, HOST_X)
        self.assertRaises(cinder_exception.InvalidConnectorException,
                          self.detach, volume, {'wwpns': HOST_X['wwpns']})
        self.assertEqual([names('HostX').mv],
                         self.arr.views_of_device(self.device_of(volume)))
        self.detach(volume, HOST_X)

    def test_very_long_host_name(self):
        connector = fc_connector('h' * 300, ['10000090fa0c0001'])
        volume = self.create(vtype=self.vtype)
        self.attach(volume, connector)
        self.detach(volume, connector)
        self.assertNothingFor(connector['host'])
        self.driver.delete_volume(volume)

    def test_port_group_of_wrong_protocol_refused(self):
        vtype = self.volume_type({'storagetype:portgroupname': ISCSI_PG})
        volume = self.create(vtype=vtype)
        self.assertRefusedBeforeAnything(volume, HOST_X, WRONG_PG_ERRORS,
                                         ISCSI_PG)
        self.assertNothingFor('HostX')

    def test_missing_port_group_refused(self):
        vtype = self.volume_type({'storagetype:portgroupname':
                                  'OS-nosuch-PG'})
        volume = self.create(vtype=vtype)
        self.assertRefusedBeforeAnything(volume, HOST_X, CINDER_ERRORS,
                                         'OS-nosuch-PG')
        self.assertNothingFor('HostX')

    def test_attach_missing_device_refused(self):
        volume = self.create(vtype=self.vtype)
        self.driver.delete_volume(volume)
        baseline = self.fake.snapshot()
        self.assertRaises(CINDER_ERRORS, self.attach, volume, HOST_X)
        self.assertEqual([], self.fake.check(baseline))
        self.assertNothingFor('HostX')

    # -- extend ---------------------------------------------------------------

    def test_extend_attached_volume(self):
        volume = self.create(size=1, vtype=self.vtype)
        info = self.attach(volume, HOST_X)
        expected = names('HostX')
        self.driver.extend_volume(volume, 3)
        device = self.device_of(volume)
        self.assertEqual(3.0, self.arr.volumes[device].cap_gb)
        self.assertEqual([expected.mv], self.arr.views_of_device(device))
        self.assertEqual([expected.child], self.arr.groups_of(device))
        self.assertEqual(info['data']['target_lun'],
                         self.lun(expected.mv, volume))
        volume.size = 3
        self.detach(volume, HOST_X)
        self.assertInDefaultGroup(volume)
        self.assertEqual(3.0, self.arr.volumes[device].cap_gb)

    # -- failures roll back ---------------------------------------------------

    def test_view_creation_failure_rolls_back(self):
        volume = self.create(vtype=self.vtype)
        baseline = self.fake.snapshot()
        self.fake.faults.add(method='POST', path='/maskingview$',
                             action='error', status=500)
        self.assertRaises(CINDER_ERRORS, self.attach, volume, HOST_X)
        self.assertEqual([], self.fake.check(baseline))
        self.assertInDefaultGroup(volume)
        self.fake.faults.clear()
        info = self.attach(volume, HOST_X)
        self.assertEqual(self.lun(names('HostX').mv, volume),
                         info['data']['target_lun'])
        self.detach(volume, HOST_X)
        self.assertEqual([], self.fake.check(baseline))

    def sweep_attach(self, check=lambda where: None):
        """Fail each call of an attach of a fresh volume to HostX in turn.

        Whenever the attach raises, it raises a Cinder exception, leaves the
        array as it found it with the volume in its default group, and a
        retry succeeds. ``check`` runs after each round, the volume
        attached.
        """
        def failed(volume, baseline, where):
            self.assertEqual([], self.problems(baseline), where)
            self.assertInDefaultGroup(volume)

        def finish(volume, info, baseline, where):
            self.assertEqual(self.lun(names('HostX').mv, volume),
                             info['data']['target_lun'], where)
            check(where)
            self.detach(volume, HOST_X)
            self.assertEqual([], self.problems(baseline), where)
            self.assertInDefaultGroup(volume)
            self.driver.delete_volume(volume)

        def undo(volume, info):
            self.detach(volume, HOST_X)
            self.driver.delete_volume(volume)

        self.fault_sweep(lambda: self.create(vtype=self.vtype),
                         lambda volume: self.attach(volume, HOST_X), undo,
                         CINDER_ERRORS, failed, finish)

    def test_attach_fault_sweep(self):
        self.sweep_attach()
        self.assertNothingFor('HostX')
        self.assertClean()

    def test_second_volume_attach_fault_sweep(self):
        # A failed attach of another volume leaves the host's view, and the
        # volume already in it, as they were.
        keeper = self.create(vtype=self.vtype)
        lun = self.attach(keeper, HOST_X)['data']['target_lun']
        expected = names('HostX')

        def check(where):
            self.assertEqual(lun, self.lun(expected.mv, keeper), where)
            self.assertEqual([expected.child],
                             self.arr.groups_of(self.device_of(keeper)),
                             where)
        self.sweep_attach(check)
        self.detach(keeper, HOST_X)
        self.assertNothingFor('HostX')
        self.driver.delete_volume(keeper)
        self.assertClean()

    def test_last_detach_fault_sweep(self):
        def make():
            volume = self.create(vtype=self.vtype)
            before_attach = self.fake.snapshot()
            self.attach(volume, HOST_X)
            return volume, before_attach

        def failed(inputs, baseline, where):
            """Whatever is half done, the retry that follows finishes."""

        def finish(inputs, result, baseline, where):
            volume, before_attach = inputs
            self.assertNothingFor('HostX', where)
            self.assertInDefaultGroup(volume)
            self.assertEqual([], self.fake.check(before_attach), where)
            self.driver.delete_volume(volume)

        self.fault_sweep(
            make, lambda inputs: self.detach(inputs[0], HOST_X),
            lambda inputs, result: self.driver.delete_volume(inputs[0]),
            CINDER_ERRORS, failed, finish)
        self.assertClean()


class MultiAttachTest(AttachTestMixin, base.DriverTestCase):
    """A volume on two hosts: staged through non-FAST groups and back."""

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type({'multiattach': '<is> True'})
        self.a, self.b = names('HostA'), names('HostB')

    def assertOnBothHosts(self, volume):
        device = self.device_of(volume)
        self.assertLessEqual(len(self.fast_groups_of(device)), 1,
                             self.arr.groups_of(device))
        self.assertEqual({self.a.mv, self.b.mv},
                         set(self.arr.views_of_device(device)))
        self.assertIn(device, self.arr.storage_groups[self.a.no_slo].volumes)
        self.assertIn(self.a.no_slo,
                      self.arr.storage_groups[self.a.parent].children)
        self.assertEqual([], self.problems())

    def assertFastOn(self, volume, names_):
        """The device is back in the FAST child of one host's view only."""
        device = self.device_of(volume)
        fast = self.fast_groups_of(device)
        self.assertEqual(1, len(fast), self.arr.groups_of(device))
        group = self.arr.storage_groups[fast[0]]
        self.assertEqual('Diamond', group.slo)
        self.assertEqual([names_.parent], self.arr.parents_of(fast[0]))
        self.assertEqual(names_.child, fast[0])
        self.assertEqual([names_.mv], self.arr.views_of_device(device))
        for host in ('HostA', 'HostB'):
            self.assertNotIn(names(host).no_slo, self.arr.storage_groups)
        self.assertEqual([], self.problems())

    def test_two_hosts_and_back(self):
        volume = self.create(vtype=self.vtype, multiattach=True)
        baseline = self.fake.snapshot()
        info_a = self.attach(volume, HOST_A)
        info_b = self.attach(volume, HOST_B)
        self.assertOnBothHosts(volume)
        # HostA's FAST child held only this volume: it is gone.
        self.assertNotIn(self.a.child, self.arr.storage_groups)
        self.assertEqual(self.lun(self.a.mv, volume),
                         info_a['data']['target_lun'])
        self.assertEqual(self.lun(self.b.mv, volume),
                         info_b['data']['target_lun'])

        self.assertZoning(self.detach(volume, HOST_A), HOST_A)
        self.assertNothingFor('HostA')
        self.assertFastOn(volume, self.b)

        self.assertZoning(self.detach(volume, HOST_B), HOST_B)
        self.assertNothingFor('HostB')
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_second_host_detaches_first(self):
        volume = self.create(vtype=self.vtype, multiattach=True)
        baseline = self.fake.snapshot()
        self.attach(volume, HOST_A)
        lun_a = self.lun(self.a.mv, volume)
        self.attach(volume, HOST_B)
        self.assertOnBothHosts(volume)
        self.detach(volume, HOST_B)
        self.assertNothingFor('HostB')
        self.assertFastOn(volume, self.a)
        self.assertEqual(lun_a, self.lun(self.a.mv, volume))
        self.detach(volume, HOST_A)
        self.assertNothingFor('HostA')
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_fast_child_kept_for_other_volumes(self):
        shared = self.create(vtype=self.vtype, multiattach=True)
        other = self.create(vtype=self.vtype, multiattach=True)
        baseline = self.fake.snapshot()
        self.attach(shared, HOST_A)
        self.attach(other, HOST_A)
        self.attach(shared, HOST_B)
        self.assertOnBothHosts(shared)
        self.assertEqual([self.device_of(other)],
                         self.arr.storage_groups[self.a.child].volumes)
        self.assertEqual([self.a.mv], self.arr.views_of_device(
            self.device_of(other)))
        self.detach(shared, HOST_B)
        self.assertFastOn(shared, self.a)
        self.assertEqual({self.device_of(shared), self.device_of(other)},
                         set(self.arr.storage_groups[self.a.child].volumes))
        self.detach(shared, HOST_A)
        self.detach(other, HOST_A)
        self.assertNothingFor('HostA')
        self.assertEqual([], self.fake.check(baseline))

    def test_no_service_level_needs_no_staging(self):
        vtype = self.volume_type({'pool_name': 'None+SRP_1+%s' % SID,
                                  'multiattach': '<is> True'})
        volume = self.create(vtype=vtype, multiattach=True)
        device = self.device_of(volume)
        baseline = self.fake.snapshot()
        self.attach(volume, HOST_A)
        self.attach(volume, HOST_B)
        self.assertEqual({self.a.mv, self.b.mv},
                         set(self.arr.views_of_device(device)))
        self.assertEqual({self.a.no_slo, self.b.no_slo},
                         set(self.arr.groups_of(device)))
        self.detach(volume, HOST_A)
        self.assertNothingFor('HostA')
        self.assertEqual([self.b.no_slo], self.arr.groups_of(device))
        self.detach(volume, HOST_B)
        self.assertNothingFor('HostB')
        self.assertInDefaultGroup(volume, 'OS-no_SLO-SG')
        self.assertEqual([], self.fake.check(baseline))

    def test_live_migration(self):
        # Nova attaches at the destination while the source still has the
        # volume, then detaches at the source: the path on the destination
        # must never move.
        volume = self.create(vtype=self.volume_type())
        baseline = self.fake.snapshot()
        self.attach(volume, HOST_A)
        info = self.attach(volume, HOST_B)
        self.assertOnBothHosts(volume)
        lun_b = info['data']['target_lun']
        self.assertEqual(lun_b, self.lun(self.b.mv, volume))
        self.assertZoning(self.detach(volume, HOST_A), HOST_A)
        self.assertNothingFor('HostA')
        self.assertFastOn(volume, self.b)
        self.assertEqual(lun_b, self.lun(self.b.mv, volume))
        self.detach(volume, HOST_B)
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_failed_second_attach_returns_to_fast_group(self):
        volume = self.create(vtype=self.vtype, multiattach=True)
        self.attach(volume, HOST_A)
        lun_a = self.lun(self.a.mv, volume)
        baseline = self.fake.snapshot()
        self.fake.faults.add(method='POST', path='/maskingview$',
                             action='error', status=500)
        self.assertRaises(CINDER_ERRORS, self.attach, volume, HOST_B)
        self.fake.faults.clear()
        self.assertEqual([], self.problems(baseline))
        self.assertNothingFor('HostB')
        self.assertFastOn(volume, self.a)
        self.assertEqual(lun_a, self.lun(self.a.mv, volume))
        self.attach(volume, HOST_B)
        self.assertOnBothHosts(volume)
        self.detach(volume, HOST_B)
        self.detach(volume, HOST_A)
        self.assertInDefaultGroup(volume)


class ISCSIAttachTest(AttachTestMixin, base.DriverTestCase):
    """iSCSI driver: names, single and multipath portals, CHAP."""

    driver_class = iscsi.PowerMaxISCSIDriver

    def test_connector_without_iscsi_initiator_refused(self):
        volume = self.create()
        for bad in (None, '', 'not-an-iqn', 42):
            connector = dict(iscsi_connector(), initiator=bad)
            error = self.assertRaises(
                cinder_exception.InvalidConnectorException, self.attach,
                volume, connector)
            self.assertIn('initiator', str(error))
        self.assertNothingFor('HostX')

    def test_first_attach_creates_masking_objects(self):
        volume = self.create()
        connector = iscsi_connector()
        baseline = self.fake.snapshot()
        info = self.attach(volume, connector)
        expected = names('HostX', 'iSCSI', ISCSI_PG)
        self.assertEqual(
            Names('OS-HostX-I-IG', 'OS-HostX-I-OS-iscsi-PG-SG',
                  'OS-HostX-SRP_1-DiamodNONE-OS-iscsi-PG',
                  'OS-HostX-No_SLO-OS-iscsi-PG',
                  'OS-HostX-I-OS-iscsi-PG-MV'), expected)
        self.assertEqual([connector['initiator']],
                         self.arr.hosts[expected.ig].initiators)
        self.assertEqual([expected.child],
                         self.arr.storage_groups[expected.parent].children)
        view = self.arr.masking_views[expected.mv]
        self.assertEqual((expected.ig, ISCSI_PG, expected.parent),
                         (view.host, view.port_group, view.storage_group))
        self.assertEqual([expected.child],
                         self.arr.groups_of(self.device_of(volume)))
        self.assertEqual(view.luns[self.device_of(volume)],
                         info['data']['target_lun'])
        self.detach(volume, connector)
        self.assertNothingFor('HostX')
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.fake.check(baseline))

    def test_single_path_info(self):
        volume = self.create()
        info = self.attach(volume, iscsi_connector(multipath=False))
        self.assertEqual('iscsi', info['driver_volume_type'])
        data_ = info['data']
        portals = self.portals(ISCSI_PG)
        self.assertEqual(
            {'192.168.0.10:3260': 'iqn.1992-04.com.emc:600009700000se1e',
             '192.168.0.11:3260': 'iqn.1992-04.com.emc:600009700000se2e'},
            portals)
        self.assertIs(True, data_['target_discovered'])
        self.assertIs(True, data_['discard'])
        self.assertEqual(volume.id, data_['volume_id'])
        self.assertIn(data_['target_portal'], portals)
        self.assertEqual(portals[data_['target_portal']],
                         data_['target_iqn'])
        self.assertIsInstance(data_['target_lun'], int)
        self.assertEqual(self.lun(names('HostX', 'iSCSI', ISCSI_PG).mv,
                                  volume), data_['target_lun'])
        self.assertNotIn('auth_method', data_)

    def test_multipath_info(self):
        one = self.create()
        two = self.create()
        self.attach(one, iscsi_connector(multipath=True))
        info = self.attach(two, iscsi_connector(multipath=True))
        data_ = info['data']
        portals = self.portals(ISCSI_PG)
        lun = self.lun(names('HostX', 'iSCSI', ISCSI_PG).mv, two)
        self.assertEqual(len(portals), len(data_['target_portals']))
        self.assertEqual(len(portals), len(data_['target_iqns']))
        self.assertEqual(len(portals), len(data_['target_luns']))
        self.assertEqual(sorted(portals.items()),
                         sorted(zip(data_['target_portals'],
                                    data_['target_iqns'])))
        self.assertEqual([lun] * len(portals), data_['target_luns'])
        # The single-path keys are there too.
        self.assertEqual(lun, data_['target_lun'])
        self.assertEqual(portals[data_['target_portal']],
                         data_['target_iqn'])

    def test_chap(self):
        logger = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        self.driver = self.make_driver(use_chap_auth=True,
                                       chap_username=CHAP_USER,
                                       chap_password=CHAP_SECRET)
        self.driver.do_setup(self.ctx)
        self.driver.check_for_setup_error()
        volume = self.create()
        connector = iscsi_connector(multipath=True)
        info = self.attach(volume, connector)
        data_ = info['data']
        self.assertEqual('CHAP', data_['auth_method'])
        self.assertEqual(CHAP_USER, data_['auth_username'])
        self.assertEqual(CHAP_SECRET, data_['auth_password'])
        self.detach(volume, connector)
        self.driver.delete_volume(volume)
        # The capture works (the driver logs at DEBUG) and never holds the
        # secret.
        self.assertTrue(logger.output)
        self.assertNotIn(CHAP_SECRET, logger.output)

    def test_port_group_of_wrong_protocol_refused(self):
        vtype = self.volume_type({'storagetype:portgroupname': FC_PG})
        volume = self.create(vtype=vtype)
        baseline = self.fake.snapshot()
        error = self.assertRaises(WRONG_PG_ERRORS, self.attach, volume,
                                  iscsi_connector())
        self.assertIn(FC_PG, str(error))
        self.assertEqual([], self.fake.check(baseline))
        self.assertInDefaultGroup(volume)
        self.assertNothingFor('HostX')

    def test_extend_attached_volume(self):
        volume = self.create(size=2)
        connector = iscsi_connector()
        info = self.attach(volume, connector)
        self.driver.extend_volume(volume, 4)
        device = self.device_of(volume)
        self.assertEqual(4.0, self.arr.volumes[device].cap_gb)
        mv = names('HostX', 'iSCSI', ISCSI_PG).mv
        self.assertEqual([mv], self.arr.views_of_device(device))
        self.assertEqual(info['data']['target_lun'], self.lun(mv, volume))
