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

"""An operator's tour of the driver through a real Cinder, and a sandbox.

It serves the fake Unisphere over HTTPS on loopback, writes a
``cinder.conf`` with an FC and an iSCSI backend on this package's drivers
(and an NVMe/TCP backend on a PowerMax 8500), and runs Cinder's API,
scheduler and volume services in this process (:mod:`tools.cinderstack`).
The tour then drives Cinder through its REST API, as ``openstack volume
...`` and Nova do: volume types with pool names and port groups, QoS,
create, snapshot, volume from snapshot, clone, attach and detach over FC,
iSCSI and NVMe/TCP, extend (in use and available), retype,
unmanage and manage, revert and delete, printing after each step what
Cinder reports and what the array holds. It exits non-zero if a step
fails or the array keeps any debris.

``--sandbox`` skips the tour and keeps everything serving, printing the
environment for the ``openstack`` command (no Keystone needed), until
interrupted.

Run it with ``tox -e demo`` (``tox -e demo -- --sandbox``); ``--verbose`` adds
Cinder's and the driver's logs and Python's warnings to the tour.
"""

import sys  # noqa: I100
import warnings  # noqa: I100
# Cinder's dependencies announce their own deprecations at import and at
# start, hundreds of lines that bury an operator's tour (the test envs turn
# them on through PYTHONWARNINGS). --verbose shows them with Cinder's logs.
VERBOSE = '--verbose' in sys.argv[1:] or '--debug' in sys.argv[1:]
if not VERBOSE:
    warnings.simplefilter('ignore')
if __name__ == '__main__':
    # Importing Cinder takes seconds: say that something is happening.
    print('Loading Cinder and the driver ...', flush=True)

from cinder import monkey_patch; monkey_patch.patch()  # noqa: E402,E702

import argparse  # noqa: E402,I100
import os  # noqa: E402,I100
import shlex  # noqa: E402,I100
import shutil  # noqa: E402,I100
import signal  # noqa: E402,I100
import tempfile  # noqa: E402,I100
import time  # noqa: E402,I100
import uuid  # noqa: E402,I100

import requests  # noqa: E402

from tests.fake_unisphere import data  # noqa: E402
from tests.fake_unisphere import fixture as fake_fixture  # noqa: E402
from tools import cinderstack  # noqa: E402
from tools import novastandin  # noqa: E402

ARRAY = data.POWERMAX_8000
#: The FC backend replicates to this array: Synchronously over RDF group
#: 23_24_007, in Metro mode over 23_24_009 (a type names its device).
TARGET = data.POWERMAX_8000_R
_DEVICE = ('target_device_id:%s,remote_port_group:OS-fibre-PG,'
           'remote_pool:SRP_1,' % TARGET)
REPLICATION_DEVICES = (
    'backend_id:sync,' + _DEVICE + 'rdf_group_label:23_24_007',
    'backend_id:metro,mode:Metro,allow_delete_metro:True,' + _DEVICE +
    'rdf_group_label:23_24_009')
FC, ISCSI, NVME = cinderstack.FC, cinderstack.ISCSI, cinderstack.NVME
#: The NVMe/TCP backend's array: NVMe/TCP needs a PowerMax 2500 or 8500.
NVME_ARRAY = data.POWERMAX_8500
#: How long a volume may stay in a transitional state.
TIMEOUT = 120

FC_CONNECTOR = {'host': 'compute-1', 'ip': '192.0.2.11',
                'platform': 'x86_64', 'os_type': 'linux', 'multipath': True,
                'initiator': 'iqn.1993-08.org.debian:01:compute-1',
                'wwpns': ['10000090fa0b1001', '10000090fa0b1002'],
                'wwnns': ['20000090fa0b1001', '20000090fa0b1002']}
ISCSI_CONNECTOR = {'host': 'compute-2', 'ip': '192.0.2.12',
                   'platform': 'x86_64', 'os_type': 'linux',
                   'multipath': True,
                   'initiator': 'iqn.1993-08.org.debian:01:compute-2'}
