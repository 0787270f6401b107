"""Checkout pages: a cart selection or a staff-built order -> the upstream preview -> confirm
(submitted, or waiting for an approver) -> paid in a confirmed batch; and the approvals queue.

Views call the order services only. Every step that spends money or cannot be undone shows what
will be committed first, and the POST that commits carries the total the person saw: when the
numbers moved in between, nothing is committed and the page says so.
"""
