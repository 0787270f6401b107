"""1688 after-sales through PandaPon: refunds and returns of several lines of one order, with no
message thread, no modify or cancel in the API, and no refund list to look a lost create up in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from aftersales.errors import CaseError
from aftersales.routes import clients
from aftersales.routes.base import AftersalesRoute, CaseOptions, Operation, ReturnOptions
from purchasing.models import Platform
from purchasing.models.orders import Provider
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_RECEIVED_IN_SALE,
    RETURN_AND_REFUND,
)

if TYPE_CHECKING:
    from aftersales.models import CaseLine, RefundCase
    from purchasing.models import PurchaseOrder, PurchaseOrderLine
    from upstream.types.aftersales import Refund, Voucher

# 1688's goods statuses (goodsStatus), as the form offers them.
ALIBABA_GOODS_STATUSES = (
    (ALIBABA_GOODS_NOT_SHIPPED, gettext_lazy("Not shipped yet")),
    (ALIBABA_GOODS_IN_TRANSIT, gettext_lazy("Shipped, not received")),
    (ALIBABA_GOODS_RECEIVED_IN_SALE, gettext_lazy("Received (trade not completed)")),
    (ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE, gettext_lazy("Not received (after the trade)")),
    (ALIBABA_GOODS_RECEIVED_AFTER_SALE, gettext_lazy("Received (after the trade)")),
)
DESCRIPTION_MIN = 2


class AlibabaPandaPon(AftersalesRoute):
    platform = Platform.ALIBABA
    provider = Provider.PANDAPON
    refusals = {
        # 1688 has no refund list: a create whose outcome is unknown is never repeated, a
        # person checks the order's refunds instead (no second claim on the same money).
        Operation.LOOKUP: gettext_noop(
            "the 1688 create may have happened and 1688 cannot be searched by our "
            "reference: check the order's refunds upstream before submitting again"
        ),
        Operation.MODIFY: gettext_noop(
            "1688 refunds cannot be modified through the API: cancel in 1688"
        ),
        Operation.WITHDRAW: gettext_noop(
            "1688 refunds are cancelled in 1688 itself; refresh the case afterwards"
        ),
        Operation.MESSAGES: gettext_noop(
            "1688 refunds have no message thread: contact the seller by IM"
        ),
    }
    description_limit = 150
    # 1688 takes no messages: a return's description is where the seller reads text (the
    # upstream keeps 200 characters).
    return_description_limit = 200
    goods_statuses = ALIBABA_GOODS_STATUSES

    def check_description(self, description: str) -> None:
        if not DESCRIPTION_MIN <= len(description.strip()) <= self.description_limit:
            raise CaseError(_("a 1688 refund needs a description of 2 to 150 characters"))

    def options(
        self,
        order: PurchaseOrder,
        chosen: list[tuple[PurchaseOrderLine, int]],
        *,
        refund_type: int,
        goods_status: str,
        left_fen: int,
    ) -> CaseOptions:
        if refund_type == RETURN_AND_REFUND and goods_status not in ALIBABA_GOODS_RECEIVED:
            raise CaseError(_("a return needs goods status 'received'"))
        reasons = clients.alibaba().reasons(
            order_id=chosen[0][0].upstream_order_id or order.upstream_order_id,
            goods_status=goods_status,
            order_entry_ids=[line.upstream_sub_order_id for line, _count in chosen],
        )
        # 1688 names no maximum of its own: what our books leave is the maximum.
        return CaseOptions(reasons=reasons, max_fen=left_fen, goods_statuses=[goods_status])

    def upload_voucher(self, *, content: bytes, file_name: str, content_type: str) -> Voucher:
        return clients.alibaba().upload_voucher(
            content=content, file_name=file_name, content_type=content_type
        )

    def create(
        self, case: RefundCase, lines: list[CaseLine], *, pictures: list[str], description: str
    ) -> str:
        first = lines[0].line
        return clients.alibaba().create(
            order_id=first.upstream_order_id or case.order.upstream_order_id,
            refund_type=case.refund_type,
            goods_status=case.goods_status,
            reason_id=case.reason_id,
            apply_fen=case.asked_fen,
            description=description,
            outer_refund_id=case.reference,
            order_entry_ids=[cl.line.upstream_sub_order_id for cl in lines],
            entry_counts={cl.line.upstream_sub_order_id: cl.quantity for cl in lines},
            vouchers=pictures,
        )

    def read(self, refund_id: str) -> Refund:
        return clients.alibaba().get(refund_id=refund_id)

    def return_options(self, case: RefundCase) -> ReturnOptions:
        # The seller's return address came with the refund itself (applied by sync.py).
        return ReturnOptions(
            address=case.return_address, companies=clients.alibaba().logistics_companies()
        )

    def send_return(
        self, refund_id: str, *, company_code: str, tracking_no: str, description: str
    ) -> None:
        clients.alibaba().return_goods(
            refund_id=refund_id,
            company_no=company_code,
            freight_bill=tracking_no,
            description=description,
        )
