"""The evidence pack: what we already know about the order, attached to the case in one click.

The preview the order was approved on, the domestic logistics trace (`order_logistics`) and the
seller chat link (`order_im_link`). The upstream reads happen outside any row lock; the pack is
written under the case's lock, one per case, so a second click (or two at once) refreshes the
same pack and writes a timeline entry only when something changed.

The seller gets a short text summary once, where the upstream takes text for the case: in the
claim's description when the case is still to be sent, else with the next Taobao message, else
with a 1688 return's description. 1688 refunds have no message API, so there it may stay here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from aftersales.models import FINAL, EvidencePack, RefundCase
from aftersales.rules import can_attach_pack
from aftersales.services.common import CaseError, locked, logger, now, require
from purchasing.models import OrderPreview, PurchaseOrder
from purchasing.money import format_cny
from purchasing.phrases import gettext as _
from purchasing.phrases import listed, ngettext, words_of
from purchasing.routes import Capability, route_for
from purchasing.selectors.orders import seller_names
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.lifecycle import order_im_link, order_logistics
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError
from upstream.types.orders.traces import LogisticsTrace

SUMMARY_LIMIT = 150
TRACE_EVENTS_KEPT = 20
# What decides whether a second attach changed anything (not who or when).
CONTENT = ("preview", "traces", "im_link", "problems", "summary")


def _preview(order: PurchaseOrder) -> dict[str, Any]:
    accepted = (
        OrderPreview.objects.filter(order=order, accepted_at__isnull=False)
        .select_related("accepted_by")
        .order_by("-pk")
        .first()
    )
    if accepted is None:
        return {}
    names = seller_names(order)
    return {
        "id": accepted.pk,
        "accepted_at": timezone.localtime(accepted.accepted_at).strftime("%Y-%m-%d %H:%M"),
        "accepted_by": accepted.accepted_by.get_username() if accepted.accepted_by else "policy",
        "goods_fen": accepted.goods_fen,
        "freight_fen": accepted.freight_fen,
        "discount_fen": accepted.discount_fen,
        "total_fen": accepted.total_fen,
        "sellers": [
            {
                "seller_id": str(seller.get("seller_id") or ""),
                "seller_name": names.get(str(seller.get("seller_id") or ""), ""),
                "lines": len(seller.get("lines") or []),
                "goods_fen": seller.get("goods_fen") or 0,
                "freight_fen": seller.get("freight_fen") or 0,
                "total_fen": seller.get("total_fen") or 0,
            }
            for seller in accepted.sellers or []
        ],
    }


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _trace(trace: LogisticsTrace) -> dict[str, Any]:
    events = [
        {"time": _when(event.time), "description": event.description, "city": event.city}
        for event in trace.events
    ]
    return {
        "order_id": trace.order_id,
        "carrier": trace.carrier or trace.carrier_code,
        "tracking_no": trace.tracking_no,
        # The latest events tell the story; a long trace is cut from its start.
        "events": events[-TRACE_EVENTS_KEPT:],
    }


def summary_text(preview: dict[str, Any], traces: list[dict[str, Any]]) -> str:
    """The seller's short version, in the sellers' language (CAIGOU_SELLER_LANGUAGE), whoever
    attaches it: the approved price and where each parcel is."""
    with translation.override(settings.CAIGOU_SELLER_LANGUAGE):
        parts = []
        if preview:
            parts.append(
                translation.gettext(
                    "Order approved at %(total)s (goods %(goods)s, freight %(freight)s)."
                )
                % {
                    "total": format_cny(preview["total_fen"]),
                    "goods": format_cny(preview["goods_fen"]),
                    "freight": format_cny(preview["freight_fen"]),
                }
            )
        for trace in traces:
            parcel = f"{trace['carrier']} {trace['tracking_no']}".strip()
            latest = trace["events"][-1] if trace["events"] else None
            if latest:
                where = f"{latest['description']} {latest['time']}".strip()
                text = translation.gettext("Parcel %(parcel)s: %(where)s.")
                parts.append(text % {"parcel": parcel, "where": where})
            else:
                parts.append(translation.gettext("Parcel %(parcel)s.") % {"parcel": parcel})
        if not traces:
            parts.append(translation.gettext("No parcel shipped by the seller."))
    text = " ".join(parts)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "…"


def _gather(case: RefundCase) -> dict[str, Any]:
    """Read what we know (upstream reads included); a read that fails becomes a problem."""
    order = case.order
    # Kept as words (purchasing/phrases.py): the case page says them in its reader's language.
    problems: list[dict[str, Any]] = []
    preview = _preview(order)
    if not preview:
        problems.append(
            words_of(_("No accepted preview: the order was not approved on a stored preview."))
        )
    traces: list[dict[str, Any]] = []
    try:
        traces = [_trace(t) for t in order_logistics(order=order)]
    except (OrderError, UpstreamError) as exc:
        problems.append(words_of(_("Logistics trace not read: %(why)s") % {"why": _reason(exc)}))
    im_link = ""
    if route_for(order).can(Capability.IM):
        try:
            im_link = order_im_link(order=order)
        except (OrderError, UpstreamError) as exc:
            problems.append(words_of(_("Chat link not read: %(why)s") % {"why": _reason(exc)}))
        if im_link and not im_link.startswith(("https://", "http://")):
            problems.append(words_of(_("The upstream gave no chat link for this order.")))
            im_link = ""
    return {
        "preview": preview,
        "traces": traces,
        "im_link": im_link[:1000],
        "problems": problems,
        "summary": summary_text(preview, traces),
    }


def _reason(exc: Exception) -> str:
    return upstream_message(exc) if isinstance(exc, UpstreamError) else str(exc)


def case_attach_pack(*, case: RefundCase, actor: Any) -> tuple[EvidencePack, str]:
    """Attach (or refresh) the case's evidence pack. Returns the pack and what happened:
    "attached", "updated" or "unchanged" (nothing new: no timeline entry, nothing re-sent)."""
    require(actor)
    if RefundCase.objects.filter(pk=case.pk, status__in=FINAL).exists():
        raise CaseError(_("a finished case takes no more evidence"))
    content = _gather(RefundCase.objects.select_related("order").get(pk=case.pk))
    with transaction.atomic():
        row = locked(case.pk)
        if not can_attach_pack(row):
            raise CaseError(_("a finished case takes no more evidence"))
        pack = EvidencePack.objects.filter(case=row).first()
        if pack is None:
            pack = EvidencePack.objects.create(case=row, attached_by=actor, **content)
            outcome = "attached"
        elif all(getattr(pack, name) == value for name, value in content.items()):
            logger.info("case %s: evidence pack attached again, nothing new", row.reference)
            return pack, "unchanged"
        else:
            if pack.summary != content["summary"]:
                # A new summary is news for the seller: it goes with the next text again.
                pack.summary_sent_at, pack.summary_sent_in = None, ""
            for name, value in content.items():
                setattr(pack, name, value)
            pack.attached_by, pack.attached_at = actor, now()
            pack.save()
            outcome = "updated"
        # Whole sentences, one per outcome: "attached" and "updated" are not words to glue in.
        said = (
            _("evidence pack attached: %(contents)s")
            if outcome == "attached"
            else _("evidence pack updated: %(contents)s")
        )
        row.note(said % {"contents": _contents(pack)}, actor=actor, kind="evidence_pack")
    return pack, outcome


def _contents(pack: EvidencePack) -> str:
    return listed(
        [
            _("preview %(amount)s") % {"amount": format_cny(pack.preview["total_fen"])}
            if pack.preview
            else _("no preview"),
            ngettext("%(count)d parcel trace", "%(count)d parcel traces", len(pack.traces))
            % {"count": len(pack.traces)},
            _("chat link") if pack.im_link else _("no chat link"),
        ]
    )


def pending_summary(case: RefundCase) -> str:
    """The summary the seller has not had yet, or ""."""
    pack = EvidencePack.objects.filter(case_id=case.pk).first()
    return pack.summary if pack is not None and pack.summary_pending else ""


def with_summary(text: str, summary: str, limit: int) -> str:
    """`text` followed by the summary when both fit in `limit` characters, else `text`."""
    if not summary:
        return text
    joined = f"{text.rstrip()}\n{summary}" if text.strip() else summary
    return joined if len(joined) <= limit else text


def mark_summary_sent(*, case_id: int, summary: str, where: str, actor: Any = None) -> None:
    """Record that `summary` reached the seller (caller: after the upstream accepted it)."""
    with transaction.atomic():
        row = locked(case_id)
        sent = EvidencePack.objects.filter(
            case=row, summary=summary, summary_sent_at__isnull=True
        ).update(summary_sent_at=now(), summary_sent_in=where)
        if sent:
            row.note(_summary_sent(where), actor=actor)


def _summary_sent(where: str) -> str:
    # One whole sentence per place the summary can go (EvidencePack.summary_sent_in), so that a
    # translation need not glue a place name into it.
    return {
        "description": _("evidence summary sent to the seller in the description"),
        "message": _("evidence summary sent to the seller in the message"),
        "return": _("evidence summary sent to the seller in the return"),
    }[where]
