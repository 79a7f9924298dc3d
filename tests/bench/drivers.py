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

"""Both drivers built as cinder-volume builds them, one per process.

The driver's options and the in-tree driver's options share names in
``backend_defaults``, so one process loads one of them: a ``cinder.conf``
is written to a temporary directory with an FC and an iSCSI backend, and
the drivers are loaded from ``volume_driver``. Their REST clients send
real ``requests`` that the fake Unisphere answers in-process.

The in-tree driver reads volume types, QoS specs and volume metadata from
Cinder's database; only those database seams are replaced, with the same
volume type and QoS the Cinder objects carry. The REST path is untouched.
"""

import os
import typing
import uuid

from cinder import context
from cinder import objects
from cinder.volume import configuration
from oslo_config import cfg
from oslo_utils import importutils

from tools import cinderstack

CONF = cfg.CONF
USER, PASSWORD = 'smc', 'smc-pass'
SRP = 'SRP_1'
SERVICE_LEVEL = 'Diamond'
ENDPOINT = '127.0.0.1:8443'

CLASSES = {
    'ours': {'FC': 'cinder_powermax.fc.PowerMaxFCDriver',
             'iSCSI': 'cinder_powermax.iscsi.PowerMaxISCSIDriver'},
    'intree': {
        'FC': 'cinder.volume.drivers.dell_emc.powermax.fc.PowerMaxFCDriver',
        'iSCSI': ('cinder.volume.drivers.dell_emc.powermax.iscsi.'
                  'PowerMaxISCSIDriver')},
}
PORT_GROUPS = {'FC': 'OS-fibre-PG', 'iSCSI': 'OS-iscsi-PG'}
BACKENDS = {'FC': 'powermax_fc', 'iSCSI': 'powermax_iscsi'}
#: FC backends replicating to the partner array, one per SRDF mode, each
#: over its own RDF group; their volume types are replicated. Only the
#: replication figures use them.
REP_BACKEND = 'FC-replicated'
REP_SECTION = 'powermax_fc_rep'
REPLICATION_DEVICE = ('target_device_id:000197800124,remote_port_group:'
                      'OS-fibre-PG,remote_pool:SRP_1,'
                      'rdf_group_label:23_24_007')
#: backend key -> (cinder.conf section, replication_device)
REP_BACKENDS = {
    REP_BACKEND: (REP_SECTION, REPLICATION_DEVICE),
    'FC-replicated-Asynchronous': (
        'powermax_fc_rep_async',
        REPLICATION_DEVICE.replace('23_24_007', '23_24_008') +
        ',mode:Asynchronous'),
    'FC-replicated-Metro': (
        'powermax_fc_rep_metro',
        REPLICATION_DEVICE.replace('23_24_007', '23_24_009') +
        ',mode:Metro,allow_delete_metro:True'),
}


def rep_backend(mode: str) -> str:
    """The backend key of the replicated backend of ``mode``."""
    return REP_BACKEND if mode == 'Synchronous' else '%s-%s' % (
        REP_BACKEND, mode)


def write_conf(directory: str, which: str, array: str) -> str:
    """A cinder.conf with an FC and an iSCSI backend for one driver."""
    host, port = ENDPOINT.split(':')
    sections = cinderstack.backend_options(array, int(port), None, USER,
                                           PASSWORD)
    for protocol, backend in BACKENDS.items():
        # The in-process transport: no TLS; long jobs under load.
        sections[backend].update(
            volume_driver=CLASSES[which][protocol], san_ip=host,
            driver_ssl_cert_verify=False, driver_ssl_cert_path=None,
            retries=200)
    for section, device in REP_BACKENDS.values():
        sections[section] = dict(sections[BACKENDS['FC']],
                                 volume_backend_name=section,
                                 replication_device=device)
    sections['DEFAULT'] = {'enabled_backends': list(BACKENDS.values())}
    return cinderstack.write_conf(os.path.join(directory, 'cinder.conf'),
                                  sections)


def load_driver(protocol: str) -> typing.Any:
    """Build (not set up) a driver from its backend section."""
    # The manager module needs the registered objects at import time.
    from cinder.volume import manager
    section = (REP_BACKENDS[protocol][0] if protocol in REP_BACKENDS
               else BACKENDS[protocol])
    config = configuration.Configuration(manager.volume_backend_opts,
                                         config_group=section)
    return importutils.import_object(config.volume_driver,
                                     configuration=config)


