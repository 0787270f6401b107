"""Staff pages of refunds and returns: the case list and the case page (opening a case:
`views_open`).

Views call services only; every refusal (CaseError, UpstreamError) becomes a message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales import routes, rules, selectors
from aftersales.forms import (
    CaseFilterForm,
    MessageForm,
    ModifyForm,
    ReturnForm,
)
from aftersales.models import EvidencePack, RefundCase
from aftersales.services import (
    CaseError,
    case_adopt_candidate,
    case_attach_pack,
    case_cancel,
    case_declare_none_ours,
    case_messages,
    case_modify,
    case_refresh,
    case_return_options,
    case_send_message,
    case_submit,
    case_submit_return,
)
from aftersales.services.common import MAX_EVIDENCE_BYTES
from aftersales.services.lookup import describe
from aftersales.services.pack import with_summary
from purchasing.forms_input import error_sentences
from purchasing.permissions import staff_page
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

PERM = "purchasing.manage_aftersales"
PACK_OUTCOMES = {
    "attached": gettext_lazy("Evidence pack attached."),
    "updated": gettext_lazy("Evidence pack updated with what changed."),
    "unchanged": gettext_lazy("The evidence pack is already attached and nothing has changed."),
}
PAGE_SIZE = 25
MAX_YUAN = 10**10  # past any refund, and "1e999999" would not fit in fen


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


# ---------------------------------------------------------------- one case


def _case(pk: int) -> RefundCase:
    try:
        return selectors.case_detail(case_id=pk)
    except RefundCase.DoesNotExist as exc:
        raise Http404(_("no such case")) from exc


def _pack(case: RefundCase) -> EvidencePack | None:
    try:
        return case.pack
    except EvidencePack.DoesNotExist:
        return None


def _summary_route(case: RefundCase, pack: EvidencePack | None) -> str:
    """Where the pack's summary will reach the seller, said for the case page."""
    if pack is None or not pack.summary_pending:
        return ""
    route = routes.for_case(case)
    if rules.can_submit(case):
        limit = route.description_limit
        if with_summary(case.description, pack.summary, limit) != case.description:
            return _("It goes to the seller in the claim's description when you send the claim.")
        return _(
            "It does not fit in the claim's description (%(limit)s characters) with yours: "
            "it goes later, with a message or a return's tracking number."
        ) % {"limit": limit}
    if rules.can_message(case):
        return _("It goes to the seller with your next message.")
    if route.return_description_limit and rules.can_send_return(case):
        return _("It goes to the seller with the return's tracking number.")
    return _("1688 takes no messages here: quote it to the seller in the 1688 chat.")


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
        "has_thread": rules.has_thread(case),
        "thread": [],
        "thread_error": "",
        "return_options": None,
        "return_form": None,
        "candidates": [
            {**record, "words": describe(record)}
            for record in (case.lookup or {}).get("candidates", [])
        ],
        "message_form": MessageForm(),
        "modify_form": ModifyForm(
            initial={"amount": f"{case.asked_fen / 100:.2f}", "description": case.description}
        ),
    }
    if case.upstream_refund_id and context["has_thread"]:
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
    return _done(request, pk, _("Sent to the seller."), case_submit, case=case, actor=request.user)


@require_http_methods(["GET", "POST"])
@staff_page(PERM)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the claim: it cannot be undone, so GET asks first."""
    case = _case(pk)
    if request.method == "GET":
        return render(request, "aftersales/confirm_cancel.html", {"case": case})
    return _done(request, pk, _("Claim withdrawn."), case_cancel, case=case, actor=request.user)


@require_POST
@staff_page(PERM)
def lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """A person answers a look-up: `refund_id` is ours, or `none` of the candidates is."""
    case, answer = _case(pk), request.POST.get("refund_id", "")
    if answer == "none":
        ok = _("None of them is ours: the refund is created again.")
        return _done(request, pk, ok, case_declare_none_ours, case=case, actor=request.user)
    ok = _("Adopted as ours.")
    return _done(
        request, pk, ok, case_adopt_candidate, case=case, refund_id=answer, actor=request.user
    )


@require_POST
@staff_page(PERM)
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    return _done(request, pk, _("Refreshed from the upstream."), case_refresh, case_id=case.pk)


@require_POST
@staff_page(PERM)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Write a message (at most 500 characters).") + " " + error_sentences(form)[0],
        )
        return redirect("aftersales:detail", pk=pk)
    pictures = [(f.name, f.read(MAX_EVIDENCE_BYTES + 1)) for f in request.FILES.getlist("pictures")]
    try:
        case_send_message(
            case=case, text=form.cleaned_data["text"], pictures=pictures, actor=request.user
        )
    except (CaseError, UpstreamError) as exc:
        messages.error(request, _failure(exc) + " " + _("The message was not sent."))
    else:
        sent = _("Message sent.")
        if pictures:
            sent = ngettext(
                "Message sent with %(count)d picture.",
                "Message sent with %(count)d pictures.",
                len(pictures),
            ) % {"count": len(pictures)}
        messages.success(request, sent)
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
        _("Claim modified."),
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
        _("Return logistics sent to the seller."),
        case_submit_return,
        case=case,
        actor=request.user,
        **form.cleaned_data,
    )
