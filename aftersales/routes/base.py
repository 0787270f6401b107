"""What every after-sales route offers: the upstream operations of a refund case, the same for
each route, and what a route cannot do, as data that services, rules, views and templates ask.

An after-sales route is the after-sales side of one order route (purchasing.routes): Taobao
through PandaPon, 1688 through PandaPon, 1688 through Dajisaas. Only these classes know which
upstream call serves which operation, how its request is filled, and the platform's limits and
vocabularies; the rest of the app asks `for_order(order)` or `for_case(case)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise

from aftersales.errors import AftersalesRefused
from purchasing.phrases import gettext as _
from upstream.types.aftersales import (
    REFUND_ONLY,
    RETURN_AND_REFUND,
    LogisticsCompany,
    Refund,
    RefundMessage,
    RefundReason,
    Voucher,
)

if TYPE_CHECKING:
    from aftersales.models import CaseLine, RefundCase
    from aftersales.services.limits import Room
    from purchasing.models import PurchaseOrder, PurchaseOrderLine


class Operation(StrEnum):
    """An after-sales operation a route may be unable to do; each route names the ones it
    cannot, with the sentence that says so."""

    OPEN = "open"  # ask what a case on these lines may be (reasons, maximum)
    EVIDENCE = "evidence"  # upload evidence pictures (vouchers)
    CREATE = "create"  # create the refund upstream under our reference
    LOOKUP = "lookup"  # list the order's refunds (after a lost create)
    READ = "read"  # read a refund by its upstream id
    MODIFY = "modify"  # change a live claim upstream
    WITHDRAW = "withdraw"  # cancel a live claim upstream
    MESSAGES = "messages"  # a negotiation thread: read it, post to it
    RETURN = "return"  # where an agreed return goes, and its tracking number sent


@dataclass
class CaseOptions:
    """What the upstream allows for these lines, kind and goods status."""

    reasons: list[RefundReason]
    max_fen: int
    min_fen: int = 1
    can_edit_fee: bool = True
    fee_tips: str = ""
    refund_types: list[int] = field(default_factory=lambda: [REFUND_ONLY, RETURN_AND_REFUND])
    goods_statuses: list[str] = field(default_factory=list)
    # What our books leave for these lines (max_fen is never above it).
    room: Room | None = None


@dataclass
class ReturnOptions:
    """Where an agreed return goes, and the couriers that may carry it."""

    address: dict
    note: str = ""
    companies: list[LogisticsCompany] = field(default_factory=list)


class AftersalesRoute:
    """The after-sales side of one order route. Every operation here refuses, with the route's
    sentence, before anything is sent; a subclass answers the operations it can, and names the
    others in `refusals`."""

    platform: ClassVar[str]
    provider: ClassVar[str]
    # The operations this route cannot do, each with the sentence a person reads: a msgid
    # (marked with gettext_noop), said as a phrase because a refusal may go on a case's timeline
    # (which keeps its words, purchasing/phrases.py), or a lazy sentence made elsewhere.
    refusals: ClassVar[Mapping[Operation, str | Promise]] = {}
    # The most text a claim's description takes (the evidence summary must fit in it too).
    description_limit: ClassVar[int] = 0
    # The most text that goes with a return's tracking number; 0: a return carries no text.
    return_description_limit: ClassVar[int] = 0
    # The most text a message takes.
    message_limit: ClassVar[int] = 0
    # The goods statuses offered on the form, in the platform's vocabulary: (value, label).
    goods_statuses: ClassVar[Sequence[tuple[str, Promise]]] = ()

    def can(self, operation: Operation) -> bool:
        return operation not in self.refusals

    def refusal(self, operation: Operation) -> str:
        """The sentence saying this route cannot do `operation` ("" when it can)."""
        refusal = self.refusals.get(operation, "")
        return _(refusal) if isinstance(refusal, str) and refusal else str(refusal)

    def check(self, operation: Operation) -> None:
        """Refuse `operation` with the route's sentence when the route cannot do it."""
        if not self.can(operation):
            raise AftersalesRefused(self.refusal(operation))

    # -- checks before a case is stored ----------------------------------------------------------
    def check_lines(self, count: int) -> None:
        """Refuse a case on `count` lines when the platform takes fewer in one claim."""

    def check_description(self, description: str) -> None:
        """Refuse a description the platform would not take."""

    # -- opening and creating ----------------------------------------------------------------------
    def options(
        self,
        order: PurchaseOrder,
        chosen: list[tuple[PurchaseOrderLine, int]],
        *,
        refund_type: int,
        goods_status: str,
        left_fen: int,
    ) -> CaseOptions:
        """What the upstream allows for a case on `chosen` (line, count), never above
        `left_fen` (what our books leave)."""
        raise self._refused(Operation.OPEN)

    def upload_voucher(self, *, content: bytes, file_name: str, content_type: str) -> Voucher:
        """Upload one evidence file; its URL goes with the claim or a message."""
        raise self._refused(Operation.EVIDENCE)

    def create(
        self, case: RefundCase, lines: list[CaseLine], *, pictures: list[str], description: str
    ) -> str:
        """The one create call, under `case.reference`; returns the upstream refund id."""
        raise self._refused(Operation.CREATE)

    def find_refunds(self, case: RefundCase) -> list[Refund]:
        """The refunds the upstream lists for the case's order, to be judged by evidence
        (services/lookup.py): the list may ignore its filter, and no refund need carry our
        reference."""
        raise self._refused(Operation.LOOKUP)

    # -- a live claim ------------------------------------------------------------------------------
    def read(self, refund_id: str) -> Refund:
        raise self._refused(Operation.READ)

    def modify(
        self,
        refund_id: str,
        *,
        refund_fen: int | None,
        description: str | None,
    ) -> None:
        """Change what the claim asks; None leaves a field as it is."""
        raise self._refused(Operation.MODIFY)

    def withdraw(self, refund_id: str) -> None:
        raise self._refused(Operation.WITHDRAW)

    def messages(self, refund_id: str) -> list[RefundMessage]:
        """The negotiation thread, oldest first."""
        raise self._refused(Operation.MESSAGES)

    def send_message(self, refund_id: str, *, text: str, pictures: list[str]) -> None:
        """Post a message, with pictures by their uploaded URLs."""
        raise self._refused(Operation.MESSAGES)

    def return_options(self, case: RefundCase) -> ReturnOptions:
        raise self._refused(Operation.RETURN)

    def send_return(
        self, refund_id: str, *, company_code: str, tracking_no: str, description: str
    ) -> None:
        """Tell the seller how the goods travel back; `description` is "" unless the route
        takes text with a return (return_description_limit)."""
        raise self._refused(Operation.RETURN)

    def _refused(self, operation: Operation) -> AftersalesRefused:
        return AftersalesRefused(self.refusal(operation))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} after-sales: {self.platform} via {self.provider}>"
