"""Production static files: `collectstatic` under production settings writes the manifest that
every page needs (a vendored file naming a missing file stops it, and then every page is a 500)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.config.factories import PRODUCTION_ENV, run_manage


def test_collectstatic_under_production_settings_writes_the_manifest(tmp_path: Path) -> None:
    result = run_manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    for name in ("vendor/chart-4.6.1.umd.min.js", "vendor/htmx-2.0.11.min.js", "css/caigou.css"):
        hashed = manifest["paths"][name]
        assert (tmp_path / hashed).is_file()
