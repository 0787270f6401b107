"""The sandbox catalogue generator: believable Taobao items and 1688 offers, deterministically.

`seed_catalogue(products=N, seed=S)` makes product number i (0-based) from `Random(S, i)` alone,
so the same arguments always give the same catalogue, a smaller N is a prefix of a larger one,
and running it again creates only what is missing. Even numbers are Taobao items, odd numbers
1688 offers; consecutive products of a platform share a shop (eight each), which mostly sells
one category, like a real shop does.

Taobao: 12-digit itemId (6/7...), 19-digit mpId, SKUs with 13-digit skuId and 19-digit mpSkuId,
per-SKU prices in fen. 1688: 12-digit offerId (5...), sellerOpenId "BBB...", SKUs with a 32-hex
specId and a 13-digit skuId, a minimum order quantity and (mostly) quantity price tiers; an offer
with tiers prices every SKU at the first tier. The first products of each platform are always
orderable, so that tests and demos can pick them; later ones are sometimes delisted, and some
SKUs are out of stock or unavailable.
"""

from upstream.sandbox.catalogue.generator import seed_catalogue
from upstream.sandbox.catalogue.tables import CATEGORIES, CATEGORY_BY_ID, PARENTS, CategoryDef

__all__ = ["CATEGORIES", "CATEGORY_BY_ID", "PARENTS", "CategoryDef", "seed_catalogue"]
