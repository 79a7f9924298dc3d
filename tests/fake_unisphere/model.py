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

"""The arrays behind the fake Unisphere and the rules they enforce.

Plain dataclasses in one :class:`Model` guarded by one re-entrant lock.
Relations are stored once (a parent SG lists its children, a host lists
its initiators, a view names its host, port group and storage group);
every reverse lookup is computed. A rule violation raises
:class:`ArrayError` carrying the HTTP status and message Unisphere would
answer with.
"""

import threading
import time
import typing
import uuid

from tests.fake_unisphere import data
from tests.fake_unisphere import errors
from tests.fake_unisphere import masking
from tests.fake_unisphere import records
from tests.fake_unisphere import snapvx
from tests.fake_unisphere import srdf
from tests.fake_unisphere import srdf_sg

ArrayError = errors.ArrayError
invalid = errors.invalid
conflict = errors.conflict
not_found = errors.not_found
check_name = errors.check_name
WWPN_RE = records.WWPN_RE
CYL_MB = records.CYL_MB
OPEN_JOB_STATES = records.OPEN_JOB_STATES
to_cylinders = records.to_cylinders
Srp = records.Srp
Volume = records.Volume
StorageGroup = records.StorageGroup
Port = records.Port
Director = records.Director
Initiator = records.Initiator
Host = records.Host
PortGroup = records.PortGroup
MaskingView = records.MaskingView
Job = records.Job
Iterator = records.Iterator


