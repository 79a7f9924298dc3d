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

"""The storage groups SRDF acts through, and the actions on them.

SRDF actions (suspend, resume, establish, failover, failback) are sent
to a storage group and act on its pairs in one RDF group. Two kinds of
group carry them here, for the RDF group of one replication device:

* the management group ``OS-<label>-<Asynchronous|Metro>-rdf-sg`` of an
  Asynchronous or Metro RDF group, on both arrays, holding exactly the
  group's devices (seed 001): the array acts on such pairs together, so
  every action goes through it. Pairs are filed in it when made, taken
  out when removed, and it is mended (:meth:`SrdfGroups.reconcile`)
  when an interrupted operation left it holding anything else;
* the temporary group ``OS-<label>-temp-rdf-sg``, which holds a few
  Synchronous pairs for one action and is emptied and deleted after it.

Pairs join an active group with consistency exemption (the array does it
for the storage-group edit), so the others keep replicating; an
Asynchronous pair leaves after a consistency-exempt suspend of its own,
a Metro pair only after the whole group is suspended, which is
established again afterwards (:meth:`SrdfGroups.released`).
"""

from __future__ import annotations

import contextlib
from typing import Optional

from oslo_log import log as logging
from oslo_utils import excutils

from cinder_powermax import exception
from cinder_powermax.i18n import _
from cinder_powermax import naming
from cinder_powermax import polling
from cinder_powermax import rdf as rdf_mod
from cinder_powermax import storagegroups
from cinder_powermax import utils

LOG = logging.getLogger(__name__)


