"""The floor plan: every app imports only from the layers below it.

Layers, bottom to top: upstream -> purchasing -> carts, aftersales, logistics -> storefront,
reports -> backoffice (the site shell). An import upward or sideways between two apps of one
layer fails here, naming the file and line; a lower app that must let a higher one react
declares a signal or hook instead. Migrations are history and are not read. The simulator
(`upstream.sandbox`) stands beside the product: only the shell and `config` may name it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "upstream": 0,
    "purchasing": 1,
    "carts": 2,
    "aftersales": 2,
    "logistics": 2,
    "storefront": 3,
    "reports": 3,
    "backoffice": 4,
    "config": 5,
}
SANDBOX = "upstream.sandbox"
MAY_NAME_THE_SANDBOX = {"backoffice", "config", SANDBOX}


def app_of(module: str) -> str | None:
    """The app a dotted module name belongs to (the sandbox counts as its own)."""
    if module == SANDBOX or module.startswith(SANDBOX + "."):
        return SANDBOX
    top = module.split(".", 1)[0]
    return top if top in LAYERS else None


def layer(app: str) -> int:
    return LAYERS["upstream"] if app == SANDBOX else LAYERS[app]


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every absolute import in the file, function-level ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def product_modules() -> Iterator[tuple[Path, str]]:
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            yield path, ".".join(relative.with_suffix("").parts)


def violations() -> list[str]:
    found = []
    for path, module in product_modules():
        importer = app_of(module)
        for line, name in imports(path):
            imported = app_of(name)
            if imported is None or imported == importer:
                continue
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if imported == SANDBOX:
                if importer not in MAY_NAME_THE_SANDBOX:
                    found.append(f"{where} (only the shell and config may name the simulator)")
            elif importer == SANDBOX:
                if layer(imported) > LAYERS["upstream"]:
                    found.append(f"{where} (the simulator stands beside the product)")
            elif layer(imported) >= layer(importer):
                way = "sideways" if layer(imported) == layer(importer) else "upward"
                found.append(f"{where} ({way}: {importer} -> {imported})")
    return found


def test_no_app_imports_upward_or_sideways():
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule is not vacuous: a purchasing module importing logistics is caught, by line."""
    fake = tmp_path / "purchasing"
    fake.mkdir()
    (fake / "leak.py").write_text("import os\n\nfrom logistics.models import Parcel\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations() == [
        "purchasing/leak.py:3 imports logistics.models (upward: purchasing -> logistics)"
    ]
