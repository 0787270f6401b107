"""Every upstream operation in one table: provider, HTTP method, path, kind and required fields.

The table is `operations.toml` beside this module, one operation a line. The client's methods
and the sandbox's handlers both look operations up here, so a path fixed against the real API
is a one-line change. Operations marked `assumed` are our contract where the docs are silent
(`shared/upstream-api.md`, section 6.3).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

PANDAPON = "pandapon"
DAJISAAS = "dajisaas"


class Kind(StrEnum):
    READ = "read"  # safe to repeat: the transport retries it on retryable errors
    WRITE = "write"  # changes state, not money: never retried by the transport
    CREATE = "create"  # creates an order or case upstream: never retried; look up by outer ref
    PAY = "pay"  # moves money: never retried; resolve uncertain outcomes by reading the order


@dataclass(frozen=True)
class Operation:
    name: str
    provider: str
    method: str
    path: str  # may hold {placeholders} filled from the parameters of the same name
    kind: Kind = Kind.READ
    required: tuple[str, ...] = ()
    # Any one of these groups must be present, e.g. (("imageBase64", "imageUrl"),)
    one_of: tuple[tuple[str, ...], ...] = ()
    outer_ref_field: str = ""  # the field that carries our idempotency reference, if any
    multipart: bool = False  # sent as multipart/form-data (file uploads)
    form: bool = False  # sent as application/x-www-form-urlencoded
    signed_query: bool = False  # PandaPon warehouse logistics: timestamp and sign in the query
    assumed: bool = False  # path not in the docs; our contract (section 6.3)
    path_params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_params", tuple(re.findall(r"{(\w+)}", self.path)))

    @property
    def retryable(self) -> bool:
        return self.kind is Kind.READ


def _row(
    provider: str, name: str, method: str, path: str, options: dict | None = None
) -> Operation:
    """One line of operations.toml as an Operation (lists become tuples, kind a Kind)."""
    options = dict(options or {})
    if "kind" in options:
        options["kind"] = Kind(options["kind"])
    if "required" in options:
        options["required"] = tuple(options["required"])
    if "one_of" in options:
        options["one_of"] = tuple(tuple(group) for group in options["one_of"])
    return Operation(name, provider, method, path, **options)


def _load() -> tuple[Operation, ...]:
    table = tomllib.loads(Path(__file__).with_name("operations.toml").read_text(encoding="utf-8"))
    return tuple(
        _row(provider, *row) for provider in (PANDAPON, DAJISAAS) for row in table[provider]
    )


OPERATIONS: tuple[Operation, ...] = _load()

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """The operation called `name`; KeyError names it when it does not exist."""
    return BY_NAME[name]


def resolve(provider: str, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation served at `method path` for a provider, with its path parameters."""
    for op in OPERATIONS:
        if op.provider != provider or op.method != method:
            continue
        if not op.path_params:
            if op.path == path:
                return op, {}
            continue
        pattern = "^" + re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", op.path) + "$"
        match = re.match(pattern, path)
        if match:
            return op, match.groupdict()
    return None
