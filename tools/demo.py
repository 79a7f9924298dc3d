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

"""An operator's tour of the driver against the fake Unisphere over HTTPS.

It starts the fake Unisphere on loopback, writes a ``cinder.conf`` with an
FC and an iSCSI backend as an operator would, loads the drivers the way
cinder-volume does (from ``volume_driver``), and walks through setup, pools,
volume types, QoS, create, snapshot, volume from snapshot, clone, extend,
revert and delete, printing what the array holds after each step. It exits
non-zero if any step fails or the array is left with debris.

Run it with ``tox -e demo``.
"""

import ast
import os
import sys
import tempfile
import textwrap
import uuid

from cinder import context
from cinder import coordination
from cinder import objects
from cinder.volume import configuration
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import importutils

from tests.fake_unisphere import app as fake_app
from tests.fake_unisphere import data
from tests.fake_unisphere import model as fake_model
from tests.fake_unisphere import server as fake_server

ARRAY = data.POWERMAX_8000
USER, PASSWORD = 'smc', 'smc-pass'
BACKENDS = {
    'powermax_fc': ('cinder_powermax.fc.PowerMaxFCDriver', 'OS-fibre-PG'),
    'powermax_iscsi': ('cinder_powermax.iscsi.PowerMaxISCSIDriver',
                       'OS-iscsi-PG'),
}


def say(text=''):
    print(text, flush=True)


def step(title):
    say()
    say('== %s' % title)


def write_conf(directory, port, ca_path):
    sections = ['[DEFAULT]', 'enabled_backends = %s' % ','.join(BACKENDS),
                '']
    for name, (driver, port_group) in BACKENDS.items():
        sections.append(textwrap.dedent('''\
            [%(name)s]
            volume_driver = %(driver)s
            volume_backend_name = %(name)s
            san_ip = 127.0.0.1
            san_api_port = %(port)d
            san_login = %(user)s
            san_password = %(password)s
            driver_ssl_cert_verify = True
            driver_ssl_cert_path = %(ca)s
            powermax_array = %(array)s
            powermax_srp = SRP_1
            powermax_service_level = Diamond
            powermax_port_groups = [%(pg)s]
            interval = 1
            retries = 60
            ''') % {'name': name, 'driver': driver, 'port': port,
                    'user': USER, 'password': PASSWORD, 'ca': ca_path,
                    'array': ARRAY, 'pg': port_group})
    path = os.path.join(directory, 'cinder.conf')
    with open(path, 'w') as conf:
        conf.write('\n'.join(sections))
    return path


def load_driver(backend):
    """Build a driver as cinder-volume does, from its backend section."""
    # The manager module needs the registered objects at import time.
    from cinder.volume import manager
    config = configuration.Configuration(manager.volume_backend_opts,
                                         config_group=backend)
    driver = importutils.import_object(config.volume_driver,
                                       configuration=config)
    driver.do_setup(context.get_admin_context())
    driver.check_for_setup_error()
    return driver


def show_pools(driver):
    stats = driver.get_volume_stats(refresh=True)
    say('backend %s (%s, driver %s): %d pools' % (
        stats['volume_backend_name'], stats['storage_protocol'],
        stats['driver_version'], len(stats['pools'])))
    for pool in stats['pools']:
        say('  %-42s total %9.1f GB  free %9.1f GB  %s' % (
            pool['pool_name'], pool['total_capacity_gb'],
            pool['free_capacity_gb'], pool['location_info']))


def show_array(model):
    array = model.arrays[ARRAY]
    say('array %s now holds:' % ARRAY)
    for name, group in sorted(array.storage_groups.items()):
        limits = group.host_io_limit or {}
        say('  storage group %-30s SL %-8s compression %-5s volumes %s%s' % (
            name, group.slo or 'NONE', group.compression,
            sorted(group.volumes) or '-',
            ('  host I/O limits %s' % limits) if limits else ''))
    for device, volume in sorted(array.volumes.items()):
        snaps = [s.name for s in array.snapshots_of(device)]
        say('  device %s %-42s %5.1f GB%s' % (
            device, volume.identifier, volume.cap_gb,
            ('  snapshots %s' % snaps) if snaps else ''))


