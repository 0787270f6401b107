"""Sandbox handlers: the Taobao and 1688 carts of each upstream user (`call.user_id`).

Cart ids: the docs type them `array[integer]` with small examples (`[382]`, `[75, 76]`), so the
sandbox issues 9-digit numbers (safe as int32 and in JavaScript) and answers them as JSON
integers; requests may send them as integers or strings.

Rules: adding a SKU already in the cart adds to that line. Quantities must fit the SKU's stock
(1001) and the SKU must be orderable (1003); a 1688 offer's minimum order quantity applies to
the sum of its SKUs in the cart (400 naming the minimum). Lines are priced and judged by
`upstream.sandbox.pricing`, the same rules a preview and a create apply.

Shapes where the docs are silent (our contract, parsed by `upstream.types.carts`):
- add answers the cart id (`data: 123456789`); edit quantity and delete answer `data: true`.
- list: `{enableList[], disableList[]}` of seller groups, as the documented 1688 list
  (`AlibabaCartV2VO`). Taobao groups are `{shopId, shopName, cartItemInfos[]}` with lines
  `{id, itemId, skuId, mpId, mpSkuId, itemTitle, itemPic, price, quantity, skuQuantity,
  properties, disableReason}`; 1688 groups are `{sellerOpenId, sellerNickName, cartItemInfos[]}`
  with lines `{id, offerMapId, offerId, specId, skuId, itemTitle, itemPic, price, quantity,
  amountOnSale, properties, disableReason}`. `price` is the unit price in fen (integer);
  `properties` a JSON string (as in the add request and the 1688 list); `disableReason` is null
  on orderable lines, else the preview's reason ("offer unavailable", "out of stock",
  "below minimum order quantity").
- Taobao preview (`/v2/taobao/cart/preview/order`, ASSUMED): `{purchaseAmount, productAmount,
  domesticPostFee, discountAmount (fen integers, all sellers), currency, shopPreviewList[{shopId,
  shopName, success, errorCode, errorMsg, purchaseAmount, productAmount, domesticPostFee,
  discountAmount, promotionList[], itemList[{cartId, itemId, skuId, mpId, mpSkuId, title,
  quantity, unitPrice, purchaseAmount, available, unavailableReason, errorCode}]}]}`.
  Unavailable lines are listed and left out of the sums.
- 1688 preview: the 1688 order preview (`orderPreviewResuslt[]`, sums fen, cargo amounts yuan),
  each cargo also naming its `cartId`.
- Taobao create: the seed's `CreateOrderV2VO` `{id, orderNo, createTime, subOrderVOS[]}` (see
  `taobao_cart_order`), one order for all shops, one sub-order per cart line. 1688 create: one
  order per seller, answered as the createCrossOrder result with every order in `orderList`.
  Both echo `clientRequestId`.
- Unknown cart ids: edit and delete answer 404; preview and create answer 400 "cart items not
  found". Ordered lines leave the cart, so repeating a create (same `clientRequestId` or not)
  finds its lines gone and is refused; the sandbox itself never deduplicates
  `clientRequestId`: a create naming lines still in the cart creates again.
"""

from upstream.sandbox.handlers.carts import alibaba, taobao  # noqa: F401
