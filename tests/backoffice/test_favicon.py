"""The site has an icon: every page of the staff site, the sign-in page, error pages and the
Django admin name it, and it is a static file that collectstatic ships."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_an_svg_among_the_static_files():
    path = finders.find("favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg ")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, "/login/"),
        ("purchaser", "/dashboard/"),
        ("purchaser", "/no-such-page/"),
        ("admin", "/admin/"),
    ],
)
def test_pages_name_the_icon(client, client_as, role, url):
    browser = client_as(role) if role else client
    assert ICON in browser.get(url).content.decode()
