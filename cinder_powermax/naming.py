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

"""The names the driver gives things on the array, and the names it reads.

Nothing here does I/O. The names built here are the ones the in-tree
PowerMax driver writes on arrays, byte for byte, so that a deployment
switching drivers finds its existing devices, storage groups, masking
views, initiator groups, snapshots and pools again. Invalid input raises
:class:`cinder_powermax.exception.InvalidSpec` naming the key, the value
and what would have been valid.
"""

import functools
import hashlib
import re
import typing

from cinder_powermax.i18n import _
from cinder_powermax import utils

PREFIX = 'OS-'
NONE = 'NONE'
# The spellings of "no service level / no workload" that pool names carry.
NONE_SPELLINGS = ('NONE', 'None')
OPTIMIZED = 'Optimized'
DIAMOND = 'Diamond'

PROTOCOL_FC = 'F'
PROTOCOL_ISCSI = 'I'
PROTOCOL_NVME_TCP = 'NT'
_PROTOCOL_CODES = {'fc': PROTOCOL_FC, 'iscsi': PROTOCOL_ISCSI,
                   'nvme_tcp': PROTOCOL_NVME_TCP,
                   'nvmeof_tcp': PROTOCOL_NVME_TCP}

SUFFIX_COMPRESSION_DISABLED = '-CD'
SUFFIX_REP_SYNC = '-RE'
SUFFIX_REP_ASYNC = '-RA'
SUFFIX_REP_METRO = '-RM'
REP_SYNC = 'Synchronous'
REP_ASYNC = 'Asynchronous'
REP_METRO = 'Metro'
_REP_SUFFIXES = {REP_SYNC.lower(): SUFFIX_REP_SYNC,
                 REP_ASYNC.lower(): SUFFIX_REP_ASYNC,
                 REP_METRO.lower(): SUFFIX_REP_METRO}

NO_SLO_DEFAULT = 'no_SLO'
NO_SLO_CHILD = 'No_SLO'

HOST_LABEL_MAX = 16
PORT_GROUP_LABEL_MAX = 12
CHILD_SRP_MAX = 12
CHILD_SL_WL_MAX = 10
GROUP_NAME_MAX = 27
# The in-tree limit; head and tail of 19 // 2 give 18 characters.
SNAPSHOT_NAME_TRUNCATE = 19
SNAPSHOT_NAME_MAX = 32
# Default, numbered default and parent storage groups end so; a host's
# child groups do not.
SG_SUFFIX = '-SG'
TEMP_SNAPSHOT_PREFIX = 'temp-'
LEGACY_CLONE_SNAPSHOT = 'snapshot_for_clone'

HOST_TEMPLATE = 'shortHostName'
PORT_GROUP_TEMPLATE = 'portGroupName'

_invalid = utils.invalid

_UUID = re.compile(r'[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-'
                   r'[a-f0-9]{12}', re.I)
_USER_DEFINED = r'[A-Za-z0-9_-]+'
_GROUP_SG = re.compile(r'(^|_)' + _UUID.pattern + r'$', re.I)


class PoolSpec(typing.NamedTuple):
    """The parts of a ``pool_name``; service_level None means no SL."""

    service_level: typing.Optional[str]
    workload: str
    srp: str
    array: str


def _require_text(key, value):
    if not isinstance(value, str) or not value:
        raise _invalid(key, value, _('a non-empty string is required'))
    return value


def _is_none(value) -> bool:
    """True for a missing service level or workload in any spelling."""
    return value is None or (isinstance(value, str)
                             and value.lower() in ('', 'none'))


def _md5_hex(text: str) -> str:
    # Not a security use: the in-tree driver hashes the lower-cased name
    # to make short, stable labels, and array objects carry them.
    return hashlib.md5(text.lower().encode('utf-8'),
                       usedforsecurity=False).hexdigest()


