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

"""Configuration of a PowerMax backend.

This module owns every ``cinder.conf`` option the driver defines, their
VMAX-era aliases, the deprecated Pike XML backend file, and the one reader
that turns all of it into a typed :class:`BackendSettings`. Nothing else in
the package reads configuration: the layers below receive plain values.

The option names, types and defaults are those of the in-tree driver so a
deployment can switch ``volume_driver`` and keep its ``cinder.conf``.
"""

import dataclasses
import ipaddress
import os
import re
from typing import Any, Optional, Union
from xml.etree import ElementTree

from cinder.volume import configuration as cinder_configuration
from cinder.volume import driver as cinder_driver
from cinder.volume.drivers.san import san
import defusedxml
from defusedxml import ElementTree as defused_et
from oslo_config import cfg
from oslo_config import types
from oslo_log import log as logging
from oslo_utils import strutils

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import loadopts

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

DEFAULT_PORT = 8443
#: Where Pike looked for the XML file of a backend when none was named.
LEGACY_XML_DEFAULT = '/etc/cinder/cinder_dell_emc_config_%(group)s.xml'

MAX_ARRAY_TAGS = 8

_SERIAL_RE = re.compile(r'^\d{12}$')
_TAG_RE = re.compile(r'^[A-Za-z0-9_-]+$')
# A host name (IP addresses are checked by ipaddress); never a URL.
_HOST_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$')


class BracketList(types.List):
    """A list written ``[a, b]``, as the in-tree driver requires, or ``a, b``.

    The in-tree options use ``bounds=True``, which rejects a plain
    comma-separated value; accepting both keeps existing files working and
    forgives the more common spelling.
    """

    def __init__(self) -> None:
        super().__init__(bounds=True)

    def __call__(self, value: Any) -> list:
        if isinstance(value, str) and not value.strip().startswith('['):
            value = '[%s]' % value
        return super().__call__(value)


job_opts = [
    cfg.IntOpt('interval', default=3, min=1,
               help='Longest pause, in seconds, between two polls of an '
                    'asynchronous Unisphere job, a SnapVX copy or a '
                    'restore; polls start a quarter second apart for the '
                    'first two seconds, then back off to this. With '
                    '"retries" it bounds how long the driver waits for a '
                    'job, a SnapVX copy or a restore: interval x retries '
                    'seconds (600 by default).'),
    cfg.IntOpt('retries', default=200, min=1,
               help='With "interval", bounds the wait for a job, a SnapVX '
                    'copy or a restore to interval x retries seconds; past '
                    'it the operation fails with a timeout.'),
    cfg.IntOpt('rest_api_connect_timeout', default=30, min=1,
               help='Seconds to wait for a TCP connection to Unisphere '
                    'before the request fails (or fails over).'),
    cfg.IntOpt('rest_api_read_timeout', default=30, min=1,
               help='Seconds to wait for Unisphere to answer a request once '
                    'connected. Raise it if large listings time out.'),
]

failover_opts = [
    cfg.IntOpt('u4p_failover_timeout', default=20, min=1,
               help='Seconds each request waits for an answer once '
                    'Unisphere failover targets are configured; after it '
                    'the request is retried and then sent to the next '
                    'target.'),
    cfg.IntOpt('u4p_failover_retries', default=3, min=0,
               help='With failover targets: how many tries a request gets '
                    'beyond one per Unisphere. A connection that cannot be '
                    'made, is dropped or times out moves the backend to the '
                    'next Unisphere at once and the request is tried there; '
                    'the statuses 408, 429, 502, 503 and 504 are tried '
                    'again on the same one. GET and DELETE are tried again '
                    'whatever happened; POST and PUT only when they never '
                    'reached Unisphere, so nothing is done twice.'),
    cfg.IntOpt('u4p_failover_backoff_factor', default=1, min=0,
               help='Backoff between those retries: the n-th retry sleeps '
                    'factor x 2^(n-1) seconds. 0 retries at once.'),
    cfg.BoolOpt('u4p_failover_autofailback', default=True,
                help='When failed over to a target, try the primary '
                     'Unisphere again a minute later (and every minute '
                     'after) and switch back to it as soon as it answers.'),
    cfg.MultiOpt('u4p_failover_target', item_type=types.Dict(), secret=True,
                 help='A standby Unisphere managing the same array; repeat '
                      'the option for several. Keys: san_ip and san_login '
                      'and san_password (required), san_api_port (default '
                      '8443), driver_ssl_cert_verify (True/False, default '
                      'False) and driver_ssl_cert_path (a CA bundle; when '
                      'given it is used for verification). Example: '
                      'san_ip:10.0.0.2,san_login:smc,san_password:secret,'
                      'driver_ssl_cert_verify:True'),
]

