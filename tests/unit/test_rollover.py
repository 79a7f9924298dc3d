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

"""Full default storage groups: volumes roll over to numbered ones.

The fake holds the array's limit of devices per storage group; here it is
3 instead of 4,096, so that a handful of volumes fills a group. Every
operation finds a volume in the numbered group, and what a volume leaves
empty goes.
"""

from cinder import exception as cinder_exception

from cinder_powermax import naming
from tests import base as tests_base
from tests.unit import base
from tests.unit import test_attach
from tests.unit import test_retype

LIMIT = 3
BASE = 'OS-SRP_1-Diamond-NONE-SG'
SECOND = 'OS-SRP_1-Diamond-NONE-2-SG'
THIRD = 'OS-SRP_1-Diamond-NONE-3-SG'
GOLD_SG = 'OS-SRP_1-Gold-NONE-SG'
GOLD_SECOND = 'OS-SRP_1-Gold-NONE-2-SG'
HOST = test_attach.HOST_A


class RolloverNamingTest(tests_base.TestCase):

    def test_numbered_names(self):
        self.assertEqual(BASE, naming.rollover_sg_name(BASE, 1))
        self.assertEqual(SECOND, naming.rollover_sg_name(BASE, 2))
        self.assertEqual('OS-SRP_1-Diamond-NONE-CD-RE-16-SG',
                         naming.rollover_sg_name(
                             'OS-SRP_1-Diamond-NONE-CD-RE-SG', 16))
        self.assertEqual('OS-no_SLO-2-SG',
                         naming.rollover_sg_name('OS-no_SLO-SG', 2))

    def test_numbers_read_back(self):
        for number in range(1, naming.ROLLOVER_MAX + 1):
            self.assertEqual(number, naming.rollover_number(
                naming.rollover_sg_name(BASE, number), BASE))
        for other in ('OS-SRP_1-Diamond-NONE-CD-SG', 'OS-SRP_1-Gold-NONE-SG',
                      'OS-SRP_1-Diamond-NONE-02-SG',
                      'OS-SRP_1-Diamond-NONE-1-SG',
                      'OS-SRP_1-Diamond-NONE-17-SG',
                      'OS-SRP_1-Diamond-NONE-x-SG',
                      'OS-HostA-F-OS-fibre-PG-SG'):
            self.assertIsNone(naming.rollover_number(other, BASE), other)

    def test_number_out_of_range_refused(self):
        for bad in (0, naming.ROLLOVER_MAX + 1, '2'):
            error = self.assertRaises(naming.utils.exception.InvalidSpec,
                                      naming.rollover_sg_name, BASE, bad)
            self.assertIn('number', str(error))