class Tour:
    def __init__(self, model, driver):
        self.model = model
        self.driver = driver
        self.ctx = context.get_admin_context()

    def volume_type(self, name, extra_specs, qos=None):
        vtype = objects.VolumeType(
            context=self.ctx, id=str(uuid.uuid4()), name=name,
            extra_specs=extra_specs, qos_specs_id=None, is_public=True,
            description=None)
        if qos:
            vtype.qos_specs_id = str(uuid.uuid4())
            vtype.qos_specs = objects.QualityOfServiceSpecs(
                context=self.ctx, id=vtype.qos_specs_id, name=name + '-qos',
                consumer='back-end', specs=qos)
        say('volume type %s: extra specs %s%s' % (
            name, extra_specs, (', QoS %s' % qos) if qos else ''))
        return vtype

    def volume(self, name, size, vtype):
        return objects.Volume(
            context=self.ctx, id=str(uuid.uuid4()), display_name=name,
            size=size, volume_type_id=vtype.id, volume_type=vtype,
            provider_location=None, metadata={}, status='creating')

    def create(self, name, size, vtype):
        volume = self.volume(name, size, vtype)
        volume.update(self.driver.create_volume(volume))
        say('created %s (%d GB): device %s' % (
            name, size, location(volume)['device_id']))
        return volume

    def snapshot(self, volume, name):
        snap = objects.Snapshot(
            context=self.ctx, id=str(uuid.uuid4()), volume_id=volume.id,
            volume=volume, volume_size=volume.size, display_name=name,
            provider_location=None, status='creating')
        snap.update(self.driver.create_snapshot(snap))
        say('snapshot %s of %s: SnapVX %s' % (
            name, volume.display_name, location(snap)['snap_name']))
        return snap


def location(obj):
    return ast.literal_eval(obj.provider_location)


FC_CONNECTOR = {'host': 'compute-1.example.com', 'ip': '192.0.2.11',
                'wwpns': ['10000090fa0b1001', '10000090fa0b1002'],
                'wwnns': ['20000090fa0b1001', '20000090fa0b1002'],
                'initiator': 'iqn.1993-08.org.debian:01:compute-1',
                'multipath': True}
ISCSI_CONNECTOR = {'host': 'compute-2.example.com', 'ip': '192.0.2.12',
                   'initiator': 'iqn.1993-08.org.debian:01:compute-2',
                   'multipath': True}


def show_views(model):
    array = model.arrays[ARRAY]
    for name, view in sorted(array.masking_views.items()):
        say('  masking view %s: initiator group %s, port group %s, '
            'storage group %s, LUNs %s' % (
                name, view.host, view.port_group, view.storage_group,
                {dev: lun for dev, lun in sorted(view.luns.items())}))
        say('    children %s' % sorted(array.storage_groups[
            view.storage_group].children))


def attach_tour(model, fc_driver, iscsi_driver, volumes):
    step('Attach over FC and iSCSI')
    fc_vol, iscsi_vol = volumes
    info = fc_driver.initialize_connection(fc_vol, FC_CONNECTOR)
    say('FC attach of %s to %s: LUN %s, targets %s' % (
        fc_vol.display_name, FC_CONNECTOR['host'],
        info['data']['target_lun'], info['data']['target_wwn']))
    info = iscsi_driver.initialize_connection(iscsi_vol, ISCSI_CONNECTOR)
    say('iSCSI attach of %s to %s: LUN %s, portals %s' % (
        iscsi_vol.display_name, ISCSI_CONNECTOR['host'],
        info['data']['target_lun'], info['data']['target_portals']))
    show_views(model)
    fc_driver.extend_volume(fc_vol, fc_vol.size + 1)
    say('extended %s while attached' % fc_vol.display_name)
    step('Detach')
    info = fc_driver.terminate_connection(fc_vol, FC_CONNECTOR)
    say('FC detach: zoning information returned for removal: %s' %
        bool(info['data']))
    iscsi_driver.terminate_connection(iscsi_vol, ISCSI_CONNECTOR)
    say('iSCSI detach done; masking views left: %s' %
        (sorted(model.arrays[ARRAY].masking_views) or 'none'))


