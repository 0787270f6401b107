import pytest

from purchasing.links import ALIBABA, TAOBAO, ItemRef, LinkError, parse_item_input, parse_link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://item.taobao.com/item.htm?spm=a1z10.1&id=652874251412",
            ItemRef(TAOBAO, "652874251412"),
        ),
        (
            "https://detail.tmall.com/item.htm?id=600123456789&skuId=5012",
            ItemRef(TAOBAO, "600123456789"),
        ),
        ("https://detail.m.tmall.com/item.htm?id=600123456789", ItemRef(TAOBAO, "600123456789")),
        (
            "https://h5.m.taobao.com/awp/core/detail.htm?id=652874251412",
            ItemRef(TAOBAO, "652874251412"),
        ),
        ("https://a.m.taobao.com/i652874251412.htm", ItemRef(TAOBAO, "652874251412")),
        ("https://world.taobao.com/item/652874251412.htm", ItemRef(TAOBAO, "652874251412")),
        ("https://detail.tmall.hk/hk/item.htm?id=600123456789", ItemRef(TAOBAO, "600123456789")),
        (
            "https://detail.1688.com/offer/712345678901.html?spm=a26352",
            ItemRef(ALIBABA, "712345678901"),
        ),
        ("https://m.1688.com/offer/712345678901.html", ItemRef(ALIBABA, "712345678901")),
        (
            "https://detail.m.1688.com/page/index.html?offerId=712345678901",
            ItemRef(ALIBABA, "712345678901"),
        ),
    ],
)
def test_item_links_of_every_kind_give_their_id(url, expected):
    assert parse_link(url) == expected


def test_share_text_with_a_desktop_link_inside_is_read():
    text = (
        "【淘宝】限时特惠 https://item.taobao.com/item.htm?id=652874251412 「纯棉T恤 女」点击链接"
    )
    assert parse_item_input(text, default_platform=ALIBABA) == [ItemRef(TAOBAO, "652874251412")]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://m.tb.cn/h.5xYzAbc?tk=abc", "share short link"),
        ("https://www.amazon.com/dp/B000123", "not a Taobao, Tmall or 1688 address"),
        ("https://shop123.taobao.com/", "does not name an item"),
    ],
)
def test_links_we_cannot_read_get_a_clear_message(url, message):
    with pytest.raises(LinkError, match=message):
        parse_link(url)


def test_lists_of_bare_ids_use_the_chosen_platform_and_drop_duplicates():
    refs = parse_item_input(
        "712345678901, 712345678902\n712345678901；712345678903", default_platform=ALIBABA
    )
    assert [ref.item_id for ref in refs] == ["712345678901", "712345678902", "712345678903"]
    assert {ref.platform for ref in refs} == {ALIBABA}


def test_full_width_digits_typed_by_a_chinese_input_method_are_ids():
    typed = "７１２３４５６７８９０１　７１２３４５６７８９０２"
    refs = parse_item_input(typed, default_platform=TAOBAO)

    assert [ref.item_id for ref in refs] == ["712345678901", "712345678902"]


@pytest.mark.parametrize("text", ["", "   ", "hello", "12345", "7123456789012345678901"])
def test_text_that_is_neither_ids_nor_links_is_refused(text):
    with pytest.raises(LinkError):
        parse_item_input(text, default_platform=TAOBAO)


def test_a_bare_id_pasted_beside_a_link_is_looked_up_too():
    """Both are read, in the order pasted: the link on its own platform, the bare id on the one
    chosen in the form (it used to be dropped without a word)."""
    text = "652874251412\nhttps://detail.1688.com/offer/712345678901.html 652874251413"
    assert parse_item_input(text, default_platform=TAOBAO) == [
        ItemRef(TAOBAO, "652874251412"),
        ItemRef(ALIBABA, "712345678901"),
        ItemRef(TAOBAO, "652874251413"),
    ]


def test_share_words_beside_a_link_are_passed_over_but_alone_are_refused():
    text = "【淘宝】好物 https://item.taobao.com/item.htm?id=652874251412 点击"
    assert parse_item_input(text, default_platform=ALIBABA) == [ItemRef(TAOBAO, "652874251412")]
    with pytest.raises(LinkError, match="neither an item id"):
        parse_item_input("652874251412 好物", default_platform=TAOBAO)
