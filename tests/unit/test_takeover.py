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

"""A deployment switches volume_driver from the in-tree driver to this one.

The in-tree driver, in a process of its own, makes a volume, a snapshot,
a clone and an attached volume on the fake array (served over HTTPS);
this driver then extends, snapshots, clones, retypes, detaches, attaches,
unmanages, manages and deletes them, and the array is left as it was.
"""

from cinder import exception as cinder_exception

from cinder_powermax import naming
from tests.bench import drivers
from tests.unit import base
from tests.unit import intree

GOLD = 'Gold+SRP_1+%s'


class TakeOverTest(base.DriverTestCase):

    def intree_volumes(self):
        url, ca_path = self.fake.start_https()
        return intree.run(self, 'intree_volumes',
                          intree.sections(self, url, ca_path), self.array)

    def test_take_over(self):
        made = self.intree_volumes()
        vtype = self.volume_type({
            'pool_name': 'Diamond+SRP_1+%s' % self.array,
            'storagetype:portgroupname': 'OS-fibre-PG'})
        vols = {key: self.volume(vtype=vtype, status='available', **made[key])
                for key in ('volume', 'clone', 'attached')}
        plain, clone, attached = (vols['volume'], vols['clone'],
                                  vols['attached'])
        snap = self.snapshot(plain, id=made['snapshot']['id'],
                             provider_location=made['snapshot'][
                                 'provider_location'])
        connector = drivers.connector('FC', 7)
        for wwpn in connector['wwpns']:
            self.arr.log_in(wwpn)

        self.driver.extend_volume(plain, 2)
        plain.size = 2
        ours = self.take_snapshot(plain)
        from_theirs = self.volume(vtype=vtype, size=2)
        from_theirs.update(self.driver.create_volume_from_snapshot(
            from_theirs, snap))
        copy = self.volume(vtype=vtype, size=2)
        copy.update(self.driver.create_cloned_volume(copy, plain))

        gold = self.volume_type({'pool_name': GOLD % self.array,
                                 'storagetype:portgroupname': 'OS-fibre-PG'})
        host = {'host': 'x@y#' + GOLD % self.array, 'capabilities': {
            'location_info': '%s#SRP_1#Gold#NONE' % self.array}}
        self.assertTrue(self.driver.retype(self.ctx, attached, gold, {},
                                           host))
        attached.volume_type, attached.volume_type_id = gold, gold.id
        self.driver.terminate_connection(attached, connector)
        self.driver.initialize_connection(attached, connector)
        self.driver.terminate_connection(attached, connector)

        self.driver.unmanage(attached)
        device = self.device_of(attached)
        again = self.volume(vtype=gold)
        again.update(self.driver.manage_existing(again,
                                                 {'source-id': device}))
        self.assertEqual(naming.volume_identifier(again.id),
                         self.arr.volumes[device].identifier)
        # The in-tree driver's clone is still the target of its source's
        # SnapVX link: it is refused, and the array is not changed.
        self.assertRaises(cinder_exception.ManageExistingInvalidReference,
                          self.driver.manage_existing, self.volume(),
                          {'source-id': self.device_of(clone)})

        for snapshot in (ours, snap):
            self.driver.delete_snapshot(snapshot)
        for volume in (from_theirs, copy, again, clone, plain):
            self.driver.delete_volume(volume)
        self.assertClean()
