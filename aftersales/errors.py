"""What after-sales refuses, for a person: the services' and the routes' one error type."""

from __future__ import annotations


class CaseError(Exception):
    """The case cannot do this now; the message says why, for a person."""


class AftersalesRefused(CaseError):
    """The case's route cannot do this at all (see AftersalesRoute.refusals); nothing was sent
    upstream."""
