"""The catalogue's data: categories and their SKU properties, title words, cities, shop names."""

from __future__ import annotations

from dataclasses import dataclass


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
    words: tuple[tuple[str, str], ...]  # modifiers that fit this category


PARENTS: dict[str, tuple[str, str, str]] = {
    "10166": ("女装", "Women's clothing", "Thời trang nữ"),
    "10165": ("男装", "Men's clothing", "Thời trang nam"),
    "127418001": ("鞋靴", "Shoes", "Giày dép"),
    "7": ("3C数码配件", "Digital accessories", "Phụ kiện kỹ thuật số"),
    "15": ("家居日用", "Household goods", "Đồ gia dụng"),
    "1042954": ("箱包皮具", "Bags and luggage", "Túi xách và vali"),
    "18": ("运动户外", "Sports and outdoors", "Thể thao và dã ngoại"),
    "1043351": ("宠物用品", "Pet supplies", "Đồ dùng thú cưng"),
    "54": ("服饰配件", "Fashion accessories", "Phụ kiện thời trang"),
    "67": ("办公文具", "Office and stationery", "Văn phòng phẩm"),
}

SPECS: dict[str, tuple[str, str, str, tuple[tuple[str, str], ...]]] = {
    # key: (propId, propName, propNameEn, values)
    "size": ("20509", "尺码", "Size", (("S", "S"), ("M", "M"), ("L", "L"), ("XL", "XL"),
                                       ("XXL", "XXL"), ("3XL", "3XL"))),
    "shoe": ("20549", "鞋码", "Shoe size", tuple((str(n), str(n)) for n in range(35, 45))),
    "model": ("122216343", "适用型号", "Compatible model", (
        ("iPhone 15", "iPhone 15"), ("iPhone 15 Pro", "iPhone 15 Pro"),
        ("iPhone 15 Pro Max", "iPhone 15 Pro Max"), ("华为Mate 60", "Huawei Mate 60"),
        ("小米14", "Xiaomi 14"), ("OPPO Reno11", "OPPO Reno11"), ("vivo X100", "vivo X100"))),
    "length": ("148242406", "长度", "Length", (
        ("0.5米", "0.5 m"), ("1米", "1 m"), ("1.5米", "1.5 m"), ("2米", "2 m"), ("3米", "3 m"))),
    "capacity": ("122216515", "容量", "Capacity", (
        ("350ml", "350 ml"), ("500ml", "500 ml"), ("750ml", "750 ml"), ("1000ml", "1000 ml"))),
    "box": ("122216608", "规格", "Size", (
        ("小号", "Small"), ("中号", "Medium"), ("大号", "Large"), ("特大号", "Extra large"))),
    "pack": ("1627767", "规格", "Pack", (
        ("1个装", "Single"), ("3个装", "Pack of 3"), ("5个装", "Pack of 5"),
        ("10个装", "Pack of 10"))),
    "pairs": ("1627767", "规格", "Pack", (
        ("5双装", "5 pairs"), ("10双装", "10 pairs"), ("20双装", "20 pairs"))),
    "power": ("122276111", "功率", "Power", (
        ("20W", "20 W"), ("33W", "33 W"), ("65W", "65 W"), ("100W", "100 W"))),
    "style": ("122216347", "款式", "Style", (
        ("折叠款", "Foldable"), ("长柄款", "Long handle"), ("自动款", "Automatic"))),
    "one": ("20509", "尺码", "Size", (("均码", "One size"),)),
}  # fmt: skip

COLOUR_PROP = ("1627207", "颜色分类", "Colour")
COLOURS: tuple[tuple[str, str], ...] = (
    ("黑色", "Black"), ("白色", "White"), ("红色", "Red"), ("蓝色", "Blue"), ("粉色", "Pink"),
    ("灰色", "Grey"), ("绿色", "Green"), ("黄色", "Yellow"), ("紫色", "Purple"),
    ("卡其色", "Khaki"), ("藏青色", "Navy"), ("米白色", "Off-white"), ("橙色", "Orange"),
)  # fmt: skip


def _category(cid, zh, en, vi, parent, price, weight, spec, words) -> CategoryDef:
    pairs = tuple(tuple(w.split("=")) for w in words.split("|"))
    return CategoryDef(cid, zh, en, vi, parent, price, weight, spec, pairs)  # type: ignore[arg-type]


