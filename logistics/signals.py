"""What logistics asks of the apps built on it (they depend on logistics, not the reverse)."""

from django.dispatch import Signal

# Which customer address should a parcel of these lines go to? Sent by the "Build a parcel"
# page when the person has not chosen one, with `lines` (list[PurchaseOrderLine], the chosen
# lines) and `create` (bool: true only when the page is posted, so a receiver may add a missing
# address-book row then, and must write nothing when it is false). A receiver returns an
# Address or None; the page preselects the first Address returned that is a customer address,
# and shows its `suggestion_note` attribute (a sentence saying why), when the receiver set one.
parcel_address_suggested = Signal()
