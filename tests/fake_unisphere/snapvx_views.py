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

"""JSON renderings of SnapVX state (reference sections 10.4 and 11.1).

Arrays that are not snap-id capable (5977) show no ``snap_id`` /
``snapid``: only generations.
"""

import time
import typing

from tests.fake_unisphere import snapvx


def _stamp(seconds: float) -> str:
    return time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(seconds))


def device_name(array: typing.Any, device_id: str) -> str:
    identifier = array.volumes[device_id].identifier
    return '%s:%s' % (device_id, identifier) if identifier else device_id


def _expiry_seconds(instance: snapvx.SnapInstance) -> int:
    return int(instance.expiry) if instance.expiry is not None else 0


def linked_device(link: snapvx.SnapLink) -> dict:
    return {'targetDevice': link.target, 'timestamp': _stamp(link.created),
            'state': link.state, 'copy': link.copy,
            'defined': link.defined, 'linked': not link.restore,
            'restored': link.state == snapvx.RESTORED,
            'percentageCopied': link.percent_copied,
            'modified': False, 'destage': False, 'tracks': 0,
            'trackSize': 128}


def snapshot_src(array: typing.Any, instance: snapvx.SnapInstance) -> dict:
    body = {
        'snapshotName': instance.name, 'generation': instance.generation,
        'timestamp': _stamp(instance.created),
        'timestamp_utc': int(instance.created * 1000),
        'state': instance.state, 'expired': instance.expired,
        'secured': instance.secured, 'ttl': instance.ttl_hours,
        'isRestored': instance.state == snapvx.RESTORED,
        'linkedDevices': [linked_device(link) for link in instance.links],
    }
    if array.snap_id_capable:
        body['snap_id'] = instance.snap_id
    return body


def snapshot_lnk(array: typing.Any, source: str,
                 instance: snapvx.SnapInstance,
                 link: snapvx.SnapLink) -> dict:
    body = linked_device(link)
    body.update({'linkSourceName': source,
                 'snapshotName': instance.name,
                 'snapshot_name': instance.name,
                 'generation': instance.generation})
    if array.snap_id_capable:
        body['snap_id'] = instance.snap_id
    return body


def volume_snapshots(array: typing.Any, device_id: str,
                     name: typing.Optional[str] = None) -> dict:
    """``GET .../volume/{dev}/snapshot``: sessions as source and target."""
    sources = [snapshot_src(array, i) for i in array.snapshots_of(device_id)
               if name is None or i.name == name]
    links = [snapshot_lnk(array, *found)
             for found in array.links_to(device_id)
             if name is None or found[1].name == name]
    return {'deviceName': device_name(array, device_id),
            'snapshotSrcs': sources, 'snapshotLnks': links}


def volume_snapshot(array: typing.Any, device_id: str, name: str) -> dict:
    """``GET .../volume/{dev}/snapshot/{name}``."""
    body = volume_snapshots(array, device_id, name)
    return {'deviceName': body['deviceName'], 'snapshotName': name,
            'generation': sorted(s['generation']
                                 for s in body['snapshotSrcs']),
            'snapshotSrc': body['snapshotSrcs'],
            'snapshotLnk': body['snapshotLnks']}


def snapshot_generation(array: typing.Any, device_id: str, name: str,
                        instance: snapvx.SnapInstance) -> dict:
    """``GET .../volume/{dev}/snapshot/{name}/generation/{n}``."""
    return {'deviceName': device_name(array, device_id),
            'snapshotName': name, 'generation': instance.generation,
            'snapshotSrc': snapshot_src(array, instance),
            'snapshotLnk': [linked_device(link) for link in instance.links]}


def _header(array: typing.Any, instance: snapvx.SnapInstance) -> dict:
    header = {'device': instance.source, 'snapshotName': instance.name,
              'generation': instance.generation,
              'secured': instance.secured, 'expired': instance.expired,
              'timeToLive': _expiry_seconds(instance),
              'timestamp': int(instance.created * 1000)}
    if array.snap_id_capable:
        header['snapid'] = instance.snap_id
    return header


def time_finder_info(array: typing.Any, device_id: str) -> dict:
    """``timeFinderInfo`` of the private volume view (reference 10.4)."""
    sessions = []
    by_name: typing.Dict[str, list] = {}
    for instance in array.snapshots_of(device_id):
        by_name.setdefault(instance.name, []).append(instance)
    for name, instances in by_name.items():
        sessions.append({'srcSnapshotGenInfo': [{
            'snapshotHeader': _header(array, instance),
            'lnkSnapshotGenInfo': [{
                'targetDevice': link.target, 'state': link.state,
                'restored': link.state == snapvx.RESTORED,
                'defined': link.defined, 'destaged': False,
                'backgroundDef': False} for link in instance.links]}
            for instance in sorted(instances, key=lambda i: i.generation)]})
    for source, instance, link in array.links_to(device_id):
        info = _header(array, instance)
        info.pop('device')
        info.update({'targetDevice': device_id, 'sourceDevice': source,
                     'state': link.state})
        sessions.append({'tgtSrcSnapshotGenInfo': info})
    return {'snapVXSrc': array.is_snapvx_source(device_id),
            'snapVXTgt': array.is_snapvx_target(device_id),
            'snapSource': False, 'snapTarget': False, 'mirror': False,
            'cloneSrc': False, 'cloneTarget': False,
            'snapVXSession': sessions}