def started_driver(protocol: str, ctx: typing.Any) -> typing.Any:
    """A driver as cinder-volume starts it: built, set up and checked."""
    driver = load_driver(protocol)
    driver.do_setup(ctx)
    driver.check_for_setup_error()
    return driver


class Objects:
    """Cinder objects for one backend, built without a database."""

    def __init__(self, protocol: str, array: str) -> None:
        self.ctx = context.get_admin_context()
        replicated = protocol in REP_BACKENDS
        self.backend = (REP_BACKENDS[protocol][0] if replicated
                        else BACKENDS[protocol])
        self.array = array
        specs = {'pool_name': '%s+%s+%s' % (SERVICE_LEVEL, SRP, array),
                 'volume_backend_name': self.backend,
                 'storagetype:portgroupname': PORT_GROUPS[
                     'FC' if replicated else protocol]}
        if replicated:
            specs['replication_enabled'] = '<is> True'
        self.vtype = objects.VolumeType(
            context=self.ctx, id=str(uuid.uuid4()), name='bench-diamond',
            extra_specs=specs, qos_specs_id=None, is_public=True,
            description=None)

    def volume(self, size: int = 1, name: str = 'vol') -> typing.Any:
        return complete(objects.Volume(
            context=self.ctx, id=str(uuid.uuid4()), size=size,
            display_name=name, volume_type_id=self.vtype.id,
            volume_type=self.vtype, provider_location=None, metadata={},
            status='creating', attach_status='detached',
            multiattach=False, group_id=None, group=None,
            volume_attachment=objects.VolumeAttachmentList(objects=[]),
            host='bench@%s#%s' % (self.backend,
                                  self.vtype.extra_specs['pool_name'])))

    def snapshot(self, volume: typing.Any) -> typing.Any:
        return complete(objects.Snapshot(
            context=self.ctx, id=str(uuid.uuid4()), volume_id=volume.id,
            volume=volume, volume_size=volume.size, provider_location=None,
            display_name='snap', status='creating', metadata={},
            volume_type_id=volume.volume_type_id, group_snapshot_id=None,
            group_snapshot=None))


def complete(obj: typing.Any) -> typing.Any:
    """Set the unset nullable fields to None, as a row without them.

    Without a database the objects cannot lazy-load what a driver reads.
    """
    for name, field in obj.fields.items():
        if obj.obj_attr_is_set(name):
            continue
        if name.endswith('metadata'):
            setattr(obj, name, {})
        elif field.nullable:
            setattr(obj, name, None)
    obj.obj_reset_changes()
    return obj


def connector(protocol: str, index: int) -> dict:
    """The connector of compute host number ``index``."""
    base = {'host': 'compute-%d.example.com' % index,
            'ip': '192.0.2.%d' % (index % 250 + 1),
            'initiator': 'iqn.1993-08.org.debian:01:compute-%d' % index,
            'multipath': True}
    if protocol == 'FC':
        base['wwpns'] = ['10000090fa%06x' % (index * 2 + n)
                         for n in (0, 1)]
        base['wwnns'] = ['20000090fa%06x' % (index * 2 + n)
                         for n in (0, 1)]
    return base


def db_seams(which: str, vtypes: typing.Iterable[typing.Any]) -> list:
    """The (target, replacement) pairs standing in for Cinder's DB.

    Only the in-tree driver reaches the database: for the extra specs and
    QoS of a volume type and to save volume metadata.
    """
    if which != 'intree':
        return []
    by_id = {vtype.id: vtype for vtype in vtypes}

    def extra_specs(type_id, key=None):
        specs = dict(by_id[type_id].extra_specs)
        return {key: specs[key]} if key else specs

    def qos_specs(type_id, ctxt=None):
        return {'qos_specs': None}

    def get_volume_type(ctxt, type_id, expected_fields=None):
        vtype = by_id[type_id]
        return {'id': vtype.id, 'name': vtype.name,
                'extra_specs': dict(vtype.extra_specs),
                'qos_specs_id': None, 'is_public': True}

    return [
        ('cinder.volume.volume_types.get_volume_type_extra_specs',
         extra_specs),
        ('cinder.volume.volume_types.get_volume_type_qos_specs', qos_specs),
        ('cinder.volume.volume_types.get_volume_type', get_volume_type),
        ('cinder.objects.Volume.save', lambda self, *a, **k: None),
        ('cinder.objects.Snapshot.save', lambda self, *a, **k: None),
    ]