_HOST_ID = '6a1f0c52-58d4-4f0e-9d0b-3b8f1d2c7e10'
NVME_CONNECTOR = {'host': 'compute-3', 'ip': '192.0.2.13',
                  'platform': 'x86_64', 'os_type': 'linux',
                  'multipath': True, 'nvme_native_multipath': True,
                  'nqn': 'nqn.2014-08.org.nvmexpress:uuid:' + _HOST_ID,
                  'nvme_hostid': _HOST_ID, 'uuid': _HOST_ID}


class TourFailed(Exception):
    pass


def say(text=''):
    print(text, flush=True)


def step(title):
    say()
    say('== %s' % title)


def command(*argv):
    """The ``openstack`` or ``cinder`` command a call stands for.

    Quoted for a POSIX shell: each printed line runs as it is if pasted.
    """
    say('$ %s' % shlex.join(argv))


def nova(text):
    """A step Nova takes, printed as a shell comment: nothing to paste."""
    say('# (Nova) %s' % text)


def properties(specs):
    """``--property key=value`` arguments, sorted by key."""
    return [arg for key, value in sorted(specs.items())
            for arg in ('--property', '%s=%s' % (key, value))]


def server_of(connector):
    """The Nova server of a compute host's connector, one per host."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, connector['host']))


#: What the tour's words mean on a PowerMax array, said once at its start.
GLOSSARY = (
    ('array', 'a PowerMax or VMAX storage system, known by its 12-digit '
     'serial'),
    ('SRP', 'storage resource pool: the array\'s capacity that volumes '
     'draw on'),
    ('service level', 'the response time a volume is promised (Diamond, '
     'Gold, ...); part of a Cinder pool\'s name'),
    ('storage group', 'a named set of devices (volumes) the array manages '
     'together: service level, QoS limits, snapshots, replication'),
    ('masking view', 'what makes devices visible to a host: the host\'s '
     'initiator group + a port group + a storage group'),
)


# -- Cinder's REST API --------------------------------------------------------

class Cinder(object):
    """The calls ``openstack volume ...`` and Nova make, over HTTP."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self.session.headers.update({
            'X-Auth-Token': cinderstack.TOKEN,
            'OpenStack-API-Version': 'volume %s' % cinderstack.API_VERSION,
            'Accept': 'application/json'})

    def call(self, method, path, body=None):
        answer = self.session.request(method, self.url + path, json=body,
                                      timeout=60)
        if answer.status_code >= 400:
            raise TourFailed('%s %s: %s %s' % (method, path,
                                               answer.status_code,
                                               answer.text))
        return answer.json() if answer.content else None

    def get(self, path):
        return self.call('GET', path)

    def post(self, path, body):
        return self.call('POST', path, body)

    def delete(self, path):
        return self.call('DELETE', path)

    def put(self, path, body):
        return self.call('PUT', path, body)

    def action(self, volume_id, name, body=None):
        return self.post('/volumes/%s/action' % volume_id,
                         {name: body if body is not None else {}})

    def wait(self, kind, item_id, transitional, expected=None):
        """Poll until the item leaves ``transitional``; None once gone."""
        deadline = time.time() + TIMEOUT
        while True:
            answer = self.session.get('%s/%ss/%s' % (self.url, kind,
                                                     item_id), timeout=60)
            if answer.status_code == 404:
                return None
            item = answer.json()[kind]
            if item['status'] not in transitional:
                break
            if time.time() > deadline:
                raise TourFailed('%s %s stayed %s' % (kind, item_id,
                                                      item['status']))
            time.sleep(0.2)
        if expected is not None and item['status'] != expected:
            raise TourFailed('%s %s is %s, not %s: %s' % (
                kind, item.get('name'), item['status'], expected,
                self.reason(item_id)))
        return item

    def reason(self, resource_id):
        messages = self.get('/messages')['messages']
        return '; '.join(m['user_message'] for m in messages
                         if m['resource_uuid'] == resource_id) or 'unknown'

    def pools(self):
        return self.get('/scheduler-stats/get_pools?detail=True')['pools']


# -- the array, as the fake holds it ------------------------------------------

#: Said the first time a storage group with this spelling is shown.
DIAMOD_NOTE = ('  (DiamodNONE, not DiamondNONE, on purpose: in a host\'s '
               'child group names the in-tree driver shortens service level '
               'and workload to 10 characters, the first five and the last '
               'five; this driver keeps its names so that it can take over '
               'its volumes)')