class Array(masking.MaskingRules, snapvx.SnapVXRules, srdf.SRDFRules,
            srdf_sg.SRDFStorageGroupRules):
    """One array: its objects and the provisioning rules over them."""

    def __init__(self, sid: str, profile: dict) -> None:
        self.sid = sid
        self.model = profile['model']
        self.ucode = profile.get('ucode')
        self.microcode = profile.get('microcode')
        self.service_levels = list(profile['service_levels'])
        # A renamed service level keeps its base name (sloBaseId).
        self.slo_bases = {slo: slo for slo in self.service_levels}
        self.workloads = list(profile['workloads'])
        self.compression_capable = profile['compression_capable']
        self.v4 = profile['v4']
        self.max_device_cyl = profile['max_device_cyl']
        self.max_devices = data.MAX_ARRAY_DEVICES
        self.max_sg_devices = data.MAX_SG_DEVICES
        # Refuse an edit that leaves a masking view with no volume (see
        # masking.check_views_keep_volumes). Off by default until the
        # driver's detach deletes the view first.
        self.refuse_emptying_views = True
        self.srps = {'SRP_1': Srp('SRP_1', data.SRP_TOTAL_GB)}
        self.volumes: typing.Dict[str, Volume] = {}
        self.storage_groups: typing.Dict[str, StorageGroup] = {}
        self.initiators: typing.Dict[str, Initiator] = {}
        self.hosts: typing.Dict[str, Host] = {}
        self.port_groups: typing.Dict[str, PortGroup] = {}
        self.directors: typing.Dict[str, Director] = {}
        self.masking_views: typing.Dict[str, MaskingView] = {}
        self.tags: typing.List[str] = []
        # SnapVX (see snapvx.py): source device id -> instances, oldest
        # first; SRDF (see srdf.py): RDF group number -> group.
        self.snapshots: typing.Dict[str, list] = {}
        self.rdf: typing.Dict[int, typing.Any] = {}
        self._next_device = 1
        for spec in profile['ports']:
            port = Port(spec['director'], spec['port'], spec['protocol'],
                        spec.get('identifier'),
                        list(spec.get('ip_addresses', ())),
                        spec.get('iscsi_target', False))
            director = self.directors.setdefault(
                port.director, Director(port.director))
            director.ports[port.port] = port
        for name, ports in profile['port_groups'].items():
            protocol = self.port(*ports[0]).protocol
            self.port_groups[name] = PortGroup(name, list(ports), protocol)

    # -- identity -----------------------------------------------------------

    @property
    def microcode_version(self) -> str:
        return self.ucode or self.microcode

    @property
    def ucode_parts(self) -> typing.List[int]:
        return [int(p) for p in self.microcode_version.split('.')]

    @property
    def next_gen(self) -> bool:
        return self.ucode_parts[0] >= 5978

    @property
    def rapid_deallocation(self) -> bool:
        major, minor = self.ucode_parts[:2]
        return (major == 5978 and minor > 221) or major >= 6079

    # -- lookups ------------------------------------------------------------

    def volume(self, device_id: str) -> Volume:
        try:
            return self.volumes[device_id]
        except KeyError:
            raise not_found('volume', device_id)

    def group(self, name: str) -> StorageGroup:
        try:
            return self.storage_groups[name]
        except KeyError:
            raise ArrayError(
                404, 'The requested storage group cannot be found')

    def srp(self, name: str) -> Srp:
        try:
            return self.srps[name]
        except KeyError:
            raise not_found('SRP', name)

    def port(self, director: str, port: str) -> Port:
        try:
            return self.directors[director].ports[port]
        except KeyError:
            raise not_found('port', '%s:%s' % (director, port))

    def parents_of(self, name: str) -> typing.List[str]:
        return [sg.name for sg in self.storage_groups.values()
                if name in sg.children]

    def parent_map(self) -> typing.Dict[str, typing.List[str]]:
        """child -> parents, in one pass (lists must not be O(n^2))."""
        found: typing.Dict[str, typing.List[str]] = {}
        for sg in self.storage_groups.values():
            for child in sg.children:
                found.setdefault(child, []).append(sg.name)
        return found

    def group_map(self) -> typing.Dict[str, typing.List[str]]:
        """device -> groups holding it directly, in one pass."""
        found: typing.Dict[str, typing.List[str]] = {}
        for sg in self.storage_groups.values():
            for device_id in sg.volumes:
                found.setdefault(device_id, []).append(sg.name)
        return found

    def members(self, name: str) -> typing.List[str]:
        """Volumes of a group, through its children for a parent."""
        group = self.group(name)
        devices = list(group.volumes)
        seen = set(devices)
        for child in group.children:
            # A set, not the list, so a full parent costs O(n), not O(n^2).
            fresh = [d for d in self.storage_groups[child].volumes
                     if d not in seen]
            devices += fresh
            seen.update(fresh)
        return devices

    def groups_of(self, device_id: str) -> typing.List[str]:
        """Groups holding the volume directly (not through a child)."""
        return [sg.name for sg in self.storage_groups.values()
                if device_id in sg.volumes]

    def group_type(self, name: str) -> str:
        if self.group(name).children:
            return 'Parent'
        return 'Child' if self.parents_of(name) else 'Standalone'

    # -- storage groups -----------------------------------------------------

    def create_group(self, name: str, srp: typing.Optional[str] = None,
                     slo: typing.Optional[str] = None,
                     workload: typing.Optional[str] = None,
                     compression: typing.Optional[bool] = None
                     ) -> StorageGroup:
        check_name('storage group', name)
        if name in self.storage_groups:
            raise conflict(
                'The requested storage group resource already exists')
        if srp is not None:
            self.srp(srp)
        if slo is not None:
            self._check_slo(slo)
            if srp is None:
                raise invalid('A service level needs an SRP')
        workload = self._check_workload(workload) if slo else None
        if compression is None:
            compression = slo is not None
        group = StorageGroup(
            name, srp=srp, slo=slo, workload=workload,
            compression=bool(compression and slo is not None
                             and self.compression_capable))
        self.storage_groups[name] = group
        return group

    def _check_slo(self, slo: str) -> None:
        if slo not in self.service_levels:
            raise invalid('Service level %s is not valid on Symmetrix %s' % (
                slo, self.sid))

    def rename_slo(self, name: str, new_name: str) -> None:
        """Service levels can be renamed; groups follow the new name."""
        if name not in self.service_levels:
            raise not_found('service level', name)
        check_name('service level', new_name)
        if new_name in self.service_levels:
            raise conflict('The requested service level resource already '
                           'exists')
        self.service_levels[self.service_levels.index(name)] = new_name
        self.slo_bases[new_name] = self.slo_bases.pop(name)
        for group in self.storage_groups.values():
            if group.slo == name:
                group.slo = new_name

    def _check_workload(self, workload: typing.Optional[str]
                        ) -> typing.Optional[str]:
        if workload is None or workload.upper() == 'NONE':
            return None
        if workload not in self.workloads:
            raise invalid('Workload %s is not valid on Symmetrix %s' % (
                workload, self.sid))
        return workload

    def delete_group(self, name: str) -> None:
        group = self.group(name)
        views = self.views_of_group(name, direct=True)
        if views:
            raise conflict('Cannot delete storage group %s: it is in masking '
                           'view %s' % (name, views[0]))
        # Devices do not keep a group: they stay on the array, in no group
        # (the in-tree driver's Synchronous failover deletes its temporary
        # group with the R2s in it).
        if group.children:
            raise conflict('Cannot delete storage group %s: it has child '
                           'storage groups' % name)
        if self.parents_of(name):
            raise conflict('Cannot delete storage group %s: it is a child '
                           'of %s' % (name, self.parents_of(name)[0]))
        del self.storage_groups[name]

    def rename_group(self, name: str, new_name: str) -> None:
        group = self.group(name)
        check_name('storage group', new_name)
        if new_name in self.storage_groups:
            raise conflict(
                'The requested storage group resource already exists')
        for parent in self.parents_of(name):
            children = self.storage_groups[parent].children
            children[children.index(name)] = new_name
        for view in self.masking_views.values():
            if view.storage_group == name:
                view.storage_group = new_name
        del self.storage_groups[name]
        group.name = new_name
        self.storage_groups[new_name] = group

    def _check_volume_holder(self, group: StorageGroup) -> None:
        if group.children:
            raise invalid('Volumes cannot be added directly to parent '
                          'storage group %s' % group.name)

    def _check_fast(self, group: StorageGroup, device_id: str,
                    leaving: typing.Optional[str] = None) -> None:
        if not group.is_fast:
            return
        for other in self.groups_of(device_id):
            sg = self.storage_groups[other]
            if other not in (group.name, leaving) and sg.is_fast:
                raise conflict(
                    'Device %s is already in FAST managed storage group %s; '
                    'a device can only be in one storage group with a '
                    'service level' % (device_id, other))

    def _check_subscription(self, srp: Srp, gb: float) -> None:
        """Thin devices: only a subscription limit, when set, refuses."""
        limit = srp.subscription_limit_percent
        if limit is not None and (
                srp.subscribed_gb + gb > srp.total_gb * limit / 100.0):
            raise invalid('Insufficient capacity in SRP %s: the '
                          'subscription limit of %s%% would be exceeded' % (
                              srp.name, limit))

    def _check_size(self, cylinders: int) -> None:
        if cylinders < 1:
            raise invalid('volume_size must be greater than zero')
        if cylinders > self.max_device_cyl:
            raise invalid('The requested volume size exceeds the maximum '
                          'device size of %d cylinders on Symmetrix %s' % (
                              self.max_device_cyl, self.sid))

    def check_room(self, name: str, adding: int) -> None:
        """Device limits of a group (and its parents) and of the array."""
        for target in [name] + self.parents_of(name):
            if len(self.members(target)) + adding > self.max_sg_devices:
                raise invalid('The maximum allowed devices for a storage '
                              'group has been exceeded')

    def set_allocated(self, volume: Volume, allocated: bool) -> None:
        """Allocated tracks count as used capacity in the SRP."""
        if volume.allocated == allocated:
            return
        srp = self.srps.get(volume.srp)
        if srp is not None:
            gb = volume.cap_cyl * CYL_MB / 1024.0
            srp.used_gb = max(0.0, srp.used_gb + (gb if allocated else -gb))
        volume.allocated = allocated

    def check_new_volumes(self, name: str,
                          volumes: typing.List[typing.Tuple[int, int]]
                          ) -> None:
        """Refuse an edit of ``name`` unless all its new volumes fit.

        :param volumes: (count, cylinders) of each entry of the edit; the
            checks of :meth:`create_volumes` apply to the whole of it
        """
        group = self.group(name)
        self._check_volume_holder(group)
        total = sum(count for count, _cyl in volumes)
        for count, cylinders in volumes:
            if count < 1 or count > 1000:
                raise invalid('num_of_vols must be between 1 and 1000')
            self._check_size(cylinders)
        self.check_room(name, total)
        if len(self.volumes) + total > self.max_devices:
            raise invalid('The maximum number of devices on Symmetrix %s '
                          'has been reached' % self.sid)
        srp = self.srp(group.srp or 'SRP_1')
        self._check_subscription(srp, sum(
            count * cylinders * CYL_MB / 1024.0
            for count, cylinders in volumes))

    def create_volumes(self, name: str, count: int, cylinders: int,
                       identifier: typing.Optional[str] = None,
                       append_id: bool = False, allocate: bool = False
                       ) -> typing.List[str]:
        """Create ``count`` new volumes in group ``name``.

        :param append_id: ``identifier_name_plus_volume_id``: each volume
            is named ``<identifier>-<device id>``
        :param allocate: full allocation (thin devices otherwise)
        """
        self.check_new_volumes(name, [(count, cylinders)])
        group = self.group(name)
        srp = self.srp(group.srp or 'SRP_1')
        created = [self._new_volume(srp, cylinders, identifier, append_id)
                   for _ in range(count)]
        group.volumes.extend(created)
        for device_id in created:
            self.set_allocated(self.volumes[device_id], allocate)
        return created

    def _new_volume(self, srp: Srp, cylinders: int,
                    identifier: typing.Optional[str], append_id: bool) -> str:
        device_id = '%05X' % self._next_device
        self._next_device += 1
        wwn = '60000970%s%s' % (self.sid, ('S' + device_id).encode(
            'ascii').hex().upper())
        if identifier and append_id:
            identifier = '%s-%s' % (identifier, device_id)
        self.volumes[device_id] = Volume(device_id, wwn, cylinders,
                                         srp=srp.name, identifier=identifier)
        srp.subscribed_gb += cylinders * CYL_MB / 1024.0
        return device_id

    def add_volumes(self, name: str, devices: typing.List[str]) -> None:
        group = self.group(name)
        self._check_volume_holder(group)
        for device_id in devices:
            self.volume(device_id)
            if device_id in group.volumes:
                raise conflict('Device %s is already in storage group %s' % (
                    device_id, name))
            self._check_fast(group, device_id)
        self.check_room(name, len(devices))
        group.volumes.extend(devices)

    def remove_volumes(self, name: str, devices: typing.List[str]) -> None:
        group = self.group(name)
        for device_id in devices:
            if device_id not in group.volumes:
                raise invalid('Device %s is not in storage group %s' % (
                    device_id, name))
        self.check_views_keep_volumes(name, devices)
        group.volumes[:] = [d for d in group.volumes if d not in devices]

    def move_volumes(self, source: str, target: str,
                     devices: typing.List[str], force: bool) -> None:
        src, dst = self.group(source), self.group(target)
        self._check_volume_holder(dst)
        if source == target:
            raise invalid('Source and target storage groups are the same')
        # Taking devices away from a host needs force; moving them into a
        # masked group only grants access (the in-tree driver, run against
        # real arrays, attaches that way without force).
        if not force and self.views_of_group(source):
            raise conflict('Moving devices out of a storage group in a '
                           'masking view requires force')
        for device_id in devices:
            if device_id not in src.volumes:
                raise invalid('Device %s is not in storage group %s' % (
                    device_id, source))
            if device_id in dst.volumes:
                raise conflict('Device %s is already in storage group %s' % (
                    device_id, target))
            self._check_fast(dst, device_id, leaving=source)
        self.check_room(target, len(devices))
        self.check_views_keep_volumes(source, devices, target)
        src.volumes[:] = [d for d in src.volumes if d not in devices]
        dst.volumes.extend(devices)

    def add_child(self, parent: str, child: str) -> None:
        top, sub = self.group(parent), self.group(child)
        if parent == child:
            raise invalid('A storage group cannot be its own child')
        if top.volumes:
            raise invalid('Storage group %s holds volumes and cannot become '
                          'a parent' % parent)
        if self.parents_of(parent):
            raise invalid('Storage group %s is a child and cannot be a '
                          'parent' % parent)
        if sub.children:
            raise invalid('Storage group %s is a parent and cannot be a '
                          'child' % child)
        if self.parents_of(child):
            raise conflict('Storage group %s is already a child of %s' % (
                child, self.parents_of(child)[0]))
        self.check_room(parent, len(self.members(child)))
        top.children.append(child)

    def remove_child(self, parent: str, child: str, force: bool) -> None:
        top = self.group(parent)
        self.group(child)
        if not top.children:
            raise invalid('Storage group %s is not a parent' % parent)
        if child not in top.children:
            raise invalid('Storage group %s is not a child of %s' % (
                child, parent))
        if self.views_of_group(parent) and not force:
            raise conflict('Storage group %s is in a masking view; removing '
                           'a child requires force' % parent)
        self.check_views_keep_volumes(parent, self.members(child))
        top.children.remove(child)

    def set_host_io_limits(self, name: str, limits: dict) -> None:
        group = self.group(name)
        current = dict(group.host_io_limit or {})
        current.update(limits)
        group.host_io_limit = current

    def set_slo(self, name: str, slo: typing.Optional[str]) -> None:
        group = self.group(name)
        if group.children:
            raise invalid('Service level cannot be set on parent storage '
                          'group %s' % name)
        if slo is None or slo.upper() == 'NONE':
            group.slo, group.workload = None, None
            return
        self._check_slo(slo)
        if not group.is_fast:
            for device_id in group.volumes:
                self._check_fast(StorageGroup('', slo=slo), device_id,
                                 leaving=name)
        if group.srp is None:
            group.srp = 'SRP_1'
        group.slo = slo

    def set_workload(self, name: str, workload: typing.Optional[str]) -> None:
        group = self.group(name)
        if group.children:
            raise invalid('Workload cannot be set on parent storage group '
                          '%s' % name)
        group.workload = self._check_workload(workload)

    def set_srp(self, name: str, srp: typing.Optional[str]) -> None:
        group = self.group(name)
        if srp is not None and srp.upper() != 'NONE':
            self.srp(srp)
        else:
            srp = None
        for target in [name] + list(group.children):
            self.storage_groups[target].srp = srp

    def set_compression(self, name: str, enabled: bool) -> None:
        group = self.group(name)
        if enabled and not self.compression_capable:
            raise invalid('Symmetrix %s is not compression capable' %
                          self.sid)
        group.compression = enabled

    # -- volumes ------------------------------------------------------------

    DEVICE_STATES = ('config', 'emulation', 'status', 'service_state',
                     'private', 'system_resource', 'encapsulated',
                     'reserved')

    def set_device_state(self, device_id: str, **states: typing.Any) -> None:
        """What an administrator or the array makes of a device.

        For tests: e.g. ``config='BCV+TDEV'``, ``emulation='CKD-3390'``,
        ``status='Not Ready'``, ``service_state='Failed'``,
        ``private=True``, ``system_resource=True``, ``encapsulated=True``,
        ``reserved=True``. The views show them as the array does.
        """
        volume = self.volume(device_id)
        unknown = set(states) - set(self.DEVICE_STATES)
        if unknown:
            raise ValueError('unknown device state(s) %s' % sorted(unknown))
        for key, value in states.items():
            setattr(volume, key, value)

    def write(self, device_id: str, content: str) -> None:
        """The device presents ``content`` now (a write, link or restore).

        A Synchronous or Metro partner has it at once; an Asynchronous R2
        by the pair's lag (see srdf.py).
        """
        self.volume(device_id).content = content
        self.mirror_write(device_id)

    def host_write(self, device_id: str, content: str) -> None:
        """A host writes: refused on a Write Disabled SRDF device."""
        self.volume(device_id)
        self.check_writable(device_id)
        self.write(device_id, content)

    def add_srp(self, name: str, total_gb: float = data.SRP_TOTAL_GB
                ) -> Srp:
        """A further storage resource pool (arrays have one to start)."""
        check_name('SRP', name)
        if name in self.srps:
            raise conflict('SRP %s exists' % name)
        self.srps[name] = Srp(name, total_gb)
        return self.srps[name]

    def rename_volume(self, device_id: str,
                      identifier: typing.Optional[str]) -> None:
        self.volume(device_id).identifier = identifier or None

    def expand_volume(self, device_id: str, cylinders: int,
                      rdf_group: typing.Optional[int] = None) -> None:
        volume = self.volume(device_id)
        self.check_snapvx_expand(device_id)
        self.check_srdf_expand(device_id, rdf_group)
        if cylinders <= volume.cap_cyl:
            raise invalid('The new size of device %s must be greater than '
                          'its current size of %s GB' % (
                              device_id, volume.cap_gb))
        self._check_size(cylinders)
        srp = self.srp(volume.srp)
        gb = (cylinders - volume.cap_cyl) * CYL_MB / 1024.0
        self._check_subscription(srp, gb)
        allocated = volume.allocated
        self.set_allocated(volume, False)
        srp.subscribed_gb += gb
        volume.cap_cyl = cylinders
        self.set_allocated(volume, allocated)

    def free_volume(self, device_id: str) -> None:
        self.set_allocated(self.volume(device_id), False)

    def delete_volume(self, device_id: str) -> None:
        volume = self.volume(device_id)
        groups = self.groups_of(device_id)
        if groups:
            raise conflict('Cannot delete device %s: it is in storage group '
                           '%s' % (device_id, groups[0]))
        if self.views_of_device(device_id):
            raise conflict('Cannot delete device %s: it is mapped' %
                           device_id)
        self.check_snapvx_delete(device_id)
        self.check_srdf_delete(device_id)
        if volume.allocated and not self.rapid_deallocation:
            raise conflict('Cannot delete device %s: it has allocated '
                           'tracks; free the device first' % device_id)
        self.set_allocated(volume, False)
        srp = self.srps.get(volume.srp)
        if srp is not None:
            gb = volume.cap_cyl * CYL_MB / 1024.0
            srp.subscribed_gb = max(0.0, srp.subscribed_gb - gb)
        del self.volumes[device_id]