array_opts = [
    cfg.StrOpt('powermax_array', deprecated_name='vmax_array',
               help='Serial number (12 digits, e.g. 000197800123) of the '
                    'array this backend provisions on. Required.'),
    cfg.StrOpt('powermax_srp', deprecated_name='vmax_srp',
               help='Storage resource pool on the array to provision from, '
                    'e.g. SRP_1. Required.'),
    cfg.StrOpt('powermax_service_level',
               deprecated_name='vmax_service_level',
               help='Service level (e.g. Diamond, Optimized, or NONE for '
                    'no service level) for volumes whose type has no '
                    'pool_name extra spec. A pool_name on the volume type '
                    'is preferred.'),
    cfg.StrOpt('powermax_workload', deprecated_name='vmax_workload',
               help='Workload (DSS, DSS_REP, OLTP, OLTP_REP or NONE) for '
                    'volumes whose type has no pool_name extra spec. '
                    'Ignored on PowerMaxOS 5978 and later, which have no '
                    'workloads.'),
    cfg.Opt('powermax_port_groups', type=BracketList(),
            deprecated_name='vmax_port_groups',
            help='Port groups, created on the array beforehand, through '
                 'which volumes are exposed, e.g. [OS-FC-PG1, OS-FC-PG2]. '
                 'All must be FC for the FC driver or iSCSI for the iSCSI '
                 'driver. A volume type extra spec storagetype:portgroupname '
                 'overrides the list.'),
    cfg.Opt('powermax_array_tag_list', type=BracketList(),
            help='Up to 8 tags (letters, digits, "_" and "-") to put on the '
                 'array in Unisphere, e.g. [openstack, prod]. Tags the '
                 'array lacks are added when the driver starts; tags are '
                 'never removed.'),
    cfg.StrOpt('powermax_short_host_name_template', default='shortHostName',
               help='How the host part of initiator group and masking view '
                    'names is built. Forms: shortHostName, '
                    'shortHostName[:x]uuid[:y], shortHostName[-x:]uuid[:y], '
                    'shortHostName[:x]<text>, shortHostName[-x:]<text> with '
                    'x+y <= 16. Do not change it once hosts are attached.'),
    cfg.StrOpt('powermax_port_group_name_template', default='portGroupName',
               help='How the port group part of masking view names is '
                    'built; same forms as '
                    'powermax_short_host_name_template with portGroupName '
                    'and x+y <= 12. Do not change it once volumes are '
                    'attached.'),
    cfg.BoolOpt('initiator_check', default=False,
                help='Before masking a volume to a host, check that the '
                     'array has seen each of the connector\'s initiators '
                     'logged in, and fail the attach naming the ones it '
                     'has not (an unzoned or mistyped WWN, an iSCSI '
                     'initiator that never logged in). Costs one request '
                     'per initiator and port at each attach.'),
    cfg.BoolOpt('snapvx_unlink_symforce', default=False,
                help='Send every SnapVX unlink with symforce, so the array '
                     'undoes a link that is not fully defined yet where it '
                     'would otherwise refuse (clones, deletes of link '
                     'targets). Use with care.'),
    cfg.IntOpt('powermax_create_batch_size', default=64, min=1, max=1000,
               help='The most new volumes one storage-group edit creates. '
                    'Creates into the same default storage group that '
                    'arrive while an edit of it runs are made together in '
                    'the next edit, as the array runs configuration '
                    'changes one after another. 1 makes every volume in '
                    'an edit of its own.'),
]

legacy_opts = [
    cfg.StrOpt('cinder_dell_emc_config_file',
               deprecated_for_removal=True,
               deprecated_reason='Move the settings of the Pike-era XML '
                                 'file into the backend section of '
                                 'cinder.conf.',
               help='Path of a Pike-era VMAX XML backend file. Values it '
                    'holds are used only where cinder.conf does not set '
                    'them. When unset and the backend section has no '
                    'san_ip, /etc/cinder/cinder_dell_emc_config_<backend>'
                    '.xml is read if it exists.'),
]

#: Every option this package defines.
powermax_opts = (job_opts + failover_opts + array_opts + legacy_opts +
                 loadopts.load_opts)