def show_array(model, notes=None):
    """Print what the fake array holds; ``notes``: explanations given."""
    array = model.arrays[ARRAY]
    notes = set() if notes is None else notes
    with model.lock:
        say('array %s now holds:%s' % (ARRAY, '' if (
            array.storage_groups or array.volumes or array.masking_views)
            else ' nothing'))
        for name, group in sorted(array.storage_groups.items()):
            limits = group.host_io_limit or {}
            say('  storage group %-46s SL %-8s compression %-5s volumes %s%s'
                % (name, group.slo or 'NONE', group.compression,
                   ','.join(sorted(group.volumes)) or '-',
                   ('  host I/O limits %s' % limits) if limits else ''))
        for device, volume in sorted(array.volumes.items()):
            snaps = [s.name for s in array.snapshots_of(device)]
            say('  device %s %-42s %5.1f GB%s' % (
                device, volume.identifier, volume.cap_gb,
                ('  snapshots %s' % snaps) if snaps else ''))
        for name, view in sorted(array.masking_views.items()):
            say('  masking view %s: initiator group %s, port group %s, '
                'storage group %s (children %s), LUNs %s' % (
                    name, view.host, view.port_group, view.storage_group,
                    ','.join(sorted(array.storage_groups[
                        view.storage_group].children)),
                    dict(sorted(view.luns.items()))))
        if 'Diamod' not in notes and any(
                'DiamodNONE' in name for name in array.storage_groups):
            notes.add('Diamod')
            say(DIAMOD_NOTE)


def holdings(fake):
    """Every object the fake's arrays hold, one line each."""
    return sorted('%s: %s %s' % (sid, kind, item)
                  for sid, kinds in fake.snapshot().items()
                  for kind, items in kinds.items() for item in items)


# -- the tour -----------------------------------------------------------------

