"""The tree stays easy to read: no module grows past what one sitting can take in, and no test
module borrows helpers from another one.

A module past `MAX_LINES` is split into a package (product code) or into themed modules (tests).
Helpers that several test modules share live in `tests/<app>/factories.py`, or in a conftest
when they are fixtures; importing them from a `test_*` module would run that module's tests'
imports and fixtures in every importer and hide where the helper lives. Migrations are
generated history and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 420
# Not ours to read: the virtualenv, caches, and generated files.
SKIPPED = {".venv", ".git", "node_modules", "__pycache__", "migrations", "staticfiles", "media"}


def python_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def is_test_module(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "tests" and parts[-1].startswith("test_")


def imports_of_test_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of a `tests…test_*` module, function-level ones too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            named = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from tests.x import test_y` names the module in the imported names.
            named = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for module in named:
            if is_test_module(module):
                yield node.lineno, module


def test_no_module_passes_the_line_limit():
    too_long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in python_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]

    assert not too_long, f"split these modules (over {MAX_LINES} lines):\n" + "\n".join(too_long)


def test_no_module_imports_a_test_module():
    borrowed = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in python_modules()
        for line, module in imports_of_test_modules(path)
    ]

    assert not borrowed, (
        "move shared test helpers into tests/<app>/factories.py or a conftest:\n"
        + "\n".join(borrowed)
    )