# id, name (zh, en, vi), parent, Taobao price range (fen), weight (g), spec, "zh=en|..." words
CATEGORIES: tuple[CategoryDef, ...] = (
    _category("1031910", "女装T恤", "women's T-shirt", "áo thun nữ", "10166", (2900, 8900),
              (150, 300), "size",
              "纯棉=cotton|宽松=loose|短袖=short-sleeve|韩版=Korean-style|印花=printed|圆领=crew-neck"),
    _category("1031911", "连衣裙", "dress", "váy liền", "10166", (5900, 19900), (250, 500),
              "size", "雪纺=chiffon|碎花=floral|法式=French-style|收腰=fitted-waist|中长款=midi"),
    _category("1031912", "卫衣", "hoodie", "áo hoodie", "10166", (6900, 15900), (400, 700),
              "size", "加绒=fleece-lined|连帽=hooded|oversize=oversized|情侣=couples'"),
    _category("1032001", "男士衬衫", "men's shirt", "áo sơ mi nam", "10165", (4900, 12900),
              (200, 350), "size",
              "商务=business|长袖=long-sleeve|免烫=non-iron|修身=slim-fit|条纹=striped"),
    _category("1032002", "男士短裤", "men's shorts", "quần short nam", "10165", (3900, 9900),
              (150, 300), "size", "运动=sports|冰丝=ice-silk|速干=quick-dry|工装=cargo"),
    _category("127418101", "运动鞋", "sneakers", "giày thể thao", "127418001", (9900, 29900),
              (600, 1000), "shoe",
              "透气=breathable|轻便=lightweight|跑步=running|网面=mesh|厚底=platform|防滑=non-slip"),
    _category("127418102", "帆布鞋", "canvas shoes", "giày vải", "127418001", (5900, 15900),
              (500, 800), "shoe", "百搭=versatile|低帮=low-top|高帮=high-top|学生=student"),
    _category("127418103", "拖鞋", "slippers", "dép lê", "127418001", (1900, 5900),
              (250, 450), "shoe", "EVA=EVA|居家=indoor|防滑=non-slip|踩屎感=cloud-soft"),
    _category("7001", "手机壳", "phone case", "ốp điện thoại", "7", (1500, 4900), (40, 80),
              "model", "防摔=shockproof|透明=clear|硅胶=silicone|磁吸=magnetic|磨砂=matte"),
    _category("7002", "数据线", "USB cable", "cáp sạc USB", "7", (990, 3990), (30, 80),
              "length",
              "快充=fast-charging|Type-C=Type-C|编织=braided|加长=extra-long|弯头=right-angle"),
    _category("7003", "充电器", "charger", "củ sạc", "7", (2900, 12900), (60, 200), "power",
              "氮化镓=GaN|快充=fast-charging|多口=multi-port|折叠插脚=foldable-plug"),
    _category("7004", "蓝牙耳机", "Bluetooth earphones", "tai nghe Bluetooth", "7",
              (5900, 25900), (60, 150), "one",
              "无线=wireless|降噪=noise-cancelling|入耳式=in-ear|运动=sports|长续航=long-battery"),
    _category("1501", "保温杯", "vacuum flask", "bình giữ nhiệt", "15", (3900, 12900),
              (250, 550), "capacity",
              "不锈钢=stainless steel|316=316|便携=portable|大容量=large-capacity"
              "|带吸管=with straw"),
    _category("1502", "收纳盒", "storage box", "hộp đựng đồ", "15", (1900, 6900), (300, 1200),
              "box", "塑料=plastic|桌面=desktop|抽屉式=drawer|可叠加=stackable|带盖=lidded"),
    _category("1503", "毛巾", "towel", "khăn tắm", "15", (1500, 4900), (100, 250), "pack",
              "纯棉=cotton|加厚=thickened|吸水=absorbent|速干=quick-dry"),
    _category("1504", "台灯", "desk lamp", "đèn bàn", "15", (3900, 15900), (400, 900), "one",
              "LED=LED|护眼=eye-care|充电=rechargeable|折叠=foldable|学习=study"),
    _category("1505", "雨伞", "umbrella", "ô dù", "15", (2900, 8900), (250, 500), "style",
              "晴雨两用=sun-and-rain|防晒=UV-protection|加大=oversized|黑胶=black-coated"),
    _category("104295401", "双肩包", "backpack", "ba lô", "1042954", (5900, 19900), (500, 900),
              "one", "大容量=large-capacity|防水=waterproof|电脑=laptop|旅行=travel|学生=student"),
    _category("104295402", "帆布包", "tote bag", "túi vải", "1042954", (1900, 5900),
              (150, 350), "one", "单肩=shoulder|文艺=artsy|大号=large|拉链=zip"),
    _category("1801", "瑜伽垫", "yoga mat", "thảm yoga", "18", (3900, 12900), (800, 1500),
              "box", "加厚=thickened|防滑=non-slip|TPE=TPE|健身=fitness"),
    _category("1802", "运动袜", "sports socks", "tất thể thao", "18", (1900, 4900), (100, 300),
              "pairs", "中筒=crew|毛巾底=cushioned|吸汗=sweat-wicking|篮球=basketball"),
    _category("104335101", "宠物玩具", "pet toy", "đồ chơi thú cưng", "1043351", (990, 3900),
              (50, 200), "pack", "耐咬=chew-proof|发声=squeaky|逗猫=cat-teaser|磨牙=teething"),
    _category("5401", "棒球帽", "baseball cap", "mũ lưỡi trai", "54", (2900, 7900), (80, 150),
              "one", "防晒=sun-protection|刺绣=embroidered|鸭舌=peaked|复古=retro"),
    _category("5402", "发夹", "hair clip", "kẹp tóc", "54", (590, 2900), (20, 60), "pack",
              "抓夹=claw|珍珠=pearl|鲨鱼夹=shark|法式=French-style"),
    _category("6701", "笔记本", "notebook", "sổ tay", "67", (590, 2900), (150, 400), "pack",
              "A5=A5|加厚=thick|活页=loose-leaf|手账=journal"),
)  # fmt: skip

