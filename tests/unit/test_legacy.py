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

"""Volumes and hosts as older deployments left them on the array.

The array state is built the way those releases left it, directly in the
fake: pre-Pike (SMI-S) storage groups of a host, service level and
workload, shown by old-style views shared between hosts; and masking
objects of a host label made before ``powermax_short_host_name_template``
was set (pre-Ussuri). The driver is then driven through Cinder's API.
"""

from cinder import exception as cinder_exception
from cinder import objects
import testtools

from cinder_powermax import naming
from tests.fake_unisphere import data
from tests.unit import base
from tests.unit import test_attach

SID = data.VMAX_AFA
LEGACY_SG = 'OS-HostA-SRP_1-Diamond-DSS-F-SG'
LEGACY_MV = 'OS-HostA-SRP_1-Diamond-DSS-F-MV'
SHARED_MV = 'OS-HostZ-SRP_1-Diamond-DSS-F-MV'
DEFAULT_SG = 'OS-SRP_1-Diamond-DSS-SG'
HOST_A, HOST_B = test_attach.HOST_A, test_attach.HOST_B
HOST_Z = test_attach.fc_connector('HostZ', ['10000090fa0c0001'])
CINDER_ERRORS = test_attach.CINDER_ERRORS


def names(host, pg='OS-fibre-PG'):
    return test_attach.names(host, pg=pg, workload='DSS')