#: Options Cinder defines that the driver reads; never redefined here.
GENERIC_OPTION_NAMES = (
    'san_ip', 'san_api_port', 'san_login', 'san_password',
    'driver_ssl_cert_verify', 'driver_ssl_cert_path',
    'max_over_subscription_ratio', 'reserved_percentage',
    'replication_device', 'use_chap_auth', 'chap_username', 'chap_password')

CONF.register_opts(powermax_opts,
                   group=cinder_configuration.SHARED_CONF_GROUP)


def _generic_opts() -> list:
    by_name = {opt.name: opt
               for opt in san.san_opts + cinder_driver.volume_opts}
    return [by_name[name] for name in GENERIC_OPTION_NAMES]


def get_driver_options() -> list:
    """Every option the driver reads, for ``get_driver_options``.

    :returns: the options of this package followed by the generic Cinder
        options the driver consumes (Cinder's own objects)
    """
    return list(powermax_opts) + _generic_opts()


def list_opts() -> list:
    """Options for oslo-config-generator (``oslo.config.opts`` entry point).

    :returns: ``[(group name, options)]``; only the options this package
        defines, the generic ones are documented by Cinder
    """
    return [(cinder_configuration.SHARED_CONF_GROUP, list(powermax_opts))]


# -- the typed settings -------------------------------------------------------

_SECRET_FIELDS = ('san_password', 'chap_password')


@dataclasses.dataclass(frozen=True, repr=False)
class BackendSettings:
    """The configuration of one backend, read and checked once.

    ``verify`` is False (no TLS verification), True (system or Requests CA
    bundle) or the path of a CA bundle. Each ``failover_targets`` entry is a
    dict with ``san_ip``, ``san_api_port``, ``san_login``, ``san_password``
    and ``verify`` of the same meaning. ``source`` says where the values
    came from: ``cinder.conf`` or the path of a legacy XML file. The repr
    masks passwords and CHAP secrets.
    """

    san_ip: str
    san_login: str
    san_password: str
    array: str
    srp: str
    san_api_port: int = DEFAULT_PORT
    service_level: Optional[str] = None
    workload: Optional[str] = None
    port_groups: list = dataclasses.field(default_factory=list)
    verify: Union[bool, str] = False
    interval: int = 3
    retries: int = 200
    connect_timeout: int = 30
    read_timeout: int = 30
    failover_targets: list = dataclasses.field(default_factory=list)
    failover_timeout: int = 20
    failover_retries: int = 3
    failover_backoff_factor: int = 1
    failover_autofailback: bool = True
    short_host_name_template: str = 'shortHostName'
    port_group_name_template: str = 'portGroupName'
    array_tags: list = dataclasses.field(default_factory=list)
    initiator_check: bool = False
    snapvx_unlink_symforce: bool = False
    create_batch_size: int = 64
    use_chap_auth: bool = False
    chap_username: str = ''
    chap_password: str = ''
    max_over_subscription_ratio: str = '20.0'
    reserved_percentage: int = 0
    replication_devices: list = dataclasses.field(default_factory=list)
    #: every replication device, parsed (:func:`parse_replication_devices`)
    replications: tuple = ()
    load: loadopts.LoadSettings = loadopts.LoadSettings()
    source: str = 'cinder.conf'

    @property
    def replication(self) -> Optional['ReplicationDevice']:
        """The first replication device (the target all devices share)."""
        return self.replications[0] if self.replications else None

    def replication_by_id(self, backend_id: str
                          ) -> Optional['ReplicationDevice']:
        return next((d for d in self.replications
                     if d.backend_id == backend_id), None)

    def __repr__(self) -> str:
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in _SECRET_FIELDS and value:
                value = '***'
            elif field.name in ('failover_targets', 'replication_devices'):
                value = [strutils.mask_dict_password(item) for item in value]
            parts.append('%s=%r' % (field.name, value))
        return 'BackendSettings(%s)' % ', '.join(parts)

    __str__ = __repr__


# -- reading cinder.conf ------------------------------------------------------

def _get(configuration, name: str) -> Any:
    """Read an option; a value oslo.config rejects becomes ConfigError."""
    try:
        return configuration.safe_get(name)
    except ValueError as err:
        # ConfigFileValueError: out of bounds, not in choices, not a number.
        raise exception.ConfigError(reason=_(
            '%(name)s has an invalid value: %(err)s') % {
                'name': name, 'err': err})