class SrdfGroups:
    """SRDF actions through storage groups, for one RDF group.

    :param rdf: the :class:`cinder_powermax.rdf.RdfGroup`
    """

    def __init__(self, rdf):
        self.rdf = rdf
        self.arrays = rdf.arrays
        self.device = rdf.device
        self.primary = rdf.primary
        self.target = rdf.target
        self.label = rdf.label
        self.management = rdf.management

    # -- management groups (Asynchronous and Metro) -------------------------
    def file(self, device, r2, pair, check=False):
        """File a new pair in the RDF group's management groups.

        The two arrays' edits run side by side. A pair that joined a
        suspended group (an interrupted action left it so) did not start
        copying: the whole group is started again.

        :param pair: the pair as read from the primary
        :param check: the devices may be filed already (a repeat)
        """
        if self.management is None:
            return
        utils.run_side_by_side(
            lambda: self._file_one(self.primary, device, check),
            lambda: self._file_one(self.target, r2, check))
        if rdf_mod.pair_state(pair) == 'suspended':
            self.restart(self.primary, self.rdf.number(self.primary))

    def _file_one(self, serial, member, check):
        context = self.arrays.get(serial)
        if check and self.management in context.provision.device_groups(
                member):
            return
        try:
            context.groups.add_volumes(self.management, [member])
        except exception.NotFound:
            context.groups.ensure(storagegroups.non_fast(self.management))
            context.groups.add_volumes(self.management, [member])

    def leave(self, serial, device, info, partner) -> bool:
        """Take a pair's devices out of the management groups.

        A management group left empty goes, also one an interrupted try
        emptied: it is read again when the device was out already.

        :param info: ``device``'s detail (its groups)
        :returns: True when the RDF group holds no other device here
        """
        emptied = False
        for side, member in ((serial, device), (self.rdf.other(serial),
                                                partner)):
            if not member:
                continue
            context = self.arrays.get(side)
            groups = (info.get('storageGroupId') or ()) if side == serial \
                else ()
            if self.management not in groups:
                # The partner's, or the device's when a management group
                # mended since (a repeat) may hold it again: read.
                groups = context.provision.device_groups(member)
            after = None
            if self.management in groups:
                after = context.groups.remove_volumes(self.management,
                                                      [member])
                if after.get('num_of_vols'):
                    continue
            gone = self._drop_management(context, after)
            emptied = emptied or (gone and side == serial)
        return emptied

    def _drop_management(self, context, detail):
        """Delete the management group if empty, as a clean-up step.

        Tried again when it fails; the failure is logged, not raised.

        :returns: True when the group is gone
        """
        try:
            return polling.retried(context.groups.delete_if_empty,
                                   self.management, detail)
        except exception.PowerMaxError as exc:
            LOG.warning('The deletion of %(sg)s on %(array)s failed: '
                        '%(err)s', {'sg': self.management,
                                    'array': context.serial, 'err': exc})
            return False

    def reconcile(self, serial: str, number: Optional[int] = None) -> list:
        """Make the management group on ``serial`` hold the RDF group.

        Exactly the devices paired in the RDF group on that array, which
        an interrupted operation may have left otherwise; an action on
        the group covers all of them. A management group with nothing to
        hold goes.

        :returns: the RDF group's devices on ``serial``
        """
        number = number if number is not None else self.rdf.number(serial)
        paired = set(self.rdf.api(serial).rdf_devices(number))
        groups = self.arrays.get(serial).groups
        members = set(groups.volumes(self.management)) if groups.find(
            self.management) is not None else None
        if members is None and paired:
            groups.ensure(storagegroups.non_fast(self.management))
            members = set()
        found = members or set()
        for wrong, what, mend in (
                (found - paired, 'held %(devs)s outside RDF group %(label)s; '
                 'they leave it', groups.remove_volumes),
                (paired - found, 'lacked %(devs)s of RDF group %(label)s; '
                 'they join it', groups.add_volumes)):
            if wrong:
                LOG.warning('Management group %(sg)s on %(array)s ' + what,
                            {'sg': self.management, 'array': serial,
                             'devs': ', '.join(sorted(wrong)),
                             'label': self.label})
                mend(self.management, sorted(wrong))
        if members is not None and not paired:
            groups.delete_if_empty(self.management)
        return sorted(paired)

    def act_on_all(self, serial, number, action, done_states, **options):
        """``action`` on every pair of the RDF group, on array ``serial``.

        Through the management group. The array refuses an action on a
        group that does not hold exactly the RDF group's devices (an
        interrupted operation can leave it so): the management group is
        then mended (:meth:`reconcile`) and the action tried again.
        """
        try:
            self.act(serial, self.management, number, action, done_states,
                     **options)
            return
        except (exception.BadRequest, exception.Conflict,
                exception.NotFound) as exc:
            LOG.info('SRDF %(action)s of %(sg)s on %(array)s was refused '
                     '(%(err)s); the management group is checked against '
                     'RDF group %(label)s.', {
                         'action': action, 'sg': self.management,
                         'array': serial, 'err': exc, 'label': self.label})
        if self.reconcile(serial, number):
            self.act(serial, self.management, number, action, done_states,
                     **options)

    def restart(self, serial, number):
        """Start the management group's pairs again after a suspend.

        Metro pairs are established (with bias when configured), others
        resumed.
        """
        if self.device.metro:
            self.act_on_all(serial, number, 'Establish',
                            tuple(rdf_mod.METRO_ACTIVE | {'syncinprog'}),
                            metroBias=self.device.metro_use_bias)
        else:
            self.act_on_all(serial, number, 'Resume', tuple(rdf_mod.SYNCED))

    @contextlib.contextmanager
    def released(self, serial, device, info):
        """Ready a pair of an Asynchronous or Metro group for removal.

        An Asynchronous pair is suspended alone, consistency exempt, so
        the others keep replicating; a Metro group is suspended whole
        (the array acts on its pairs together) and established again
        afterwards, also when the removal failed; a removal that worked
        raises when they cannot be (:meth:`metro_again`). Both devices
        leave the management groups.

        The repeat of a removal that got as far as the unpairing finds no
        pair: a Metro group the first try left suspended is established.

        :yields: ``info`` without the groups the device left
        """
        number = rdf_mod.rdf_number(info)
        if self.management is None:
            yield info
            return
        if number is None:
            try:
                yield info
            except Exception:
                with excutils.save_and_reraise_exception():
                    self._metro_quietly(serial)
            self.metro_again(serial)
            return
        partner = self.rdf.partner(serial, device, number)[1]
        if self.device.metro:
            self.act_on_all(serial, number, 'Suspend', ('suspended',))
        else:
            with self.alone(serial, [device]) as temp:
                self.act(serial, temp, number, 'Suspend', ('suspended',),
                         consExempt=True)
        emptied = False
        left = (self.management, naming.rdf_temp_sg_name(self.label))
        try:
            emptied = self.leave(serial, device, info, partner)
            yield dict(info, storageGroupId=[
                g for g in info.get('storageGroupId') or ()
                if g not in left])
        except Exception:
            with excutils.save_and_reraise_exception():
                # The pair may be there still: its devices go back into
                # the management groups, and a Metro group starts again.
                for side in (serial, self.rdf.other(serial)):
                    self.rdf.best_effort(
                        self.reconcile, side,
                        what='check of %s' % self.management)
                self._metro_quietly(serial, number)
        if not emptied:
            self.metro_again(serial, number)

    def metro_again(self, serial, number=None):
        """Establish a Metro group's pairs again after a removal.

        The removal is not done until then: the group's other volumes
        are not protected while their pairs stay suspended, and only an
        error keeps the removal's record for Cinder to repeat it (whose
        repeat establishes them).

        :raises PowerMaxError: when they could not be established
        """
        if not self.device.metro:
            return
        try:
            polling.retried(self._restart_metro, serial, number)
        except exception.PowerMaxError as exc:
            raise exception.PowerMaxError(reason=_(
                'the SRDF/Metro pairs of RDF group %(label)s on array '
                '%(array)s were suspended for a pair\'s removal and could '
                'not be established again (%(err)s); the removal is '
                'repeated (and establishes them) when the volume is '
                'deleted again') % {'label': self.label, 'array': serial,
                                    'err': exc}) from exc

    def _metro_quietly(self, serial, number=None):
        """:meth:`metro_again` on a failure path: logged, not raised."""
        if self.device.metro:
            self.rdf.best_effort(self._restart_metro, serial, number,
                                 what='establish of %s' % self.management)

    def _restart_metro(self, serial, number=None):
        self.restart(serial, self.rdf.number(serial) if number is None
                     else number)

    def suspend_active_metro(self, serial, number):
        """Suspend the Metro group on ``serial`` when its pairs serve."""
        self.reconcile(serial, number)
        if self.states(serial, self.management, number) & \
                rdf_mod.METRO_ACTIVE:
            self._send(serial, self.management, number, 'Suspend',
                       ('suspended',))

    # -- actions --------------------------------------------------------------

    def act(self, serial, group, number, action, done_states, **options):
        """Run ``action`` unless the group's pairs are there already."""
        if self._there(self.states(serial, group, number), done_states):
            return
        self._send(serial, group, number, action, done_states, **options)

    def states(self, serial: str, group: str,
               number: Optional[int] = None) -> set:
        """The states of the pairs of storage group ``group``, lower case."""
        number = number if number is not None else self.rdf.number(serial)
        return {str(s).lower() for s in self.rdf.api(serial).sg_state(
            group, number).get('states') or ()}

    @staticmethod
    def _there(states, done_states) -> bool:
        return bool(states) and states <= set(done_states)

    def _send(self, serial, group, number, action, done_states, **options):
        """Send ``action``; a lost answer is judged by the pairs' states.

        :raises PowerMaxError: the action's error, unless the array may
            have acted and every pair of ``group`` is in ``done_states``
            (:meth:`reached`)
        """
        try:
            self.rdf.api(serial).sg_action(group, number, action, **options)
        except exception.PowerMaxError as exc:
            if not self.reached(serial, group, number, done_states, exc):
                raise

    def reached(self, serial, group, number, done_states, exc) -> bool:
        """Whether an action that failed with ``exc`` was done all the same.

        Only when ``exc`` leaves the outcome unknown (a lost answer, a job
        that failed or could not be followed): the pairs of ``group`` are
        read back, and the action counts as done when every one is in
        ``done_states``. A read that fails tells nothing: not done.
        """
        if not exception.outcome_unknown(exc):
            return False
        try:
            states = self.states(serial, group, number)
        except exception.PowerMaxError as error:
            LOG.warning('The pairs of %(sg)s on %(array)s cannot be read: '
                        '%(err)s', {'sg': group, 'array': serial,
                                    'err': error})
            return False
        if not self._there(states, done_states):
            return False
        LOG.info('The pairs of %(sg)s on %(array)s are %(states)s although '
                 'the answer to their SRDF action was lost (%(err)s).',
                 {'sg': group, 'array': serial,
                  'states': ', '.join(sorted(states)), 'err': exc})
        return True

    def group_action(self, serial: str, group: str, actions: tuple,
                     done_states: tuple) -> None:
        """An SRDF action on all the pairs of storage group ``group``.

        Nothing is sent when every pair is in one of ``done_states``
        already (a repeat). Otherwise the first of ``actions`` that the
        pairs' states allow runs: ``('Resume', 'Establish')`` resumes
        suspended pairs and establishes split ones. When its answer is
        lost, the pairs' states tell whether it was done (:meth:`reached`).

        :param serial: the array the action is sent to
        """
        with self.rdf.lock():
            number = self.rdf.number(serial)
            states = self.states(serial, group, number)
            if self._there(states, done_states):
                return
            action = actions[0]
            if len(actions) > 1 and states and 'suspended' not in states:
                action = actions[1]
            self._send(serial, group, number, action, done_states)
        LOG.info('SRDF %(action)s of storage group %(sg)s on %(array)s in '
                 'RDF group %(label)s done.', {
                     'action': action, 'sg': group, 'array': serial,
                     'label': self.label})

    @contextlib.contextmanager
    def suspended(self, serial, device, number):
        """The pair of ``device`` suspended for the block, resumed after.

        An Asynchronous group's pairs together, through its management
        group (the array suspends and resumes them as one); otherwise
        this pair alone, through the temporary group. The caller holds
        the RDF group's lock.
        """
        if self.management is not None:
            self.act_on_all(serial, number, 'Suspend', ('suspended',))
            try:
                yield
            finally:
                self.act_on_all(serial, number, 'Resume',
                                tuple(rdf_mod.SYNCED))
            return
        with self.alone(serial, [device]) as temp:
            self.act(serial, temp, number, 'Suspend', ('suspended',))
            try:
                yield
            finally:
                self.act(serial, temp, number, 'Resume',
                         tuple(rdf_mod.SYNCED))

    def alone(self, serial, devices):
        return _TempGroup(self.arrays.get(serial).groups,
                          naming.rdf_temp_sg_name(self.label), devices)

    def interrupted(self, serial, device, number) -> bool:
        """Whether an extend died with the pair suspended or grouped."""
        if self.management is None and self.arrays.get(serial).groups.find(
                naming.rdf_temp_sg_name(self.label)) is not None:
            return True
        state = self.rdf.api(serial).get_pair(number, device).get(
            'rdfpairState')
        return str(state).lower() == 'suspended'

    # -- failover -------------------------------------------------------------

    def failover(self, devices: list, back: bool) -> list:
        """SRDF failover (or failback) of the pairs of ``devices``.

        Acts on the target array alone, where the R2s are: it works while
        the primary array or the SRDF links are lost. The pairs move in
        as few actions as a storage group can hold devices for; an action
        the array refuses as too large is split in halves, and one that
        fails otherwise is tried pair by pair, so one broken pair does not
        hold the others back.

        :param devices: the devices on the target array
        :param back: fail back rather than over
        :returns: the devices whose pairs did not move
        :raises PowerMaxError: when no pair moved
        """
        failed, error = [], None
        # The pairs of an Asynchronous group move together, in one action
        # on its management group.
        size = naming.SG_MAX_DEVICES if self.management is None else \
            max(len(devices), 1)
        for start in range(0, len(devices), size):
            batch = list(devices[start:start + size])
            try:
                failed += self._failover_batch(batch, back)
            except exception.PowerMaxError as exc:
                failed, error = failed + batch, exc
        if devices and len(failed) == len(devices) and error is not None:
            raise error
        return failed

    def _failover_batch(self, devices, back):
        if self.management is not None:
            # One action for the whole group: there is no pair to try
            # alone.
            self._failover_action(devices, back)
            return []
        try:
            self._failover_action(devices, back)
            return []
        except exception.PowerMaxError as exc:
            if len(devices) == 1:
                raise
            error = exc
        if storagegroups.group_full(error):
            half = len(devices) // 2
            left = (self._failover_halves(devices[:half], back) +
                    self._failover_halves(devices[half:], back))
        else:
            LOG.warning('The SRDF action on all %(count)d pairs failed '
                        '(%(err)s); trying each pair alone.',
                        {'count': len(devices), 'err': error})
            left = devices
        failed = []
        for device in left:
            try:
                self._failover_action([device], back)
            except exception.PowerMaxError as exc:
                LOG.error('The pair of device %(dev)s on %(array)s did not '
                          'move: %(err)s', {'dev': device,
                                            'array': self.target,
                                            'err': exc})
                failed.append(device)
        if len(failed) == len(devices):
            raise error
        return failed

    def _failover_halves(self, devices, back):
        try:
            return self._failover_batch(devices, back)
        except exception.PowerMaxError:
            return list(devices)

    def _failover_action(self, devices, back):
        """One Failover (or Failback) action on ``devices``' pairs."""
        if back:
            action, done = 'Failback', rdf_mod.SYNCED
        else:
            action, done = 'Failover', frozenset((rdf_mod.FAILED_OVER,))
        with self.rdf.lock():
            number = self.rdf.number(self.target)
            if self.management is not None:
                self.act_on_all(self.target, number, action, tuple(done))
            else:
                with self.alone(self.target, devices) as temp:
                    self.act(self.target, temp, number, action,
                             tuple(done))
        LOG.info('SRDF %(action)s of %(count)d device(s) in RDF group '
                 '%(label)s done.', {'action': action,
                                     'count': len(devices),
                                     'label': self.label})