CATEGORY_BY_ID: dict[str, CategoryDef] = {c.category_id: c for c in CATEGORIES}

GENERAL_WORDS: tuple[tuple[str, str], ...] = (
    ("新款", "new"), ("网红", "trending"), ("简约", "minimalist"), ("ins风", "INS-style"),
    ("高品质", "premium"), ("热卖", "hot-selling"), ("日系", "Japanese-style"),
    ("北欧", "Nordic-style"), ("复古", "retro"),
)  # fmt: skip
WHOLESALE_WORDS: tuple[tuple[str, str], ...] = (
    ("工厂直销", "factory direct"), ("跨境", "cross-border"), ("批发", "wholesale"),
    ("一件代发", "dropshipping"), ("源头厂家", "source manufacturer"),
)  # fmt: skip

# Where each kind of goods tends to come from: (province, city).
HOME_CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "10166": (("浙江", "杭州"), ("广东", "广州"), ("江苏", "常熟")),
    "10165": (("广东", "广州"), ("福建", "石狮"), ("浙江", "杭州")),
    "127418001": (("福建", "泉州"), ("福建", "莆田"), ("浙江", "温州")),
    "7": (("广东", "深圳"), ("广东", "东莞")),
    "15": (("浙江", "义乌"), ("浙江", "台州"), ("广东", "揭阳")),
    "1042954": (("河北", "白沟"), ("广东", "广州")),
    "18": (("浙江", "义乌"), ("福建", "厦门")),
    "1043351": (("浙江", "义乌"), ("山东", "临沂")),
    "54": (("浙江", "义乌"), ("浙江", "金华")),
    "67": (("浙江", "宁波"), ("浙江", "义乌")),
}
CITY_EN = {
    "杭州": "Hangzhou", "广州": "Guangzhou", "常熟": "Changshu", "石狮": "Shishi",
    "泉州": "Quanzhou", "莆田": "Putian", "温州": "Wenzhou", "深圳": "Shenzhen",
    "东莞": "Dongguan", "义乌": "Yiwu", "台州": "Taizhou", "揭阳": "Jieyang", "白沟": "Baigou",
    "厦门": "Xiamen", "临沂": "Linyi", "金华": "Jinhua", "宁波": "Ningbo",
}  # fmt: skip

TAOBAO_SHOP_HEADS = (
    ("小鹿", "Little Deer"), ("森林", "Forest"), ("米粒", "Rice Grain"), ("橙子", "Orange"),
    ("蓝鲸", "Blue Whale"), ("熊猫", "Panda"), ("星辰", "Starlight"), ("木子", "Muzi"),
    ("初夏", "Early Summer"), ("南风", "South Wind"), ("云朵", "Cloud"), ("柚子", "Pomelo"),
)  # fmt: skip
TAOBAO_SHOP_TAILS = (
    ("优选", "Select"), ("家居馆", "Home Store"), ("旗舰店", "Flagship Store"), ("小铺", "Shop"),
    ("生活馆", "Living"), ("官方店", "Official Store"), ("严选", "Picks"),
)  # fmt: skip
SUPPLIER_NAMES = (
    ("鑫源", "Xinyuan"), ("恒达", "Hengda"), ("佳美", "Jiamei"), ("华兴", "Huaxing"),
    ("优品", "Youpin"), ("创意", "Chuangyi"), ("盛世", "Shengshi"), ("金鹰", "Jinying"),
    ("宏图", "Hongtu"), ("天成", "Tiancheng"), ("万象", "Wanxiang"), ("博远", "Boyuan"),
)  # fmt: skip
SUPPLIER_KINDS = (
    ("贸易有限公司", "Trading Co., Ltd."), ("工厂", "Factory"),
    ("实业有限公司", "Industrial Co., Ltd."), ("电子商务有限公司", "E-commerce Co., Ltd."),
    ("日用品厂", "Daily Goods Factory"),
)  # fmt: skip