def _is_set(configuration, name: str) -> bool:
    """Whether the operator set ``name`` for this backend (not a default)."""
    group = configuration.config_group
    shared = cinder_configuration.SHARED_CONF_GROUP
    try:
        # Configuration grafts each option into the backend section with a
        # None default, so any other value there was set by the operator.
        # (The location oslo.config records is unreliable here: grafting
        # calls set_default, which overwrites the location of an override.)
        if group and group != shared and getattr(
                getattr(CONF, group), name) is not None:
            return True
        where = CONF.get_location(name, shared)
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError, ValueError):
        return False
    return where is not None and where.location not in (
        cfg.Locations.opt_default, cfg.Locations.set_default)


def _check_path(path: str, option: str) -> str:
    if not os.path.exists(path):
        raise exception.ConfigError(reason=_(
            '%(option)s names %(path)s, which does not exist; give the path '
            'of a CA bundle file or directory') % {
                'option': option, 'path': path})
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, 'rb') as bundle:
                bundle.read(1)
    except OSError as err:
        raise exception.ConfigError(reason=_(
            '%(option)s names %(path)s, which cannot be read (%(err)s); '
            'cinder-volume must be able to read the CA bundle') % {
                'option': option, 'path': path, 'err': err.strerror or err})
    return path


def _check_host(value: str, option: str) -> str:
    """A host name or IP address, not a URL."""
    text = str(value).strip()
    try:
        return str(ipaddress.ip_address(text.strip('[]')))
    except ValueError:
        pass
    if not _HOST_RE.match(text):
        raise exception.ConfigError(reason=_(
            '%(option)s %(value)s is not a host name or IP address; give '
            'it without a scheme, port or path, e.g. 10.0.0.50 or '
            'unisphere.example.com (the port is san_api_port)') % {
                'option': option, 'value': text[:100]})
    return text


def _verify(flag: bool, path: Optional[str], option: str) -> Union[bool, str]:
    """TLS verification from a verify flag and an optional CA bundle path."""
    if not flag:
        if path:
            LOG.warning('%(option)s is set but certificate verification is '
                        'off; the certificate of Unisphere is not checked.',
                        {'option': option})
        return False
    return _check_path(path, option) if path else True


def _conf_values(configuration) -> dict:
    """The connection and array values as cinder.conf gives them."""
    return {
        'san_ip': _get(configuration, 'san_ip'),
        'san_api_port': _get(configuration, 'san_api_port'),
        'san_login': _get(configuration, 'san_login'),
        'san_password': _get(configuration, 'san_password'),
        'array': _get(configuration, 'powermax_array'),
        'srp': _get(configuration, 'powermax_srp'),
        'service_level': _get(configuration, 'powermax_service_level'),
        'workload': _get(configuration, 'powermax_workload'),
        'port_groups': _get(configuration, 'powermax_port_groups'),
        'verify': _verify(_get(configuration, 'driver_ssl_cert_verify'),
                          _get(configuration, 'driver_ssl_cert_path'),
                          'driver_ssl_cert_path'),
    }


# -- the legacy XML file ------------------------------------------------------

#: XML tag -> settings key; PortGroups/PortGroup is read separately.
XML_TAGS = {'RestServerIp': 'san_ip', 'RestServerPort': 'san_api_port',
            'RestUserName': 'san_login', 'RestPassword': 'san_password',
            'Array': 'array', 'SRP': 'srp', 'SSLVerify': 'verify',
            'ServiceLevel': 'service_level', 'Workload': 'workload'}
#: settings key -> the cinder.conf options that, when set, win over the XML.
_XML_KEY_OPTIONS = {
    'san_ip': ('san_ip',), 'san_api_port': ('san_api_port',),
    'san_login': ('san_login',), 'san_password': ('san_password',),
    'array': ('powermax_array',), 'srp': ('powermax_srp',),
    'service_level': ('powermax_service_level',),
    'workload': ('powermax_workload',),
    'port_groups': ('powermax_port_groups',),
    'verify': ('driver_ssl_cert_verify', 'driver_ssl_cert_path')}


def _xml_error(path: str, problem: str) -> exception.ConfigError:
    return exception.ConfigError(reason=_(
        'XML backend file %(path)s (cinder_dell_emc_config_file) %(problem)s'
    ) % {'path': path, 'problem': problem})


def _parse_xml(path: str):
    # forbid_dtd: a Pike file never has a DOCTYPE, and refusing DTDs also
    # stops entity-expansion and external-entity tricks before they start.
    try:
        return defused_et.parse(path, forbid_dtd=True).getroot()
    except FileNotFoundError:
        raise _xml_error(path, _('does not exist'))
    except OSError as err:
        raise _xml_error(path, _('cannot be read: %s') % err.strerror)
    except defusedxml.DefusedXmlException:
        raise _xml_error(path, _('declares a DTD or entities, which are '
                                 'refused'))
    except ElementTree.ParseError as err:
        raise _xml_error(path, _('is not well-formed XML: %s') % err)


