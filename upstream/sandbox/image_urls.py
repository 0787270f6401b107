"""The sandbox's product pictures: `/sandbox/images/<platform>/<item_id>/<n>.png`.

Included by `upstream/sandbox/urls.py` under `images/`, so the names live in the `sandbox`
namespace (`sandbox:picture`). Pictures are drawn on request (upstream/sandbox/images.py).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from upstream.sandbox import images
from upstream.sandbox.models import Product


@require_GET
@cache_control(public=True, max_age=86400)
def picture(request: HttpRequest, platform: str, item_id: str, n: str) -> HttpResponse:
    """Picture `n` (1-based) of a catalogue product, as PNG."""
    number = int(n)
    product = (
        Product.objects.filter(platform=platform, item_id=item_id)
        .only("picture_key", "picture_count", "item_id", "platform")
        .first()
    )
    if product is None or not 1 <= number <= product.picture_count:
        raise Http404("no such picture")
    key = product.picture_key or f"{product.platform}:{product.item_id}"
    return HttpResponse(images.png_bytes(key, number), content_type="image/png")


urlpatterns = [
    re_path(
        r"^(?P<platform>taobao|1688)/(?P<item_id>\w+)/(?P<n>\d+)\.png$", picture, name="picture"
    ),
]
