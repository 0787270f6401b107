"""Typed results of the other goods calls: search pages, categories, checks, uploads, matches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from upstream.types.base import Record, id_str
from upstream.types.goods.products import Product, Sku


@dataclass(kw_only=True)
class SearchPage(Record):
    """One page of a search: `items` with the total count and paging."""

    items: list[Product]
    total: int
    page: int
    page_size: int
    total_pages: int

    @classmethod
    def from_page(cls, data: dict[str, Any], parse: Callable[[dict], Product]) -> SearchPage:
        """A v2 page `{totalRecords, totalPage, pageSize, currentPage, data[]}`."""
        data = data or {}
        items = [parse(item) for item in data.get("data") or []]
        page_size = int(data.get("pageSize") or len(items) or 1)
        total = int(data.get("totalRecords") or 0)
        total_pages = data.get("totalPage")
        return cls(
            raw=data,
            items=items,
            total=total,
            page=int(data.get("currentPage") or 1),
            page_size=page_size,
            total_pages=int(total_pages) if total_pages is not None else -(-total // page_size),
        )


@dataclass(kw_only=True)
class Category(Record):
    """A 1688 category with its Chinese and translated names, and its children."""

    category_id: str
    name: str  # Chinese
    name_translated: str = ""
    language: str = ""
    parent_id: str = ""
    level: int = 0
    leaf: bool = False
    children: list[Category] = field(default_factory=list)

    @classmethod
    def from_alibaba(cls, data: dict[str, Any], language: str = "") -> Category:
        return cls(
            raw=data,
            category_id=id_str(data.get("categoryId")),
            name=data.get("chineseName") or "",
            name_translated=data.get("translatedName") or "",
            language=data.get("language") or language,
            parent_id=id_str(data.get("parentCateId")),
            level=int(data.get("level") or 0),
            leaf=bool(data.get("leaf")),
            children=[
                cls.from_alibaba(c, data.get("language") or language)
                for c in data.get("childCategorys") or []
            ],
        )

    @classmethod
    def from_dajisaas(cls, data: dict[str, Any]) -> Category:
        """Dajisaas's category query: 1688's own category record (`categoryID`, `name` in
        Chinese, `level`, `isLeaf`, `parentIDs`, `childCategorys[{id, name, isLeaf}]`), as a
        public client reads it; no translated name."""
        parents = data.get("parentIDs") or []
        return cls(
            raw=data,
            category_id=id_str(data.get("categoryID") or data.get("id")),
            name=data.get("name") or "",
            parent_id=id_str(parents[0]) if parents else "",
            level=int(data.get("level") or 0),
            leaf=bool(data.get("isLeaf")),
            children=[cls.from_dajisaas(c) for c in data.get("childCategorys") or []],
        )


@dataclass(kw_only=True)
class BatchCheck(Record):
    """Which Taobao items the distribution catalogue can sell (with mpId), and why not."""

    products: list[Product]
    missing_item_ids: list[str]
    reasons: dict[str, str]  # itemId -> reason, for the missing ones

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> BatchCheck:
        reasons = {}
        for entry in data.get("noMpReasonList") or []:
            if isinstance(entry, dict):
                reasons[id_str(entry.get("itemId"))] = str(entry.get("reason") or "")
        return cls(
            raw=data,
            products=[Product.from_taobao(p) for p in data.get("mpProducts") or []],
            missing_item_ids=[id_str(i) for i in data.get("noMpProductItemIds") or []],
            reasons=reasons,
        )


@dataclass(kw_only=True)
class UploadedImage(Record):
    """A picture uploaded to Dajisaas for picture search."""

    image_id: str

    @classmethod
    def from_dajisaas(cls, data: Any) -> UploadedImage:
        if isinstance(data, dict):
            return cls(raw=data, image_id=id_str(data.get("imageId")))
        return cls(raw={"imageId": data}, image_id=id_str(data))


@dataclass(kw_only=True)
class WangwangChat(Record):
    """Where an encrypted 1688 Wangwang link leads: the chat page and the seller's login."""

    url: str
    login_id: str = ""
    seller_open_id: str = ""

    @classmethod
    def from_alibaba(cls, data: Any) -> WangwangChat:
        if isinstance(data, str):
            return cls(raw={"url": data}, url=data)
        return cls(
            raw=data,
            url=data.get("url") or "",
            login_id=data.get("loginId") or "",
            seller_open_id=id_str(data.get("sellerOpenId")),
        )


@dataclass(kw_only=True)
class TaobaoMatch(Record):
    """Dajisaas' match step for a Taobao item: whether it can be distributed, and its ids."""

    item_id: str
    mp_id: str
    item_type: str  # HAVE_MATERIAL or WITHOUT_MATERIAL
    title: str = ""
    quantity: int = 0
    skus: list[Sku] = field(default_factory=list)

    @property
    def has_material(self) -> bool:
        return self.item_type == "HAVE_MATERIAL"

    @classmethod
    def from_dajisaas(cls, data: dict[str, Any]) -> TaobaoMatch:
        return cls(
            raw=data,
            item_id=id_str(data.get("itemId")),
            mp_id=id_str(data.get("mpId")),
            item_type=data.get("itemType") or "",
            title=data.get("title") or "",
            quantity=int(data.get("quantity") or 0),
            skus=[Sku.from_taobao(s) for s in data.get("skuList") or []],
        )
