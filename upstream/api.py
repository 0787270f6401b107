"""Base of the domain classes: one short method per operation, typed results out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upstream.client import Reply, Transport


class Api:
    """A group of operations of one domain (e.g. Taobao goods), sharing one transport."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def _call(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        outer_ref: str = "",
        files: Mapping[str, Any] | None = None,
    ) -> Reply:
        return self.transport.call(name, params, outer_ref=outer_ref, files=files)
