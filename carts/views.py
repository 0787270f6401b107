"""Staff pages of the upstream carts: the cart page, add to cart, and the HTMX edits.

Every change answers an HTMX request with a partial (the platform's section, re-read from the
upstream, or the selection summary) and a plain POST with a redirect and a message. An upstream
failure is a sentence in the same place, never a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carts import services
from carts.forms import AddToCartForm, LineForm, SelectionForm, selected_ids
from carts.selectors import cart_section, selection_of
from purchasing.permissions import staff_page
from purchasing.routes import RouteRefused
from purchasing.upstream_errors import upstream_message
from purchasing.views.back import page_of_this_site
from upstream.errors import UpstreamError


def _read_section(platform: str, selected=(), *, error: str = ""):
    try:
        cart = services.cart_get(platform=platform)
    except RouteRefused as exc:
        return cart_section(platform, None, error=exc.sentence)
    except UpstreamError as exc:
        return cart_section(platform, None, error=upstream_message(exc))
    return cart_section(platform, cart, selected=selected, error=error)


@require_GET
@staff_page("purchasing.use_carts")
def index(request: HttpRequest) -> HttpResponse:
    # One platform failing still shows the other.
    sections = [_read_section(platform) for platform in services.PLATFORMS]
    return render(request, "carts/index.html", {"sections": sections})


# -- add ------------------------------------------------------------------------------------
def _item_url(request: HttpRequest, platform: str, item_id: str) -> str:
    """Back to the item page that posted (by name, else the referring page, else goods)."""
    if platform and item_id:
        try:
            return reverse("goods:item", kwargs={"platform": platform, "item_id": item_id})
        except NoReverseMatch:
            pass  # the goods pages name their arguments differently: use the referrer
    return page_of_this_site(request, request.headers.get("Referer", "")) or reverse("goods:index")


def _add(form: AddToCartForm) -> tuple[bool, str]:
    if not form.is_valid():
        if "platform" in form.errors:
            return False, _("Choose Taobao or 1688.")
        if "item_id" in form.errors:
            return False, _("Open an item first, then add one of its SKUs.")
        return False, _("Enter a quantity of at least 1.")
    data = form.cleaned_data
    name = services.PLATFORM_NAMES[data["platform"]]
    try:
        services.cart_add(
            platform=data["platform"],
            item_id=data["item_id"],
            sku_id=data["sku_id"],
            quantity=data["quantity"],
        )
    except services.CartRefused as exc:
        return False, exc.message
    except RouteRefused as exc:
        return False, exc.sentence
    except UpstreamError as exc:
        return False, upstream_message(exc)
    return True, _("Added %(count)s to the %(platform)s cart.") % {
        "count": data["quantity"],
        "platform": name,
    }


@require_POST
@staff_page("purchasing.use_carts")
def add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    ok, message = _add(form)
    if request.htmx:
        # 200 either way: HTMX swaps only successful responses, and the refusal is the answer.
        return render(request, "carts/partials/add_result.html", {"ok": ok, "message": message})
    if ok:
        messages.success(request, message)
        return redirect("carts:index")
    messages.error(request, message)
    return redirect(
        _item_url(request, request.POST.get("platform", ""), request.POST.get("item_id", ""))
    )


# -- edit the cart page in place ------------------------------------------------------------
def _section_response(request: HttpRequest, platform: str, cart, message: str, ok: bool):
    selected = selected_ids(request.POST)
    if cart is None:
        section = _read_section(platform, selected)
    else:
        section = cart_section(platform, cart, selected=selected)
    if message:
        section.message, section.message_level = message, "success" if ok else "error"
    return render(request, "carts/partials/section.html", {"section": section})


def _line_change(request: HttpRequest, change) -> HttpResponse:
    form = LineForm(request.POST)
    if not form.is_valid():
        if request.htmx and form.data.get("platform") in services.PLATFORMS:
            return _section_response(
                request, form.data["platform"], None, _("Choose a line of the cart."), False
            )
        messages.error(request, _("Choose a line of the cart."))
        return redirect("carts:index")
    platform = form.cleaned_data["platform"]
    cart, ok = None, True
    try:
        cart, message = change(form.cleaned_data)
    except services.CartRefused as exc:
        ok, message = False, exc.message
    except RouteRefused as exc:
        ok, message = False, exc.sentence
    except UpstreamError as exc:
        ok, message = False, upstream_message(exc)
    if request.htmx:
        return _section_response(request, platform, cart, message, ok)
    (messages.success if ok else messages.error)(request, message)
    return redirect("carts:index")


@require_POST
@staff_page("purchasing.use_carts")
def quantity(request: HttpRequest) -> HttpResponse:
    def change(data):
        cart = services.cart_set_quantity(
            platform=data["platform"], cart_id=data["cart_id"], quantity=data["quantity"]
        )
        return cart, ""

    return _line_change(request, change)


@require_POST
@staff_page("purchasing.use_carts")
def remove(request: HttpRequest) -> HttpResponse:
    def change(data):
        cart = services.cart_remove(platform=data["platform"], cart_ids=[data["cart_id"]])
        return cart, _("The line was removed from the cart.")

    return _line_change(request, change)


@require_POST
@staff_page("purchasing.use_carts")
def selection(request: HttpRequest) -> HttpResponse:
    """The summary of the ticked lines, priced from a fresh read of the cart."""
    form = SelectionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose Taobao or 1688."), status=400)
    platform = form.cleaned_data["platform"]
    error = ""
    try:
        chosen = selection_of(
            platform, services.cart_get(platform=platform), selected_ids(request.POST)
        )
    except RouteRefused as exc:
        chosen, error = None, exc.sentence
    except UpstreamError as exc:
        chosen, error = None, upstream_message(exc)
    context = {"selection": chosen, "platform": platform, "error": error}
    if request.htmx:
        return render(request, "carts/partials/summary.html", context)
    if error:
        messages.error(request, error)
    return redirect("carts:index")