class LegacyMaskingTest(test_attach.AttachTestMixin, base.DriverTestCase):
    """Pre-Pike masking on a VMAX All Flash (HyperMax OS 5977)."""

    array = SID

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type({
            'pool_name': 'Diamond+DSS+SRP_1+%s' % SID})

    def legacy_volume(self, host=HOST_A, others=0, shared=True):
        """A volume in the SMI-S driver's masking, attached to ``host``.

        ``others`` more devices share its storage group; a second host's
        old-style view shows the group too when ``shared``.
        """
        volume = self.create(vtype=self.vtype)
        devices = [self.device_of(volume)] + [
            self.arr._new_volume(self.arr.srps['SRP_1'], 547,
                                 'legacy-%d' % n, False)
            for n in range(others)]
        with self.fake.model.lock:
            self.arr.remove_volumes(DEFAULT_SG, devices[:1])
            self.arr.delete_group(DEFAULT_SG)
            self.arr.create_group(LEGACY_SG, 'SRP_1', 'Diamond', 'DSS')
            self.arr.add_volumes(LEGACY_SG, devices)
            for connector, view in ((host, LEGACY_MV), (HOST_Z, SHARED_MV)):
                if connector is HOST_Z and not shared:
                    continue
                self.log_in(connector)
                ig = 'OS-%s-F-IG' % connector['host']
                self.arr.create_host(ig, connector['wwpns'])
                self.arr.create_view(view, ig, 'OS-fibre-PG', LEGACY_SG)
        self.recorded(volume, host)
        return volume

    def recorded(self, volume, *hosts):
        volume.volume_attachment = objects.VolumeAttachmentList(objects=[
            objects.VolumeAttachment(attached_host=h['host'],
                                     attach_status='attached')
            for h in hosts])

    def test_live_migration_of_a_legacy_volume(self):
        volume = self.legacy_volume(others=1)
        device = self.device_of(volume)
        before = self.arr.masking_views[LEGACY_MV].luns[device]
        self.assertEqual(before, self.arr.masking_views[LEGACY_MV].luns[
            device])
        info = self.attach(volume, HOST_B)
        a, b = names('HostA'), names('HostB')
        # HostA's copy is in this driver's masking now, through the
        # legacy view's initiator group and port group; HostB sees it too.
        self.assertEqual({a.mv, b.mv}, set(self.arr.views_of_device(device)))
        self.assertEqual('OS-HostA-F-IG', self.arr.masking_views[a.mv].host)
        self.assertIn(device, self.arr.storage_groups[a.no_slo].volumes)
        self.assertEqual(info['data']['target_lun'], self.lun(b.mv, volume))
        # The other legacy volume keeps its group and views.
        self.assertEqual([LEGACY_MV, SHARED_MV], sorted(
            self.arr.views_of_group(LEGACY_SG)))
        self.assertNotIn(device, self.arr.storage_groups[LEGACY_SG].volumes)
        # Nova detaches at the source, then the volume lives on HostB.
        self.recorded(volume, HOST_A, HOST_B)
        self.detach(volume, HOST_A)
        self.assertEqual([b.mv], self.arr.views_of_device(device))
        self.assertEqual([b.child], self.fast_groups_of(device))
        self.recorded(volume, HOST_B)
        self.detach(volume, HOST_B)
        self.assertInDefaultGroup(volume, DEFAULT_SG)
        self.assertNothingFor('HostB')
        self.assertIn(LEGACY_SG, self.arr.storage_groups)

    def test_last_volume_takes_its_legacy_group_and_views(self):
        volume = self.legacy_volume()
        device = self.device_of(volume)
        self.attach(volume, HOST_A)
        a = names('HostA')
        self.assertEqual([a.mv], self.arr.views_of_device(device))
        self.assertEqual([a.child], self.arr.groups_of(device))
        self.assertNotIn(LEGACY_SG, self.arr.storage_groups)
        self.assertNotIn(LEGACY_MV, self.arr.masking_views)
        self.assertNotIn(SHARED_MV, self.arr.masking_views)
        self.assertNotIn(a.no_slo, self.arr.storage_groups)
        self.detach(volume, HOST_A)
        self.assertInDefaultGroup(volume, DEFAULT_SG)
        self.assertEqual([], [v for v in self.arr.masking_views
                              if 'HostA' in v])

    def test_several_recorded_hosts_refused(self):
        volume = self.legacy_volume()
        self.recorded(volume, HOST_A, HOST_Z)
        baseline = self.fake.snapshot()
        error = self.assertRaises(
            cinder_exception.VolumeBackendAPIException, self.attach,
            volume, HOST_B)
        self.assertIn(LEGACY_SG, str(error))
        self.assertIn('HostA, HostZ', str(error))
        self.assertEqual([], self.fake.check(baseline))

    def test_volume_of_this_driver_costs_no_call(self):
        volume = self.create(vtype=self.vtype)
        before = len(self.fake.requests)
        self.attach(volume, HOST_A)
        self.assertEqual([], [r.path for r in self.fake.requests[before:]
                              if 'OS-HostA-SRP_1' in r.path])
        self.detach(volume, HOST_A)

    def test_adoption_fault_sweep(self):
        def make():
            return self.legacy_volume(others=1)

        def failed(volume, baseline, where):
            # As it was, or out of the legacy group in HostA's view of
            # this driver: HostA never loses the device.
            device = self.device_of(volume)
            hosts = {self.arr.masking_views[v].host
                     for v in self.arr.views_of_device(device)}
            self.assertIn('OS-HostA-F-IG', hosts, where)
            if LEGACY_SG in self.arr.groups_of(device):
                self.assertEqual([LEGACY_SG], self.arr.groups_of(device),
                                 where)
                self.assertEqual({LEGACY_MV, SHARED_MV},
                                 set(self.arr.views_of_device(device)),
                                 where)
            else:
                self.assertEqual([names('HostA').mv],
                                 self.arr.views_of_device(device), where)

        def undo(volume, info):
            self.recorded(volume, HOST_A, HOST_B)
            self.detach(volume, HOST_A)
            self.recorded(volume, HOST_B)
            self.detach(volume, HOST_B)
            self.driver.delete_volume(volume)
            with self.fake.model.lock:
                for view in (LEGACY_MV, SHARED_MV):
                    self.arr.delete_view(view)
                for device in list(self.arr.storage_groups[
                        LEGACY_SG].volumes):
                    self.arr.remove_volumes(LEGACY_SG, [device])
                    self.arr.free_volume(device)
                    self.arr.delete_volume(device)
                self.arr.delete_group(LEGACY_SG)
                for host in ('OS-HostA-F-IG', 'OS-HostZ-F-IG'):
                    self.arr.delete_host(host)

        self.fault_sweep(make, lambda volume: self.attach(volume, HOST_B),
                         undo, CINDER_ERRORS, failed)


