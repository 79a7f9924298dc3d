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

"""``fixtures.Fixture`` wiring a fresh fake Unisphere into a test.

Any ``requests.Session`` sending to ``https://<endpoint>/...`` for one of
the configured endpoints reaches the fake in-process; other URLs are
untouched. Several endpoints are several Unisphere servers over the same
arrays (for failover tests: a fault with ``endpoint=`` takes one down).
"""

import typing
import urllib.parse

import fixtures
import requests

from tests.fake_unisphere import adapter
from tests.fake_unisphere import app as app_mod
from tests.fake_unisphere import contract
from tests.fake_unisphere import faults
from tests.fake_unisphere import model as model_mod
from tests.fake_unisphere import populate as populate_mod
from tests.fake_unisphere import server
from tests.fake_unisphere import srdf

KINDS = ('volumes', 'storage_groups', 'hosts', 'port_groups',
         'masking_views')


class FakeUnisphereFixture(fixtures.Fixture):
    """A fake Unisphere for one test.

    Attributes once set up: ``model``, ``faults``, ``latency``,
    ``requests`` (the request log), ``base_urls``, ``username``,
    ``password``, ``version``, ``app``, ``contract`` (a
    :class:`contract.Recorder`, or None without the API description).

    When Dell's API description is at hand, every exchange is judged
    against it and the test fails at clean-up on any departure.
    """

    def __init__(self, version: str = 'V10.1.0.2',
                 arrays: typing.Optional[typing.Iterable[str]] = None,
                 endpoints: typing.Iterable[str] = ('127.0.0.1:8443',),
                 username: str = 'smc', password: str = 'smc-pass',
                 page_size: int = 1000) -> None:
        super().__init__()
        self.version = version
        self.arrays = list(arrays) if arrays is not None else None
        self.endpoints = [e.lower() for e in endpoints]
        self.username = username
        self.password = password
        self.page_size = page_size

    def _setUp(self) -> None:
        self.model = model_mod.Model(self.arrays, self.page_size,
                                     self.username)
        self.faults = faults.FaultInjector()
        self.latency = faults.Latency()
        self.requests: typing.List[app_mod.RequestRecord] = []
        self.app = app_mod.UnisphereApp(
            self.model, self.version, self.username, self.password,
            self.faults, self.latency, self.requests)
        self.contract = None
        judge = contract.judge()
        if judge is not None:
            self.contract = contract.Recorder(judge)
            self.app.observers.append(self.contract.observe)
            self.addCleanup(self.contract.assert_clean)
        self.base_urls = ['https://%s' % e for e in self.endpoints]
        self._adapters = {e: adapter.FakeAdapter(self.app, e)
                          for e in self.endpoints}
        original = requests.Session.get_adapter
        adapters = self._adapters

        def get_adapter(session, url):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme.lower() == 'https':
                found = adapters.get(parts.netloc.lower())
                if found is not None:
                    return found
            return original(session, url)

        self.useFixture(fixtures.MonkeyPatch(
            'requests.Session.get_adapter', get_adapter))

    def off_contract(self, side: str, location: str) -> None:
        """Let this test send one field the API does not allow.

        For tests of how a refusal is handled; see
        :meth:`contract.Recorder.expect`.
        """
        if self.contract is not None:
            self.contract.expect(side, location)

    # -- data identity (test-only routes, not Unisphere) ---------------------

    def content(self, sid: str, device: str) -> str:
        """The token of the data ``device`` presents now ('' if blank).

        As the test-only route answers it, without a request (no fault
        or request log applies): time due is run first.
        """
        with self.model.lock:
            self.app.jobs.advance()
            return self.model.array(sid).volume(device).content

    def write(self, sid: str, device: str, token: str) -> None:
        """A host writes ``token`` to ``device`` (refused if disabled)."""
        with self.model.lock:
            self.app.jobs.advance()
            self.model.array(sid).host_write(device, token)

    def set_rdf_lag(self, sid: str, number: int, seconds: float) -> None:
        """How far an Asynchronous R2 trails its R1, on both arrays."""
        with self.model.lock:
            group = self.model.array(sid).rdf_group(number)
            group.lag = seconds
            self.model.array(sid).mirror(group).lag = seconds

    def presented(self, data: dict, connector: dict
                  ) -> typing.List[typing.Tuple[str, str]]:
        """(array, device) a host reaches at the LUN an attach gave it.

        :param data: ``connection_info['data']`` of the attach
        :param connector: the host's connector
        """
        hbas = {w.lower() for w in connector.get('wwpns') or ()}
        if connector.get('initiator'):
            hbas.add(connector['initiator'].lower())
        targets = set()
        for key in ('target_wwn', 'target_iqn', 'target_iqns'):
            value = data.get(key) or ()
            targets.update(v.lower().replace(':', '') if key == 'target_wwn'
                           else v.lower() for v in (
                               [value] if isinstance(value, str) else value))
        luns = {int(lun) for lun in (data.get('target_luns')
                                     or [data.get('target_lun')])}
        with self.model.lock:
            return sorted({
                (sid, device)
                for sid, array in self.model.arrays.items()
                for view in array.masking_views.values()
                if hbas & {h.lower() for h in array.hosts[view.host]
                           .initiators}
                and targets & _port_ids(array, view.port_group)
                for device, lun in view.luns.items() if lun in luns})

    def start_https(self) -> typing.Tuple[str, str]:
        """Serve the same arrays over real HTTPS on loopback.

        :returns: (base URL, CA bundle path); stopped at cleanup
        """
        fake_server = server.FakeServer(self.app)
        url, ca_path = fake_server.start()
        self.addCleanup(fake_server.stop)
        return url, ca_path

    def populate(self, sid: str, devices: int = 10000, hosts: int = 1000,
                 per_host: int = 5,
                 default_slos: typing.Sequence[str] = populate_mod.SLOS
                 ) -> dict:
        """Fill array ``sid`` to production size (see populate.py)."""
        with self.model.lock:
            return populate_mod.populate(self.model.array(sid), devices,
                                         hosts, per_host, default_slos)

    # -- leak and invariant checks -------------------------------------------

    def snapshot(self) -> dict:
        """A baseline of which objects exist, for :meth:`check`."""
        with self.model.lock:
            state = {}
            for sid, array in self.model.arrays.items():
                kinds = {kind: set(getattr(array, kind)) for kind in KINDS}
                kinds['snapshots'] = {
                    '%s of %s (snap_id %s)' % (snap.name, dev, snap.snap_id)
                    for dev, snaps in array.snapshots.items()
                    for snap in snaps}
                kinds['snapvx_links'] = {
                    '%s of %s (snap_id %s) -> %s%s' % (
                        snap.name, dev, snap.snap_id, link.target,
                        ' (restore session)' if link.restore else '')
                    for dev, snaps in array.snapshots.items()
                    for snap in snaps for link in snap.links}
                kinds['rdf_pairs'] = srdf.pair_names(array)
                state[sid] = kinds
            return state

    def check(self, baseline: typing.Optional[dict] = None
              ) -> typing.List[str]:
        """Problems with the array state: debris and invariant breaches.

        :param baseline: from :meth:`snapshot`; when given, objects that
            appeared or disappeared since are problems too
        :returns: human-readable problems (empty when clean)
        """
        with self.model.lock:
            problems = []
            for sid, array in sorted(self.model.arrays.items()):
                problems += ['%s: %s' % (sid, p) for p in _debris(array)]
            problems += ['job %s (%s) is still %s' % (
                job.job_id, job.name, job.status)
                for job in self.model.jobs.values() if not job.finished]
            if baseline is not None:
                problems += _diff(baseline, self.snapshot())
            return problems

    def assert_clean(self, baseline: typing.Optional[dict] = None) -> None:
        problems = self.check(baseline)
        if problems:
            raise AssertionError('fake Unisphere is not clean:\n  ' +
                                 '\n  '.join(problems))


