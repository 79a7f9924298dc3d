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

"""SRDF/Metro attach: the host sees the R1 and the R2, one on each array.

Each test asserts both arrays of the fake: the masking views, the host's
initiator group and storage groups on each (named as on the primary,
with the ``-RM`` child), the LUN of each view, and that the connection
information lists the ports and LUNs of both arrays.
"""

from cinder import exception as cinder_exception
from cinder import objects

from cinder_powermax import iscsi
from tests.unit import test_attach
from tests.unit import test_srdf_modes

TARGET = test_srdf_modes.TARGET
LABELS = test_srdf_modes.LABELS
HOST = 'RepHost'
FC_NAMES = {'ig': 'OS-RepHost-F-IG', 'parent': 'OS-RepHost-F-OS-fibre-PG-SG',
            'child': 'OS-RepHost-SRP_1-DiamodNONE-OS-fibre-PG-RM',
            'view': 'OS-RepHost-F-OS-fibre-PG-MV'}
ISCSI_NAMES = {'ig': 'OS-RepHost-I-IG',
               'parent': 'OS-RepHost-I-OS-iscsi-PG-SG',
               'child': 'OS-RepHost-SRP_1-DiamodNONE-OS-iscsi-PG-RM',
               'view': 'OS-RepHost-I-OS-iscsi-PG-MV'}


class MetroAttachCase(test_srdf_modes.ModeTestCase):
    """A backend whose replication device is SRDF/Metro, RDF group 9."""

    mode = 'Metro'
    number = 9
    flags = {'allow_delete_metro': 'True'}
    names = FC_NAMES
    port_group = 'OS-fibre-PG'

    def sides(self, volume):
        """(array, device) of the R1 and of the R2."""
        return ((self.arr, self.device_of(volume)),
                (self.rem, self.r2_of(volume)))

    def attach(self, volume, connector=None):
        return self.driver.initialize_connection(
            volume, connector or self.connector())

    def detach(self, volume, connector=None):
        return self.driver.terminate_connection(
            volume, connector or self.connector())

    def assertMaskedOnBoth(self, volume, host=HOST):
        """Both devices in the host's view and -RM child, on each array.

        :returns: the LUN of each array's view, R1 first
        """
        names = {k: v.replace(HOST, host) for k, v in self.names.items()}
        luns = []
        for array, device in self.sides(volume):
            self.assertEqual([names['view']], array.views_of_device(device),
                             array.sid)
            view = array.masking_views[names['view']]
            self.assertEqual((names['ig'], self.port_group, names['parent']),
                             (view.host, view.port_group,
                              view.storage_group))
            self.assertIn(names['child'],
                          array.storage_groups[names['parent']].children)
            self.assertIn(names['child'], array.groups_of(device))
            self.assertNotIn(self.default_sg, array.groups_of(device))
            luns.append(view.luns[device])
        return luns

    def assertHome(self, volume):
        """Both devices back in their default groups, in no view."""
        for array, device in self.sides(volume):
            self.assertEqual([], array.views_of_device(device))
            self.assertEqual(sorted([self.default_sg, self.management]),
                             sorted(array.groups_of(device)))

    def assertNothingFor(self, host=HOST):
        """No initiator group, view or storage group of the host, anywhere."""
        stem = 'OS-%s-' % host
        for array in (self.arr, self.rem):
            left = [n for n in list(array.hosts) + list(array.masking_views) +
                    list(array.storage_groups) if n.startswith(stem)]
            self.assertEqual([], left, array.sid)

    def problems(self, baseline):
        """The fake's problems; default groups emptied by attaching pass."""
        return [p for p in self.fake.check(baseline)
                if not test_attach.EMPTY_DEFAULT_SG.search(p)]

    def wwns(self, array):
        group = array.port_groups[self.port_group]
        return sorted(array.port(d, p).identifier.lower()
                      for d, p in group.ports)

    def attachments(self, volume, host, count):
        """``count`` attachments of ``volume`` on ``host``, in use."""
        volume.volume_attachment = objects.VolumeAttachmentList(objects=[
            objects.VolumeAttachment(attached_host=host,
                                     attach_status='attached')
            for _ in range(count)])


