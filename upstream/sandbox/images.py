"""Product pictures drawn locally with Pillow, and the signature picture search compares.

A picture is a pure function of the product's `picture_key` and its number, so nothing is stored
at seed time: `/sandbox/images/<platform>/<item_id>/<n>.png` draws it on request and keeps the
PNG in a small in-memory cache. A reseller's copy of a design (`"<key>~"`) is the same picture
with a frame and a corner badge: a near-duplicate, as on the real marketplaces.

Picture search uses a perceptual difference hash: the picture shrunk to 9x8 grey pixels, one
bit per pair of neighbours (is the left one brighter), 16 hex characters. Re-encoding, resizing
and small edits move few bits, so the Hamming distance ranks the original first and its copies next.
`Product.image_signature` holds the hashes of all of a product's pictures, concatenated.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import random
import re
from functools import lru_cache

from PIL import Image, ImageDraw, UnidentifiedImageError

SIZE = 320
HASH_HEX = 16  # one 64-bit difference hash
RESELLER_MARK = "~"

# Saturated and pale colours, so that the grey version of a picture keeps its shapes.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (30, 30, 30),
    (245, 245, 245),
    (210, 40, 50),
    (40, 90, 200),
    (240, 150, 180),
    (140, 140, 140),
    (60, 160, 90),
    (240, 200, 60),
    (140, 80, 180),
    (190, 170, 120),
    (30, 40, 90),
    (235, 225, 205),
    (240, 130, 40),
    (20, 150, 160),
    (120, 60, 40),
)


def _colour(rng: random.Random, avoid: tuple[int, int, int] | None = None) -> tuple[int, ...]:
    while True:
        colour = rng.choice(PALETTE)
        if avoid is None or abs(sum(colour) - sum(avoid)) > 150:
            return colour


def _pattern(draw: ImageDraw.ImageDraw, rng: random.Random, size: int, ink, background) -> None:
    """A glyph-free pattern across the picture; periods and phases off the hash grid."""
    pattern = rng.choice(("stripes", "diagonal", "checker", "dots", "rings"))
    period = rng.uniform(28, 90) * size / SIZE
    phase = rng.uniform(0, period)
    width = period * rng.uniform(0.3, 0.6)
    if pattern == "stripes":
        vertical = rng.random() < 0.5
        for k in range(int(size / period) + 2):
            x = k * period - phase
            draw.rectangle(
                [x, 0, x + width, size] if vertical else [0, x, size, x + width], fill=ink
            )
    elif pattern == "diagonal":
        rising = rng.random() < 0.5
        for k in range(int(2 * size / period) + 2):
            x = k * period - size - phase
            if rising:
                points = [(x, 0), (x + width, 0), (x + width + size, size), (x + size, size)]
            else:
                points = [(x + size, 0), (x + size + width, 0), (x + width, size), (x, size)]
            draw.polygon(points, fill=ink)
    elif pattern == "checker":
        cells = int(size / period) + 2
        for row in range(cells):
            for col in range(row % 2, cells, 2):
                x, y = col * period - phase, row * period - phase
                draw.rectangle([x, y, x + period, y + period], fill=ink)
    elif pattern == "dots":
        radius = period * rng.uniform(0.2, 0.4)
        for row in range(int(size / period) + 3):
            y = row * period - phase
            for col in range(int(size / period) + 3):
                x = col * period - phase + (period / 2 if row % 2 else 0)
                draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=ink)
    else:  # concentric rings around a random centre
        cx, cy = rng.uniform(0, size), rng.uniform(0, size)
        radius, k = size * 1.5, 0
        while radius > 0:
            colour = ink if k % 2 == 0 else background
            draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=colour)
            radius, k = radius - period / 2, k + 1


def _shapes(draw: ImageDraw.ImageDraw, rng: random.Random, size: int, background) -> None:
    """The "product": two to four large blocks, ellipses, triangles or diamonds."""
    for _ in range(rng.randint(2, 4)):
        fill = _colour(rng, avoid=background)
        cx, cy = rng.uniform(0.15, 0.85) * size, rng.uniform(0.15, 0.85) * size
        w, h = rng.uniform(0.15, 0.35) * size, rng.uniform(0.15, 0.35) * size
        shape = rng.choice(("rectangle", "ellipse", "triangle", "diamond"))
        if shape == "rectangle":
            draw.rectangle([cx - w, cy - h, cx + w, cy + h], fill=fill)
        elif shape == "ellipse":
            draw.ellipse([cx - w, cy - h, cx + w, cy + h], fill=fill)
        elif shape == "triangle":
            turn = rng.uniform(0, 2 * math.pi)
            corners = [turn + k * 2 * math.pi / 3 for k in range(3)]
            draw.polygon([(cx + w * math.cos(a), cy + h * math.sin(a)) for a in corners], fill=fill)
        else:
            draw.polygon([(cx, cy - h), (cx + w, cy), (cx, cy + h), (cx - w, cy)], fill=fill)


def render(picture_key: str, n: int, *, size: int = SIZE) -> Image.Image:
    """Picture `n` (1-based) of the design `picture_key`; deterministic, glyph-free."""
    reseller = picture_key.endswith(RESELLER_MARK)
    rng = random.Random(f"{picture_key.rstrip(RESELLER_MARK)}#{n}")
    background = _colour(rng)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    _pattern(draw, rng, size, _colour(rng, avoid=background), background)
    _shapes(draw, rng, size, background)
    if reseller:
        # The reseller's thin frame and corner badge: a near-duplicate of the supplier's picture.
        frame = max(2, size // 80)
        draw.rectangle([0, 0, size - 1, size - 1], outline=(250, 250, 250), width=frame)
        draw.rectangle([size * 0.84, size * 0.04, size * 0.96, size * 0.11], fill=(220, 30, 30))
    return image


@lru_cache(maxsize=512)
def png_bytes(picture_key: str, n: int) -> bytes:
    """Picture `n` of a design as PNG bytes (cached: the same request draws once)."""
    buffer = io.BytesIO()
    render(picture_key, n).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def picture_hash(image: Image.Image) -> str:
    """The 64-bit difference hash of a picture, as 16 hex characters.

    The picture shrunk to 9x8 grey pixels; one bit per pair of horizontal neighbours (is the
    left one brighter). It survives re-encoding, resizing and small edits far better than an
    average hash, whose bits flip together when the overall brightness moves.
    """
    grey = image.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (1 if grey[row * 9 + col] > grey[row * 9 + col + 1] else 0)
    return f"{bits:016x}"


def signature(picture_key: str, count: int) -> str:
    """The hashes of pictures 1..count of a design, concatenated (at most 4, 64 characters)."""
    return "".join(picture_hash(render(picture_key, n)) for n in range(1, count + 1))


def split_signature(value: str) -> list[int]:
    return [int(value[i : i + HASH_HEX], 16) for i in range(0, len(value), HASH_HEX) if value]


def distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes."""
    return (a ^ b).bit_count()