def _port_ids(array: typing.Any, port_group: str) -> typing.Set[str]:
    found = set()
    for director, number in array.port_groups[port_group].ports:
        port = array.port(director, number)
        if port.identifier:
            found.add(port.identifier.lower().replace(':', '') if
                      port.protocol == 'FC' else port.identifier.lower())
    return found


def _debris(array: typing.Any) -> typing.List[str]:
    parents, holders = array.parent_map(), array.group_map()
    problems = []
    for name, group in sorted(array.storage_groups.items()):
        problems += _group_debris(array, name, group, parents)
    for name, view in sorted(array.masking_views.items()):
        if view.storage_group not in array.storage_groups:
            problems.append('masking view %s has no storage group' % name)
        elif not array.members(view.storage_group):
            problems.append('masking view %s exposes no volume' % name)
    in_views = {v.host for v in array.masking_views.values()}
    for name in sorted(array.hosts):
        if name.startswith('OS-') and name.endswith('-IG') and (
                name not in in_views):
            problems.append('host %s is in no masking view' % name)
    problems += _snapvx_debris(array)
    problems += srdf.debris(array)
    for device_id in sorted(array.volumes):
        groups = holders.get(device_id, [])
        if not groups:
            problems.append('volume %s is in no storage group' % device_id)
        fast = [g for g in groups if array.storage_groups[g].is_fast]
        if len(fast) > 1:
            problems.append('volume %s is in several FAST groups: %s' % (
                device_id, ', '.join(fast)))
    return problems


