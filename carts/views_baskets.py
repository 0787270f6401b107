"""Staff pages of the baskets: my basket, a teammate's shared basket, and the changes.

Only the owner changes a basket; a line or basket the person may not see answers 404, never
403, so nobody learns that someone else's private line exists. Every change answers with a
redirect and a message (the item page's add answers its HTMX request with a partial).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carts import basket_selectors as selectors
from carts import basket_services as services
from carts.forms import BasketAddForm, BasketLineForm, BasketOrderForm, basket_line_ids
from carts.services import PLATFORM_NAMES, CartRefused
from purchasing.permissions import staff_page
from purchasing.services.orders.common import OrderError, warehouse_address
from purchasing.services.orders.preview import order_preview
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError


def _sentence(exc: Exception) -> str:
    if isinstance(exc, CartRefused):
        return exc.message
    if isinstance(exc, UpstreamError):
        return upstream_message(exc)
    text = str(exc)
    if text.endswith((".", "。")):
        return text[:1].upper() + text[1:]
    # A sentence in Chinese (the page's language) ends with a full-width stop.
    stop = "。" if any("\u4e00" <= c <= "\u9fff" for c in text) else "."
    return text[:1].upper() + text[1:] + stop


@require_GET
@staff_page("purchasing.use_carts")
def mine(request: HttpRequest) -> HttpResponse:
    context = {
        "view": selectors.my_basket(request.user),
        "shared_baskets": selectors.shared_by_others(request.user),
    }
    return render(request, "carts/basket.html", context)


@require_GET
@staff_page("purchasing.use_carts")
def show(request: HttpRequest, pk: int) -> HttpResponse:
    """A basket by id: one's own, or a teammate's shared one; 404 for a private one."""
    view = selectors.basket_for(request.user, pk)
    if view is None:
        raise Http404(_("No such basket."))
    if view.mine:
        return redirect("baskets:mine")
    return render(request, "carts/basket.html", {"view": view, "shared_baskets": ()})


@require_POST
@staff_page("purchasing.use_carts")
def add(request: HttpRequest) -> HttpResponse:
    form = BasketAddForm(request.POST)
    ok, message = False, _("Open an item first, then add one of its SKUs.")
    if not form.is_valid():
        if "platform" in form.errors:
            message = _("Choose Taobao or 1688.")
        elif "note" in form.errors:
            message = _("Keep the note under 300 characters.")
        elif "quantity" in form.errors:
            message = _("Enter a quantity of at least 1.")
    else:
        data = form.cleaned_data
        try:
            line = services.basket_add(
                actor=request.user,
                platform=data["platform"],
                item_id=data["item_id"],
                sku_id=data["sku_id"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except CartRefused as exc:
            message = exc.message
        else:
            ok = True
            message = _("Added %(count)s to your basket (%(total)s of this SKU now).") % {
                "count": data["quantity"],
                "total": line.quantity,
            }
    if request.htmx:
        # 200 either way: HTMX swaps only successful responses, and the refusal is the answer.
        context = {"ok": ok, "message": message}
        return render(request, "carts/partials/basket_add_result.html", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect("baskets:mine")


@require_POST
@staff_page("purchasing.use_carts")
def line_change(request: HttpRequest, pk: int) -> HttpResponse:
    form = BasketLineForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Enter a quantity of at least 1 and a note under 300 characters.")
        )
        return redirect("baskets:mine")
    try:
        services.basket_line_change(
            actor=request.user,
            line_id=pk,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        )
    except services.NotYours as exc:
        raise Http404(_("No such line in your basket.")) from exc
    except CartRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The line is saved."))
    return redirect("baskets:mine")


@require_POST
@staff_page("purchasing.use_carts")
def line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.basket_line_remove(actor=request.user, line_id=pk)
    except services.NotYours as exc:
        raise Http404(_("No such line in your basket.")) from exc
    messages.success(request, _("The line was removed from your basket."))
    return redirect("baskets:mine")


@require_POST
@staff_page("purchasing.use_carts")
def share(request: HttpRequest) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    services.basket_share(actor=request.user, shared=shared)
    if shared:
        messages.success(request, _("Your basket is shared: the team can see it."))
    else:
        messages.success(request, _("Your basket is private again: only you can see it."))
    return redirect("baskets:mine")


@require_POST
@staff_page("purchasing.create_order")
def order(request: HttpRequest) -> HttpResponse:
    """ "Preview an order": a draft of the ticked lines of one platform, previewed upstream; the
    lines leave the basket once the draft exists."""
    form = BasketOrderForm(request.POST)
    line_ids = basket_line_ids(request.POST)
    if not form.is_valid() or line_ids is None:
        messages.error(request, _("Choose Taobao or 1688 and lines of your basket."))
        return redirect("baskets:mine")
    platform = form.cleaned_data["platform"]
    try:
        draft = services.basket_order(
            actor=request.user,
            platform=platform,
            line_ids=line_ids,
            address=warehouse_address(),
        )
    except services.NotYours as exc:
        raise Http404(_("No such line in your basket.")) from exc
    except (CartRefused, OrderError, UpstreamError) as exc:
        messages.error(request, _sentence(exc))
        return redirect("baskets:mine")
    messages.success(
        request,
        _("The %(platform)s lines left your basket for this order.")
        % {"platform": PLATFORM_NAMES[platform]},
    )
    try:
        order_preview(order=draft, actor=request.user)
    except (OrderError, UpstreamError) as exc:
        # The draft is kept: its page offers "Preview again".
        messages.error(request, _("The upstream preview failed: %s") % _sentence(exc))
    return redirect("checkout:preview", pk=draft.pk)
