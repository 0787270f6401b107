"""Sandbox handlers: Taobao and 1688 orders of PandaPon and Dajisaas.

Shapes follow upstream-api.md; where the docs are silent (ASSUMED paths, list bodies) each
handler's docstring says what it answers. Orders belong to the caller (`call.user_id`, the
Dajisaas appKey) and its provider. The business rules live in `upstream.sandbox.orders`.

Units: Taobao amounts are fen, as strings where the create answer has them (`purchaseAmount`).
The 1688 TradeInfo (detail, lists) is the official one: amounts in yuan except `discount`
(fen). 1688 preview sums, create results and pay answers are fen; preview cargo amounts yuan.
"""

from upstream.sandbox.handlers.orders import alibaba, dajisaas, taobao  # noqa: F401
