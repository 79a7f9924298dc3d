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

"""Volumes made by the in-tree driver, for the take-over test.

Run as ``python -m tests.unit.intree_volumes <cinder.conf> <lock dir>
<out.json>`` in a process of its own (the in-tree driver's options clash
with this package's): it creates a volume, a snapshot of it, a clone and
an attached volume on the array the configuration names, and writes what
Cinder would have stored for them.
"""

import contextlib
import json
import sys
from unittest import mock

from cinder import coordination
from cinder import objects
from oslo_config import cfg

from tests.bench import drivers


def volume_record(volume):
    return {'id': volume.id, 'size': volume.size,
            'provider_location': volume.provider_location}


def make(driver, objs, connector):
    volume = objs.volume(name='plain')
    volume.update(driver.create_volume(volume) or {})
    snap = objs.snapshot(volume)
    snap.update(driver.create_snapshot(snap) or {})
    clone = objs.volume(name='clone')
    clone.update(driver.create_cloned_volume(clone, volume) or {})
    attached = objs.volume(name='attached')
    attached.update(driver.create_volume(attached) or {})
    driver.initialize_connection(attached, connector)
    return {'volume': volume_record(volume), 'clone': volume_record(clone),
            'attached': volume_record(attached),
            'snapshot': {'id': snap.id,
                         'provider_location': snap.provider_location}}


def main(conf_path, lock_dir, out_path, array):
    objects.register_all()
    cfg.CONF(['--config-file', conf_path], project='cinder')
    cfg.CONF.set_override('backend_url', 'file://' + lock_dir,
                          group='coordination')
    coordination.COORDINATOR.start()
    objs = drivers.Objects('FC', array)
    with contextlib.ExitStack() as stack:
        for target, replacement in drivers.db_seams('intree', [objs.vtype]):
            stack.enter_context(mock.patch(target, replacement))
        driver = drivers.load_driver('FC')
        driver.do_setup(objs.ctx)
        driver.check_for_setup_error()
        made = make(driver, objs, drivers.connector('FC', 7))
    with open(out_path, 'w') as out:
        json.dump(made, out)


if __name__ == '__main__':
    main(*sys.argv[1:5])