class Tour(object):

    def __init__(self, cinder, model, nova_api):
        self.cinder = cinder
        self.model = model
        #: The Nova stand-in that Cinder asks before it deletes an
        #: attachment (:mod:`tools.novastandin`).
        self.nova = nova_api
        self.notes = set()

    def show_array(self):
        show_array(self.model, self.notes)

    def glossary(self):
        step('The words of this tour')
        for word, meaning in GLOSSARY:
            say('  %-14s %s' % (word, meaning))

    def device(self, volume):
        return self.cinder.get('/volumes/%s/metadata' % volume['id'])[
            'metadata'].get('DeviceID')

    def services(self):
        step('Cinder services')
        command('openstack', 'volume', 'service', 'list')
        for svc in self.cinder.get('/os-services')['services']:
            say('  %-16s %-24s %s %s' % (svc['binary'], svc['host'],
                                         svc['status'], svc['state']))

    def pools(self):
        step('Pools the backends report')
        command('openstack', 'volume', 'backend', 'pool', 'list', '--long')
        pools = self.cinder.pools()
        for backend in (FC, ISCSI, NVME):
            mine = [p for p in pools
                    if p['capabilities']['volume_backend_name'] == backend]
            caps = mine[0]['capabilities']
            say('  %s (%s): %d pools, e.g. %s; %s GB free of %s GB' % (
                backend, caps['storage_protocol'], len(mine),
                ', '.join(sorted(p['name'].split('#')[1]
                                 for p in mine)[:3]),
                caps['free_capacity_gb'], caps['total_capacity_gb']))
        say('  (NONE and None both mean "no workload" or "no service level": '
            'volumes made by earlier drivers carry either spelling in their '
            'host, so pools of both spellings are reported)')

    def volume_type(self, name, backend, **extra_specs):
        specs = dict(extra_specs, volume_backend_name=backend)
        command('openstack', 'volume', 'type', 'create',
                *properties(specs), name)
        return self.cinder.post('/types', {'volume_type': {
            'name': name, 'extra_specs': specs}})['volume_type']

    def qos(self, name, vtype, **specs):
        command('openstack', 'volume', 'qos', 'create', '--consumer',
                'back-end', *properties(specs), name)
        qos = self.cinder.post('/qos-specs', {'qos_specs': dict(
            specs, name=name, consumer='back-end')})['qos_specs']
        command('openstack', 'volume', 'qos', 'associate', name,
                vtype['name'])
        self.cinder.get('/qos-specs/%s/associate?vol_type_id=%s' % (
            qos['id'], vtype['id']))
        return qos

    def create(self, name, size, vtype, snapshot=None, source=None):
        body = {'name': name, 'size': size, 'volume_type': vtype}
        how = ()
        if snapshot:
            body['snapshot_id'] = snapshot['id']
            how = ('--snapshot', snapshot['name'])
        if source:
            body['source_volid'] = source['id']
            how = ('--source', source['name'])
        command('openstack', 'volume', 'create', '--size', str(size),
                '--type', vtype, *how, name)
        volume = self.cinder.post('/volumes', {'volume': body})['volume']
        volume = self.cinder.wait('volume', volume['id'],
                                  ('creating', 'downloading'), 'available')
        say('  %s: %s, %d GB, host %s, device %s' % (
            name, volume['status'], volume['size'],
            volume['os-vol-host-attr:host'], self.device(volume)))
        return volume

    def snapshot(self, volume, name):
        command('openstack', 'volume', 'snapshot', 'create', '--volume',
                volume['name'], name)
        snap = self.cinder.post('/snapshots', {'snapshot': {
            'volume_id': volume['id'], 'name': name}})['snapshot']
        snap = self.cinder.wait('snapshot', snap['id'], ('creating',),
                                'available')
        say('  %s: %s' % (name, snap['status']))
        return snap

    def attach(self, volume, connector):
        """Attach as Nova does since Queens: the attachment API."""
        server = server_of(connector)
        nova('attach %s to server %s on %s: attachment create, attachment '
             'complete' % (volume['name'], server, connector['host']))
        attachment = self.cinder.post('/attachments', {'attachment': {
            'volume_uuid': volume['id'], 'instance_uuid': server,
            'connector': connector, 'mode': 'rw'}})['attachment']
        # Nova records the attachment before it uses it; Cinder asks
        # Nova about it when the attachment is deleted.
        self.nova.attach(server, volume['id'], attachment['id'])
        self.cinder.post('/attachments/%s/action' % attachment['id'],
                         {'os-complete': {}})
        volume = self.cinder.wait('volume', volume['id'], ('attaching',),
                                  'in-use')
        info = attachment['connection_info']
        if info['driver_volume_type'] == 'fibre_channel':
            say('  FC: LUN %s, target WWNs %s' % (
                info['target_lun'], ', '.join(sorted(info['target_wwn']))))
        elif info['driver_volume_type'] == 'nvmeof':
            say('  NVMe/TCP: target %s, NGUID %s, portals %s' % (
                info['target_nqn'], info['volume_nguid'], ', '.join(
                    '%s:%s' % (p[0], p[1]) for p in info['portals'])))
        else:
            say('  iSCSI: LUN %s, portals %s' % (
                info['target_lun'], ', '.join(info['target_portals'])))
        return volume

    def detach(self, volume, connector):
        """Detach as Nova does: forget the volume, delete the attachment."""
        server = server_of(connector)
        nova('detach %s from server %s: attachment delete' % (
            volume['name'], server))
        self.nova.detach(server, volume['id'])
        self.cinder.delete('/attachments/%s' % volume['attachments'][0][
            'attachment_id'])
        self.cinder.wait('volume', volume['id'], ('detaching', 'in-use'),
                         'available')
        say('  %s: available' % volume['name'])

    def extend(self, volume, size):
        command('openstack', 'volume', 'set', '--size', str(size),
                volume['name'])
        status = volume['status']
        told = len(self.nova.events)
        self.cinder.action(volume['id'], 'os-extend', {'new_size': size})
        volume = self.cinder.wait('volume', volume['id'], ('extending',),
                                  status)
        say('  %s: %d GB, %s' % (volume['name'], volume['size'],
                                 volume['status']))
        if status == 'in-use':
            cinderstack.wait_until(lambda: len(self.nova.events) > told,
                                   timeout=TIMEOUT, what='Nova event')
            say('  (Cinder told Nova: %s for server %s)' % (
                self.nova.events[-1]['name'],
                self.nova.events[-1]['server_uuid']))
        return volume

    def retype(self, volume, vtype):
        command('openstack', 'volume', 'set', '--type', vtype,
                '--retype-policy', 'on-demand', volume['name'])
        self.cinder.action(volume['id'], 'os-retype', {
            'new_type': vtype, 'migration_policy': 'on-demand'})
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            volume = self.cinder.get('/volumes/%s' % volume['id'])['volume']
            if volume['volume_type'] == vtype and \
                    volume['status'] != 'retyping':
                break
            time.sleep(0.2)
        else:
            raise TourFailed('%s was not retyped to %s' % (volume['name'],
                                                           vtype))
        say('  %s: type %s, device %s (the same device, moved between '
            'storage groups)' % (volume['name'], volume['volume_type'],
                                 self.device(volume)))
        return volume

    def unmanage_and_manage(self, volume):
        device, host = self.device(volume), volume['os-vol-host-attr:host']
        command('cinder', 'unmanage', volume['name'])
        self.cinder.action(volume['id'], 'os-unmanage')
        self.cinder.wait('volume', volume['id'], ('available',
                                                  'unmanaging'))
        say('  device %s is no longer OpenStack\'s' % device)
        command('cinder', 'manage', '--name', volume['name'],
                '--volume-type', volume['volume_type'], host, device)
        # What that command sends: the device id as source-name.
        managed = self.cinder.post('/manageable_volumes', {'volume': {
            'host': host, 'ref': {'source-name': device},
            'name': volume['name'],
            'volume_type': volume['volume_type']}})['volume']
        managed = self.cinder.wait('volume', managed['id'], ('creating',),
                                   'available')
        say('  %s: managed again as %s, device %s' % (
            managed['name'], managed['id'], self.device(managed)))
        return managed

    def show_pair(self, volume):
        volume = self.cinder.get('/volumes/%s' % volume['id'])['volume']
        meta = volume['metadata']
        with self.model.lock:
            pair = self.model.arrays[ARRAY].rdf[7].pairs.get(
                meta['DeviceID'])
            state = pair.state if pair else 'no pair'
        say('  %s: replication %s; R1 %s on %s, R2 %s on %s, pair %s' % (
            volume['name'], volume['replication_status'], meta['DeviceID'],
            ARRAY, meta.get('R2-DeviceID'), TARGET, state))
        return volume

    def failover(self, backend_id, expected, volume):
        host = [s['host'] for s in self.cinder.get('/os-services')[
            'services'] if s['host'].endswith('@' + FC)][0]
        command('cinder', 'failover-host', *(
            ('--backend_id', backend_id) if backend_id else ()), host)
        self.cinder.put('/os-services/failover_host', {
            'host': host, 'backend_id': backend_id})
        cinderstack.wait_until(
            lambda: self.cinder.get('/volumes/%s' % volume['id'])[
                'volume']['replication_status'] == expected,
            timeout=TIMEOUT, what='replication status %s' % expected)
        return self.show_pair(volume)

    def replication(self):
        step('Replication (SRDF/S to array %s), failover and failback' %
             TARGET)
        self.volume_type('replicated', FC, replication_enabled='<is> True',
                         **{'storagetype:replication_device_backend_id':
                            'sync'})
        volume = self.create('vol-rep', 1, 'replicated')
        self.show_pair(volume)
        self.failover(None, 'failed-over', volume)
        say('  (the volume now lives on the R2; the FC backend serves '
            'array %s)' % TARGET)
        self.failover('default', 'enabled', volume)
        self.delete_volume(volume)
        say('  R1 and R2 deleted, pair removed on both arrays')

    def metro(self):
        step('SRDF/Metro: one volume served by both arrays')
        self.volume_type('metro', FC, replication_enabled='<is> True',
                         **{'storagetype:replication_device_backend_id':
                            'metro'})
        volume = self.create('vol-metro', 1, 'metro')
        meta = volume['metadata']
        with self.model.lock:
            pair = self.model.arrays[ARRAY].rdf[9].pairs[meta['DeviceID']]
            say('  R1 %s on %s, R2 %s on %s, mode %s, pair %s' % (
                pair.r1_dev, ARRAY, pair.r2_dev, TARGET, pair.mode,
                pair.state))
        volume = self.attach(volume, FC_CONNECTOR)
        with self.model.lock:
            for array, device in ((ARRAY, pair.r1_dev),
                                  (TARGET, pair.r2_dev)):
                say('  array %s: device %s in masking view %s' % (
                    array, device, ', '.join(self.model.arrays[
                        array].views_of_device(device)) or 'none'))
        self.detach(volume, FC_CONNECTOR)
        self.delete_volume(volume)
        say('  both views, the pair and both devices are gone')

    def nvme(self):
        step('NVMe/TCP on a PowerMax 8500')
        self.volume_type('gold-nvme', NVME, pool_name=cinderstack.pool_name(
            NVME_ARRAY, 'Gold'))
        volume = self.create('vol-nvme', 1, 'gold-nvme')
        volume = self.attach(volume, NVME_CONNECTOR)
        with self.model.lock:
            view = self.model.arrays[NVME_ARRAY].masking_views[
                'OS-compute-3-NT-OS-nvme-PG-MV']
            say('  array %s: masking view %s, host %s (NQN %s)' % (
                NVME_ARRAY, view.name, view.host, ', '.join(
                    self.model.arrays[NVME_ARRAY].hosts[
                        view.host].initiators)))
        self.detach(volume, NVME_CONNECTOR)
        self.delete_volume(volume)

    def delete_volume(self, volume):
        command('openstack', 'volume', 'delete', volume['name'])
        self.cinder.delete('/volumes/%s' % volume['id'])
        self.cinder.wait('volume', volume['id'], ('deleting',))

    def delete_snapshot(self, snap):
        command('openstack', 'volume', 'snapshot', 'delete', snap['name'])
        self.cinder.delete('/snapshots/%s' % snap['id'])
        self.cinder.wait('snapshot', snap['id'], ('deleting',))

    def run(self):
        self.glossary()
        self.services()
        self.pools()

        step('Volume types and QoS')
        self.volume_type('gold', FC, pool_name=cinderstack.pool_name(
            ARRAY, 'Gold'), **{'storagetype:portgroupname': 'OS-fibre-PG'})
        diamond = self.volume_type(
            'diamond-qos', FC, pool_name=cinderstack.pool_name(ARRAY))
        self.qos('diamond-limits', diamond, total_iops_sec='500',
                 total_bytes_sec='104857600', DistributionType='Always')
        self.volume_type('silver-iscsi', ISCSI,
                         pool_name=cinderstack.pool_name(ARRAY, 'Silver'),
                         **{'storagetype:portgroupname': 'OS-iscsi-PG',
                            'storagetype:disablecompression': 'True'})

        step('Create volumes')
        vol_a = self.create('vol-a', 1, 'gold')
        vol_b = self.create('vol-b', 2, 'diamond-qos')
        vol_c = self.create('vol-c', 1, 'silver-iscsi')
        self.show_array()

        step('Snapshot, volume from snapshot, clone')
        snap = self.snapshot(vol_a, 'snap-a')
        from_snap = self.create('vol-from-snap', 1, 'gold',
                                snapshot=snap)
        clone = self.create('vol-b-clone', 2, 'diamond-qos',
                            source=vol_b)
        say('  (no temporary snapshot is left behind by the clone)')
        self.show_array()

        step('Attach over FC and iSCSI')
        vol_b = self.attach(vol_b, FC_CONNECTOR)
        vol_c = self.attach(vol_c, ISCSI_CONNECTOR)
        self.show_array()
        vol_b = self.extend(vol_b, 3)

        step('Detach')
        self.detach(vol_b, FC_CONNECTOR)
        self.detach(vol_c, ISCSI_CONNECTOR)
        self.show_array()

        step('Retype and manage')
        vol_b = self.retype(vol_b, 'gold')
        from_snap = self.unmanage_and_manage(from_snap)
        self.show_array()

        step('Revert and extend')
        command('openstack', 'volume', 'revert', snap['name'])
        self.cinder.action(vol_a['id'], 'revert', {'snapshot_id': snap['id']})
        self.cinder.wait('volume', vol_a['id'], ('reverting',), 'available')
        say('  vol-a reverted to snap-a')
        self.extend(vol_a, 2)

        self.nvme()
        self.replication()
        self.metro()

        step('Delete everything')
        self.delete_snapshot(snap)
        for volume in (from_snap, clone, vol_a, vol_b, vol_c):
            self.delete_volume(volume)
        self.show_array()


