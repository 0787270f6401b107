"""Staff pages of refunds and returns: the case list, opening a case, the case page.

Views call services only; every refusal (CaseError, UpstreamError) becomes a message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales import rules, selectors
from aftersales.forms import CaseFilterForm, MessageForm, ModifyForm, OpenCaseForm, ReturnForm
from aftersales.models import CaseKind, EvidencePack, RefundCase
from aftersales.services import (
    CaseError,
    case_attach_pack,
    case_cancel,
    case_messages,
    case_modify,
    case_open,
    case_options,
    case_refresh,
    case_return_options,
    case_send_message,
    case_submit,
    case_submit_return,
)
from aftersales.services.common import MAX_EVIDENCE_BYTES
from aftersales.services.pack import DESCRIPTION_LIMIT, with_summary
from purchasing.forms_input import as_id, as_ids, error_sentences
from purchasing.models import Platform, PurchaseOrder
from purchasing.permissions import staff_page
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError
from upstream.types.aftersales import (
    ALIBABA_GOODS_IN_TRANSIT,
    ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_NOT_SHIPPED,
    ALIBABA_GOODS_RECEIVED_AFTER_SALE,
    ALIBABA_GOODS_RECEIVED_IN_SALE,
)

PERM = "purchasing.manage_aftersales"
PACK_OUTCOMES = {
    "attached": "Evidence pack attached.",
    "updated": "Evidence pack updated with what changed.",
    "unchanged": "The evidence pack is already attached and nothing has changed.",
}
PAGE_SIZE = 25
MAX_YUAN = 10**10  # past any refund, and "1e999999" would not fit in fen
GOODS_STATUSES = {
    Platform.TAOBAO: [("1", "Not received (or not shipped)"), ("2", "Received")],
    Platform.ALIBABA: [
        (ALIBABA_GOODS_NOT_SHIPPED, "Not shipped yet"),
        (ALIBABA_GOODS_IN_TRANSIT, "Shipped, not received"),
        (ALIBABA_GOODS_RECEIVED_IN_SALE, "Received (trade not completed)"),
        (ALIBABA_GOODS_NOT_RECEIVED_AFTER_SALE, "Not received (after the trade)"),
        (ALIBABA_GOODS_RECEIVED_AFTER_SALE, "Received (after the trade)"),
    ],
}


def _failure(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    text = str(exc)
    return text[:1].upper() + text[1:]


def _fen(value: str) -> int | None:
    """'12.34' yuan -> 1234 fen; None when it is not an amount."""
    try:
        amount = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2 or not 0 < amount < MAX_YUAN:
        return None
    return int(amount * 100)


# ---------------------------------------------------------------- the list


@require_GET
@staff_page(PERM)
def index(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = selectors.case_list(
        status=data.get("status", ""),
        platform=data.get("platform", ""),
        waiting_on=data.get("waiting_on", ""),
        older_than_days=int(data["age"]) if data.get("age") else None,
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "aftersales/index.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(data)},
    )


# ---------------------------------------------------------------- opening a case


def _chosen_lines(request: HttpRequest, order: PurchaseOrder) -> dict[int, int]:
    """line id -> quantity from `line` (checked ids) and `qty_<id>` fields."""
    source = request.POST if request.method == "POST" else request.GET
    chosen = {}
    for line_id in as_ids(source.getlist("line")):
        chosen[line_id] = as_id(source.get(f"qty_{line_id}") or 0) or 0
    return chosen


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def open_case(request: HttpRequest, order_pk: int) -> HttpResponse:
    """Step 1 (GET): lines, kind, goods status. Step 2 (GET with `ask`): the upstream's reasons
    and maximum. POST: store the case (nothing is sent), then the case page asks to submit."""
    order = get_object_or_404(PurchaseOrder, pk=order_pk)
    source = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_lines(request, order)
    kind = source.get("kind") or CaseKind.REFUND_ONLY
    goods_statuses = GOODS_STATUSES.get(order.platform, [])
    goods_status = source.get("goods_status") or (goods_statuses[0][0] if goods_statuses else "")
    lines = list(order.lines.order_by("line_no"))
    preselect = set(as_ids(request.GET.getlist("preselect")))
    context: dict[str, Any] = {
        "order": order,
        "lines": [
            {
                "line": line,
                "checked": line.pk in chosen or line.pk in preselect,
                "quantity": chosen.get(line.pk) or line.quantity,
            }
            for line in lines
        ],
        "kinds": CaseKind.choices,
        "kind": kind,
        "goods_statuses": goods_statuses,
        "goods_status": goods_status,
        "options": None,
        "max_evidence_mb": MAX_EVIDENCE_BYTES // 1024 // 1024,
        "values": source,
    }
    if request.method == "GET" and "ask" not in request.GET:
        return render(request, "aftersales/open.html", context)
    text = OpenCaseForm(request.POST)
    if request.method == "POST" and not text.is_valid():
        for sentence in error_sentences(text):
            messages.error(request, sentence)
        return render(request, "aftersales/open.html", context, status=400)
    try:
        options = case_options(order=order, lines=chosen, kind=kind, goods_status=goods_status)
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
        refused = request.method == "POST" and isinstance(exc, CaseError)
        return render(request, "aftersales/open.html", context, status=400 if refused else 200)
    context["options"] = options
    context["amount"] = source.get("amount") or f"{options.max_fen / 100:.2f}"
    if request.method == "GET":
        return render(request, "aftersales/open.html", context)

    amount_fen = _fen(source.get("amount", ""))
    if amount_fen is None:
        messages.error(request, "Enter the amount in yuan, for example 12.50.")
        return render(request, "aftersales/open.html", context)
    evidence = [(f.name, f.read(MAX_EVIDENCE_BYTES + 1)) for f in request.FILES.getlist("evidence")]
    try:
        case = case_open(
            order=order,
            lines=chosen,
            kind=kind,
            goods_status=goods_status,
            reason_id=text.cleaned_data["reason"],
            amount_fen=amount_fen,
            description=text.cleaned_data["description"],
            evidence=evidence,
            actor=request.user,
        )
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc) + " Nothing was saved.")
        # A refused claim (past what is left, a bad file...) is the caller's to fix: a 4xx.
        refused = isinstance(exc, CaseError)
        return render(request, "aftersales/open.html", context, status=400 if refused else 200)
    messages.success(request, f"Case {case.reference} saved. Check it, then send it to the seller.")
    return redirect("aftersales:submit", pk=case.pk)


# ---------------------------------------------------------------- one case


def _case(pk: int) -> RefundCase:
    try:
        return selectors.case_detail(case_id=pk)
    except RefundCase.DoesNotExist as exc:
        raise Http404("no such case") from exc


def _pack(case: RefundCase) -> EvidencePack | None:
    try:
        return case.pack
    except EvidencePack.DoesNotExist:
        return None


def _summary_route(case: RefundCase, pack: EvidencePack | None) -> str:
    """Where the pack's summary will reach the seller, said for the case page."""
    if pack is None or not pack.summary_pending:
        return ""
    if rules.can_submit(case):
        limit = DESCRIPTION_LIMIT[case.platform]
        if with_summary(case.description, pack.summary, limit) != case.description:
            return "It goes to the seller in the claim's description when you send the claim."
        return (
            f"It does not fit in the claim's description ({limit} characters) with yours: "
            "it goes later, with a message or a return's tracking number."
        )
    if rules.can_message(case):
        return "It goes to the seller with your next message."
    if case.platform == Platform.ALIBABA and rules.can_send_return(case):
        return "It goes to the seller with the return's tracking number."
    return "1688 takes no messages here: quote it to the seller in the 1688 chat."


