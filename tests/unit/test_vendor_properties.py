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

"""The vendor property ``powermax:disable_protected_snap``.

Advertised in the backend's capabilities; a replicated type that sets it
gets its clones and volumes from snapshots without SRDF protection, and
such a copy lives (attach, detach, delete) as an unreplicated volume,
while the source stays paired.
"""

from cinder import exception as cinder_exception
from cinder.objects import fields

from cinder_powermax import volspec
from tests.unit import test_attach
from tests.unit import test_replication

PROPERTY = 'powermax:disable_protected_snap'


class VendorPropertyTest(test_replication.ReplicationTestCase):

    def dps_type(self, value='<is> True'):
        return self.rep_type(**{PROPERTY: value})

    def copy_of(self, source, vtype, snapshot=None):
        volume = self.volume(vtype=vtype, replication_status='enabled',
                             **({'snapshot_id': snapshot.id} if snapshot
                                else {'source_volid': source.id}))
        if snapshot:
            update = self.driver.create_volume_from_snapshot(volume,
                                                             snapshot)
        else:
            update = self.driver.create_cloned_volume(volume, source)
        volume.update(update)
        return volume, update

    def test_advertised(self):
        self.driver.init_capabilities()
        prop = self.driver.capabilities['properties'][PROPERTY]
        self.assertEqual('boolean', prop['type'])
        self.assertEqual('Disable protected snap', prop['title'])

    def test_clone_and_volume_from_snapshot_unprotected(self):
        vtype = self.dps_type()
        source = self.create(vtype=vtype)
        r1, r2 = self.assertPaired(source)
        snap = self.take_snapshot(source)
        pairs = set(self.arr.rdf[7].pairs)
        baseline = self.fake.snapshot()
        for copy, update in (self.copy_of(source, vtype),
                             self.copy_of(source, vtype, snap)):
            device = self.device_of(copy)
            self.assertEqual(fields.ReplicationStatus.DISABLED,
                             update['replication_status'])
            self.assertNotIn('replication_driver_data', update)
            self.assertEqual([test_replication.PLAIN_SG],
                             self.arr.groups_of(device))
            self.assertIsNone(self.arr.pair_of(device))
            self.assertEqual('OS-' + copy.id,
                             self.arr.volumes[device].identifier)
            # It lives as an unreplicated volume of its type.
            connector = self.connector()
            self.driver.initialize_connection(copy, connector)
            self.driver.terminate_connection(copy, connector)
            self.assertEqual([test_replication.PLAIN_SG],
                             self.arr.groups_of(device))
            self.driver.delete_volume(copy)
            self.assertNotIn(device, self.arr.volumes)
        self.assertEqual(pairs, set(self.arr.rdf[7].pairs))
        self.assertIn(r2, self.rem.volumes)
        self.assertEqual([], self.fake.check(baseline))
        self.driver.delete_snapshot(snap)
        self.driver.delete_volume(source)

    def test_without_the_property_copies_are_paired(self):
        source = self.create(vtype=self.dps_type('<is> False'))
        clone, update = self.copy_of(source, self.rep_type())
        self.assertPaired(clone)
        self.assertEqual(fields.ReplicationStatus.ENABLED,
                         update['replication_status'])
        self.driver.delete_volume(clone)
        self.driver.delete_volume(source)

    def test_a_paired_copy_stays_replicated(self):
        # Paired before its type set the property: still replicated.
        clone, _update = self.copy_of(self.create_rep(), self.rep_type())
        clone.volume_type = self.dps_type()
        clone.volume_type_id = clone.volume_type.id
        self.assertFalse(volspec.unprotected_copy(clone))
        r1, _r2 = self.assertPaired(clone)
        self.driver.delete_volume(clone)
        self.assertNotIn(r1, self.arr.volumes)
        self.assertNotIn(r1, self.arr.rdf[7].pairs)

    def test_bad_value_refused(self):
        source = self.create_rep()
        baseline = self.fake.snapshot()
        volume = self.volume(vtype=self.dps_type('maybe'),
                             source_volid=source.id)
        error = self.assertRaises(cinder_exception.InvalidInput,
                                  self.driver.create_cloned_volume, volume,
                                  source)
        self.assertIn(PROPERTY, str(error))
        self.assertEqual([], self.fake.check(baseline))


class UnreplicatedBackendTest(test_attach.AttachTestMixin,
                              test_replication.ReplicationTestCase):
    """The property on a type without replication changes nothing."""

    rep = None

    def test_plain_clone(self):
        vtype = self.volume_type({PROPERTY: 'True'})
        source = self.create(vtype=vtype)
        clone = self.volume(vtype=vtype, source_volid=source.id)
        update = self.driver.create_cloned_volume(clone, source)
        self.assertEqual(fields.ReplicationStatus.DISABLED,
                         update['replication_status'])
        clone.update(update)
        self.assertInDefaultGroup(clone, test_replication.PLAIN_SG)