def best_distance(query: int, product_signature: str) -> int:
    """How close the query is to the nearest of a product's pictures (64 when it has none)."""
    return min((distance(query, h) for h in split_signature(product_signature)), default=64)


class BadImage(ValueError):
    """The uploaded bytes are not a picture Pillow can read."""


def decode_base64(value: str) -> bytes:
    """Base64 picture bytes, with or without a `data:image/...;base64,` prefix."""
    if value.startswith("data:"):
        value = value.split(",", 1)[-1]
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise BadImage("the picture is not valid base64") from exc


def hash_of_bytes(data: bytes) -> int:
    """The difference hash of uploaded picture bytes (PNG, JPEG, WEBP...)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return int(picture_hash(image), 16)
    except (UnidentifiedImageError, OSError) as exc:
        raise BadImage("the upload is not a readable picture") from exc


PICTURE_PATH = re.compile(
    r"/sandbox/images/(?P<platform>taobao|1688)/(?P<item_id>\w+)/(?P<n>\d+)\.png"
)


def parse_picture_url(url: str) -> tuple[str, str, int] | None:
    """(platform, item_id, n) when `url` is one of the sandbox's own pictures."""
    match = PICTURE_PATH.search(url)
    if not match:
        return None
    return match["platform"], match["item_id"], int(match["n"])


def picture_path(platform: str, item_id: str, n: int = 1) -> str:
    """The sandbox path of picture `n` (1-based) of a product: `/sandbox/images/...png`."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("sandbox:picture", args=[platform, item_id, str(n)])
    except NoReverseMatch:
        # Until the picture route is included the path is still the documented one.
        return f"/sandbox/images/{platform}/{item_id}/{n}.png"


def picture_url(request, platform: str, item_id: str, n: int = 1) -> str:
    """The absolute URL of picture `n` of a product, as upstream payloads carry them."""
    path = picture_path(platform, item_id, n)
    return request.build_absolute_uri(path) if request is not None else path
