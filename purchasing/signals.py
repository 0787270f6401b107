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

# An order was read upstream and brought up to date (`order`, as the refresh left it). Sent by
# order_refresh after its transaction, outside any lock: a receiver may call the upstream (a
# Taobao order's arrival at the warehouse is read from its parcels' traces, not its status).
order_refreshed = Signal()
