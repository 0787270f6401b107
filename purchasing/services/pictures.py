"""A searched picture kept for an hour, so the picture search's pages are plain GET URLs
(`?picture=<key>`): a refresh or a pager link repeats the search without posting the picture
again. The key is the picture's digest, so the same picture uploaded twice is kept once."""

from __future__ import annotations

import hashlib
import re

from django.core.cache import cache

PICTURE_SECONDS = 3600
KEY = re.compile(r"[0-9a-f]{32}")


def _cache_key(key: str) -> str:
    return f"caigou:goods:picture:{key}"


def picture_keep(*, image: bytes) -> str:
    """Keep a checked picture (PictureSearchForm) and return its key."""
    key = hashlib.sha256(image).hexdigest()[:32]
    cache.set(_cache_key(key), image, PICTURE_SECONDS)
    return key


def picture_kept(*, key: str) -> bytes | None:
    """The picture kept under `key`, or None when the key is malformed, unknown or expired."""
    if not KEY.fullmatch(key):
        return None
    return cache.get(_cache_key(key))
