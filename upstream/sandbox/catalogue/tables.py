"""The catalogue's data: categories and their SKU properties, title words, cities, shop names.

The rows live in `tables.json` beside this module, one row a line; this module gives them their
types. A category row is: id, name (zh, en, vi), parent, Taobao retail price range in fen (1688
wholesale is about half), weight range in grams, the key of its second SKU property in SPECS
(beside colour), and the modifiers that fit it as "zh=en|...". A spec is (propId, propName,
propNameEn, values); HOME_CITIES says where each kind of goods tends to come from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

Pair = tuple[str, str]


@dataclass(frozen=True)
class CategoryDef:
    category_id: str
    zh: str
    en: str
    vi: str
    parent_id: str
    price_fen: tuple[int, int]  # Taobao retail range; 1688 wholesale is about half
    weight_g: tuple[int, int]
    spec: str  # key of SPECS: the second SKU property beside colour
    words: tuple[Pair, ...]  # modifiers that fit this category


def _pairs(rows: list[list[str]]) -> tuple[Pair, ...]:
    return tuple((zh, en) for zh, en in rows)


def _category(cid, zh, en, vi, parent, price, weight, spec, words) -> CategoryDef:
    pairs = _pairs([word.split("=") for word in words.split("|")])
    low, high = price
    light, heavy = weight
    return CategoryDef(cid, zh, en, vi, parent, (low, high), (light, heavy), spec, pairs)


_DATA = json.loads((Path(__file__).with_name("tables.json")).read_text(encoding="utf-8"))

PARENTS: dict[str, tuple[str, ...]] = {key: tuple(names) for key, names in _DATA["parents"].items()}
SPECS: dict[str, tuple[str, str, str, tuple[Pair, ...]]] = {
    key: (prop_id, name, name_en, _pairs(values))
    for key, (prop_id, name, name_en, values) in _DATA["specs"].items()
}
COLOUR_PROP: tuple[str, ...] = tuple(_DATA["colour_prop"])
COLOURS: tuple[Pair, ...] = _pairs(_DATA["colours"])
CATEGORIES: tuple[CategoryDef, ...] = tuple(_category(*row) for row in _DATA["categories"])
CATEGORY_BY_ID: dict[str, CategoryDef] = {c.category_id: c for c in CATEGORIES}
GENERAL_WORDS: tuple[Pair, ...] = _pairs(_DATA["general_words"])
WHOLESALE_WORDS: tuple[Pair, ...] = _pairs(_DATA["wholesale_words"])
HOME_CITIES: dict[str, tuple[Pair, ...]] = {k: _pairs(v) for k, v in _DATA["home_cities"].items()}
CITY_EN: dict[str, str] = _DATA["city_en"]
TAOBAO_SHOP_HEADS: tuple[Pair, ...] = _pairs(_DATA["taobao_shop_heads"])
TAOBAO_SHOP_TAILS: tuple[Pair, ...] = _pairs(_DATA["taobao_shop_tails"])
SUPPLIER_NAMES: tuple[Pair, ...] = _pairs(_DATA["supplier_names"])
SUPPLIER_KINDS: tuple[Pair, ...] = _pairs(_DATA["supplier_kinds"])