class _TempGroup:
    """A non-FAST storage group holding some devices for one action."""

    def __init__(self, groups, name, devices):
        self.groups = groups
        self.name = name
        self.devices = list(devices)

    def __enter__(self):
        try:
            self._fill()
        except Exception:
            with excutils.save_and_reraise_exception():
                self._empty(quiet=True)
        return self.name

    def _fill(self):
        members = []
        if not self.groups.ensure(storagegroups.non_fast(self.name)):
            # Left by an interrupted action: it holds these devices only.
            members = self.groups.volumes(self.name)
            extra = [d for d in members if d not in self.devices]
            if extra:
                self.groups.remove_volumes(self.name, extra)
        missing = [d for d in self.devices if d not in members]
        if missing:
            self.groups.add_volumes(self.name, missing)

    def __exit__(self, exc_type, exc, trace):
        self._empty(quiet=exc_type is not None)
        return False

    def _empty(self, quiet):
        try:
            polling.retried(self._remove)
        except exception.PowerMaxError as exc:
            if not quiet:
                raise
            LOG.warning('Could not remove temporary storage group '
                        '%(sg)s: %(err)s', {'sg': self.name, 'err': exc})

    def _remove(self):
        members = self.groups.volumes(self.name)
        if members:
            self.groups.remove_volumes(self.name, members)
        self.groups.delete_if_empty(self.name, {})