def _group_debris(array: typing.Any, name: str, group: typing.Any,
                  parents: dict) -> typing.List[str]:
    problems = []
    if name.startswith('OS-') and not group.volumes and not group.children:
        problems.append('storage group %s is empty' % name)
    for child in group.children:
        if child not in array.storage_groups:
            problems.append('storage group %s has missing child %s' % (
                name, child))
    for device_id in group.volumes:
        if device_id not in array.volumes:
            problems.append('storage group %s holds missing volume '
                            '%s' % (name, device_id))
    if len(parents.get(name, ())) > 1:
        problems.append('storage group %s has several parents' % name)
    return problems


def _snapvx_debris(array: typing.Any) -> typing.List[str]:
    """Temporary snapshots left behind, links to anonymous volumes."""
    problems = []
    for device_id, snaps in sorted(array.snapshots.items()):
        if device_id not in array.volumes:
            problems.append('SnapVX snapshots of missing volume %s' %
                            device_id)
        for snap in snaps:
            what = 'SnapVX snapshot %s of %s (snap_id %s)' % (
                snap.name, device_id, snap.snap_id)
            if snap.name.startswith('temp-'):
                problems.append('%s is left behind' % what)
            for link in snap.real_links:
                target = array.volumes.get(link.target)
                if target is None:
                    problems.append('%s is linked to missing volume %s' % (
                        what, link.target))
                elif not target.identifier:
                    problems.append('%s is linked to %s, a volume with no '
                                    'identifier' % (what, link.target))
    return problems


def _diff(before: dict, after: dict) -> typing.List[str]:
    problems = []
    for sid in sorted(set(before) | set(after)):
        old, new = before.get(sid, {}), after.get(sid, {})
        for kind in sorted(set(old) | set(new)):
            kind_name = kind.replace('_', ' ').rstrip('s')
            for item in sorted(new.get(kind, set()) - old.get(kind, set()),
                               key=str):
                problems.append('%s: new %s %s' % (sid, kind_name, item))
            for item in sorted(old.get(kind, set()) - new.get(kind, set()),
                               key=str):
                problems.append('%s: %s %s is gone' % (sid, kind_name, item))
    return problems
