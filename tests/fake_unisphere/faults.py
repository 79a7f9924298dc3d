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

"""Fault injection and the latency model of the fake Unisphere."""

import dataclasses
import re
import threading
import typing

ACTIONS = ('error', 'drop', 'timeout', 'delay', 'fail_job', 'truncate',
           'html', 'stuck_job', 'fail_job_applied', 'die', 'lose_answer',
           'die_after')


@dataclasses.dataclass
class Latency:
    """Time the fake takes: per request, and per asynchronous job.

    :param request_delay: seconds slept before answering each request
    :param job_duration: seconds between a job's start and the moment
        it completes (0: it completes at the next request)
    :param job_concurrency: configuration jobs one array runs at a time;
        the others wait, queued in submission order, as the array
        serializes configuration changes (None: all run in parallel and
        start when submitted)
    """

    request_delay: float = 0.0
    job_duration: float = 0.0
    job_concurrency: typing.Optional[int] = None


@dataclasses.dataclass
class Rule:
    """One fault: which requests it matches and what it does to them."""

    method: typing.Optional[str]
    path: typing.Optional[str]
    endpoint: typing.Optional[str]
    nth: int
    count: typing.Optional[int]
    action: str
    status: int
    message: str
    delay: float
    matches: int = 0
    hits: int = 0

    def matches_request(self, method: str, path: str,
                        endpoint: typing.Optional[str]) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.endpoint and self.endpoint != endpoint:
            return False
        return not self.path or re.search(self.path, path) is not None

    def due(self) -> bool:
        """Count one matching request; True when the rule fires on it."""
        self.matches += 1
        if self.matches < self.nth:
            return False
        return self.count is None or self.matches < self.nth + self.count


class FaultInjector:
    """The rules of one fake; thread-safe."""

    def __init__(self) -> None:
        self.rules: typing.List[Rule] = []
        #: the ``die`` rule that fired: every request dies until cleared
        self.dead: typing.Optional[Rule] = None
        self._lock = threading.Lock()

    def add(self, method: typing.Optional[str] = None,
            path: typing.Optional[str] = None,
            endpoint: typing.Optional[str] = None, nth: int = 1,
            count: typing.Optional[int] = 1, action: str = 'error',
            status: int = 500, message: str = 'Injected fault',
            delay: float = 0.0) -> Rule:
        """Add a rule.

        :param method: HTTP method to match (any when None)
        :param path: regular expression searched in the request path
        :param endpoint: 'host:port' the request went to (any when None)
        :param nth: the rule fires on its nth matching request...
        :param count: ...and on that many matching requests (None: forever)
        :param action: one of ``error`` (answer ``status``), ``drop``
            (close the connection unanswered), ``timeout`` (no answer in
            time), ``delay``, ``fail_job`` (the job fails, changing
            nothing), ``fail_job_applied`` (the job makes its change, then
            reports FAILED), ``stuck_job`` (the job stays RUNNING while the
            rule is in place, and completes once it is removed),
            ``truncate`` (the request is carried out and its JSON answer
            cut in half), ``lose_answer`` (the request is carried out
            and the connection closed unanswered, as when a network or
            Unisphere fails after the array acted), ``html`` (a 200
            answer with an HTML page, as a proxy in front of Unisphere
            gives; nothing is done), or
            ``die`` (in-process only: the client's process "dies" as it
            sends the request: a BaseException no handler catches, and
            every later request dies too until the rules are cleared), or
            ``die_after`` (it dies so once the request is carried out,
            before reading the answer)
        :param status: HTTP status of ``error`` (and of a synchronous
            ``fail_job``)
        :param message: the error message
        :param delay: seconds slept by ``delay`` (and by ``timeout`` on the
            HTTPS server before it closes the connection)
        :returns: the rule; its ``hits`` counts the requests it faulted
        """
        if action not in ACTIONS:
            raise ValueError('unknown fault action %s' % action)
        if path is not None:
            re.compile(path)
        rule = Rule(method, path, endpoint, nth, count, action, status,
                    message, delay)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules = []
            self.dead = None

    def remove(self, rule: Rule) -> None:
        """Take one rule out (a stuck job of it then completes)."""
        with self._lock:
            self.rules = [r for r in self.rules if r is not rule]

    def active(self, rule: Rule) -> bool:
        """Whether ``rule`` is still in place."""
        with self._lock:
            return any(r is rule for r in self.rules)

    def match(self, method: str, path: str,
              endpoint: typing.Optional[str]) -> typing.Optional[Rule]:
        """The rule faulting this request, if any (counts the match)."""
        fired = None
        with self._lock:
            if self.dead is not None:
                # A dead process sends nothing more: its ``finally``
                # blocks do not reach the array either.
                self.dead.hits += 1
                return self.dead
            for rule in self.rules:
                if rule.matches_request(method, path, endpoint) and (
                        rule.due() and fired is None):
                    rule.hits += 1
                    fired = rule
            if fired is not None and fired.action == 'die':
                self.dead = fired
            elif fired is not None and fired.action == 'die_after':
                # This request is carried out; none after it.
                self.dead = dataclasses.replace(fired, action='die')
        return fired
