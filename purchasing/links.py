"""Reading item ids out of what staff paste: ids, lists of ids, and Taobao, Tmall or 1688 links
(desktop, mobile and share texts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from purchasing.forms_input import half_width

TAOBAO = "taobao"
ALIBABA = "1688"

_URL = re.compile(r"https?://[^\s，。「」【】\"'<>]+", re.IGNORECASE)
_BARE_ID = re.compile(r"^\d{6,19}$")
_SHORT_HOSTS = ("m.tb.cn", "tb.cn", "s.click.taobao.com", "qr.1688.com", "m.1688.com/s/")
_ID_PARAMS = ("id", "itemId", "item_id", "offerId", "offer_id")


class LinkError(ValueError):
    """What was pasted cannot be read as an item; the message tells the person what to do."""


@dataclass(frozen=True)
class ItemRef:
    platform: str  # TAOBAO (Taobao and Tmall) or ALIBABA (1688)
    item_id: str


def _platform_of(host: str) -> str | None:
    host = host.lower()
    if host.endswith("1688.com"):
        return ALIBABA
    if any(host.endswith(suffix) for suffix in ("taobao.com", "tmall.com", "tmall.hk", "tb.cn")):
        return TAOBAO
    return None


def parse_link(url: str) -> ItemRef:
    """The item a Taobao, Tmall or 1688 page link points at; LinkError when it cannot be read."""
    parts = urlsplit(url.strip())
    platform = _platform_of(parts.hostname or "")
    if platform is None:
        raise LinkError(
            _(
                "%(address)s is not a Taobao, Tmall or 1688 address. "
                "Paste the item page's link, or its id."
            )
            % {"address": parts.hostname or url}
        )
    if any(short in f"{parts.hostname}{parts.path}" for short in _SHORT_HOSTS):
        raise LinkError(
            _(
                "That is a share short link, which only the app can open. Open it in a browser "
                "and paste the item page's address instead."
            )
        )
    query = parse_qs(parts.query)
    for name in _ID_PARAMS:
        for value in query.get(name, []):
            if value.isdigit():
                return ItemRef(platform, value)
    # Path forms: detail.1688.com/offer/1.html, a.m.taobao.com/i1.htm, world.taobao.com/item/1.htm
    match = re.search(r"/(?:offer|item|i)/?(\d{6,19})(?:\.html?)?", parts.path)
    if match:
        return ItemRef(platform, match.group(1))
    raise LinkError(
        _(
            "This link does not name an item (no item id in it). Open the item page and copy "
            "its address from there."
        )
    )


def parse_item_input(text: str, *, default_platform: str) -> list[ItemRef]:
    """Every item named in pasted text, in the order pasted: links (each with its platform) and
    bare ids (on the platform chosen in the form), also when both are pasted together. Beside a
    link, other words are a share text's and are passed over; without one, a word that is not
    an id is refused. Duplicates are dropped. LinkError if nothing names an item. Full-width
    digits, as a Chinese input method types them, read as ASCII ones."""
    text = half_width(text).strip()
    if not text:
        raise LinkError(_("Paste an item id, several ids, or a Taobao, Tmall or 1688 link."))
    refs: list[ItemRef] = []
    bad: list[str] = []
    at = 0
    for url in [*_URL.finditer(text), None]:
        between = text[at : url.start() if url else len(text)]
        for token in (t for t in re.split(r"[\s,;，；、]+", between) if t):
            if _BARE_ID.match(token):
                refs.append(ItemRef(default_platform, token))
            else:
                bad.append(token)
        if url:
            refs.append(parse_link(url.group(0)))
            at = url.end()
    if bad and not _URL.search(text):
        raise LinkError(
            _("“%(word)s” is neither an item id (6 to 19 digits) nor a link.")
            % {"word": bad[0][:40]}
        )
    return list(dict.fromkeys(refs))