def truncate_string(text: str, limit: int) -> str:
    """Keep the head and tail of ``text`` so it fits ``limit`` characters.

    The in-tree rule: the first ``limit // 2`` characters and the last
    ``limit // 2`` characters, so an odd limit yields ``limit - 1``.

    :param text: the string to shorten
    :param limit: the maximum length
    :returns: ``text`` unchanged when it fits, else its head and tail
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + text[len(text) - half:]


# -- volumes and snapshots ----------------------------------------------------

def _first_uuid(key, value) -> str:
    match = _UUID.search(value) if isinstance(value, str) else None
    if not match:
        raise _invalid(key, value, _('an identifier containing a UUID is '
                                     'required'))
    return match.group()


def volume_identifier(volume_id: str) -> str:
    """The device identifier of a volume: ``OS-<uuid>``.

    :param volume_id: the Cinder volume id (the first UUID in it is used)
    :returns: the identifier the array stores on the device
    :raises InvalidSpec: when ``volume_id`` holds no UUID
    """
    return PREFIX + _first_uuid('volume_id', volume_id)


def snapshot_name(snapshot_id: str) -> str:
    """The SnapVX name of a Cinder snapshot, as the in-tree driver makes it.

    ``OS-<uuid>`` cut to its first 9 and last 9 characters (18 in all).

    :param snapshot_id: the Cinder snapshot id
    :returns: the SnapVX snapshot name
    :raises InvalidSpec: when ``snapshot_id`` holds no UUID
    """
    return truncate_string(PREFIX + _first_uuid('snapshot_id', snapshot_id),
                           SNAPSHOT_NAME_TRUNCATE)


def temp_snapshot_name(source_device_id: str, target_volume_id: str) -> str:
    """The temporary SnapVX name for cloning a device into a new volume.

    ``temp-<device>-<target uuid hex, head and tail>``, at most 32
    characters. It depends only on its inputs so a retried clone finds the
    session an earlier try left and reuses or removes it; it names the
    target so two clones of one source never share a session.

    :param source_device_id: the source device id, e.g. ``0001A``
    :param target_volume_id: the id of the volume being created
    :returns: the snapshot name
    :raises InvalidSpec: for an empty or non-alphanumeric device id or a
        target id without a UUID
    """
    if (not isinstance(source_device_id, str)
            or not re.fullmatch(r'[0-9A-Za-z]{1,10}', source_device_id)):
        raise _invalid('source_device_id', source_device_id,
                       _('a device id of 1 to 10 letters or digits is '
                         'required'))
    target = _first_uuid('target_volume_id', target_volume_id)
    head = '%s%s-' % (TEMP_SNAPSHOT_PREFIX, source_device_id)
    return head + truncate_string(target.replace('-', ''),
                                  SNAPSHOT_NAME_MAX - len(head))


def is_temp_snapshot_name(name: str) -> bool:
    """True for a clone's temporary snapshot (ours or the in-tree's).

    :param name: a SnapVX snapshot name
    :returns: whether the driver may clean it up as temporary
    """
    return isinstance(name, str) and name.startswith(TEMP_SNAPSHOT_PREFIX)


def is_openstack_name(name: typing.Optional[str]) -> bool:
    """True for a name that marks an OpenStack object: ``OS-...``.

    Devices OpenStack manages carry ``OS-<uuid>``; storage groups, masking
    views and initiator groups of this driver start so too, as do the
    snapshots it made or adopted.
    """
    return isinstance(name, str) and name.startswith(PREFIX)


def without_prefix(name: str) -> str:
    """An ``OS-`` name without its prefix (a name without one, as is)."""
    return name[len(PREFIX):] if is_openstack_name(name) else name


def is_reserved_snapshot_name(name: str) -> bool:
    """True for a SnapVX name this driver gives: ``OS-`` or ``temp-``.

    Such a snapshot is not offered to manage: it is Cinder's already, or
    temporary.
    """
    return is_openstack_name(name) or is_temp_snapshot_name(name)


def managed_snapshot_name(name: str) -> str:
    """The name a snapshot takes when managed: ``OS-<name>``."""
    return PREFIX + name


# -- generic volume groups ----------------------------------------------------

def group_sg_name(group_name: typing.Optional[str], group_id: str) -> str:
    """The storage group of a generic volume group.

    ``<name, head and tail of 27>_<uuid>`` when the group has a name other
    than its id, else ``<uuid>`` (seed 001). Characters a storage group
    name cannot hold become ``_``; the uuid alone finds a group renamed in
    Cinder.

    :param group_name: the Cinder group's name (None or empty: none)
    :param group_id: the Cinder group id
    :returns: the storage group name, at most 64 characters
    :raises InvalidSpec: when ``group_id`` holds no UUID
    """
    uuid = _first_uuid('group_id', group_id)
    if not group_name or group_name == group_id:
        return uuid
    label = re.sub(r'[^A-Za-z0-9_-]', '_', group_name)
    return '%s_%s' % (truncate_string(label, GROUP_NAME_MAX), uuid)


def is_disposable_sg_name(name: str) -> bool:
    """True for a storage group the driver deletes once a delete empties it.

    Every ``OS-`` group but a generic volume group's (which lives as long
    as its Cinder group): default and numbered groups, a host's parent
    and children, the SRDF management and temporary groups.
    """
    return is_openstack_name(name) and not is_group_sg_name(name)


def is_group_sg_name(name: str) -> bool:
    """True for a generic volume group's storage group (see above).

    A group named ``OS-...`` gets a storage group starting ``OS-`` too; it
    is still not a default group to delete when a volume leaves it.
    """
    return bool(isinstance(name, str) and _GROUP_SG.search(name))


def group_snapshot_name(group_snapshot_id: str) -> str:
    """The SnapVX name of a group snapshot, as the in-tree driver makes it.

    The group snapshot's uuid cut to its first and last 9 characters; every
    member's snapshot carries this name.

    :raises InvalidSpec: when ``group_snapshot_id`` holds no UUID
    """
    return truncate_string(_first_uuid('group_snapshot_id',
                                       group_snapshot_id),
                           SNAPSHOT_NAME_TRUNCATE)


def temp_group_snapshot_name(group_id: str) -> str:
    """The temporary snapshot of a source group copied into ``group_id``.

    ``temp-<new group uuid hex, head and tail>``: temporary (see
    :func:`is_temp_snapshot_name`), and the same on a retry.
    """
    target = _first_uuid('group_id', group_id).replace('-', '')
    return TEMP_SNAPSHOT_PREFIX + truncate_string(
        target, SNAPSHOT_NAME_MAX - len(TEMP_SNAPSHOT_PREFIX))


# -- pools --------------------------------------------------------------------

def _pool_error(pool):
    return _invalid('pool_name', pool, _(
        'expected <ServiceLevel>+<Workload>+<SRP>+<ArrayID> or '
        '<ServiceLevel>+<SRP>+<ArrayID>, e.g. Diamond+DSS+SRP_1+000197800123 '
        'or Diamond+SRP_1+000197800123, with no empty part'))


def parse_pool_name(pool_name: str, next_gen: bool = False) -> PoolSpec:
    """Split a ``pool_name`` extra spec into its parts.

    :param pool_name: ``SL+WL+SRP+array`` or ``SL+SRP+array``
    :param next_gen: True for arrays on ucode 5978 or later, which have no
        workloads
    :returns: a :class:`PoolSpec`; service_level None for no SL, workload
        ``NONE`` when absent, none or on a next-gen array
    :raises InvalidSpec: for another number of parts or an empty part
    """
    if not isinstance(pool_name, str):
        raise _pool_error(pool_name)
    parts = pool_name.split('+')
    if len(parts) not in (3, 4) or not all(parts):
        raise _pool_error(pool_name)
    if len(parts) == 3:
        parts.insert(1, NONE)
    level, workload, srp, array = parts
    if next_gen or _is_none(workload):
        workload = NONE
    return PoolSpec(None if _is_none(level) else level, workload, srp, array)


def pool_name(service_level: typing.Optional[str],
              workload: typing.Optional[str], srp: str, array: str) -> str:
    """The pool name the driver reports for a service level and workload.

    :param service_level: the SL, or None (spelled ``None``)
    :param workload: the WL, or None for the 3-part form
    :param srp: the SRP name
    :param array: the array serial
    :returns: ``SL+WL+SRP+array`` or ``SL+SRP+array``
    """
    middle = [] if workload is None else [workload]
    return '+'.join([str(service_level)] + middle + [srp, array])


def pool_on_array(pool: str, srp: str,
                  array: str) -> typing.Optional[str]:
    """The same pool on another array and SRP.

    :param pool: ``SL+WL+SRP+array`` or ``SL+SRP+array``
    :returns: the pool's name there, or None when ``pool`` has neither
        form
    """
    parts = str(pool or '').split('+')
    if len(parts) not in (3, 4) or not all(parts):
        return None
    parts[-2:] = [srp, array]
    return '+'.join(parts)


def location_info(array: str, srp: str, service_level: typing.Optional[str],
                  workload: typing.Optional[str] = None) -> str:
    """The ``location_info`` capability of a pool.

    :param array: the array serial
    :param srp: the SRP name
    :param service_level: the SL, or None (spelled ``None``)
    :param workload: the WL, or None to leave it out
    :returns: ``array#srp#SL#WL`` or ``array#srp#SL``
    """
    parts = [array, srp, str(service_level)]
    if workload is not None:
        parts.append(workload)
    return '#'.join(parts)


def _combinations(levels, workloads, next_gen, diamond_workloads):
    none_wls = list(NONE_SPELLINGS)
    real_wls = [wl for wl in workloads if not _is_none(wl)]
    for level in levels:
        yield level, None
    for level in levels:
        if _is_none(level) or level.lower() == OPTIMIZED.lower():
            continue
        keep_real = not next_gen or (diamond_workloads and level == DIAMOND)
        for workload in (real_wls if keep_real else []) + none_wls:
            yield level, workload
    for level in [OPTIMIZED] + list(NONE_SPELLINGS):
        for workload in none_wls:
            yield level, workload


def pool_combinations(service_levels: typing.Iterable[str],
                      workloads: typing.Iterable[str], next_gen: bool,
                      diamond_workloads: bool = False) -> list:
    """The (service level, workload) pairs to report as pools.

    Every SL alone (3-part pools, workload None); every SL other than
    Optimized and none with every workload and with ``NONE``/``None``;
    Optimized, ``NONE`` and ``None`` with ``NONE``/``None``. Both
    spellings of none are kept because volumes created by the in-tree
    driver carry either in their host string. The in-tree legacy 3-part
    aliases of the none pools are the SL-alone pools, which are already
    listed, so each name appears once.

    :param service_levels: the array's service levels
    :param workloads: the array's workloads (none spellings are added)
    :param next_gen: True on ucode 5978+: real workloads are dropped
    :param diamond_workloads: on an All Flash array upgraded to 5978 keep
        Diamond with the real workloads, as the in-tree driver does, so
        volumes created before the upgrade still schedule
    :returns: an ordered list of unique ``(sl, wl)`` tuples
    """
    levels = list(service_levels) + list(NONE_SPELLINGS)
    seen = []
    for pair in _combinations(levels, list(workloads), next_gen,
                              diamond_workloads):
        if pair not in seen:
            seen.append(pair)
    return seen


# -- storage groups and masking -----------------------------------------------

def replication_suffix(rep_mode: typing.Optional[str]) -> str:
    """The storage group suffix of a replication mode.

    :param rep_mode: ``Synchronous``, ``Asynchronous``, ``Metro`` (any
        case), or None for a volume that is not replicated
    :returns: ``-RE``, ``-RA``, ``-RM`` or ``''``
    :raises InvalidSpec: for another mode
    """
    if rep_mode is None:
        return ''
    suffix = (_REP_SUFFIXES.get(rep_mode.lower())
              if isinstance(rep_mode, str) else None)
    if suffix is None:
        valid = ', '.join((REP_SYNC, REP_ASYNC, REP_METRO))
        raise _invalid('rep_mode', rep_mode, _('expected one of %s') % valid)
    return suffix


def _workload_or_none(workload):
    return NONE if _is_none(workload) else workload


def default_sg_name(srp: str, service_level: typing.Optional[str],
                    workload: typing.Optional[str],
                    disable_compression: bool = False,
                    rep_mode: typing.Optional[str] = None) -> str:
    """The default (unmasked) storage group of a volume.

    :param srp: the SRP name
    :param service_level: the SL, or None/``NONE`` for no SL
    :param workload: the WL; None or none spellings become ``NONE``
    :param disable_compression: add ``-CD`` (only with an SL)
    :param rep_mode: the replication mode, or None when not replicated
    :returns: ``OS-<srp>-<SL>-<WL>[-CD][-RE|-RA|-RM]-SG`` or
        ``OS-no_SLO[-RE|-RA|-RM]-SG``
    :raises InvalidSpec: for an unknown replication mode
    """
    if _is_none(service_level):
        name = PREFIX + NO_SLO_DEFAULT
    else:
        name = '%s%s-%s-%s' % (PREFIX, _require_text('srp', srp),
                               service_level, _workload_or_none(workload))
        if disable_compression:
            name += SUFFIX_COMPRESSION_DISABLED
    return name + replication_suffix(rep_mode) + '-SG'


# A storage group holds at most 4,096 devices; an array at most 64,000.
# The default group of a volume's kind that is full is followed by
# numbered ones (see :func:`rollover_sg_name`), up to this many in all.
SG_MAX_DEVICES = 4096
ROLLOVER_MAX = 16


def _rollover_stem(default: str) -> str:
    """``OS-SRP_1-Diamond-NONE-`` of ``OS-SRP_1-Diamond-NONE-SG``."""
    return default[:-len(SG_SUFFIX)] + '-'


def rollover_stem(default: str) -> str:
    """What every numbered group after ``default`` starts with.

    For a filtered listing of a kind's numbered groups.
    """
    return _rollover_stem(default)


def rollover_sg_name(default: str, number: int) -> str:
    """The ``number``-th default storage group of one kind of volume.

    A storage group holds at most 4,096 devices. When a default group is
    full, further volumes of the same SRP, service level, workload,
    compression and replication mode go to ``<default>`` with ``-<n>``
    put before its ``-SG`` (``OS-SRP_1-Diamond-NONE-SG``, then
    ``OS-SRP_1-Diamond-NONE-2-SG``, ``-3-SG``, ...). The name still reads
    as the seeds' convention, and it still ends in ``-SG``, which is how
    a default group is told from a host's child group. It is at most 3
    characters longer than the default group's name (storage group names
    hold up to 64).

    :param default: the default group's name (:func:`default_sg_name`)
    :param number: 1 for the default group itself, 2 to
        :data:`ROLLOVER_MAX` for the further ones
    :raises InvalidSpec: for a number out of that range
    """
    if not isinstance(number, int) or not 1 <= number <= ROLLOVER_MAX:
        raise _invalid('number', number, _('expected 1 to %d') %
                       ROLLOVER_MAX)
    if number == 1:
        return default
    return '%s%d%s' % (_rollover_stem(default), number, SG_SUFFIX)


def rollover_number(name: str, default: str) -> typing.Optional[int]:
    """Which of ``default``'s default groups ``name`` is, if any.

    :returns: 1 for ``default`` itself, 2 or more for a further group
        (:func:`rollover_sg_name`), None for any other group
    """
    if name == default:
        return 1
    stem = _rollover_stem(default)
    if not name.startswith(stem) or not name.endswith(SG_SUFFIX):
        return None
    number = name[len(stem):-len(SG_SUFFIX)]
    if not re.fullmatch(r'[1-9][0-9]?', number):
        return None
    return int(number) if int(number) <= ROLLOVER_MAX and \
        int(number) > 1 else None


def is_child_sg_name(name: str, openstack_only: bool = True) -> bool:
    """True for a name a host's child storage group can have.

    Children are the only groups of the seeds' conventions whose names do
    not end in ``-SG`` (default, numbered and parent groups do).

    :param openstack_only: require the ``OS-`` prefix too; without it a
        group of the administrator's that may be cascaded passes
    """
    if not isinstance(name, str) or name.endswith(SG_SUFFIX):
        return False
    return is_openstack_name(name) or not openstack_only


def rdf_management_sg_name(label: str, mode: str) -> str:
    """The storage group holding every device of an Async/Metro group.

    ``OS-<rdf_group_label>-Asynchronous-rdf-sg`` or ``...-Metro-rdf-sg``
    (seed 001), on both arrays.
    """
    return '%s%s-%s-rdf-sg' % (PREFIX, label, mode)


def rdf_temp_sg_name(label: str) -> str:
    """The storage group an SRDF action on a few devices goes through."""
    return '%s%s-temp-rdf-sg' % (PREFIX, label)


def protocol_code(protocol: str) -> str:
    """The one- or two-letter code of a protocol in masking names.

    :param protocol: ``FC``, ``iSCSI`` or ``NVMe_TCP`` (any case)
    :returns: ``F``, ``I`` or ``NT``
    :raises InvalidSpec: for another protocol
    """
    code = (_PROTOCOL_CODES.get(protocol.lower())
            if isinstance(protocol, str) else None)
    if code is None:
        raise _invalid('protocol', protocol,
                       _('expected FC, iSCSI or NVMe_TCP'))
    return code


def initiator_group_name(host_label: str, protocol: str) -> str:
    """The initiator group (host) name: ``OS-<host>-<F|I>-IG``.

    :param host_label: the short host label (:func:`short_host_name`)
    :param protocol: ``FC`` or ``iSCSI``
    :returns: the initiator group name
    :raises InvalidSpec: for an empty label or an unknown protocol
    """
    return '%s%s-%s-IG' % (PREFIX, _require_text('host_label', host_label),
                           protocol_code(protocol))


def _masking_stem(host_label, protocol, pg_label):
    return '%s%s-%s-%s' % (PREFIX, _require_text('host_label', host_label),
                           protocol_code(protocol),
                           _require_text('pg_label', pg_label))


def masking_view_name(host_label: str, protocol: str, pg_label: str) -> str:
    """The masking view name: ``OS-<host>-<F|I>-<pg>-MV``.

    :param host_label: the short host label
    :param protocol: ``FC`` or ``iSCSI``
    :param pg_label: the port group label (:func:`port_group_label`)
    :returns: the masking view name
    :raises InvalidSpec: for an empty label or an unknown protocol
    """
    return _masking_stem(host_label, protocol, pg_label) + '-MV'


def view_host_label(view: str, protocol: str,
                    pg_label: str) -> typing.Optional[str]:
    """The host label of a masking view named by this driver's rule.

    :returns: the ``<host>`` of ``OS-<host>-<F|I>-<pg>-MV``, or None when
        ``view`` is not named so for that protocol and port group label
    """
    suffix = '-%s-%s-MV' % (protocol_code(protocol), pg_label)
    if not (is_openstack_name(view) and view.endswith(suffix)):
        return None
    return view[len(PREFIX):-len(suffix)] or None


def is_initiator_group_name(name: str) -> bool:
    """True for an initiator group named by :func:`initiator_group_name`."""
    return is_openstack_name(name) and name.endswith('-IG')


def parent_sg_name(host_label: str, protocol: str, pg_label: str) -> str:
    """The parent (masked) storage group: ``OS-<host>-<F|I>-<pg>-SG``.

    :param host_label: the short host label
    :param protocol: ``FC`` or ``iSCSI``
    :param pg_label: the port group label
    :returns: the parent storage group name
    :raises InvalidSpec: for an empty label or an unknown protocol
    """
    return _masking_stem(host_label, protocol, pg_label) + '-SG'


def child_sg_name(host_label: str, srp: str,
                  service_level: typing.Optional[str],
                  workload: typing.Optional[str], pg_label: str,
                  disable_compression: bool = False,
                  rep_mode: typing.Optional[str] = None) -> str:
    """The child storage group of a masking view for one SL and WL.

    ``OS-<host>-<srp 12>-<SL+WL 10>-<pg>[-CD][-RE|-RA|-RM]``: the SRP cut to
    12 characters and SL and WL concatenated (``DiamondNONE``) cut to 10,
    both keeping head and tail. With no SL: ``OS-<host>-No_SLO-<pg>`` and
    the replication suffix only.

    :param host_label: the short host label
    :param srp: the SRP name
    :param service_level: the SL, or None/``NONE`` for no SL
    :param workload: the WL; None or none spellings become ``NONE``
    :param pg_label: the port group label
    :param disable_compression: add ``-CD`` (only with an SL)
    :param rep_mode: the replication mode, or None when not replicated
    :returns: the child storage group name
    :raises InvalidSpec: for an empty label or an unknown replication mode
    """
    if _is_none(service_level):
        return no_slo_child_sg_name(host_label, pg_label, rep_mode)
    combo = truncate_string(service_level + _workload_or_none(workload),
                            CHILD_SL_WL_MAX)
    name = '%s%s-%s-%s-%s' % (
        PREFIX, _require_text('host_label', host_label),
        truncate_string(_require_text('srp', srp), CHILD_SRP_MAX), combo,
        _require_text('pg_label', pg_label))
    if disable_compression:
        name += SUFFIX_COMPRESSION_DISABLED
    return name + replication_suffix(rep_mode)


def host_child_stem(host_label: str) -> str:
    """What every child storage group of a host's views starts with.

    For a filtered listing of the host's children (:func:`child_sg_name`).
    """
    return '%s%s-' % (PREFIX, _require_text('host_label', host_label))


def is_host_child_name(name: str, host_label: str, pg_label: str) -> bool:
    """True for a child group of the host's view over the port group.

    ``OS-<host>-<srp>-<SL+WL>-<pg>`` or ``OS-<host>-No_SLO-<pg>``, with
    the optional ``-CD`` and replication suffixes (:func:`child_sg_name`).
    """
    pattern = '%s(?:%s|[^-]+-[^-]+)-%s(?:%s)?(?:%s)?' % (
        re.escape(host_child_stem(host_label)), NO_SLO_CHILD,
        re.escape(pg_label), re.escape(SUFFIX_COMPRESSION_DISABLED),
        '|'.join(re.escape(s) for s in _REP_SUFFIXES.values()))
    return isinstance(name, str) and re.fullmatch(pattern, name) is not None


def no_slo_child_sg_name(host_label: str, pg_label: str,
                         rep_mode: typing.Optional[str] = None) -> str:
    """The non-FAST child storage group: ``OS-<host>-No_SLO-<pg>[-R?]``.

    Used for volumes without an SL and as the staging group of live
    migration and multi-attach.

    :param host_label: the short host label
    :param pg_label: the port group label
    :param rep_mode: the replication mode, or None when not replicated
    :returns: the storage group name
    :raises InvalidSpec: for an empty label or an unknown replication mode
    """
    return '%s%s-%s-%s%s' % (
        PREFIX, _require_text('host_label', host_label), NO_SLO_CHILD,
        _require_text('pg_label', pg_label), replication_suffix(rep_mode))


# -- host and port group labels -----------------------------------------------

def _template_pattern(entity):
    # The five documented forms: the bare entity, or a head ([:x]) or tail
    # ([-x:]) slice followed by uuid[:y] or a user-defined suffix.
    return re.compile(
        '^' + entity + r'(?:\[(?::(?P<head>\d+)|-(?P<tail>\d+):)\]'
        r'(?:uuid\[:(?P<uuid>\d+)\]|(?P<user>' + _USER_DEFINED + r')))?$')


_HOST_TEMPLATE = _template_pattern(HOST_TEMPLATE)
_PORT_GROUP_TEMPLATE = _template_pattern(PORT_GROUP_TEMPLATE)


def _unique_truncate(name, limit):
    # In-tree: last 6 characters plus the md5 of the name, head and tail.
    if len(name) <= limit:
        return name
    return truncate_string(name[-6:] + _md5_hex(name), limit)


def _template_error(key, template, entity, limit):
    return _invalid(key, template, _(
        'expected %(e)s, %(e)s[:x]uuid[:y], %(e)s[-x:]uuid[:y], '
        '%(e)s[:x]<userdef> or %(e)s[-x:]<userdef> where userdef is '
        '[A-Za-z0-9_-]+, x is at least 1 in [-x:] and x+y (or x plus the '
        'length of userdef) is at most %(limit)d') % {
            'e': entity, 'limit': limit})


def _apply_template(key, template, entity, pattern, name, limit):
    match = pattern.match(template) if isinstance(template, str) else None
    if not match:
        raise _template_error(key, template, entity, limit)
    if match.group('head') is None and match.group('tail') is None:
        return _unique_truncate(name, limit)
    x = int(match.group('head') or match.group('tail'))
    user = match.group('user')
    y = len(user) if user is not None else int(match.group('uuid'))
    # [-0:] would keep the whole name, which no limit can bound.
    if x + y > limit or (match.group('tail') is not None and x == 0):
        raise _template_error(key, template, entity, limit)
    part = name[:x] if match.group('head') is not None else name[-x:]
    return part + (user if user is not None else _md5_hex(name)[:y])


def short_host_name(host: str,
                    template: typing.Optional[str] = HOST_TEMPLATE) -> str:
    """The host label used in masking object names.

    The connector host is cut at its first dot. With the default template
    a label longer than 16 characters becomes its last 6 characters plus
    the md5 of the lower-cased name, cut to 16 by head and tail.

    :param host: the connector's host name (may be fully qualified)
    :param template: ``powermax_short_host_name_template``; None or empty
        means ``shortHostName``
    :returns: the host label, at most 16 characters
    :raises InvalidSpec: for an empty host or an invalid template
    """
    short = _require_text('host', host).split('.')[0]
    if not short:
        raise _invalid('host', host, _('a host name is required'))
    return _apply_template('powermax_short_host_name_template',
                           template or HOST_TEMPLATE, HOST_TEMPLATE,
                           _HOST_TEMPLATE, short, HOST_LABEL_MAX)


def host_labels(host: str, template: typing.Optional[str]) -> list:
    """The host's label, then the one releases before Ussuri gave it.

    Those releases had no template: objects made then carry the default
    rule's label.
    """
    labels = [short_host_name(host, template)]
    older = short_host_name(host)
    return labels + ([older] if older not in labels else [])


# The SMI-S drivers before Pike: a storage group per host, service level
# and workload, shown directly by views named the same way.
_LEGACY = (r'^%s(?P<host>.+?)-(?:%%(srp)s-[^-]+-[^-]+|%s)(?:-[IF])?'
           r'(?:%s)?(?:%s)?%%(tail)s$' % (
               PREFIX, NO_SLO_CHILD, SUFFIX_COMPRESSION_DISABLED,
               SUFFIX_REP_SYNC))


@functools.lru_cache(maxsize=32)
def _legacy_pattern(srp: str, view: bool):
    tail = r'(?:-[0-9A-Fa-f]{8})?-MV' if view else '-SG'
    return re.compile(_LEGACY % {'srp': re.escape(srp), 'tail': tail})


def legacy_host_label(name: str, srp: str,
                      view: bool = False) -> typing.Optional[str]:
    """The host label of a pre-Pike storage group (or view) name.

    ``OS-<host>-<srp>-<sl>-<wl>[-I|-F][-CD][-RE]-SG`` or
    ``OS-<host>-No_SLO[-I|-F]...-SG``; views end ``[-<8 hex>]-MV``.

    :returns: ``<host>``, or None for any other name
    """
    match = _legacy_pattern(srp, view).match(name or '')
    return match.group('host') if match else None


def port_group_label(pg_name: str,
                     template: typing.Optional[str] = PORT_GROUP_TEMPLATE
                     ) -> str:
    """The port group label used in masking object names.

    With the default template a name longer than 12 characters becomes its
    last 6 characters plus the md5 of the lower-cased name, cut to 12 by
    head and tail.

    :param pg_name: the port group name on the array
    :param template: ``powermax_port_group_name_template``; None or empty
        means ``portGroupName``
    :returns: the port group label, at most 12 characters
    :raises InvalidSpec: for an empty name or an invalid template
    """
    return _apply_template('powermax_port_group_name_template',
                           template or PORT_GROUP_TEMPLATE,
                           PORT_GROUP_TEMPLATE, _PORT_GROUP_TEMPLATE,
                           _require_text('pg_name', pg_name),
                           PORT_GROUP_LABEL_MAX)


def lock_name(serial: str, kind: str, name: str) -> str:
    """A lock's name: ``<array>-<kind>-<name>`` (see below)."""
    return '%s-%s-%s' % (serial, kind, name)


def lock_template(kind: str, field: str) -> str:
    """The lock name rule, ``<array>-<kind>-<name>``, as a template.

    For ``cinder.coordination.synchronized`` on a method of an object that
    has a ``serial``: the template reads the array serial from ``self``
    and the name from the decorated method's argument ``field`` (dotted
    attribute access allowed).

    :param kind: what is locked (``vol``, ``host``, ``sg`` ...)
    :param field: the argument, or argument attribute, naming it
    :returns: a template such as ``{self.serial}-vol-{device}``
    """
    return '{self.serial}-%s-{%s}' % (kind, field)
