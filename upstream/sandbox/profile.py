"""Which upstream the sandbox plays: the one place that reads SANDBOX_PROFILE.

- `rich` (the default) keeps our contract of upstream-api.md section 6: it requires, stores,
  filters by and echoes our references, and answers with the fields our client reads.
- `documented` keeps only what the upstream's pages promise (7.1): undocumented request fields
  are ignored, answers carry only documented fields (`documented.py` holds the table), list
  filters the pages do not name do nothing, and the account also holds orders placed by
  someone else (`orders/foreign.py`).

Under `rich` the control API switches the same behaviours on for a while, as faults
(`control.py`): `ignore_references` (what a matching call sends as a reference is ignored) and
`foreign_orders` (each matching create gets a similar order placed by someone else).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

RICH = "rich"
DOCUMENTED = "documented"
PROFILES = (RICH, DOCUMENTED)


def current() -> str:
    """The configured profile; a value that is neither stops the sandbox with the reason."""
    profile = str(getattr(settings, "SANDBOX_PROFILE", RICH) or RICH).strip().lower()
    if profile not in PROFILES:
        raise ImproperlyConfigured(
            f"SANDBOX_PROFILE must be {' or '.join(PROFILES)}, not {profile!r}"
        )
    return profile


def documented() -> bool:
    """True when the sandbox answers only as the upstream's pages document."""
    return current() == DOCUMENTED


def references_ignored(call) -> bool:
    """Whether this call's references (and undocumented filters) are ignored: always under
    `documented`, and under `rich` while an `ignore_references` fault matches and fires."""
    from upstream.sandbox import control
    from upstream.sandbox.models.control import Fault

    if documented():
        return True
    faults = control.matching_faults([Fault.Mode.IGNORE_REFERENCES], control.call_names(call))
    return any(control.fire(fault) for fault in faults)


def foreign_orders_due(call) -> bool:
    """Whether a create should be shadowed by an order placed by someone else: always under
    `documented`, and under `rich` while a `foreign_orders` fault matches and fires."""
    from upstream.sandbox import control
    from upstream.sandbox.models.control import Fault

    if documented():
        return True
    faults = control.matching_faults([Fault.Mode.FOREIGN_ORDERS], control.call_names(call))
    return any(control.fire(fault) for fault in faults)
