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

"""The driver operations both protocol drivers share.

Each method hands over to :class:`common.PowerMaxCommon` in a line; the
protocol classes in ``fc.py`` and ``iscsi.py`` add only what differs
between Fibre Channel and iSCSI.
"""

from cinder_powermax import common
from cinder_powermax import options
from cinder_powermax import version

DRIVER_VERSION = version.VERSION


class PowerMaxDriverMixin:
    """Cinder volume driver operations for PowerMax and VMAX arrays.

    Mixed in before Cinder's protocol base class.
    """

    VERSION = DRIVER_VERSION
    CI_WIKI_NAME = 'cinder_powermax_CI'
    SUPPORTS_ACTIVE_ACTIVE = True
    PROTOCOL = None
    STORAGE_PROTOCOL = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(options.powermax_opts)
        self.common = common.PowerMaxCommon(
            self.PROTOCOL, self.VERSION, self.configuration,
            active_backend_id=kwargs.get('active_backend_id'))

    @staticmethod
    def get_driver_options():
        return options.get_driver_options()

    def do_setup(self, context):
        self.common.do_setup()

    def check_for_setup_error(self):
        self.common.check_for_setup_error()

    def _update_volume_stats(self):
        name = self.configuration.safe_get('volume_backend_name')
        self._stats = self.common.update_volume_stats(
            name or self.__class__.__name__, self.STORAGE_PROTOCOL)

    def create_volume(self, volume):
        return self.common.create_volume(volume)

    def delete_volume(self, volume):
        self.common.delete_volume(volume)

    def extend_volume(self, volume, new_size):
        self.common.extend_volume(volume, new_size)

    def create_snapshot(self, snapshot):
        return self.common.create_snapshot(snapshot)

    def delete_snapshot(self, snapshot):
        self.common.delete_snapshot(snapshot)

    def create_volume_from_snapshot(self, volume, snapshot):
        return self.common.create_volume_from_snapshot(volume, snapshot)

    def create_cloned_volume(self, volume, src_vref):
        return self.common.create_cloned_volume(volume, src_vref)

    def revert_to_snapshot(self, context, volume, snapshot):
        self.common.revert_to_snapshot(volume, snapshot)

    def retype(self, context, volume, new_type, diff, host):
        return self.common.retype(context, volume, new_type, diff, host)

    def migrate_volume(self, context, volume, host):
        return self.common.migrate_volume(volume, host)

    def update_migrated_volume(self, ctxt, volume, new_volume,
                               original_volume_status):
        return self.common.update_migrated_volume(volume, new_volume)

    def manage_existing(self, volume, existing_ref):
        return self.common.manage_existing(volume, existing_ref)

    def manage_existing_get_size(self, volume, existing_ref):
        return self.common.manage_existing_get_size(volume, existing_ref)

    def unmanage(self, volume):
        self.common.unmanage(volume)

    def manage_existing_snapshot(self, snapshot, existing_ref):
        return self.common.manage_existing_snapshot(snapshot, existing_ref)

    def manage_existing_snapshot_get_size(self, snapshot, existing_ref):
        return self.common.manage_existing_snapshot_get_size(snapshot,
                                                             existing_ref)

    def unmanage_snapshot(self, snapshot):
        self.common.unmanage_snapshot(snapshot)

    def get_manageable_volumes(self, cinder_volumes, marker, limit, offset,
                               sort_keys, sort_dirs):
        return self.common.get_manageable_volumes(
            cinder_volumes, marker, limit, offset, sort_keys, sort_dirs)

    def get_manageable_snapshots(self, cinder_snapshots, marker, limit,
                                 offset, sort_keys, sort_dirs):
        return self.common.get_manageable_snapshots(
            cinder_snapshots, marker, limit, offset, sort_keys, sort_dirs)

    def failover_host(self, context, volumes, secondary_id=None,
                      groups=None):
        return self.common.failover_host(volumes, secondary_id, groups)

    def failover(self, context, volumes, secondary_id=None, groups=None):
        return self.common.failover(volumes, secondary_id, groups)

    def failover_completed(self, context, active_backend_id=None):
        self.common.failover_completed(active_backend_id)

    def create_group(self, context, group):
        return self.common.create_group(group)

    def delete_group(self, context, group, volumes):
        return self.common.delete_group(group, volumes)

    def update_group(self, context, group, add_volumes=None,
                     remove_volumes=None):
        return self.common.update_group(group, add_volumes, remove_volumes)

    def enable_replication(self, context, group, volumes):
        return self.common.enable_replication(group, volumes)

    def disable_replication(self, context, group, volumes):
        return self.common.disable_replication(group, volumes)

    def failover_replication(self, context, group, volumes,
                             secondary_backend_id=None):
        return self.common.failover_replication(group, volumes,
                                                secondary_backend_id)

    def create_group_snapshot(self, context, group_snapshot, snapshots):
        return self.common.create_group_snapshot(group_snapshot, snapshots)

    def delete_group_snapshot(self, context, group_snapshot, snapshots):
        return self.common.delete_group_snapshot(group_snapshot, snapshots)

    def create_group_from_src(self, context, group, volumes,
                              group_snapshot=None, snapshots=None,
                              source_group=None, source_vols=None):
        return self.common.create_group_from_src(
            group, volumes, group_snapshot, snapshots, source_group,
            source_vols)

    def create_export(self, context, volume, connector):
        """Masking happens at attach time; there is nothing to export."""

    def ensure_export(self, context, volume):
        """Masking happens at attach time; there is nothing to export."""

    def remove_export(self, context, volume):
        """Unmasking happens at detach time; there is nothing to remove."""
