"""A SKU's properties in words ("颜色分类: 蓝色 (blue); 尺码: M"), whichever shape they came in.

Lines keep the properties as their source gave them: our goods cache (`name`, `value`,
`value_en`), an item read upstream (`prop_name`, `value_name`, `value_name_en`) or an upstream
cart line (`propName`, `valueName`, `valueNameEn`). Pages and the order search read the words.
"""

from __future__ import annotations

from typing import Any

NAME_KEYS = ("name", "prop_name", "propName")
NAME_EN_KEYS = ("name_en", "prop_name_en", "propNameEn")
VALUE_KEYS = ("value", "value_name", "valueName")
VALUE_EN_KEYS = ("value_en", "value_name_en", "valueNameEn", "valueTrans")


def _first(prop: dict, keys: tuple[str, ...]) -> str:
    return next((str(prop[key]).strip() for key in keys if prop.get(key)), "")


def property_words(prop: Any) -> str:
    """One property: "name: value (English value)", the English only where it differs."""
    if not isinstance(prop, dict):
        return str(prop).strip()
    name = _first(prop, NAME_KEYS) or _first(prop, NAME_EN_KEYS)
    value, value_en = _first(prop, VALUE_KEYS), _first(prop, VALUE_EN_KEYS)
    if value_en and value_en != value:
        value = f"{value} ({value_en})" if value else value_en
    return f"{name}: {value}" if name else value


def variant_words(properties: Any) -> str:
    """Every property of a SKU in words, "; " between them ("" for none)."""
    if not isinstance(properties, list):
        return ""
    return "; ".join(words for words in map(property_words, properties) if words)