# -- main ---------------------------------------------------------------------

def progress(text):
    """A line for the slow start, so a new user sees it is working."""
    say('%s ...' % text)


def start(workdir, api_port, debug):
    """The fake Unisphere, the Nova stand-in and Cinder, serving.

    :returns: (fake, nova stand-in, Cinder stack, Cinder API client)
    """
    progress('Starting the fake Unisphere')
    # The fake the tests use, served over HTTPS only (no in-process route).
    fake = fake_fixture.FakeUnisphereFixture(endpoints=())
    fake.setUp()
    # The demo's compute hosts are zoned and logged in, as real ones
    # must be before the array shows a path to them.
    for connector in (FC_CONNECTOR, ISCSI_CONNECTOR, NVME_CONNECTOR):
        fake.model.log_in_connector(connector)
    nova_api = novastandin.NovaStandIn()
    try:
        url, ca_path = fake.start_https()
        nova_api.start()
    except BaseException:
        nova_api.stop()
        fake.cleanUp()
        raise
    step('Fake Unisphere on %s (array %s, CA %s)' % (url, ARRAY, ca_path))
    port = int(url.rsplit(':', 1)[1])
    sections = cinderstack.backend_options(
        ARRAY, port, ca_path, fake.username, fake.password,
        nvme_array=NVME_ARRAY)
    sections[FC]['replication_device'] = REPLICATION_DEVICES
    stack = cinderstack.CinderStack(workdir, sections, api_port=api_port,
                                    debug=debug,
                                    nova_identity_url=nova_api.identity_url)
    progress('Starting Cinder\'s API, scheduler and volume services')
    try:
        try:
            stack.start()
        except OSError as exc:
            raise TourFailed('Cinder\'s API cannot listen on 127.0.0.1:%d '
                             '(%s): choose another port with --port' % (
                                 api_port, exc.strerror))
        say('Cinder API on %s, cinder.conf %s' % (
            stack.url, stack.conf_path))
        cinder = Cinder(stack.url)
        progress('Waiting for the backends to report their pools')
        cinderstack.wait_until(
            lambda: {p['capabilities']['volume_backend_name']
                     for p in cinder.pools()} >= {FC, ISCSI, NVME},
            timeout=TIMEOUT, what='pools of the three backends')
    except BaseException:
        stop(stack, fake, nova_api)
        raise
    return fake, nova_api, stack, cinder


