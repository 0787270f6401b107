"""Taobao/Tmall after-sales through PandaPon: reverse orders of one sub-order each, with a
negotiation thread, modify and cancel, and a list of the order's refunds to look a lost create
up in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.errors import CaseError
from aftersales.routes import clients
from aftersales.routes.base import AftersalesRoute, CaseOptions, ReturnOptions
from purchasing.models import Platform
from purchasing.models.orders import Provider
from upstream.types.aftersales import GOODS_NOT_RECEIVED, GOODS_RECEIVED

if TYPE_CHECKING:
    from aftersales.models import CaseLine, RefundCase
    from purchasing.models import PurchaseOrder, PurchaseOrderLine
    from upstream.types.aftersales import Refund, RefundMessage, Voucher

TAOBAO_GOODS_STATUSES = {str(GOODS_NOT_RECEIVED), str(GOODS_RECEIVED)}


class TaobaoPandaPon(AftersalesRoute):
    platform = Platform.TAOBAO
    provider = Provider.PANDAPON
    description_limit = 500
    message_limit = 1000
    goods_statuses = (
        (str(GOODS_NOT_RECEIVED), gettext_lazy("Not received (or not shipped)")),
        (str(GOODS_RECEIVED), pgettext_lazy("goods status", "Received")),
    )

    def check_lines(self, count: int) -> None:
        if count > 1:
            raise CaseError(_("a Taobao refund covers one line: open one case per line"))

    def options(
        self,
        order: PurchaseOrder,
        chosen: list[tuple[PurchaseOrderLine, int]],
        *,
        refund_type: int,
        goods_status: str,
        left_fen: int,
    ) -> CaseOptions:
        if goods_status not in TAOBAO_GOODS_STATUSES:
            raise CaseError(
                _("goods status must be one of %(values)s")
                % {"values": sorted(TAOBAO_GOODS_STATUSES)}
            )
        render = clients.taobao().render(
            sub_order_id=chosen[0][0].upstream_sub_order_id,
            refund_type=refund_type,
            goods_status=int(goods_status),
        )
        return CaseOptions(
            reasons=render.reasons,
            max_fen=min(render.max_refund_fen, left_fen),
            min_fen=max(1, render.min_refund_fen) if not render.can_edit_fee else 1,
            can_edit_fee=render.can_edit_fee,
            fee_tips=render.fee_tips,
            refund_types=render.refund_types,
            goods_statuses=[str(value) for value in render.goods_statuses],
        )

    def upload_voucher(self, *, content: bytes, file_name: str, content_type: str) -> Voucher:
        # Taobao takes pictures by URL: they go up through PandaPon's 1688 voucher upload.
        return clients.alibaba().upload_voucher(
            content=content, file_name=file_name, content_type=content_type
        )

    def create(
        self, case: RefundCase, lines: list[CaseLine], *, pictures: list[str], description: str
    ) -> str:
        return clients.taobao().submit(
            sub_order_id=lines[0].line.upstream_sub_order_id,
            refund_type=case.refund_type,
            goods_status=int(case.goods_status),
            reason_id=case.reason_id,
            refund_fen=case.asked_fen,
            outer_refund_id=case.reference,
            description=description,
            pictures=pictures,
        )

    def find_refunds(self, case: RefundCase) -> list[Refund]:
        # Newest first: a refund made by a create of ours moments ago is on the first page
        # even when the upstream ignores the order filter.
        page = clients.taobao().list_refunds(
            order_id=case.order.upstream_order_id, outer_refund_id=case.reference, page_size=50
        )
        return page.refunds

    def read(self, refund_id: str) -> Refund:
        return clients.taobao().get(refund_id=refund_id)

    def modify(
        self,
        refund_id: str,
        *,
        refund_fen: int | None,
        description: str | None,
    ) -> None:
        clients.taobao().modify(
            refund_id=refund_id,
            refund_fen=refund_fen,
            description=description,
        )

    def withdraw(self, refund_id: str) -> None:
        clients.taobao().cancel(refund_id=refund_id)

    def messages(self, refund_id: str) -> list[RefundMessage]:
        return clients.taobao().messages(refund_id=refund_id)

    def send_message(self, refund_id: str, *, text: str, pictures: list[str]) -> None:
        clients.taobao().send_message(refund_id=refund_id, text=text, pictures=pictures)

    def return_options(self, case: RefundCase) -> ReturnOptions:
        where = clients.taobao().return_logistics(refund_id=case.upstream_refund_id)
        return ReturnOptions(address=where.address, note=where.note, companies=where.companies)

    def send_return(
        self, refund_id: str, *, company_code: str, tracking_no: str, description: str
    ) -> None:
        clients.taobao().submit_return_logistics(
            refund_id=refund_id, company_code=company_code, mail_no=tracking_no
        )
