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

"""The package's shape: module sizes, layering and where rules live.

Read from the sources, nothing is imported or run: no module grows past
what a reader takes in, no import cycle closes, and no module but
``naming.py`` tells what a name is from its text.
"""

import ast
import os

from tests import base as tests_base

PACKAGE = os.path.join(os.path.dirname(__file__), '..', '..',
                       'cinder_powermax')
MAX_LINES = 900
#: Texts of the naming conventions a name test would look for.
NAME_MARKS = ('OS-', '-SG', '-IG', '-MV', 'temp-', '-rdf-sg')


def _modules():
    """{dotted module name: path} of every module of the package."""
    found = {}
    for folder, _dirs, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, os.path.join(PACKAGE, '..'))
                module = rel[:-3].replace(os.sep, '.')
                found[module.removesuffix('.__init__')] = path
    return found


def _imports(path, modules):
    """The package's modules ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = '%s.%s' % (node.module, alias.name)
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def _cycle(graph):
    """One import cycle of ``graph``, as a list of modules, or None."""
    state = {}

    def visit(module, path):
        state[module] = 'open'
        for dep in sorted(graph[module]):
            if state.get(dep) == 'open':
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep, path + [dep])
                if found:
                    return found
        state[module] = 'done'
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


class StructureTest(tests_base.TestCase):

    def test_no_module_is_too_long(self):
        long = {name: n for name, path in _modules().items()
                if (n := len(open(path).readlines())) > MAX_LINES}
        self.assertEqual({}, long)

    def test_no_import_cycle(self):
        modules = _modules()
        graph = {name: _imports(path, modules) - {name}
                 for name, path in modules.items()}
        self.assertIsNone(_cycle(graph))

    def test_names_are_told_by_naming_only(self):
        found = []
        for name, path in _modules().items():
            if name == 'cinder_powermax.naming':
                continue
            for node in ast.walk(ast.parse(open(path).read())):
                if _tests_a_name(node):
                    found.append('%s:%d' % (name, node.lineno))
        self.assertEqual([], found)

    def test_cycle_finder_finds_one(self):
        self.assertEqual(['a', 'b', 'a'], _cycle({'a': {'b'}, 'b': {'a'}}))


def _tests_a_name(node):
    """A ``startswith``/``endswith`` call on a naming convention's text."""
    if not (isinstance(node, ast.Call) and
            isinstance(node.func, ast.Attribute) and
            node.func.attr in ('startswith', 'endswith')):
        return False
    texts = [n.value for arg in node.args for n in ast.walk(arg)
             if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    named = [n for arg in node.args for n in ast.walk(arg)
             if isinstance(n, ast.Attribute) and
             isinstance(n.value, ast.Name) and n.value.id == 'naming']
    return bool(named) or any(mark in text for text in texts
                              for mark in NAME_MARKS)