@require_GET
@staff_page(PERM)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    actions = rules.case_actions(case, request.user)
    pack = _pack(case)
    context: dict[str, Any] = {
        "case": case,
        "actions": actions,
        "pack": pack,
        "summary_route": _summary_route(case, pack),
        "max_picture_mb": MAX_EVIDENCE_BYTES // 1024 // 1024,
        "thread": [],
        "thread_error": "",
        "return_options": None,
        "return_form": None,
        "message_form": MessageForm(),
        "modify_form": ModifyForm(
            initial={"amount": f"{case.asked_fen / 100:.2f}", "description": case.description}
        ),
    }
    if case.upstream_refund_id and case.platform == Platform.TAOBAO:
        try:
            context["thread"] = case_messages(case=case)
        except UpstreamError as exc:
            context["thread_error"] = upstream_message(exc)
    if actions["return"]:
        try:
            options = case_return_options(case=case)
        except (CaseError, UpstreamError) as exc:
            context["return_error"] = _failure(exc)
        else:
            context["return_options"] = options
            context["return_form"] = ReturnForm(companies=options.companies)
    return render(request, "aftersales/detail.html", context)


def _done(request: HttpRequest, pk: int, ok: str, call, **kwargs: Any) -> HttpResponse:
    try:
        call(**kwargs)
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
    else:
        messages.success(request, ok)
    return redirect("aftersales:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the claim to the seller: it asks for money, so GET shows what is asked first."""
    case = _case(pk)
    if request.method == "GET":
        if not rules.can_submit(case):
            return redirect("aftersales:detail", pk=pk)
        return render(request, "aftersales/confirm_submit.html", {"case": case})
    return _done(request, pk, "Sent to the seller.", case_submit, case=case, actor=request.user)


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the claim: it cannot be undone, so GET asks first."""
    case = _case(pk)
    if request.method == "GET":
        return render(request, "aftersales/confirm_cancel.html", {"case": case})
    return _done(request, pk, "Claim withdrawn.", case_cancel, case=case, actor=request.user)


@require_POST
@staff_page(PERM)
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    return _done(request, pk, "Refreshed from the upstream.", case_refresh, case_id=case.pk)


@require_POST
@staff_page(PERM)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Write a message (at most 500 characters). " + error_sentences(form)[0]
        )
        return redirect("aftersales:detail", pk=pk)
    pictures = [(f.name, f.read(MAX_EVIDENCE_BYTES + 1)) for f in request.FILES.getlist("pictures")]
    try:
        case_send_message(
            case=case, text=form.cleaned_data["text"], pictures=pictures, actor=request.user
        )
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc) + " The message was not sent.")
    else:
        sent = (
            f" with {len(pictures)} picture{'s' if len(pictures) > 1 else ''}" if pictures else ""
        )
        messages.success(request, f"Message sent{sent}.")
    return redirect("aftersales:detail", pk=pk)


@require_POST
@staff_page(PERM)
def attach_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach what we know about the order (preview, logistics trace, chat link) to the case."""
    case = _case(pk)
    try:
        _, outcome = case_attach_pack(case=case, actor=request.user)
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc))
    else:
        messages.success(request, PACK_OUTCOMES[outcome])
    return redirect(reverse("aftersales:detail", args=[pk]) + "#evidence-pack")


@require_POST
@staff_page(PERM)
def modify(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = ModifyForm(request.POST)
    if not form.is_valid():
        for sentence in error_sentences(form):
            messages.error(request, sentence)
        return redirect("aftersales:detail", pk=pk)
    description = form.cleaned_data["description"].strip()
    return _done(
        request,
        pk,
        "Claim modified.",
        case_modify,
        case=case,
        amount_fen=int(form.cleaned_data["amount"] * 100),
        description=description or None,
        actor=request.user,
    )


@require_POST
@staff_page(PERM)
def send_return(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = ReturnForm(request.POST, companies=None)
    if not form.is_valid():
        for sentence in error_sentences(form):
            messages.error(request, sentence)
        return redirect("aftersales:detail", pk=pk)
    return _done(
        request,
        pk,
        "Return logistics sent to the seller.",
        case_submit_return,
        case=case,
        actor=request.user,
        **form.cleaned_data,
    )
