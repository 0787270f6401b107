"""What logistics asks of the apps built on it (they depend on logistics, not the reverse)."""

from django.dispatch import Signal

# Which customer address should a parcel of these lines go to? Sent by the "Build a parcel"
# page when the person has not chosen one, with `lines` (list[PurchaseOrderLine], the chosen
# lines) and `create` (bool: true only when the page is posted, so a receiver may add a missing
# address-book row then, and must write nothing when it is false). A receiver returns an
# Address or None; the page preselects the first Address returned that is a customer address,
# and shows its `suggestion_note` attribute (a sentence saying why), when the receiver set one.
parcel_address_suggested = Signal()

# Whose goods are these lines? Sent by the lists of lines at the warehouse with `lines`
# (list[PurchaseOrderLine]). A receiver returns {line id: who the line was bought for, in words};
# a line no receiver names was bought by staff for no customer Caigou knows.
line_customers_wanted = Signal()

# In which currency did the customers of these lines pay? Sent by the parcel pages with `lines`
# (list[PurchaseOrderLine]). A receiver returns an ISO 4217 code (e.g. "USD") or None; the pages
# show the parcel's freight also in the first currency named that has an exchange rate, and in
# the display currency (labelled so) when none is named.
line_currency_wanted = Signal()
