"""What may be done to a parcel, state by role (`logistics.rules`), and its page showing it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backoffice.roles import ROLES
from logistics import rules
from logistics.models import Parcel
from logistics.models import ParcelStatus as P


@dataclass
class Person:
    role: str

    def has_perm(self, permission: str) -> bool:
        return permission.removeprefix("purchasing.") in ROLES[self.role]


TABLE = [
    (P.DRAFT, "", {"book", "cancel"}),
    (P.FAILED, "", {"cancel"}),
    (P.BOOKING, "", set()),
    (P.CANCELLED, "", set()),
]


@pytest.mark.parametrize(("status", "booking_id", "allowed"), TABLE)
def test_what_may_be_done_to_a_parcel(status, booking_id, allowed):
    parcel = Parcel(status=status, booking_id=booking_id)

    shown = {name for name, ok in rules.parcel_actions(parcel, Person("purchaser")).items() if ok}

    assert shown == allowed
    assert not any(rules.parcel_actions(parcel, Person("finance")).values())


@pytest.mark.parametrize("status", [s for s in P.values if s not in (P.DRAFT, P.FAILED)])
def test_a_booked_parcel_is_refreshed_not_booked_or_cancelled(status):
    parcel = Parcel(status=status, booking_id="B1")

    assert rules.parcel_actions(parcel, Person("purchaser")) == {
        "book": False,
        "cancel": False,
        "refresh": True,
    }
