"""What may be done to a parcel now, and by whom: one pure function per question.

The `can_*` functions answer from the parcel's state alone (the services' guards ask them too);
`parcel_actions` adds the person, for the parcel page."""

from __future__ import annotations

from typing import Any

from logistics.models import Parcel, ParcelStatus

PERMISSION = "purchasing.manage_logistics"
# A parcel not handed to the warehouse, or one whose booking failed, may be given up.
CANCELLABLE = (ParcelStatus.DRAFT, ParcelStatus.FAILED)


def can_book(parcel: Parcel) -> bool:
    """Only a draft is sent to the warehouse."""
    return parcel.status == ParcelStatus.DRAFT


def can_cancel(parcel: Parcel) -> bool:
    return parcel.status in CANCELLABLE


def can_refresh(parcel: Parcel) -> bool:
    """Tracking is read once the warehouse has a booking for it."""
    return bool(parcel.booking_id)


def parcel_actions(parcel: Parcel, user: Any) -> dict[str, bool]:
    """Every question above for one parcel and person, as the parcel page shows them."""
    allowed = user.has_perm(PERMISSION)
    answers = {
        "book": can_book(parcel),
        "cancel": can_cancel(parcel),
        "refresh": can_refresh(parcel),
    }
    return {name: allowed and answer for name, answer in answers.items()}
