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

"""Which device and which snapshot on the array belong to a Cinder object.

``provider_location`` says where a volume or a snapshot was put; it can be
stale (a device replaced, a record copied or restored) or name another
volume's object. Nothing is changed unless it is confirmed to belong: a
device carries the volume's identifier (``OS-<id>``, or ``OS-<name_id>``
after a migration), and a snapshot is the one named for it on its own
volume's device. Where the location fails, the object is found by the name
it must have; a "gone" is confirmed by a second read before it is
believed.
"""

from __future__ import annotations

from typing import Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import utils

LOG = logging.getLogger(__name__)


def name_id(volume) -> str:
    """The id a volume's device is named for (Cinder's ``name_id``)."""
    if volume.obj_attr_is_set('_name_id') and volume._name_id:
        return volume._name_id
    return volume.id


def identifiers(volume) -> list[str]:
    """The identifiers a device of ``volume`` may carry, preferred first."""
    name_id = None
    if volume.obj_attr_is_set('_name_id'):
        name_id = volume._name_id
    names = [naming.volume_identifier(name_id)] if name_id else []
    own = naming.volume_identifier(volume.id)
    if own not in names:
        names.append(own)
    return names


def replication_data(volume) -> dict:
    """A volume's ``replication_driver_data``, read; {} when none."""
    if not volume.obj_attr_is_set('replication_driver_data'):
        return {}
    try:
        return utils.parse_provider_location(volume.replication_driver_data)
    except exception.InvalidSpec:
        return {}


#: The statuses of a volume record whose manage failed, as Cinder keeps
#: it and as its delete passes it to the driver.
FAILED_MANAGE = ('error_managing', 'error_managing_deleting')


def failed_manage(volume) -> bool:
    """Whether ``volume`` is the record of a manage that failed."""
    return volume.obj_attr_is_set('status') and \
        volume.status in FAILED_MANAGE


def location_array(location) -> str:
    """The array a Cinder location string names; '' when unreadable."""
    try:
        return utils.parse_provider_location(location).get('array') or ''
    except exception.InvalidSpec:
        return ''


def migration_source(volume) -> bool:
    """Whether ``volume`` is the record of a migration's old device.

    After a migration Cinder deletes the old device through a record
    whose ``_name_id`` is the migrated volume's id.
    """
    return (volume.obj_attr_is_set('migration_status') and
            volume.migration_status == 'deleting')


def location_device(obj) -> Optional[str]:
    """The device id a volume's ``provider_location`` names, if readable."""
    try:
        location = utils.parse_provider_location(obj.provider_location)
    except exception.InvalidSpec as exc:
        LOG.warning('Ignoring the unreadable location of %(id)s: %(err)s',
                    {'id': obj.id, 'err': exc})
        return None
    return location.get('device_id')


def no_device(array: str, volume) -> exception.InvalidSpec:
    """The error for a volume none of whose devices is on the array."""
    return exception.InvalidSpec(
        key='provider_location', value=volume.provider_location,
        reason=_('no device of the array %(array)s belongs to volume '
                 '%(id)s') % {'array': array, 'id': volume.id})


def device_at_location(provision, obj, names) -> Optional[str]:
    """The device ``obj``'s location names, if it carries one of ``names``.

    For steps that rename devices and must recognise one they renamed
    already; nothing is looked up by name.
    """
    device = location_device(obj)
    info = provision.read_device(device) if device else None
    if info is not None and info.get('volume_identifier') in names:
        return device
    return None


def find_device(provision, volume) -> tuple:
    """The device of ``volume`` and its detail, checked to belong to it.

    :returns: (device id, detail), or (None, None) when the volume has no
        device on the array (confirmed)
    :raises PowerMaxError: when several devices carry its identifier
    """
    names = identifiers(volume)
    device = location_device(volume)
    if device:
        info = provision.read_device(device)
        if info is not None and info.get('volume_identifier') in names:
            return device, info
        if info is not None:
            LOG.warning('Device %(dev)s is named %(other)r, not %(name)s: '
                        'it is not volume %(id)s\'s; looking it up by name.',
                        {'dev': device, 'other': info.get(
                            'volume_identifier'), 'name': names[0],
                         'id': volume.id})
    if migration_source(volume):
        # Its _name_id is the id of the volume it was migrated into,
        # whose device may carry that name: never look it up by name.
        return None, None
    for name in names:
        found = provision.find_devices(name)
        if len(found) > 1:
            raise exception.PowerMaxError(reason=_(
                'devices %(devs)s all carry the identifier %(name)s of '
                'volume %(id)s; remove the extra ones on the array') % {
                    'devs': ', '.join(found), 'name': name, 'id': volume.id})
        info = provision.read_device(found[0]) if found else None
        if info is not None:
            return found[0], info
    return None, None


def volume_device(provision, serial: str, volume,
                  must_exist: bool = True) -> tuple:
    """:func:`find_device`, refusing a volume without a device.

    :param serial: the array, for the refusal's message
    :returns: (device id, detail), or (None, None) when the device is
        gone and ``must_exist`` is False
    :raises InvalidSpec: when it is gone and ``must_exist`` is True
    """
    device, info = find_device(provision, volume)
    if device is None and must_exist:
        raise no_device(serial, volume)
    return device, info


def snapshot_name_and_source(snapshot, volume_device: Optional[str]):
    """The SnapVX name and source device a snapshot is acted on by.

    The location is trusted when it names the snapshot's own name on the
    device the volume's location names; otherwise the snapshot is looked
    for under its own name on the volume's device, never where a foreign
    location points.

    :param volume_device: the volume's device as its location names it
    :returns: (source device or None, snapshot name, trusted)
    """
    names = [naming.snapshot_name(snapshot.id)]
    if snapshot.obj_attr_is_set('group_snapshot_id') and \
            snapshot.group_snapshot_id:
        # A member of a group snapshot the array took is an instance of
        # the group's one SnapVX snapshot, named after the group snapshot;
        # one Cinder took for a group it runs itself (create_snapshot of
        # each member) has the snapshot's own name.
        names.insert(0, naming.group_snapshot_name(
            snapshot.group_snapshot_id))
    try:
        location = utils.parse_provider_location(
            snapshot.provider_location)
    except exception.InvalidSpec:
        location = {}
    device, name = location.get('source_id'), location.get('snap_name')
    if location.get('managed') and naming.is_openstack_name(name):
        # A snapshot managed into Cinder keeps its own OS-<name>.
        names = [name]
    trusted = bool(device) and device == volume_device and name in names
    expected = name if trusted else names[0]
    if device and not trusted:
        LOG.warning('Snapshot %(id)s: location %(loc)s is not its own '
                    '(%(name)s on %(dev)s); looking for it by name.',
                    {'id': snapshot.id, 'loc': location, 'name': expected,
                     'dev': volume_device})
    return device if trusted else None, expected, trusted