def tour(model, driver, iscsi_driver):
    t = Tour(model, driver)
    step('Volume types')
    gold = t.volume_type('gold', {'pool_name': 'Gold+SRP_1+%s' % ARRAY,
                                  'storagetype:portgroupname':
                                  'OS-fibre-PG'})
    qos = t.volume_type('diamond-qos', {}, qos={
        'total_iops_sec': '500', 'total_bytes_sec': '104857600',
        'DistributionType': 'Always'})
    nocomp = t.volume_type('diamond-nocompression', {
        'storagetype:disablecompression': 'True'})

    step('Create volumes')
    vol_a = t.create('vol-a', 1, gold)
    vol_b = t.create('vol-b', 2, qos)
    vol_c = t.create('vol-c', 1, nocomp)
    show_array(model)

    step('Snapshot, volume from snapshot, clone')
    snap = t.snapshot(vol_a, 'snap-a')
    from_snap = t.volume('vol-from-snap', 2, gold)
    from_snap.update(driver.create_volume_from_snapshot(from_snap, snap))
    say('created vol-from-snap from snap-a: device %s' %
        location(from_snap)['device_id'])
    clone = t.volume('vol-b-clone', 2, qos)
    clone.update(driver.create_cloned_volume(clone, vol_b))
    say('cloned vol-b: device %s (no temporary snapshot left)' %
        location(clone)['device_id'])
    show_array(model)

    attach_tour(model, driver, iscsi_driver, (vol_b, vol_c))

    step('Extend and revert')
    driver.extend_volume(vol_a, 3)
    say('extended vol-a to 3 GB')
    driver.revert_to_snapshot(t.ctx, vol_a, snap)
    say('reverted vol-a to snap-a')

    step('Delete everything')
    driver.delete_snapshot(snap)
    for volume in (from_snap, clone, vol_a, vol_b, vol_c):
        driver.delete_volume(volume)
        say('deleted %s' % volume.display_name)
    show_array(model)


def main():
    logging.register_options(cfg.CONF)
    objects.register_all()
    arrays = fake_model.Model(username=USER)
    app = fake_app.UnisphereApp(arrays, 'V10.1.0.2', USER, PASSWORD)
    fake = fake_server.FakeServer(app)
    url, ca_path = fake.start()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            step('Fake Unisphere on %s (CA %s)' % (url, ca_path))
            conf_path = write_conf(workdir, fake.port, ca_path)
            cfg.CONF(['--config-file', conf_path], project='cinder')
            logging.setup(cfg.CONF, 'cinder-powermax-demo')
            # cinder-volume starts the coordinator at service start; the
            # driver's locks come from it.
            cfg.CONF.set_override('backend_url', 'file://' + workdir,
                                  group='coordination')
            coordination.COORDINATOR.start()
            drivers = {}
            for backend in BACKENDS:
                step('Backend %s: setup and pools' % backend)
                drivers[backend] = load_driver(backend)
                show_pools(drivers[backend])
            before = inventory(arrays)
            tour(arrays, drivers['powermax_fc'], drivers['powermax_iscsi'])
        problems = sorted(inventory(arrays) - before)
    finally:
        coordination.COORDINATOR.stop()
        fake.stop()
    step('Result')
    if problems:
        say('debris left on the array:\n  ' + '\n  '.join(problems))
        return 1
    say('every step succeeded and the array holds no debris')
    return 0


def inventory(arrays):
    """Every object on every array, to compare before and after."""
    found = set()
    for sid, array in arrays.arrays.items():
        for kind in ('storage_groups', 'volumes', 'hosts', 'masking_views'):
            found.update('%s: %s %s' % (sid, kind, name)
                         for name in getattr(array, kind))
        found.update('%s: snapshot %s of %s' % (sid, snap.name, dev)
                     for dev in array.volumes
                     for snap in array.snapshots_of(dev))
    return found


if __name__ == '__main__':
    sys.exit(main())
