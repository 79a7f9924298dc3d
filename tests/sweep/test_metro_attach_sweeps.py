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

"""SRDF/Metro attach and detach, each call faulted, and the process dying.

A Metro attach masks the R1 on the primary and the R2 on the target; the
fake's leak check covers both arrays, so a view, group or initiator
group left on either is debris.
"""

from cinder_powermax import iscsi
from tests.sweep import base
from tests.sweep import operations

METRO_DEVICE = dict(operations.REP_DEVICE, rdf_group_label='23_24_009',
                    mode='Metro', allow_delete_metro='True')


class MetroBackendMixin:
    """A backend whose one replication device is SRDF/Metro."""

    def settings(self):
        values = super().settings()
        port_group = ('OS-iscsi-PG' if self.driver_class is
                      iscsi.PowerMaxISCSIDriver else 'OS-fibre-PG')
        values['replication_device'] = [
            dict(METRO_DEVICE, remote_port_group=port_group)]
        return values

    def debris(self, baseline, removes=False):
        """The base's debris; the target's attached R2 counts as well.

        A detach that failed between the arrays leaves the R2 in the
        target's view: the default group it left empty there is the
        driver's to keep or not, as on the primary.
        """
        found = super().debris(baseline, removes)
        if self.rem.masking_views:
            found = [p for p in found
                     if not base.EMPTY_DEFAULT_SG.search(p)]
        return found

    def remote_views(self, volume, host):
        r2 = operations.naming_location(volume.replication_driver_data)
        return [v for v in self.rem.views_of_device(r2)
                if v.startswith('OS-%s-' % host)]

    def op_metro_attach(self, host=operations.HOST_A):
        """Attach a new Metro volume: its R1 and its R2 to ``host``."""
        vtype = self.rep_type()

        def run(volume):
            return self.driver.initialize_connection(volume,
                                                     self.connector(host))

        def verify(volume, info, where=''):
            self.assertAttached(volume, host, info, where)
            views = self.remote_views(volume, host)
            self.assertEqual(1, len(views), where)
            r2 = operations.naming_location(volume.replication_driver_data)
            lun = self.rem.masking_views[views[0]].luns[r2]
            self.assertIn(lun, info['data']['target_luns'], where)

        def undo(volume, info):
            self.driver.terminate_connection(volume, self.connector(host))
            self.driver.delete_volume(volume)
        return base.Operation(lambda: self.create(vtype=vtype), run, verify,
                              undo)

    def op_metro_detach(self, host=operations.HOST_A):
        """Detach a Metro volume, the host's last, from both arrays."""
        vtype = self.rep_type()

        def make():
            volume = self.create(vtype=vtype)
            self.driver.initialize_connection(volume, self.connector(host))
            return volume

        def run(volume):
            return self.driver.terminate_connection(volume,
                                                    self.connector(host))

        def verify(volume, result, where=''):
            self.assertDetached(volume, host, where)
            self.assertEqual([], self.remote_views(volume, host), where)
        return base.Operation(
            make, run, verify,
            lambda volume, result: self.driver.delete_volume(volume),
            removes=True)


class FCMetroAttachFaultSweepTest(MetroBackendMixin,
                                  operations.OperationsMixin,
                                  base.SweepTestCase):

    def test_attach(self):
        self.exercise(self.op_metro_attach())

    def test_detach(self):
        self.exercise(self.op_metro_detach())


class FCMetroAttachInterruptionTest(base.Interrupted,
                                    FCMetroAttachFaultSweepTest):
    """The process dies at each call; a new driver recovers."""


class ISCSIMetroAttachFaultSweepTest(FCMetroAttachFaultSweepTest):

    driver_class = iscsi.PowerMaxISCSIDriver


class ISCSIMetroAttachInterruptionTest(FCMetroAttachInterruptionTest):

    driver_class = iscsi.PowerMaxISCSIDriver
