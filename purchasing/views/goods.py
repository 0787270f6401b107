"""Goods pages: the search page, an item page with its SKU matrix and landed cost estimate, the
landed cost partial, and the 1688 marketing lists.

Every upstream failure becomes the `upstream_message` sentence on the page, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from purchasing.context_processors import LazyRate
from purchasing.forms import GoodsSearchForm, PictureSearchForm
from purchasing.forms_input import error_sentences
from purchasing.models import Product
from purchasing.money import format_cny, format_minor
from purchasing.permissions import staff_page
from purchasing.routes import Capability, RouteRefused, route_for_platform
from purchasing.services import goods as goods_services
from purchasing.services.landed_cost import landed_cost_estimate
from purchasing.services.pictures import picture_keep, picture_kept
from purchasing.upstream_errors import upstream_message
from upstream.errors import UpstreamError

PERMISSION = "purchasing.search_goods"
ERRORS_SHOWN_ON_PAGE = ("price_min", "price_max", "category", "items")  # next to their fields
MAX_PICTURE_PAGE = 100  # similar goods past this page are no longer similar


def _check_item(platform: str, item_id: str) -> None:
    if platform not in goods_services.PLATFORMS or not item_id.isdigit() or len(item_id) > 19:
        raise Http404("No such item.")


def item_url(platform: str, item_id: str) -> str:
    return reverse("goods:item", kwargs={"platform": platform, "item_id": item_id})


# -- the search page --------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_page(PERMISSION)
def index(request: HttpRequest) -> HttpResponse:
    """GET: keyword, shop or pasted ids/links, or a page of a kept picture's search
    (`?picture=`). POST: a picture to search with (the file travels in a multipart body); it is
    kept and the answer is a redirect to its GET URL, so a refresh never posts it again."""
    context = {"display_rate": LazyRate()}
    if request.method == "POST":
        form = GoodsSearchForm(initial={"platform": request.POST.get("platform", "taobao")})
        picture_form = PictureSearchForm(request.POST, request.FILES)
        context.update(form=form, picture_form=picture_form, mode="picture")
        if picture_form.is_valid():
            key = picture_keep(image=picture_form.cleaned_data["picture"])
            query = {"picture": key, "platform": picture_form.cleaned_data["platform"]}
            return redirect(f"{reverse('goods:index')}?{urlencode(query)}")
        # A refused picture is a refusal (400), with the form saying why.
        response = _render_index(request, context)
        response.status_code = 400
        return response
    if "picture" in request.GET:
        return _picture_page(request, context)

    query = request.GET.copy()
    if query and not query.get("platform"):
        # A link or bookmark that names no platform searches the page's default one.
        query["platform"] = GoodsSearchForm.base_fields["platform"].initial
    form = GoodsSearchForm(query or None)
    picture_form = PictureSearchForm(initial={"platform": request.GET.get("platform", "taobao")})
    context.update(form=form, picture_form=picture_form, mode="keyword")
    if not request.GET or not form.is_valid() or not form.searched:
        if request.GET:
            for sentence in error_sentences(form, skip=ERRORS_SHOWN_ON_PAGE):
                messages.error(request, sentence)
        return _render_index(request, context)

    data = form.cleaned_data
    context["platform"] = data["platform"]
    if data["refs"]:
        refs = data["refs"]
        if len(refs) == 1:
            return redirect(item_url(refs[0].platform, refs[0].item_id))
        cards, problems = goods_services.cards_for_items(refs)
        context.update(
            mode="items",
            results=goods_services.Results(cards=cards, total=len(cards)),
            item_problems=problems,
        )
        return _render_index(request, context)

    try:
        context["results"] = goods_services.goods_search(
            platform=data["platform"],
            keyword=data["q"],
            shop_id=data["shop"],
            page=data["page"],
            price_min_fen=data["price_min_fen"],
            price_max_fen=data["price_max_fen"],
            category_id=data["category"],
            sort=data["sort"],
        )
    except UpstreamError as exc:
        context["upstream_error"] = upstream_message(exc)
    context["mode"] = "shop" if data["shop"] else "keyword"
    context["page_query"] = _page_query(request)
    return _render_index(request, context)


def _picture_page(request: HttpRequest, context: dict) -> HttpResponse:
    """A page of the search by a kept picture; a picture no longer kept is a 404 that says to
    upload it again."""
    platform = request.GET.get("platform", "")
    platform = platform if platform in goods_services.PLATFORMS else "taobao"
    form = GoodsSearchForm(initial={"platform": platform})
    picture_form = PictureSearchForm(initial={"platform": platform})
    context.update(form=form, picture_form=picture_form, mode="picture", platform=platform)
    image = picture_kept(key=request.GET["picture"])
    if image is None:
        messages.error(
            request,
            gettext(
                "That picture is no longer kept (pictures are kept for an hour): upload it again."
            ),
        )
        response = _render_index(request, context)
        response.status_code = 404
        return response
    page = request.GET.get("page", "1")
    page = min(int(page), MAX_PICTURE_PAGE) if page.isdigit() and int(page) > 0 else 1
    try:
        context["results"] = goods_services.goods_search_by_picture(
            platform=platform, image=image, page=page
        )
    except UpstreamError as exc:
        context["upstream_error"] = upstream_message(exc)
    context["page_query"] = urlencode({"picture": request.GET["picture"], "platform": platform})
    return _render_index(request, context)


def _page_query(request: HttpRequest) -> str:
    """The search's query string without its page, for the pager's links."""
    params = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(params)


def _render_index(request: HttpRequest, context: dict) -> HttpResponse:
    form = context["form"]
    platform = context.get("platform") or (form.data.get("platform") if form.is_bound else "")
    platform = platform if platform in goods_services.PLATFORMS else "taobao"
    results = context.get("results")
    categories: list[tuple[str, str]] = []
    listed = route_for_platform(platform).can(Capability.CATEGORIES)
    if listed and context["mode"] in ("keyword", "shop"):
        try:
            categories = goods_services.categories(platform=platform)
        except UpstreamError:
            categories = []  # the filter is a convenience; the search itself still works
    elif results is not None:
        categories = results.categories
    selected = form.data.get("category", "") if form.is_bound else ""
    if selected and selected not in {cid for cid, _ in categories}:
        categories = [
            *categories,
            (selected, gettext("Category %(id)s") % {"id": selected}),
        ]
    context.update(
        platform=platform,
        categories=categories,
        selected_category=selected,
        filters_open=bool(
            form.is_bound
            and any(form.data.get(name) for name in ("price_min", "price_max", "category", "sort"))
        ),
    )
    return render(request, "purchasing/goods.html", context)


# -- the item page ----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_page(PERMISSION)
def item(request: HttpRequest, platform: str, item_id: str) -> HttpResponse:
    """GET: the cached product (fetched when older than the TTL). POST: refresh it from the
    upstream now, then show it again."""
    _check_item(platform, item_id)
    refresh = request.method == "POST"
    try:
        product = goods_services.product_get(platform=platform, item_id=item_id, refresh=refresh)
    except UpstreamError as exc:
        message = upstream_message(exc)
        product = goods_services.cached_product(platform=platform, item_id=item_id)
        if product is None:
            return render(
                request,
                "purchasing/goods_item_error.html",
                {"platform": platform, "item_id": item_id, "message": message},
            )
        fetched = timezone.localtime(product.fetched_at)
        messages.warning(
            request,
            gettext("%(message)s Showing the copy fetched at %(when)s.")
            % {"message": message, "when": f"{fetched:%Y-%m-%d %H:%M}"},
        )
        if refresh:
            return redirect(item_url(platform, item_id))
    else:
        if refresh:
            messages.success(request, gettext("Refreshed from the upstream."))
            return redirect(item_url(platform, item_id))

    rate = LazyRate()
    skus = list(product.skus.all())
    default_sku = skus[0] if len(skus) == 1 else None
    related, recommended, related_error = [], [], ""
    if route_for_platform(platform).can(Capability.RELATED):
        try:
            related, recommended = goods_services.related_goods(platform=platform, item_id=item_id)
        except UpstreamError as exc:
            related_error = upstream_message(exc)
    context = {
        "display_rate": rate,
        "product": product,
        "skus": skus,
        "axes": _axes(skus),
        "choose_sentence": _choose_sentence(_axes(skus)),
        "skus_json": _skus_json(skus, rate),
        "default_sku": default_sku,
        "price_range": _price_range(skus, product),
        "tiers": product.price_tiers if len(product.price_tiers) > 1 else [],
        "delisted": goods_services.is_delisted(product),
        "orderable_count": sum(1 for s in skus if s.available and s.stock > 0),
        "landed": landed_cost_estimate(
            product=product, sku=default_sku, quantity=product.min_order_quantity
        ),
        "related": related,
        "recommended": recommended,
        "related_error": related_error,
        "shop_url": _shop_url(product),
        "stale": not goods_services.is_fresh(product),
    }
    return render(request, "purchasing/goods_item.html", context)


def _shop_url(product: Product) -> str:
    if not product.shop_id:
        return ""
    query = {"platform": product.platform, "shop": product.shop_id}
    if product.shop_name:
        query["shop_name"] = product.shop_name
    return f"{reverse('goods:index')}?{urlencode(query)}"


def _axes(skus: list) -> list[dict]:
    """The SKU matrix's rows: each property (colour, size) with its values in upstream order."""
    axes: dict[str, dict] = {}
    for sku in skus:
        for prop in sku.properties:
            axis = axes.setdefault(
                prop.get("name", ""),
                {"name": prop.get("name", ""), "name_en": prop.get("name_en", ""), "values": {}},
            )
            axis["values"].setdefault(
                prop.get("value", ""),
                {"value": prop.get("value", ""), "value_en": prop.get("value_en", "")},
            )
    return [
        {**axis, "index": index, "values": list(axis["values"].values())}
        for index, axis in enumerate(axes.values())
    ]


