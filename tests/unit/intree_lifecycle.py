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

"""The in-tree driver's lifecycles, for the fidelity tests.

Run as ``python -m tests.unit.intree_lifecycle <cinder.conf> <lock dir>
<out.json> <array> <url> <what>`` in a process of its own (the in-tree
driver's options clash with this package's), against the fake Unisphere
served at ``url``. ``what`` is a replicated backend of
:data:`tests.bench.drivers.REP_BACKENDS` (create, extend, snapshot,
clone, failover, failback, delete) or ``group`` (a consistent group: make
it with volumes, a group snapshot, a group from it, delete all). The data
each volume presents is written and read through the fake's test-only
route; what went wrong is written to ``out.json``.
"""

import ast
import contextlib
import json
import sys
import traceback
from unittest import mock
import uuid

from cinder import coordination
from cinder import objects
from oslo_config import cfg
import requests

from tests.bench import drivers

CG_SPECS = {'consistent_group_snapshot_enabled': '<is> True'}


class Data:
    """The fake's test-only content route, over HTTPS."""

    def __init__(self, url):
        self.url = url + '/univmax/restapi/fake/symmetrix/%s/volume/%s/content'
        self.session = requests.Session()
        self.session.auth = (drivers.USER, drivers.PASSWORD)
        self.session.verify = False

    def write(self, volume, token):
        where = ast.literal_eval(volume.provider_location)
        response = self.session.put(self.url % (where['array'],
                                                where['device_id']),
                                    json={'content': token})
        response.raise_for_status()

    def read(self, volume):
        where = ast.literal_eval(volume.provider_location)
        response = self.session.get(self.url % (where['array'],
                                                where['device_id']))
        response.raise_for_status()
        return response.json()['content']


def check(found, wanted, what):
    if found != wanted:
        raise AssertionError('%s presents %r, not %r' % (what, found, wanted))


def apply(volumes, updates):
    """Model updates, as the volume manager saves them.

    A failover's are ``{volume_id, updates}``, a group operation's the
    fields with the ``id``.
    """
    by_id = {v.id: v for v in volumes}
    for update in updates:
        if 'volume_id' in update:
            by_id[update['volume_id']].update(update['updates'])
        else:
            by_id[update['id']].update(
                {k: v for k, v in update.items() if k != 'id'})


def replicated(driver, objs, data):
    """Create, extend, snapshot, clone, fail over and back, delete."""
    volume = objs.volume(name='rep')
    volume.update(driver.create_volume(volume) or {})
    data.write(volume, 'rep volume')
    driver.extend_volume(volume, 2)
    volume.size = 2
    snap = objs.snapshot(volume)
    snap.update(driver.create_snapshot(snap) or {})
    clone = objs.volume(size=2, name='rep-clone')
    clone.update(driver.create_cloned_volume(clone, volume) or {})
    check(data.read(clone), 'rep volume', 'the clone')
    volumes = [volume, clone]
    _backend, updates, _groups = driver.failover_host(objs.ctx, volumes,
                                                      None, [])
    apply(volumes, updates)
    check(data.read(volume), 'rep volume', 'the failed-over volume')
    _backend, updates, _groups = driver.failover_host(objs.ctx, volumes,
                                                      'default', [])
    apply(volumes, updates)
    check(data.read(volume), 'rep volume', 'the failed-back volume')
    driver.delete_snapshot(snap)
    for each in (clone, volume):
        driver.delete_volume(each)


def group(driver, objs, data):
    """A consistent group, its snapshot, a group from it, all deleted."""
    type_id = str(uuid.uuid4())

    def new_group(name):
        return objects.Group(
            context=objs.ctx, id=str(uuid.uuid4()), name=name,
            group_type_id=type_id, status='creating',
            volume_type_ids=[objs.vtype.id], host=objs.volume().host,
            volume_types=objects.VolumeTypeList(objects=[objs.vtype]),
            group_snapshot_id=None, source_group_id=None)
    with mock.patch('cinder.volume.group_types.get_group_type',
                    lambda ctxt, type_id, expected_fields=None: {
                        'id': type_id, 'name': 'cg',
                        'group_specs': dict(CG_SPECS)}):
        first = new_group('cg')
        driver.create_group(objs.ctx, first)
        volumes = []
        for index in range(2):
            volume = objs.volume(name='cg%d' % index)
            if index == 0:
                volume.group_id, volume.group = first.id, first
            volume.update(driver.create_volume(volume) or {})
            data.write(volume, 'cg volume %d' % index)
            volumes.append(volume)
        # The second joins the group afterwards.
        driver.update_group(objs.ctx, first, volumes[1:], [])
        volumes[1].group_id, volumes[1].group = first.id, first
        gsnap = objects.GroupSnapshot(
            context=objs.ctx, id=str(uuid.uuid4()), group_id=first.id,
            group=first, group_type_id=type_id, status='creating')
        snaps = [objs.snapshot(v) for v in volumes]
        for snap in snaps:
            snap.group_snapshot_id = gsnap.id
        _update, updates = driver.create_group_snapshot(objs.ctx, gsnap,
                                                        snaps)
        for snap, update in zip(snaps, updates or ()):
            snap.update({k: v for k, v in update.items() if k != 'id'})
        for index, volume in enumerate(volumes):
            data.write(volume, 'cg volume %d, later' % index)
        second = new_group('cg-copy')
        second.group_snapshot_id = gsnap.id
        copies = []
        for index, snap in enumerate(snaps):
            copy = objs.volume(name='copy%d' % index)
            copy.group_id, copy.group = second.id, second
            copy.snapshot_id = snap.id
            copies.append(copy)
        _update, updates = driver.create_group_from_src(
            objs.ctx, second, copies, gsnap, snaps, None, None)
        apply(copies, updates or ())
        for index, copy in enumerate(copies):
            check(data.read(copy), 'cg volume %d' % index,
                  'group copy %d' % index)
        driver.delete_group_snapshot(objs.ctx, gsnap, snaps)
        driver.delete_group(objs.ctx, second, copies)
        driver.delete_group(objs.ctx, first, volumes)


def main(conf_path, lock_dir, out_path, array, url, what):
    objects.register_all()
    cfg.CONF(['--config-file', conf_path], project='cinder')
    cfg.CONF.set_override('backend_url', 'file://' + lock_dir,
                          group='coordination')
    coordination.COORDINATOR.start()
    backend = 'FC' if what == 'group' else what
    objs = drivers.Objects(backend, array)
    outcome = {'error': None}
    try:
        with contextlib.ExitStack() as stack:
            for target, replacement in drivers.db_seams('intree',
                                                        [objs.vtype]):
                stack.enter_context(mock.patch(target, replacement))
            driver = drivers.load_driver(backend)
            driver.do_setup(objs.ctx)
            driver.check_for_setup_error()
            (group if what == 'group' else replicated)(driver, objs,
                                                       Data(url))
    except Exception:
        outcome['error'] = traceback.format_exc()[-3000:]
    with open(out_path, 'w') as out:
        json.dump(outcome, out)


if __name__ == '__main__':
    main(*sys.argv[1:7])