class FCMetroAttachTest(MetroAttachCase):

    def test_attach_masks_both_arrays(self):
        # A plain volume first: the R1's LUN on the primary is then not
        # the one the R2 gets in the target's new view.
        plain = self.create()
        connector = self.connector()
        self.attach(plain, connector)
        volume = self.create_rep()
        before = self.fake.snapshot()
        info = self.attach(volume, connector)
        r1_lun, r2_lun = self.assertMaskedOnBoth(volume)
        self.assertNotEqual(r1_lun, r2_lun)
        self.assertEqual(sorted(connector['wwpns']), sorted(
            self.rem.hosts[self.names['ig']].initiators))
        data = info['data']
        self.assertEqual('fibre_channel', info['driver_volume_type'])
        self.assertEqual(r1_lun, data['target_lun'])
        both = sorted(self.wwns(self.arr) + self.wwns(self.rem))
        self.assertEqual(4, len(set(both)))
        self.assertEqual(both, data['target_wwn'])
        self.assertEqual({w: both for w in connector['wwpns']},
                         data['initiator_target_map'])
        # Each array's ports with that array's LUN.
        expected = dict([(w, r1_lun) for w in self.wwns(self.arr)] +
                        [(w, r2_lun) for w in self.wwns(self.rem)])
        self.assertEqual(expected, dict(zip(data['target_wwns'],
                                            data['target_luns'])))
        # The pair is untouched.
        pair = self.pairs()[self.device_of(volume)]
        self.assertEqual(self.r2_of(volume), pair.r2_dev)
        self.assertIn(pair.state, test_srdf_modes.MetroTest.active)
        self.assertManaged()

        info = self.detach(volume, connector)
        self.assertHome(volume)
        # The primary's view stays for the plain volume: only the
        # target's ports lose their last view of the host.
        self.assertEqual({w: self.wwns(self.rem) for w in connector['wwpns']},
                         info['data']['initiator_target_map'])
        self.assertEqual([], self.problems(before))
        self.detach(plain, connector)
        self.assertNothingFor()
        self.driver.delete_volume(volume)
        self.driver.delete_volume(plain)
        self.assertClean()

    def test_last_detach_removes_both_views(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        self.attach(volume)
        info = self.detach(volume)
        self.assertHome(volume)
        self.assertNothingFor()
        both = sorted(self.wwns(self.arr) + self.wwns(self.rem))
        self.assertEqual(both, info['data']['target_wwn'])
        self.assertEqual([], self.fake.check(before))
        # A repeated detach finds nothing more to do.
        self.detach(volume)
        self.assertEqual([], self.fake.check(before))

    def test_repeated_attach_reuses_both_views(self):
        volume = self.create_rep()
        first = self.attach(volume)['data']
        luns = self.assertMaskedOnBoth(volume)
        again = self.attach(volume)['data']
        self.assertEqual(luns, self.assertMaskedOnBoth(volume))
        self.assertEqual(first, again)
        self.detach(volume)
        self.assertNothingFor()

    def test_second_volume_on_the_host(self):
        one, two = self.create_rep(), self.create_rep()
        self.attach(one)
        self.attach(two)
        self.assertMaskedOnBoth(one)
        luns = self.assertMaskedOnBoth(two)
        info = self.detach(one)
        self.assertEqual({}, info['data'])
        self.assertHome(one)
        self.assertEqual(luns, self.assertMaskedOnBoth(two))
        self.detach(two)
        self.assertHome(two)
        self.assertNothingFor()

    def test_eight_concurrent_attaches_and_detaches(self):
        vtype = self.rep_type()
        volumes = [self.create(vtype=vtype) for _ in range(8)]
        before = self.fake.snapshot()
        connector = self.connector()
        self.assertEqual([], self.all_at_once(
            lambda v: self.attach(v, connector) and None, volumes))
        luns = [self.assertMaskedOnBoth(v) for v in volumes]
        for index in (0, 1):
            self.assertEqual(8, len({lun[index] for lun in luns}))
        self.assertEqual([], self.all_at_once(
            lambda v: self.detach(v, connector) and None, volumes))
        for volume in volumes:
            self.assertHome(volume)
        self.assertNothingFor()
        self.assertEqual([], self.fake.check(before))

    def test_detach_keeps_both_for_another_attachment(self):
        volume = self.create_rep()
        self.attach(volume)
        luns = self.assertMaskedOnBoth(volume)
        self.attachments(volume, HOST, 2)
        before = self.fake.snapshot()
        self.assertEqual({}, self.detach(volume)['data'])
        self.assertEqual([], self.problems(before))
        self.assertEqual(luns, self.assertMaskedOnBoth(volume))
        self.attachments(volume, HOST, 1)
        self.detach(volume)
        self.assertHome(volume)
        self.assertNothingFor()

    def test_force_detach_unmasks_both(self):
        volume = self.create_rep()
        self.attach(volume)
        self.driver.terminate_connection(volume, None, force=True)
        self.assertHome(volume)
        self.assertNothingFor()

    def test_two_hosts(self):
        volume = self.create_rep()
        other = self.connector('OtherHost')
        self.attach(volume)
        self.attach(volume, other)
        for array, device in self.sides(volume):
            self.assertEqual(2, len(array.views_of_device(device)))
        self.detach(volume)
        self.assertNothingFor()
        self.assertMaskedOnBoth(volume, 'OtherHost')
        self.detach(volume, other)
        self.assertHome(volume)
        self.assertNothingFor('OtherHost')

    def test_type_port_group_is_the_primary_one(self):
        # storagetype:portgroupname names a port group of the primary;
        # the target is reached through its remote_port_group.
        volume = self.create(vtype=self.rep_type(**{
            'storagetype:portgroupname': 'OS-fibre2-PG'}))
        info = self.attach(volume)
        view = 'OS-RepHost-F-OS-fibre2-PG-MV'
        self.assertEqual([view], self.arr.views_of_device(
            self.device_of(volume)))
        self.assertEqual([self.names['view']], self.rem.views_of_device(
            self.r2_of(volume)))
        fibre2 = sorted(self.arr.port(d, p).identifier.lower() for d, p in
                        self.arr.port_groups['OS-fibre2-PG'].ports)
        self.assertEqual(sorted(fibre2 + self.wwns(self.rem)),
                         info['data']['target_wwn'])
        self.detach(volume)
        self.assertHome(volume)
        self.assertNothingFor()

    def test_volume_without_its_r2_attaches_on_the_primary(self):
        volume = self.create_rep()
        r2 = self.r2_of(volume)
        volume.replication_driver_data = None
        info = self.attach(volume)
        self.assertEqual([self.names['view']], self.arr.views_of_device(
            self.device_of(volume)))
        self.assertEqual([], self.rem.views_of_device(r2))
        self.assertNotIn(self.names['ig'], self.rem.hosts)
        self.assertEqual(self.wwns(self.arr), info['data']['target_wwn'])
        self.detach(volume)
        self.assertNothingFor()

    def test_target_masking_failure_undoes_the_primary(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        rule = self.fake.faults.add(
            method='POST', path='%s/maskingview$' % TARGET, action='error',
            status=500, message='injected')
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.attach, volume)
        self.assertEqual(1, rule.hits)
        self.fake.faults.clear()
        self.assertEqual([], self.fake.check(before))
        self.assertHome(volume)
        self.assertNothingFor()
        # The repeat succeeds.
        self.attach(volume)
        self.assertMaskedOnBoth(volume)
        self.detach(volume)
        self.assertEqual([], self.fake.check(before))

    def test_failed_repeat_keeps_an_attachment_in_use(self):
        volume = self.create_rep()
        self.attach(volume)
        luns = self.assertMaskedOnBoth(volume)
        before = self.fake.snapshot()
        # A second attachment on the host: the target's LUN cannot be
        # read. What the first attachment uses stays on both arrays.
        self.fake.faults.add(
            method='GET', path='%s/maskingview/.*/connections' % TARGET,
            action='error', status=500, count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.attach, volume)
        self.fake.faults.clear()
        self.assertEqual([], self.problems(before))
        self.assertEqual(luns, self.assertMaskedOnBoth(volume))

    def test_detach_failing_half_way_is_repeated(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        self.attach(volume)
        self.fake.faults.add(method='DELETE',
                             path='%s/maskingview/' % TARGET,
                             action='error', status=500, count=None)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.detach, volume)
        self.fake.faults.clear()
        self.detach(volume)
        self.assertHome(volume)
        self.assertNothingFor()
        self.assertEqual([], self.fake.check(before))


class ISCSIMetroAttachTest(MetroAttachCase):

    driver_class = iscsi.PowerMaxISCSIDriver
    flags = {'allow_delete_metro': 'True',
             'remote_port_group': 'OS-iscsi-PG'}
    names = ISCSI_NAMES
    port_group = 'OS-iscsi-PG'

    def portals(self, array, lun):
        """(portal, IQN, LUN) of each address of the array's port group."""
        found = []
        for director, number in array.port_groups[self.port_group].ports:
            port = array.port(director, number)
            found += [('%s:3260' % a, port.identifier, lun)
                      for a in port.ip_addresses]
        return found

    def test_multipath_lists_both_arrays(self):
        plain = self.create()
        self.attach(plain)
        volume = self.create_rep()
        info = self.attach(volume)
        r1_lun, r2_lun = self.assertMaskedOnBoth(volume)
        self.assertNotEqual(r1_lun, r2_lun)
        data = info['data']
        self.assertEqual('iscsi', info['driver_volume_type'])
        primary = self.portals(self.arr, r1_lun)
        remote = self.portals(self.rem, r2_lun)
        self.assertNotEqual(set(p for p, _i, _l in primary),
                            set(p for p, _i, _l in remote))
        self.assertEqual(sorted(primary + remote), sorted(zip(
            data['target_portals'], data['target_iqns'],
            data['target_luns'])))
        # The single-path keys are the primary's.
        self.assertIn((data['target_portal'], data['target_iqn'],
                       data['target_lun']), primary)
        self.detach(volume)
        self.assertHome(volume)
        self.detach(plain)
        self.assertNothingFor()

    def test_without_multipath_refused(self):
        volume = self.create_rep()
        before = self.fake.snapshot()
        connector = dict(self.connector(), multipath=False)
        error = self.assertRaises(cinder_exception.InvalidConnectorException,
                                  self.attach, volume, connector)
        self.assertIn('multipath', str(error))
        self.assertEqual([], self.fake.check(before))
        self.assertHome(volume)
        self.assertNothingFor()

    def test_plain_volume_needs_no_multipath(self):
        volume = self.create()
        info = self.attach(volume, dict(self.connector(), multipath=False))
        self.assertNotIn('target_portals', info['data'])
        self.detach(volume)
        self.assertNothingFor()


class SyncAndMetroTest(MetroAttachCase):
    """A Synchronous and a Metro device: only Metro masks the R2."""

    rep = None

    def settings(self):
        values = super().settings()
        values['replication_device'] = [
            test_srdf_modes.rep_device(backend_id='sync',
                                       rdf_group_label=LABELS[7]),
            test_srdf_modes.rep_device(backend_id='metro', mode='Metro',
                                       rdf_group_label=LABELS[9],
                                       allow_delete_metro='True')]
        return values

    def typed(self, backend_id):
        return self.rep_type(**{
            'storagetype:replication_device_backend_id': backend_id})

    def test_synchronous_volume_attached_on_the_primary_only(self):
        sync = self.create(1, self.typed('sync'))
        metro = self.create(1, self.typed('metro'))
        info = self.attach(sync)
        self.assertEqual([self.names['view']],
                         self.arr.views_of_device(self.device_of(sync)))
        self.assertEqual([], self.rem.views_of_device(self.r2_of(sync)))
        self.assertNotIn('target_wwns', info['data'])
        self.assertEqual(self.wwns(self.arr), info['data']['target_wwn'])
        self.assertNotIn(self.names['ig'], self.rem.hosts)
        self.attach(metro)
        self.assertMaskedOnBoth(metro)
        self.assertEqual([], self.rem.views_of_device(self.r2_of(sync)))
        self.detach(sync)
        self.detach(metro)
        self.assertHome(metro)
        self.assertNothingFor()

    def test_failed_over_attaches_on_the_active_array_only(self):
        metro = self.create(1, self.typed('metro'))
        r1, r2 = self.device_of(metro), self.r2_of(metro)
        _backend, updates, _groups = self.driver.failover_host(
            self.ctx, [metro], 'sync')
        metro.update(updates[0]['updates'])
        self.assertEqual(r2, self.device_of(metro))
        self.attach(metro)
        self.assertEqual([self.names['view']], self.rem.views_of_device(r2))
        self.assertEqual([], self.arr.views_of_device(r1))
        self.assertNotIn(self.names['ig'], self.arr.hosts)
        self.detach(metro)
        self.assertNothingFor()
