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


"""The legacy XML backend file, re-read when an operator edits it.

Seed 000 promises that a change to the Pike-era XML file takes effect
without a restart. :func:`watch` wraps a backend's settings so that the
values an operator changes there while cinder-volume runs (port groups,
service level, workload) are read again from the file when its
modification time or size changes. A new file is checked before it is
used: read as at setup (well-formed, required values present) and then by
an optional validator (the array has the port groups and service level);
when it fails, the last good settings stay in force and an error names the
problem. Every other setting (Unisphere address, credentials, array) still
needs a restart, as cinder.conf does.

Without an XML file the settings are returned as they are: nothing is
watched and nothing costs.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Callable, Optional

from oslo_log import log as logging

from cinder_powermax import exception
from cinder_powermax import options

LOG = logging.getLogger(__name__)

#: What an edit of the XML file changes while cinder-volume runs.
RELOADED = ('port_groups', 'service_level', 'workload')


def watch(configuration, settings, validate: Optional[Callable] = None):
    """The backend's settings, live when they come from an XML file.

    :param configuration: the backend's Cinder ``Configuration``
    :param settings: the :class:`cinder_powermax.options.BackendSettings`
        read at setup
    :param validate: ``validate(settings)`` raising ``ConfigError`` for
        values the array cannot honour
    :returns: ``settings`` itself, or a :class:`LiveSettings` over it
    """
    if settings.source == 'cinder.conf':
        return settings
    return LiveSettings(Watcher(configuration, settings, validate))


class Watcher:
    """Re-reads the XML file of one backend when it has changed.

    :param configuration: the backend's Cinder ``Configuration``
    :param settings: the settings read at setup (the first good ones)
    :param validate: an optional check of new settings
    """

    def __init__(self, configuration, settings, validate=None):
        self.configuration = configuration
        self.path = settings.source
        self.validate = validate
        self._good = settings
        self._lock = threading.Lock()
        self._seen = self._stamp()

    def _stamp(self):
        try:
            found = os.stat(self.path)
        except OSError as exc:
            return ('unreadable', exc.errno)
        return (found.st_mtime_ns, found.st_size)

    @property
    def last_good(self):
        """The settings in force, without looking at the file."""
        return self._good

    def settings(self):
        """The last good settings, after re-reading a changed file."""
        stamp = self._stamp()
        with self._lock:
            if stamp != self._seen:
                self._seen = stamp
                self._reload()
            return self._good

    def _reload(self):
        try:
            fresh = options.get_backend_settings(self.configuration)
            candidate = dataclasses.replace(self._good, **{
                key: getattr(fresh, key) for key in RELOADED})
            if self.validate is not None:
                self.validate(candidate)
        except exception.ConfigError as exc:
            LOG.error('The edited XML file %(path)s is not used: %(err)s '
                      'The last good settings stay in force (port groups '
                      '%(pgs)s, service level %(sl)s, workload %(wl)s).',
                      {'path': self.path, 'err': exc,
                       'pgs': self._good.port_groups,
                       'sl': self._good.service_level,
                       'wl': self._good.workload})
            return
        changed = {key: getattr(candidate, key) for key in RELOADED
                   if getattr(candidate, key) != getattr(self._good, key)}
        self._good = candidate
        if changed:
            LOG.info('Read the edited XML file %(path)s: now %(changed)s.',
                     {'path': self.path, 'changed': changed})


class LiveSettings:
    """Backend settings whose XML-borne values follow the file.

    Reads of :data:`RELOADED` fields go through the :class:`Watcher`;
    every other field is the value read at setup.
    """

    def __init__(self, watcher: Watcher):
        self._watcher = watcher

    @property
    def watcher(self) -> Watcher:
        return self._watcher

    def __getattr__(self, name):
        if name in RELOADED:
            return getattr(self._watcher.settings(), name)
        return getattr(self._watcher.last_good, name)

    def __repr__(self) -> str:
        return 'Live%r' % (self._watcher.settings(),)