def _choose_sentence(axes: list[dict]) -> str:
    """ "Choose colour and size to see price and stock.", the options named as the matrix does."""
    if not axes:
        return ""
    names = gettext(" and ").join((axis["name_en"] or axis["name"]).lower() for axis in axes)
    return gettext("Choose %(options)s to see price and stock.") % {"options": names}


def _skus_json(skus: list, rate: LazyRate) -> dict:
    """What the SKU matrix script needs: each SKU's values per axis, price and stock."""
    names = [axis["name"] for axis in _axes(skus)]
    current = rate.get()
    rows = []
    for sku in skus:
        values = {prop.get("name", ""): prop.get("value", "") for prop in sku.properties}
        rows.append(
            {
                "id": sku.sku_id,
                "values": [values.get(name, "") for name in names],
                "label": " / ".join(
                    prop.get("value_en") or prop.get("value", "") for prop in sku.properties
                ),
                "price_fen": sku.price_fen,
                "price": format_cny(sku.price_fen),
                "display": (
                    "≈ " + format_minor(current.from_fen(sku.price_fen), current.currency)
                    if current
                    else ""
                ),
                "stock": sku.stock,
                "available": sku.available,
                "orderable": sku.available and sku.stock > 0,
            }
        )
    return {"axes": names, "skus": rows}


