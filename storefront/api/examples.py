"""Examples in the OpenAPI schema: an order as pushed and as read back."""

from drf_spectacular.utils import OpenApiExample

ORDER_EXAMPLE = OpenApiExample(
    "A customer order",
    request_only=True,
    value={
        "external_id": "SHOP-10023",
        "currency": "USD",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+12025550143"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "phone": "2025550143",
            "country": "US",
            "province": "CA",
            "city": "Los Angeles",
            "address": "1 Main Street",
            "postcode": "90001",
        },
        "lines": [
            {
                "platform": "taobao",
                "item_id": "652870374890",
                "sku_id": "4890123456789",
                "quantity": 2,
                "unit_price_fen": 5900,
                "note": "Blue, please",
            }
        ],
        "budget_fen": 20000,
    },
)


ORDER_RESPONSE = OpenApiExample(
    "An order being bought",
    response_only=True,
    status_codes=["200", "201"],
    value={
        "id": 42,
        "external_id": "SHOP-10023",
        "status": "purchasing",
        "status_reason": "",
        "currency": "USD",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+12025550143"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "phone": "2025550143",
            "country": "US",
            "province": "CA",
            "city": "Los Angeles",
            "district": "",
            "address": "1 Main Street",
            "postcode": "90001",
            "tax_id": "",
            "email": "",
        },
        "budget_fen": 20000,
        "amounts": {"cost_fen": 0, "refunded_fen": 0},
        "lines": [
            {
                "id": 41,
                "line_no": 1,
                "platform": "taobao",
                "item_id": "652870374890",
                "sku_id": "4890123456789",
                "quantity": 2,
                "unit_price_fen": 5900,
                "note": "Blue, please",
                "status": "pending",
                "unit_cost_fen": None,
                "purchase_order": "CG20261122956F062AB8",
                "seller_tracking": None,
                "parcel": None,
                "decision": None,
            }
        ],
        "created_at": "2026-11-22T10:15:00+08:00",
        "updated_at": "2026-11-22T10:15:02+08:00",
        "links": {
            "self": "/api/v1/orders/42/",
            "cancel": "/api/v1/orders/42/cancel/",
            "decisions": "/api/v1/orders/42/decisions/",
        },
    },
)
