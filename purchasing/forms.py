"""Forms of the purchasing staff pages: sign-in, the goods search, the picture search."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purchasing.links import LinkError, parse_item_input
from purchasing.models import Platform
from purchasing.services.goods import SORTS
from purchasing.uploads import UploadRefused, picture_format, sniff

MAX_PICTURE_BYTES = 3 * 1024 * 1024  # what both upstreams accept
PICTURE_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_ITEMS = 20  # ids opened at once from the items box
MAX_PAGE = 100


def _yuan_to_fen(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


class GoodsSearchForm(forms.Form):
    """One GET form: a keyword (with filters and paging), a shop, or pasted ids and links."""

    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"),
        choices=Platform.choices,
        initial=Platform.TAOBAO,
        widget=forms.RadioSelect,
    )
    q = forms.CharField(label=gettext_lazy("Keyword"), required=False, max_length=200)
    items = forms.CharField(
        label=gettext_lazy("Item ids or links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mode = forms.CharField(required=False)  # the button pressed: "keyword" or "items"
    shop = forms.CharField(required=False, max_length=64)
    shop_name = forms.CharField(required=False, max_length=200)
    price_min = forms.DecimalField(
        label=gettext_lazy("Price from (¥)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    price_max = forms.DecimalField(
        label=gettext_lazy("Price to (¥)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    category = forms.RegexField(
        label=gettext_lazy("Category"), required=False, regex=r"^\d{1,20}$", max_length=20
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"), choices=list(SORTS.items()), required=False
    )
    page = forms.IntegerField(
        label=gettext_lazy("Page"), required=False, min_value=1, max_value=MAX_PAGE
    )

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The upper price must not be below the lower one."))
        data["price_min_fen"] = _yuan_to_fen(low)
        data["price_max_fen"] = _yuan_to_fen(high)
        data["page"] = data.get("page") or 1
        data["refs"] = []
        if self.wants_items(data):
            try:
                refs = parse_item_input(
                    data.get("items") or "", default_platform=data.get("platform") or "taobao"
                )
            except LinkError as exc:
                self.add_error("items", str(exc))
            else:
                if len(refs) > MAX_ITEMS:
                    self.add_error(
                        "items", _("Open at most %(n)d items at once.") % {"n": MAX_ITEMS}
                    )
                data["refs"] = refs
        return data

    @staticmethod
    def wants_items(data: dict) -> bool:
        mode = data.get("mode")
        if mode == "items":
            return True
        return mode != "keyword" and bool(data.get("items")) and not data.get("q")

    @property
    def searched(self) -> bool:
        """A search was asked for (not just the page opened)."""
        data = self.cleaned_data
        return bool(data.get("refs") or data.get("q") or data.get("shop"))


class PictureSearchForm(forms.Form):
    platform = forms.ChoiceField(
        label=gettext_lazy("Search on"), choices=Platform.choices, initial=Platform.TAOBAO
    )
    picture = forms.FileField(
        label=gettext_lazy("Picture"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        error_messages={
            "required": gettext_lazy("Choose, drop or paste a picture to search with.")
        },
    )

    def clean_picture(self) -> bytes:
        upload = self.cleaned_data["picture"]
        if upload.size > MAX_PICTURE_BYTES:
            size_mb = upload.size / 1024 / 1024
            raise forms.ValidationError(
                _(
                    "That picture is %(size)s MB; the upstream takes at most 3 MB. "
                    "Use a smaller picture or a screenshot of it."
                )
                % {"size": f"{size_mb:.1f}"}
            )
        data = upload.read()
        try:
            found = picture_format(data)  # the size is judged from the header, before decoding
        except UploadRefused as exc:
            if not sniff(data).startswith("image/"):
                raise forms.ValidationError(
                    _("That file is not a picture we can read. Upload a PNG, JPEG or WEBP picture.")
                ) from exc
            raise forms.ValidationError(str(exc)) from exc
        if found not in PICTURE_FORMATS:
            raise forms.ValidationError(
                _("That picture is a %(format)s; the upstream takes PNG, JPEG or WEBP only.")
                % {"format": found}
            )
        return data