def stop(stack, fake, nova_api):
    try:
        stack.stop()
    finally:
        nova_api.stop()
        fake.cleanUp()


def tour(workdir, debug):
    fake, nova_api, stack, cinder = start(workdir, 0, debug)
    try:
        baseline = fake.snapshot()
        Tour(cinder, fake.model, nova_api).run()
        # The tests' leak checker: debris, broken invariants, open jobs.
        problems = fake.check(baseline)
    finally:
        stop(stack, fake, nova_api)
    step('Result')
    if problems:
        say('debris left on the array:\n  ' + '\n  '.join(problems))
        return 1
    say('every step succeeded and the array holds no debris')
    return 0


def replication_lines():
    """Which backends replicate, in which modes, to which array."""
    lines = []
    for backend in cinderstack.BACKENDS:
        devices = [dict(item.split(':', 1) for item in device.split(','))
                   for device in (REPLICATION_DEVICES if backend == FC
                                  else ())]
        if not devices:
            lines.append('  %s does not replicate' % backend)
            continue
        lines.append('  %s replicates to array %s (the fake\'s second '
                     'array); its replicated types name a device:' % (
                         backend, devices[0]['target_device_id']))
        lines += ['    storagetype:replication_device_backend_id=%s: %s '
                  'over RDF group %s' % (d['backend_id'], d.get(
                      'mode', 'Synchronous'), d['rdf_group_label'])
                  for d in devices]
    return lines