class Model:
    """All arrays one Unisphere (or several, failing over) manages."""

    def __init__(self, arrays: typing.Optional[typing.Iterable[str]] = None,
                 page_size: int = 1000, username: str = 'smc') -> None:
        self.lock = threading.RLock()
        self.arrays: typing.Dict[str, Array] = {
            sid: Array(sid, data.PROFILES[sid])
            for sid in (arrays if arrays is not None else data.ALL_ARRAYS)}
        srdf.connect(self.arrays, data.RDF_GROUPS)
        self.jobs: typing.Dict[str, Job] = {}
        self.iterators: typing.Dict[str, Iterator] = {}
        self.page_size = page_size
        self.username = username
        self.iterator_lifetime = 180 * 60.0
        self._next_job = int(time.time() * 1000)

    def array(self, sid: str) -> Array:
        try:
            return self.arrays[sid]
        except KeyError:
            raise ArrayError(404, 'Symmetrix %s cannot be found' % sid)

    def log_in(self, sid: str, hba: str,
               ports: typing.Optional[typing.Iterable[str]] = None
               ) -> Initiator:
        """Make the array see ``hba`` logged in (on ``ports``, 'DIR:PORT').

        Initiators appear by logging in, never by being named: a host
        created with an initiator that did not log in has no path.

        :param sid: the array
        :param hba: a WWPN (16 hex digits) or an iSCSI IQN
        :param ports: front-end ports; default every port of the protocol
        :returns: the initiator
        """
        with self.lock:
            return self.array(sid).log_in(hba, ports)

    def log_out(self, sid: str, hba: str,
                ports: typing.Optional[typing.Iterable[str]] = None) -> None:
        """``hba`` logs out of ``ports`` (default: all it is on)."""
        with self.lock:
            self.array(sid).log_out(hba, ports)

    def log_in_connector(self, connector: dict,
                         sids: typing.Optional[typing.Iterable[str]] = None
                         ) -> None:
        """Log a Cinder connector's WWPNs and IQN in on every front port.

        The convenient default for tests and the demo: the host is zoned
        to, and logged in on, the whole front end of each array.
        """
        hbas = list(connector.get('wwpns') or ())
        if connector.get('initiator'):
            hbas.append(connector['initiator'])
        with self.lock:
            for sid in (sids if sids is not None else self.arrays):
                for hba in hbas:
                    self.array(sid).log_in(hba)

    def set_rdf_link(self, sid: str, number: int, online: bool) -> None:
        """Fault: lose (or restore) the links of RDF group ``number``.

        Pairs of the group are Partitioned on both arrays while the links
        are down, and Suspended once they come back (see srdf.py).
        """
        with self.lock:
            array = self.array(sid)
            if online:
                array.rdf_link_up(number)
            else:
                array.rdf_link_down(number)

    def new_job_id(self) -> str:
        with self.lock:
            self._next_job += 1
            return str(self._next_job)

    # -- iterators ----------------------------------------------------------

    def iterate(self, results: list) -> dict:
        """The iterator envelope of a list GET; registers the iterator."""
        with self.lock:
            iterator_id = '%s_0' % uuid.uuid4()
            expires = time.time() + self.iterator_lifetime
            page = results[:self.page_size]
            envelope = {
                'id': iterator_id, 'count': len(results),
                'maxPageSize': self.page_size,
                'expirationTime': int(expires * 1000),
                'resultList': {'from': 1 if page else 0, 'to': len(page),
                               'result': page}}
            self.iterators[iterator_id] = Iterator(
                iterator_id, list(results), expires)
            return envelope

    def iterator_page(self, iterator_id: str, start: int, end: int) -> dict:
        with self.lock:
            iterator = self.iterators.get(iterator_id)
            if iterator is None or iterator.expires < time.time():
                raise not_found('iterator', iterator_id)
            count = len(iterator.results)
            if start < 1 or end < start or end > count:
                raise invalid('Invalid from/to %s-%s for an iterator of %d '
                              'results' % (start, end, count))
            if end - start + 1 > self.page_size:
                raise invalid('A page cannot exceed maxPageSize %d' %
                              self.page_size)
            return {'from': start, 'to': end,
                    'result': iterator.results[start - 1:end]}

    def delete_iterator(self, iterator_id: str) -> None:
        with self.lock:
            if self.iterators.pop(iterator_id, None) is None:
                raise not_found('iterator', iterator_id)