def _xml_port(path: str, text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise _xml_error(path, _('has RestServerPort %s; it must be a port '
                                 'number from 1 to 65535') % text)
    return port


def _xml_verify(path: str, text: str) -> Union[bool, str]:
    if text.lower() in ('true', 'false'):
        return text.lower() == 'true'
    return _check_path(text, 'SSLVerify in %s' % path)


def read_legacy_xml(path: str) -> dict:
    """Read a Pike-era VMAX XML backend file.

    :param path: the file to read
    :returns: the values the file holds, keyed like :class:`BackendSettings`
        fields (``san_ip``, ``san_api_port``, ``san_login``,
        ``san_password``, ``array``, ``srp``, ``verify``, ``service_level``,
        ``workload``, ``port_groups``); absent tags are absent keys
    :raises ConfigError: naming the file, when it is missing, unreadable,
        not XML, declares a DTD or entities, or holds a bad port or CA path
    """
    root = _parse_xml(path)
    values = {}
    for tag, key in XML_TAGS.items():
        node = next(root.iter(tag), None)
        if node is not None and node.text and node.text.strip():
            values[key] = node.text.strip()
    groups = [node.text.strip() for node in root.iter('PortGroup')
              if node.text and node.text.strip()]
    if groups:
        values['port_groups'] = groups
    if 'san_api_port' in values:
        values['san_api_port'] = _xml_port(path, values['san_api_port'])
    if 'verify' in values:
        values['verify'] = _xml_verify(path, values['verify'])
    if next(root.iter('SSLCert'), None) is not None:
        LOG.warning('The SSLCert tag of %(path)s is ignored: client '
                    'certificates are not supported.', {'path': path})
    return values


def _legacy_xml_path(configuration) -> Optional[str]:
    path = _get(configuration, 'cinder_dell_emc_config_file')
    if path:
        return path
    group = configuration.config_group
    if group and not _is_set(configuration, 'san_ip'):
        default = LEGACY_XML_DEFAULT % {'group': group}
        if os.path.isfile(default):
            return default
    return None


def _merge_xml(configuration, values: dict, path: str) -> dict:
    """Fill what cinder.conf does not set from the XML file."""
    from_xml = read_legacy_xml(path)
    used = []
    for key, xml_value in from_xml.items():
        options = _XML_KEY_OPTIONS[key]
        if not any(_is_set(configuration, name) for name in options):
            values[key] = xml_value
            used.append(key)
    LOG.warning('Backend %(backend)s reads %(keys)s from the XML file '
                '%(path)s. The XML backend file is deprecated; move these '
                'settings into the backend section of cinder.conf.',
                {'backend': configuration.config_group, 'path': path,
                 'keys': ', '.join(sorted(used)) or 'nothing'})
    return values


# -- checks -------------------------------------------------------------------

#: settings key -> (cinder.conf option, XML tag) of each required value.
_REQUIRED = (('san_ip', 'san_ip', 'RestServerIp'),
             ('san_login', 'san_login', 'RestUserName'),
             ('san_password', 'san_password', 'RestPassword'),
             ('array', 'powermax_array', 'Array'),
             ('srp', 'powermax_srp', 'SRP'))


def _require(values: dict, xml_path: Optional[str]) -> None:
    for key, option, tag in _REQUIRED:
        if values.get(key):
            continue
        if xml_path:
            raise exception.ConfigError(reason=_(
                '%(option)s is not set in cinder.conf and the XML backend '
                'file %(path)s has no %(tag)s tag') % {
                    'option': option, 'path': xml_path, 'tag': tag})
        raise exception.ConfigError(reason=_(
            '%(option)s is required in the backend section of cinder.conf'
        ) % {'option': option})
    values['san_ip'] = _check_host(values['san_ip'], 'san_ip')
    array = values['array'] = str(values['array']).strip()
    if not _SERIAL_RE.match(array):
        raise exception.ConfigError(reason=_(
            'powermax_array %(array)s is not an array serial number; it must '
            'be 12 digits, e.g. 000197800123') % {'array': array})


def _array_tags(configuration) -> list:
    tags = [tag.strip() for tag in
            _get(configuration, 'powermax_array_tag_list') or ()]
    if len(tags) > MAX_ARRAY_TAGS:
        raise exception.ConfigError(reason=_(
            'powermax_array_tag_list has %(count)d tags; at most %(max)d are '
            'allowed') % {'count': len(tags), 'max': MAX_ARRAY_TAGS})
    for tag in tags:
        if not _TAG_RE.match(tag):
            raise exception.ConfigError(reason=_(
                'powermax_array_tag_list tag %(tag)r may hold only letters, '
                'digits, "_" and "-"') % {'tag': tag})
    return tags


def _chap(configuration) -> dict:
    values = {'use_chap_auth': bool(_get(configuration, 'use_chap_auth')),
              'chap_username': _get(configuration, 'chap_username') or '',
              'chap_password': _get(configuration, 'chap_password') or ''}
    if values['use_chap_auth'] and not (values['chap_username']
                                        and values['chap_password']):
        raise exception.ConfigError(reason=_(
            'use_chap_auth is True but chap_username or chap_password is '
            'empty; set both'))
    return values


# -- Unisphere failover targets -----------------------------------------------

_TARGET_REQUIRED = ('san_ip', 'san_login', 'san_password')
_TARGET_KEYS = _TARGET_REQUIRED + ('san_api_port', 'driver_ssl_cert_verify',
                                   'driver_ssl_cert_path')


def _target_error(number: int, target: dict, problem: str):
    return exception.ConfigError(reason=_(
        'u4p_failover_target #%(number)d (san_ip %(ip)s) %(problem)s') % {
            'number': number, 'ip': target.get('san_ip', '?'),
            'problem': problem})


def parse_failover_target(number: int, target: dict) -> dict:
    """Check one ``u4p_failover_target`` value and give it typed values.

    :param number: position of the target in cinder.conf, from 1, for errors
    :param target: the dict oslo.config parsed
    :returns: dict with ``san_ip``, ``san_api_port`` (int, default 8443),
        ``san_login``, ``san_password`` and ``verify`` (False, True or a CA
        bundle path; a path wins over ``driver_ssl_cert_verify``)
    :raises ConfigError: naming the target and the key at fault
    """
    unknown = sorted(set(target) - set(_TARGET_KEYS))
    if unknown:
        raise _target_error(number, target, _(
            'has unknown key(s) %(keys)s; valid keys are %(valid)s') % {
                'keys': ', '.join(unknown), 'valid': ', '.join(_TARGET_KEYS)})
    for key in _TARGET_REQUIRED:
        if not target.get(key):
            raise _target_error(number, target, _('lacks the %s key') % key)
    try:
        port = int(target.get('san_api_port') or DEFAULT_PORT)
        if not 1 <= port <= 65535:
            raise ValueError(port)
        flag = strutils.bool_from_string(
            target.get('driver_ssl_cert_verify', 'False'), strict=True)
    except ValueError:
        raise _target_error(number, target, _(
            'needs san_api_port to be a port number and '
            'driver_ssl_cert_verify to be True or False'))
    path = target.get('driver_ssl_cert_path')
    verify = (_check_path(path, 'u4p_failover_target #%d driver_ssl_cert_path'
                          % number) if path else flag)
    san_ip = _check_host(target['san_ip'],
                         'u4p_failover_target #%d san_ip' % number)
    return {'san_ip': san_ip, 'san_api_port': port,
            'san_login': target['san_login'],
            'san_password': target['san_password'], 'verify': verify}


# -- replication_device -------------------------------------------------------

REP_SYNC = 'Synchronous'
REP_ASYNC = 'Asynchronous'
REP_METRO = 'Metro'
_REP_REQUIRED = ('target_device_id', 'remote_port_group', 'remote_pool',
                 'rdf_group_label')
_REP_FLAGS = ('allow_extend', 'metro_use_bias', 'allow_delete_metro')
_METRO_FLAGS = ('metro_use_bias', 'allow_delete_metro')
_REP_KEYS = _REP_REQUIRED + _REP_FLAGS + (
    'mode', 'backend_id', 'sync_interval', 'sync_retries')
_REP_MODES = {'': REP_SYNC, 'sync': REP_SYNC, 'synchronous': REP_SYNC,
              'async': REP_ASYNC, 'asynchronous': REP_ASYNC,
              'metro': REP_METRO}
#: The backend id of a single replication device, as the in-tree driver
#: names it when the operator gives none.
LEGACY_BACKEND_ID = 'backend_id_legacy_rep'
#: The backend id ``cinder failover-host`` takes to start array promotion.
PROMOTION_BACKEND_ID = 'pmax_failover_start_array_promotion'
#: At most one replication device per mode.
MAX_REPLICATION_DEVICES = 3


@dataclasses.dataclass(frozen=True)
class ReplicationDevice:
    """One ``replication_device``, checked and typed."""

    target: str
    remote_port_group: str
    remote_pool: str
    rdf_group_label: str
    mode: str = REP_SYNC
    allow_extend: bool = False
    metro_use_bias: bool = False
    allow_delete_metro: bool = False
    backend_id: str = LEGACY_BACKEND_ID
    sync_interval: int = 3
    sync_retries: int = 200

    @property
    def metro(self) -> bool:
        return self.mode == REP_METRO

    @property
    def managed_together(self) -> bool:
        """Asynchronous and Metro pairs of an RDF group act together."""
        return self.mode in (REP_ASYNC, REP_METRO)


def _rep_error(problem: str, **values) -> exception.ConfigError:
    return exception.ConfigError(reason=_(
        'replication_device %s') % (problem % values))


def _rep_flag(device: dict, key: str) -> bool:
    try:
        return strutils.bool_from_string(device.get(key, 'False'),
                                         strict=True)
    except ValueError:
        raise _rep_error(_('key %(key)s is %(value)s; expected True or '
                           'False'), key=key,
                         value=exception.quoted(device.get(key)))


def _rep_int(device: dict, key: str, default: int) -> int:
    value = device.get(key)
    if value in (None, ''):
        return default
    try:
        number = int(value)
        if number < 1:
            raise ValueError(number)
    except ValueError:
        raise _rep_error(_('key %(key)s is %(value)s; expected a whole '
                           'number of at least 1'), key=key,
                         value=exception.quoted(value))
    return number


def _rep_mode(device: dict) -> str:
    text = str(device.get('mode') or '').strip().lower()
    if text in _REP_MODES:
        return _REP_MODES[text]
    raise _rep_error(_('key mode is %(mode)s; valid: Synchronous, '
                       'Asynchronous, Metro'),
                     mode=exception.quoted(device.get('mode')))


def parse_replication_device(device: dict,
                             array: str) -> ReplicationDevice:
    """Check one ``replication_device`` value and give it typed values.

    :param device: the dict oslo.config parsed
    :param array: the backend's array (``powermax_array``)
    :raises ConfigError: naming the key at fault and what is valid
    """
    unknown = sorted(set(device) - set(_REP_KEYS))
    if unknown:
        raise _rep_error(_('has unknown key(s) %(keys)s; valid keys are '
                           '%(valid)s'), keys=', '.join(unknown),
                         valid=', '.join(_REP_KEYS))
    for key in _REP_REQUIRED:
        if not str(device.get(key) or '').strip():
            raise _rep_error(_('lacks the %(key)s key; it needs %(keys)s'),
                             key=key, keys=', '.join(_REP_REQUIRED))
    target = str(device['target_device_id']).strip()
    if not _SERIAL_RE.match(target) or target == array:
        raise _rep_error(_('key target_device_id is %(value)s; expected '
                           'the 12-digit serial of the remote array, not '
                           'powermax_array %(array)s'),
                         value=exception.quoted(target), array=array)
    mode = _rep_mode(device)
    flags = {key: _rep_flag(device, key) for key in _REP_FLAGS}
    for key in _METRO_FLAGS:
        if flags[key] and mode != REP_METRO:
            raise _rep_error(_('key %(key)s is True but mode is %(mode)s; '
                               'it applies to mode Metro only'),
                             key=key, mode=mode)
    backend_id = str(device.get('backend_id') or '').strip() or \
        LEGACY_BACKEND_ID
    if backend_id in (PROMOTION_BACKEND_ID, 'default'):
        raise _rep_error(_('key backend_id is %(value)s, which cinder '
                           'failover-host reserves; choose another'),
                         value=exception.quoted(backend_id))
    return ReplicationDevice(
        target=target,
        remote_port_group=str(device['remote_port_group']).strip(),
        remote_pool=str(device['remote_pool']).strip(),
        rdf_group_label=str(device['rdf_group_label']).strip(),
        mode=mode, backend_id=backend_id,
        sync_interval=_rep_int(device, 'sync_interval', 3),
        sync_retries=_rep_int(device, 'sync_retries', 200), **flags)


def parse_replication_devices(devices: list,
                              array: str) -> tuple:
    """All ``replication_device`` values of a backend, checked together.

    Up to three, at most one per mode, each with its own ``backend_id``
    and RDF group, all towards one target array (concurrent and
    cascaded SRDF are not served).

    :raises ConfigError: naming the device and key at fault
    """
    parsed = tuple(parse_replication_device(d, array) for d in devices)
    if len(parsed) > MAX_REPLICATION_DEVICES:
        raise _rep_error(_('is given %(count)d times; at most %(max)d '
                           '(one per mode) are served'),
                         count=len(parsed), max=MAX_REPLICATION_DEVICES)
    if len(parsed) < 2:
        return parsed
    for key, what in (('backend_id', _('backend_id')),
                      ('mode', _('mode')),
                      ('rdf_group_label', _('rdf_group_label'))):
        values = [getattr(d, key) for d in parsed]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            hint = _(' (give each device its own backend_id)') if \
                LEGACY_BACKEND_ID in repeated else ''
            raise _rep_error(_('entries share %(what)s %(values)s; with '
                               'several devices each needs its own%(hint)s'),
                             what=what, values=', '.join(repeated),
                             hint=hint)
    for key in ('target', 'remote_pool', 'remote_port_group'):
        values = sorted({getattr(d, key) for d in parsed})
        if len(values) > 1:
            name = 'target_device_id' if key == 'target' else key
            raise _rep_error(_('entries name %(key)s %(values)s; all '
                               'devices of a backend share one target '
                               'array, pool and port group'),
                             key=name, values=', '.join(values))
    return parsed


def _failover_targets(configuration) -> list:
    targets = _get(configuration, 'u4p_failover_target') or []
    parsed = [parse_failover_target(number, target)
              for number, target in enumerate(targets, 1)]
    if not parsed:
        LOG.warning('No u4p_failover_target is configured for backend '
                    '%(backend)s; if its Unisphere goes down the array is '
                    'unreachable until Unisphere answers again.',
                    {'backend': configuration.config_group})
    return parsed


# -- the reader ---------------------------------------------------------------

def get_backend_settings(configuration) -> BackendSettings:
    """Read and check the configuration of one backend.

    Registers the options it reads on ``configuration`` (idempotent), reads
    cinder.conf and, when ``cinder_dell_emc_config_file`` names one (or
    cinder.conf lacks ``san_ip`` and the Pike default file
    ``/etc/cinder/cinder_dell_emc_config_<backend>.xml`` exists), the legacy
    XML file. A value set in cinder.conf wins over the same value in the
    XML file.

    :param configuration: the backend's
        :class:`cinder.volume.configuration.Configuration`
    :returns: the typed, checked settings
    :raises ConfigError: naming the option (and file) when a required value
        is missing or a value is invalid
    """
    configuration.append_config_values(get_driver_options())
    values = _conf_values(configuration)
    xml_path = _legacy_xml_path(configuration)
    if xml_path:
        values = _merge_xml(configuration, values, xml_path)
    _require(values, xml_path)
    return BackendSettings(
        san_ip=values['san_ip'],
        san_api_port=values['san_api_port'] or DEFAULT_PORT,
        san_login=values['san_login'], san_password=values['san_password'],
        array=values['array'], srp=values['srp'],
        service_level=values['service_level'] or None,
        workload=values['workload'] or None,
        port_groups=list(values['port_groups'] or ()),
        verify=values['verify'],
        interval=_get(configuration, 'interval'),
        retries=_get(configuration, 'retries'),
        connect_timeout=_get(configuration, 'rest_api_connect_timeout'),
        read_timeout=_get(configuration, 'rest_api_read_timeout'),
        failover_targets=_failover_targets(configuration),
        failover_timeout=_get(configuration, 'u4p_failover_timeout'),
        failover_retries=_get(configuration, 'u4p_failover_retries'),
        failover_backoff_factor=_get(configuration,
                                     'u4p_failover_backoff_factor'),
        failover_autofailback=_get(configuration,
                                   'u4p_failover_autofailback'),
        short_host_name_template=_get(
            configuration, 'powermax_short_host_name_template'),
        port_group_name_template=_get(
            configuration, 'powermax_port_group_name_template'),
        array_tags=_array_tags(configuration),
        initiator_check=bool(_get(configuration, 'initiator_check')),
        snapvx_unlink_symforce=bool(_get(configuration,
                                         'snapvx_unlink_symforce')),
        create_batch_size=_get(configuration, 'powermax_create_batch_size'),
        max_over_subscription_ratio=_get(configuration,
                                         'max_over_subscription_ratio'),
        reserved_percentage=_get(configuration, 'reserved_percentage'),
        replication_devices=list(_get(configuration, 'replication_device')
                                 or ()),
        replications=parse_replication_devices(
            list(_get(configuration, 'replication_device') or ()),
            values['array']),
        load=loadopts.read(configuration.safe_get),
        source=xml_path or 'cinder.conf',
        **_chap(configuration))