def sandbox_examples():
    """Commands to paste, quoted as a shell needs them."""
    gold = ('openstack', 'volume', 'type', 'create', '--property',
            'volume_backend_name=%s' % FC, '--property',
            'pool_name=%s' % cinderstack.pool_name(ARRAY, 'Gold'), 'gold')
    replicated = ('openstack', 'volume', 'type', 'create', '--property',
                  'volume_backend_name=%s' % FC, '--property',
                  'replication_enabled=<is> True', '--property',
                  'storagetype:replication_device_backend_id=sync',
                  'replicated')
    return [('openstack', 'volume', 'service', 'list'), gold,
            ('openstack', 'volume', 'create', '--type', 'gold', '--size',
             '1', 'vol-1'), replicated,
            ('openstack', 'volume', 'create', '--type', 'replicated',
             '--size', '1', 'vol-rep'),
            ('cinder', 'list'), ('cinder', 'get-pools')]


def announce(workdir, env):
    """What the sandbox prints once it serves."""
    openrc = os.path.join(workdir, 'openrc')
    with open(openrc, 'w') as out:
        out.writelines('export %s=%s\n' % (name, shlex.quote(value))
                       for name, value in sorted(env.items()))
    bindir = os.path.dirname(sys.executable)
    step('Sandbox ready')
    say('Backends: %s (FC) and %s (iSCSI), both on array %s.' % (
        FC, ISCSI, ARRAY))
    for line in replication_lines():
        say(line)
    say('\nIn another shell (no Keystone needed; the same environment '
        'serves the openstack and the cinder commands):\n')
    say('  . %s' % shlex.quote(os.path.join(bindir, 'activate')))
    for name, value in sorted(env.items()):
        say('  export %s=%s' % (name, shlex.quote(value)))
    say('\n(or: . %s). Then, for example:\n' % shlex.quote(openrc))
    for argv in sandbox_examples():
        say('  %s' % shlex.join(argv))
    say('\nThe fake arrays are %s and %s; press Ctrl-C to stop.' % (
        ARRAY, TARGET))