def _price_range(skus: list, product: Product) -> tuple[int, int]:
    prices = [s.price_fen for s in skus if s.available] or [product.price_fen]
    return min(prices), max(prices)


# -- the landed cost partial -------------------------------------------------------------------
@require_GET
@staff_page(PERMISSION)
def landed_cost(request: HttpRequest, platform: str, item_id: str) -> HttpResponse:
    """The estimate for ?sku_id=&quantity= (HTMX swaps it into the item page)."""
    _check_item(platform, item_id)
    context: dict = {"display_rate": LazyRate()}
    try:
        product = goods_services.product_get(platform=platform, item_id=item_id)
    except UpstreamError as exc:
        context["error"] = upstream_message(exc)
        return render(request, "purchasing/partials/goods_landed_cost.html", context)
    sku_id = request.GET.get("sku_id", "").strip()
    sku = next((s for s in product.skus.all() if s.sku_id == sku_id), None) if sku_id else None
    if sku_id and sku is None:
        context["error"] = gettext("That SKU is not one of this item's. Refresh the page.")
        return render(request, "purchasing/partials/goods_landed_cost.html", context)
    try:
        quantity = int(request.GET.get("quantity", "") or product.min_order_quantity)
    except ValueError:
        quantity = product.min_order_quantity
    quantity = min(max(quantity, 1), 100_000)
    context.update(
        product=product,
        sku=sku,
        landed=landed_cost_estimate(product=product, sku=sku, quantity=quantity),
    )
    return render(request, "purchasing/partials/goods_landed_cost.html", context)


# -- marketing lists -----------------------------------------------------------------------------
@require_GET
@staff_page(PERMISSION)
def lists(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("list", "global")
    if kind not in goods_services.MARKETING_LISTS:
        kind = "global"
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), 100)
    except ValueError:
        page = 1
    context: dict = {
        "display_rate": LazyRate(),
        "kind": kind,
        "tabs": list(goods_services.MARKETING_LISTS.items()),
        "page_query": urlencode({"list": kind}),
    }
    try:
        context["results"] = goods_services.marketing_list(kind=kind, page=page)
    except RouteRefused as exc:
        context["upstream_error"] = exc.sentence
    except UpstreamError as exc:
        context["upstream_error"] = upstream_message(exc)
    return render(request, "purchasing/goods_lists.html", context)
