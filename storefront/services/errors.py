"""What the storefront services refuse, in words the storefront can show (the API maps
StorefrontConflict to 409 and StorefrontInvalid to 400)."""

from __future__ import annotations


class StorefrontError(Exception):
    """A refusal with a machine `code` and a human `message`."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class StorefrontConflict(StorefrontError):
    """The order's state does not allow this now (HTTP 409)."""

    code = "conflict"


class StorefrontInvalid(StorefrontError):
    """The request names something that is not there or not allowed (HTTP 400); `fields` maps
    a field path to its messages."""

    code = "invalid"

    def __init__(
        self, message: str, fields: dict[str, list[str]] | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.fields = fields or {}
