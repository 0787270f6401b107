"""What purchasing tells the apps built on it (they depend on purchasing, not the reverse)."""

from django.dispatch import Signal

# A verified refund callback was applied to an order: `message` (the body as read,
# upstream.types.callbacks.RefundMessage) and `platform` ("taobao" or "1688"). Sent after the
# transaction that applied it commits.
refund_moved = Signal()

# An order's timeline grew: a status change or a note (`order`, `event`, the OrderEvent written).
# Sent by PurchaseOrder.transition() and .note() inside the transaction that wrote the event;
# receivers that start work defer it with transaction.on_commit.
order_moved = Signal()
