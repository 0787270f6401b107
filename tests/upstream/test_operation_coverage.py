"""Every upstream operation has a client method and a live sandbox test: adding an operation
without both fails here."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from upstream.api import Api
from upstream.dajisaas import Dajisaas
from upstream.operations import OPERATIONS
from upstream.pandapon import PandaPon
from upstream.sandbox.router import HANDLERS

HERE = Path(__file__).parent


def covered_by_live_tests() -> set[str]:
    """Operation names in `pytest.mark.covers(...)` markers of the tests under tests/upstream/."""
    names: set[str] = set()
    for path in HERE.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "covers"
            ):
                names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant))
    return names


def operations_called_by_client() -> set[str]:
    """Operation names passed to `self._call(...)` in the domain classes of both clients."""
    names: set[str] = set()
    # Importing the two facades imported every domain class, so Api knows all its subclasses.
    assert PandaPon and Dajisaas
    modules = {inspect.getmodule(cls) for cls in Api.__subclasses__()}
    for module in modules:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "_call"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


ALL = {op.name for op in OPERATIONS}


def test_every_operation_has_a_sandbox_handler():
    assert sorted(ALL - set(HANDLERS)) == []


def test_every_operation_has_a_client_method():
    assert sorted(ALL - operations_called_by_client()) == []


def test_every_operation_is_called_by_a_live_test():
    assert sorted(ALL - covered_by_live_tests()) == []


def test_markers_name_real_operations():
    assert sorted(covered_by_live_tests() - ALL) == []
