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


"""The audit against the fake Unisphere: debris left on purpose is found
with list calls only, cleaned under the driver's locks, and nothing else
is touched."""

import io
import os
import time
import uuid

from cinder import coordination
import fixtures

from cinder_powermax import audit
from cinder_powermax.cmd import audit as audit_cmd
from cinder_powermax.unisphere import inventory
from tests import base as tests_base
from tests.unit import base

CONNECTOR = {'host': 'compute-9', 'ip': '192.0.2.9', 'platform': 'x86_64',
             'os_type': 'linux', 'multipath': False,
             'initiator': 'iqn.1993-08.org.debian:01:compute-9',
             'wwpns': ['10000090fa0b9001'], 'wwnns': ['20000090fa0b9001']}
TWO_HOURS = 2 * 3600


class FakeCinder:
    """What the Cinder API would answer."""

    def __init__(self, volumes=(), snapshots=(), on_array=None):
        self.answer = audit.Known(frozenset(volumes), frozenset(snapshots),
                                  dict(on_array or {}))

    def known(self, serial):
        return self.answer


class AuditTest(base.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.context = self.driver.common._array()
        self.inventory = inventory.Inventory(self.context.sloprov.client,
                                             self.array)

    def leave_debris(self):
        """Debris of each kind; returns (known, expected findings)."""
        kept = self.create()
        orphan = self.create()
        snap = self.take_snapshot(kept)
        dev = self.device_of(kept)
        # The in-tree driver's clone snapshot, two hours old.
        temp = 'temp-%s-snapshot_for_clone' % dev
        self.context.provision.create_snapshot(dev, temp)
        self.arr.snapshots[dev][-1].created -= TWO_HOURS
        self.context.sloprov.create_storage_group(
            'OS-SRP_1-Gold-NONE-SG', srp='SRP_1', service_level='Gold')
        attached = self.create()
        self.driver.initialize_connection(attached, CONNECTOR)
        view = [v for v in self.arr.masking_views][0]
        parent = self.arr.masking_views[view].storage_group
        child = list(self.arr.storage_groups[parent].children)[0]
        # A view left without volumes, as an older driver's interrupted
        # detach leaves it (today's array refuses to empty a view).
        self.arr.refuse_emptying_views = False
        self.context.sloprov.remove_child_group(parent, child)
        self.arr.refuse_emptying_views = True
        lost = str(uuid.uuid4())
        known = audit.Known(
            frozenset([kept.id, attached.id, lost]), frozenset(),
            {lost: ('lost-vol', 'available'),
             kept.id: ('vol', 'available')})
        expected = {(audit.TEMP, temp), (audit.SNAPSHOT,
                                         'OS-' + snap.id[:6] + snap.id[-9:]),
                    (audit.DEVICE, self.device_of(orphan)),
                    (audit.GROUP, 'OS-SRP_1-Gold-NONE-SG'),
                    (audit.VIEW, view), (audit.MISSING, 'OS-' + lost)}
        return known, expected

    def scan(self, known):
        del self.fake.requests[:]
        return audit.scan(self.inventory, known)

    def test_finds_each_kind_of_debris_with_reads_only(self):
        known, expected = self.leave_debris()
        findings = self.scan(known)
        self.assertEqual(expected, {(f.kind, f.name) for f in findings})
        writes = [(r.method, r.path) for r in self.fake.requests
                  if r.method != 'GET']
        self.assertTrue(all(m == 'DELETE' and '/common/Iterator/' in p
                            for m, p in writes), writes)

    def test_devices_come_from_one_list_not_a_get_each(self):
        self.fake.model.page_size = 5
        for _ in range(23):
            self.create()
        findings = self.scan(audit.Known(frozenset(), frozenset()))
        self.assertEqual(23, len([f for f in findings
                                  if f.kind == audit.DEVICE]))
        paths = [r.path for r in self.fake.requests if r.method == 'GET']
        self.assertEqual(1, len([p for p in paths
                                 if p.endswith('/volume')]))
        # Five devices a page: the first page, then four more.
        self.assertEqual(4, len([p for p in paths if '/Iterator/' in p]))
        self.assertEqual([], [p for p in paths if '/volume/' in p])

    def test_a_masked_orphan_is_listed_but_never_cleaned(self):
        volume = self.create()
        self.driver.initialize_connection(volume, CONNECTOR)
        findings = self.scan(audit.Known(frozenset(), frozenset()))
        device = [f for f in findings if f.kind == audit.DEVICE][0]
        self.assertFalse(device.cleanable)
        self.assertIn('MASKED', device.detail)
        self.assertIn('left alone', audit.Cleaner(self.context).clean(
            device))
        self.assertIn(self.device_of(volume), self.arr.volumes)

    def test_an_empty_child_goes_under_its_hosts_lock(self):
        volume = self.create()
        self.driver.initialize_connection(volume, CONNECTOR)
        view = self.arr.masking_views[list(self.arr.masking_views)[0]]
        sloprov = self.context.sloprov
        sloprov.create_storage_group('OS-compute-9-SRP_1-Gold-F-SG',
                                     srp='SRP_1', service_level='Gold')
        sloprov.add_child_group(view.storage_group,
                                'OS-compute-9-SRP_1-Gold-F-SG')
        findings = [f for f in self.scan(audit.Known(
            frozenset([volume.id]), frozenset())) if 'compute-9' in f.name]
        self.assertEqual([(audit.GROUP, 'OS-compute-9-SRP_1-Gold-F-SG')],
                         [(f.kind, f.name) for f in findings])
        self.assertIn('child of %s' % view.storage_group,
                      findings[0].detail)
        taken = []

        def lock(name):
            taken.append(name)
            return coordination.COORDINATOR.get_lock(name)
        outcome = audit.Cleaner(self.context, lock).clean(findings[0])
        self.assertIn('taken out of %s' % view.storage_group, outcome)
        self.assertEqual(['%s-host-%s' % (self.array, view.host)], taken)
        self.assertNotIn('OS-compute-9-SRP_1-Gold-F-SG',
                         self.arr.storage_groups)
        self.assertEqual(1, len(self.arr.storage_groups[
            view.storage_group].children))

    def test_an_initiator_group_in_no_view(self):
        volume = self.create()
        self.driver.initialize_connection(volume, CONNECTOR)
        view = list(self.arr.masking_views)[0]
        host = self.arr.masking_views[view].host
        self.context.sloprov.delete_masking_view(view)
        known = audit.Known(frozenset([volume.id]), frozenset())
        findings = self.scan(known)
        self.assertIn((audit.HOST, host),
                      [(f.kind, f.name) for f in findings])
        cleaner = audit.Cleaner(self.context)
        outcome = cleaner.clean([f for f in findings
                                 if f.kind == audit.HOST][0])
        self.assertEqual('deleted', outcome)
        self.assertNotIn(host, self.arr.hosts)

    def test_a_volume_being_created_is_not_missing(self):
        known = audit.Known(frozenset(['x', 'y']), frozenset(), {
            'x': ('new', 'creating'), 'y': ('gone', 'in-use')})
        self.assertEqual([(audit.MISSING, 'OS-y')],
                         [(f.kind, f.name) for f in self.scan(known)])

    def test_a_migrated_volume_is_neither_orphan_nor_missing(self):
        """Its device keeps the name of the copy it took over."""
        volume, copy = self.create(), self.create()
        old_location = volume.provider_location
        volume.update(self.driver.update_migrated_volume(
            self.ctx, volume, copy, 'available'))
        # Cinder deletes the old device through the swapped record.
        self.driver.delete_volume(self.volume(
            id=copy.id, provider_location=old_location, _name_id=volume.id,
            migration_status='deleting'))
        known = audit.Known(frozenset([volume.id]), frozenset(), {
            volume.id: ('migrated', 'available')},
            name_ids={copy.id: volume.id})
        self.assertEqual([], self.scan(known))
        self.assertEqual([audit.DEVICE], [f.kind for f in self.scan(
            audit.Known(frozenset([volume.id]), frozenset()))])

    def test_a_young_temporary_snapshot_is_an_operation_in_flight(self):
        volume = self.create()
        dev = self.device_of(volume)
        self.context.provision.create_snapshot(dev, 'temp-%s-abc' % dev)
        known = audit.Known(frozenset([volume.id]), frozenset())
        self.assertEqual([], self.scan(known))
        self.assertEqual(1, len(audit.scan(self.inventory, known,
                                           now=time.time() + TWO_HOURS)))

    def test_clean_removes_what_it_listed_under_the_driver_locks(self):
        known, expected = self.leave_debris()
        taken = []

        def lock(name):
            # The driver's own lock backend, recording the names taken.
            taken.append(name)
            return coordination.COORDINATOR.get_lock(name)
        findings = self.scan(known)
        outcomes = audit.clean_all(audit.Cleaner(self.context, lock),
                                   [f for f in findings if f.cleanable])
        self.assertTrue(all(ok for _f, _o, ok in outcomes), outcomes)
        self.assertEqual([audit.MISSING],
                         [f.kind for f in self.scan(known)])
        device = [f.device for f in findings if f.kind == audit.DEVICE][0]
        self.assertIn('%s-vol-%s' % (self.array, device), taken)
        self.assertIn('%s-host-OS-compute-9-F-IG' % self.array, taken)
        problems = self.fake.check()
        self.assertEqual([], [p for p in problems if 'storage group' in p or
                              'view' in p or 'host' in p or 'SnapVX' in p],
                         problems)

    def test_command_lists_and_cleans_only_after_yes(self):
        known, expected = self.leave_debris()
        conf = self.write_conf()
        out = io.StringIO()
        code = audit_cmd.main(['--config-file', conf, '--clean'], out=out,
                              cinder=FakeCinder(known.volumes, (),
                                                known.on_array),
                              answer=lambda prompt: 'no')
        self.assertEqual(1, code)
        self.assertIn('nothing removed', out.getvalue())
        self.assertIn('[not cleaned]', out.getvalue())
        self.assertEqual(len(expected) - 1, len(
            [f for f in self.scan(known) if f.cleanable]))
        out = io.StringIO()
        code = audit_cmd.main(['--config-file', conf, '--clean', '--yes'],
                              out=out, cinder=FakeCinder(
                                  known.volumes, (), known.on_array))
        # The missing device is never cleaned: a finding remains.
        self.assertEqual(1, code, out.getvalue())
        self.assertEqual([audit.MISSING],
                         [f.kind for f in self.scan(known)])

    def write_conf(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'cinder.conf')
        with open(path, 'w') as out:
            out.write('[DEFAULT]\nenabled_backends = %s\n\n[%s]\n'
                      'volume_driver = cinder_powermax.fc.PowerMaxFCDriver\n'
                      'san_ip = 127.0.0.1\nsan_api_port = 8443\n'
                      'san_login = %s\nsan_password = %s\n'
                      'powermax_array = %s\npowermax_srp = SRP_1\n'
                      'driver_ssl_cert_verify = False\n' % (
                          base.BACKEND, base.BACKEND, self.fake.username,
                          self.fake.password, self.array))
        return path


class FakeSession:
    """keystoneauth's session as the Cinder API answers, in pages."""

    def __init__(self, pages):
        self.pages = pages
        self.urls = []

    def get(self, url, **kwargs):
        self.urls.append(url)
        answer = self.pages[url]
        return type('Answer', (), {'json': lambda self: answer})()


class CinderListTest(tests_base.TestCase):

    def test_every_page_of_every_project_is_read(self):
        serial = '000197800123'
        first = '/volumes/detail?all_tenants=1&limit=1000'
        session = FakeSession({
            first: {'volumes': [
                {'id': 'a', 'name': 'on-array', 'status': 'available',
                 'os-vol-host-attr:host': 'h@fc#Gold+SRP_1+%s' % serial,
                 'os-vol-mig-status-attr:name_id': 'c'}],
                'volumes_links': [{'rel': 'next',
                                   'href': 'http://cinder/v3/volumes/p2'}]},
            'http://cinder/v3/volumes/p2': {'volumes': [
                {'id': 'b', 'name': 'elsewhere', 'status': 'available',
                 'os-vol-host-attr:host': 'h@lvm#lvm'}]},
            '/snapshots/detail?all_tenants=1&limit=1000': {
                'snapshots': [{'id': 's'}]}})
        known = audit_cmd.Cinder(session).known(serial)
        self.assertEqual(frozenset(['a', 'b']), known.volumes)
        self.assertEqual({'a': ('on-array', 'available')}, known.on_array)
        self.assertEqual(frozenset(['s']), known.snapshots)
        self.assertEqual({'c': 'a'}, known.name_ids)
        self.assertEqual(3, len(session.urls))

    def test_the_command_default_ttl_is_the_drivers(self):
        self.assertEqual(audit.TEMP_TTL_HOURS, audit_cmd.TEMP_TTL_HOURS)