class PreUssuriHostNameTest(test_attach.AttachTestMixin,
                            base.DriverTestCase):
    """A host attached before a short host name template was set."""

    template = 'shortHostName[:3]uuid[:4]'

    def setUp(self):
        super().setUp()
        self.vtype = self.volume_type()
        self.older = self.driver
        self.driver = self.make_driver(
            powermax_short_host_name_template=self.template)
        self.driver.do_setup(self.ctx)

    def test_labels_differ(self):
        new = naming.short_host_name('HostA', self.template)
        self.assertNotEqual('HostA', new)

    def attached_before(self, volume, host=HOST_A):
        self.log_in(host)
        return self.older.initialize_connection(volume, host)

    def test_detach_finds_the_older_objects(self):
        volume = self.create(vtype=self.vtype)
        lun = self.attached_before(volume)['data']['target_lun']
        old = test_attach.names('HostA')
        self.assertEqual(lun, self.lun(old.mv, volume))
        # Attached again: the host sees it already, under its older name.
        info = self.driver.initialize_connection(volume, HOST_A)
        self.assertEqual(lun, info['data']['target_lun'])
        self.assertEqual([old.mv], self.arr.views_of_device(
            self.device_of(volume)))
        # Detach: the view, groups and initiator group go; the zoning
        # information names the old view's ports.
        info = self.detach(volume, HOST_A)
        self.assertZoning(info, HOST_A)
        self.assertNothingFor('HostA')
        self.assertInDefaultGroup(volume)
        self.assertEqual([], self.problems())

    def test_new_attach_uses_the_template(self):
        volume = self.create(vtype=self.vtype)
        self.attach(volume, HOST_B)
        label = naming.short_host_name('HostB', self.template)
        self.assertEqual(['OS-%s-F-OS-fibre-PG-MV' % label],
                         self.arr.views_of_device(self.device_of(volume)))
        self.detach(volume, HOST_B)
        self.assertEqual([], [v for v in self.arr.masking_views
                              if label in v])

    def test_interrupted_detach_finished_under_the_older_name(self):
        volume = self.create(vtype=self.vtype)
        self.attached_before(volume)
        old = test_attach.names('HostA')
        # An older detach died after deleting the view (the device was
        # its last volume) and before returning the device home.
        with self.fake.model.lock:
            self.arr.delete_view(old.mv)
        self.assertEqual([old.child], self.arr.groups_of(
            self.device_of(volume)))
        self.detach(volume, HOST_A)
        self.assertInDefaultGroup(volume)
        self.assertNothingFor('HostA')
        self.assertEqual([], self.problems())


class LegacyNamesTest(testtools.TestCase):
    """The names older releases gave, told by naming.py."""

    def test_pre_pike_names(self):
        for name, host in (
                ('OS-HostA-SRP_1-Diamond-DSS-F-SG', 'HostA'),
                ('OS-host-1-SRP_1-Gold-OLTP-I-CD-RE-SG', 'host-1'),
                ('OS-HostA-No_SLO-F-SG', 'HostA'),
                ('OS-HostA-SRP_1-Diamond-DSS-SG', 'HostA')):
            self.assertEqual(host, naming.legacy_host_label(name, 'SRP_1'))
        self.assertEqual('HostA', naming.legacy_host_label(
            'OS-HostA-SRP_1-Diamond-DSS-F-1a2b3c4d-MV', 'SRP_1', view=True))
        # This driver's names are not the older ones.
        for name in ('OS-SRP_1-Diamond-NONE-SG', 'OS-HostA-F-OS-fibre-PG-SG',
                     'OS-SRP_1-Diamond-NONE-2-SG', 'OS-no_SLO-SG',
                     'OS-HostA-SRP_1-DiamondDSS-OS-fibre-PG',
                     'OS-HostA-SRP_2-Diamond-DSS-F-SG'):
            self.assertIsNone(naming.legacy_host_label(name, 'SRP_1'), name)
        self.assertIsNone(naming.legacy_host_label(
            'OS-HostA-F-OS-fibre-PG-MV', 'SRP_1', view=True))

    def test_host_labels(self):
        self.assertEqual(['HostA'], naming.host_labels('HostA', None))
        self.assertEqual(['Hosabc', 'HostA'], naming.host_labels(
            'HostA.example.com', 'shortHostName[:3]abc'))