class RolloverTest(base.DriverTestCase, test_attach.AttachTestMixin):

    def setUp(self):
        super().setUp()
        self.arr.max_sg_devices = LIMIT

    def fill(self, count, vtype=None):
        return [self.create(vtype=vtype) for _ in range(count)]

    def members(self, group):
        return sorted(self.arr.members(group)) \
            if group in self.arr.storage_groups else None

    def edited_groups(self, since):
        """The group of each volume-creating edit since request ``since``."""
        return [r.path.rsplit('/', 1)[1] for r in self.fake.requests[since:]
                if r.method == 'PUT' and 'addVolumeParam' in str(r.body)]

    def test_creates_roll_over_and_deletes_clean_up(self):
        before = len(self.fake.requests)
        volumes = self.fill(LIMIT * 2 + 1)
        devices = [self.device_of(v) for v in volumes]
        self.assertEqual(sorted(devices[:3]), self.members(BASE))
        self.assertEqual(sorted(devices[3:6]), self.members(SECOND))
        self.assertEqual(devices[6:], self.members(THIRD))
        for volume in volumes:
            self.assertEqual(1, len(self.arr.groups_of(
                self.device_of(volume))))
        # Only the first create into a full group is refused: the driver
        # remembers which group it fills now (a missing group answers 404
        # and is made).
        self.assertEqual([BASE] + [BASE] * 3 +  # 404: made, then filled
                         [BASE, SECOND, SECOND] + [SECOND] * 2 +
                         [SECOND, THIRD, THIRD], self.edited_groups(before))
        for volume in reversed(volumes):
            self.driver.delete_volume(volume)
        self.assertClean()

    def test_attach_detach_extend_snapshot_in_a_numbered_group(self):
        volumes = self.fill(LIMIT + 1)
        volume = volumes[-1]
        device = self.device_of(volume)
        self.assertEqual([SECOND], self.arr.groups_of(device))
        self.driver.extend_volume(volume, 2)
        self.assertEqual(2, self.arr.volumes[device].cap_gb)
        snap = self.take_snapshot(volume)
        self.attach(volume, HOST)
        child = naming.child_sg_name('HostA', 'SRP_1', 'Diamond', None,
                                     naming.port_group_label('OS-fibre-PG'))
        self.assertEqual([child], self.arr.groups_of(device))
        self.detach(volume, HOST)
        self.assertEqual([SECOND], self.arr.groups_of(device))
        self.driver.delete_snapshot(snap)
        for each in volumes:
            self.driver.delete_volume(each)
        self.assertClean()

    def test_detach_into_a_full_group_rolls_over(self):
        volumes = self.fill(LIMIT)
        volume = volumes[0]
        device = self.device_of(volume)
        self.attach(volume, HOST)
        # Another create takes the place the attach freed.
        volumes.append(self.create())
        self.assertEqual(LIMIT, len(self.members(BASE)))
        self.detach(volume, HOST)
        self.assertEqual([SECOND], self.arr.groups_of(device))
        self.assertEqual(LIMIT, len(self.members(BASE)))
        for each in volumes:
            self.driver.delete_volume(each)
        self.assertClean()

    def test_group_filled_by_another_client_between_creates(self):
        volumes = self.fill(LIMIT - 1)
        # Another client (or cinder-volume process) takes the last place.
        outsider = self.arr.create_volumes(BASE, 1, 547, 'outsider')[0]
        baseline = self.fake.snapshot()
        before = len(self.fake.requests)
        volume = self.create()
        # Refused by the full group, refused by the missing second one
        # (made then), and made.
        self.assertEqual([BASE, SECOND, SECOND], self.edited_groups(before))
        self.assertEqual([self.device_of(volume)], self.members(SECOND))
        self.assertEqual(1, len([d for d, v in self.arr.volumes.items()
                                 if v.identifier == 'OS-' + volume.id]))
        self.driver.delete_volume(volume)
        self.assertIsNone(self.members(SECOND))
        self.assertClean(baseline)
        self.assertIn(outsider, self.members(BASE))
        for each in volumes:
            self.driver.delete_volume(each)

    def test_failed_rollover_leaves_nothing(self):
        volumes = self.fill(LIMIT)
        baseline = self.fake.snapshot()
        rule = self.fake.faults.add(method='POST', path='/storagegroup$',
                                    count=None, status=500)
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.create)
        self.assertGreater(rule.hits, 0)
        self.assertClean(baseline)
        self.fake.faults.clear()
        # The next try makes the group and its device.
        volume = self.create()
        self.assertEqual([self.device_of(volume)], self.members(SECOND))
        for each in volumes + [volume]:
            self.driver.delete_volume(each)
        self.assertClean()

    def test_failed_create_in_numbered_group_removes_it(self):
        volumes = self.fill(LIMIT)
        baseline = self.fake.snapshot()
        self.fake.faults.add(method='PUT', path='/storagegroup/%s$' % SECOND,
                             count=None, action='fail_job_applied',
                             message='Injected failure')
        self.assertRaises(cinder_exception.VolumeBackendAPIException,
                          self.create)
        self.assertClean(baseline)
        self.assertNotIn(SECOND, self.arr.storage_groups)
        for each in volumes:
            self.driver.delete_volume(each)

    def test_retype_out_of_and_into_numbered_groups(self):
        gold = self.volume_type({'pool_name': test_retype.GOLD})
        golds = self.fill(LIMIT, gold)
        volumes = self.fill(LIMIT + 1)
        volume = volumes[-1]
        device = self.device_of(volume)
        self.assertEqual([SECOND], self.arr.groups_of(device))
        done = self.driver.retype(self.ctx, volume, gold, {},
                                  test_retype.host(test_retype.GOLD))
        self.assertTrue(done)
        volume.volume_type, volume.volume_type_id = gold, gold.id
        self.assertEqual([GOLD_SECOND], self.arr.groups_of(device))
        # The numbered Diamond group it left empty went.
        self.assertNotIn(SECOND, self.arr.storage_groups)
        for each in golds + volumes:
            self.driver.delete_volume(each)
        self.assertClean()

    def test_manage_into_a_full_group_rolls_over(self):
        volumes = self.fill(LIMIT)
        self.arr.create_group('user_sg', srp='SRP_1', slo='Gold')
        device = self.arr.create_volumes('user_sg', 1, 547, 'appvol')[0]
        volume = self.volume(size=1)
        volume.update(self.driver.manage_existing(
            volume, {'source-name': 'appvol'}))
        self.assertEqual([SECOND], self.arr.groups_of(device))
        self.attach(volume, HOST)
        self.detach(volume, HOST)
        self.assertEqual([SECOND], self.arr.groups_of(device))
        self.driver.unmanage(volume)
        self.assertEqual([], self.arr.groups_of(device))
        self.assertNotIn(SECOND, self.arr.storage_groups)
        for each in volumes:
            self.driver.delete_volume(each)

    def test_qos_goes_to_the_numbered_group(self):
        vtype = self.volume_type(qos={'total_iops_sec': '500'})
        volumes = self.fill(LIMIT + 1, vtype)
        self.assertEqual('500', str(self.arr.storage_groups[
            SECOND].host_io_limit['host_io_limit_io_sec']))
        for each in volumes:
            self.driver.delete_volume(each)
        self.assertClean()