def keep_log(stack):
    """Copy Cinder's log out of the work directory, which goes at exit."""
    if not os.path.exists(stack.log_path):
        return None
    kept = os.path.join(tempfile.gettempdir(),
                        'cinder-powermax-sandbox-%d.log' % os.getpid())
    shutil.copyfile(stack.log_path, kept)
    return kept


def sandbox(workdir, api_port, debug):
    fake, nova_api, stack, cinder = start(workdir, api_port, debug)
    announce(workdir, stack.environment())
    # Explicitly: a process started in the background inherits SIGINT
    # ignored, and Python then installs no KeyboardInterrupt for it.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while not _STOP_SIGNALS:
            time.sleep(0.2)
    finally:
        left = holdings(fake)
        stop(stack, fake, nova_api)
        kept = keep_log(stack)
    step('Sandbox stopped')
    say('the arrays held at the end:\n  ' + (
        '\n  '.join(left) or 'nothing'))
    if kept:
        say('Cinder\'s log is kept in %s' % kept)
    return 0


#: The signals received; the sandbox stops at the first.
_STOP_SIGNALS = []


def _interrupt(signum, frame):
    # Only noted: under eventlet the handler runs in whichever greenlet
    # was running, and an exception raised there would end that greenlet
    # (a Cinder service's, or the hub's) instead of the wait above, which
    # would then never end.
    _STOP_SIGNALS.append(signum)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sandbox', action='store_true',
                        help='keep Cinder and the fake serving for the '
                             'openstack command instead of running the tour')
    parser.add_argument('--port', type=int, default=8776,
                        help='the sandbox\'s Cinder API port (default 8776)')
    parser.add_argument('--verbose', '--debug', action='store_true',
                        dest='debug',
                        help='also show Cinder\'s and the driver\'s debug '
                             'logs and Python\'s warnings')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='cinder-powermax-') as workdir:
        try:
            if args.sandbox:
                return sandbox(workdir, args.port, args.debug)
            return tour(workdir, args.debug)
        except TourFailed as exc:
            step('Result')
            say('FAILED: %s' % exc)
            show_errors(os.path.join(workdir, 'cinder.log'))
            return 1


def show_errors(log_path):
    """The errors Cinder's services logged, to say why a step failed."""
    if not os.path.exists(log_path):
        return
    with open(log_path) as log:
        errors = [line.rstrip() for line in log if ' ERROR ' in line]
    if errors:
        say('errors Cinder logged:\n  ' + '\n  '.join(errors[-20:]))


if __name__ == '__main__':
    sys.exit(main())
