"""The checkout forms: what the cart page, the staff-built order page, the approval page and
the pay batch post. Business rules live in purchasing.services.orders; these only read fields
and say plainly what is wrong with them."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from purchasing.forms_input import as_id, as_ids, half_width, is_id
from purchasing.models import Platform

MAX_LINES = 100
MAX_QUANTITY = 9999
NO_SKU = "-"  # an item without SKUs: "item_id - quantity"
_ID = re.compile(r"^[0-9]{1,32}$")
_SKU = re.compile(r"^[0-9A-Za-z_:;-]{1,64}$")


class CartSelectionForm(forms.Form):
    """The ticked lines of one platform's cart (`cart_id`, repeated)."""

    platform = forms.ChoiceField(choices=Platform.choices)

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.cart_ids = [v for v in (data.getlist("cart_id") if data else []) if is_id(v)]

    def clean(self):
        cleaned = super().clean()
        if not self.cart_ids:
            raise forms.ValidationError(gettext("Tick at least one cart line to preview."))
        cleaned["cart_ids"] = list(dict.fromkeys(self.cart_ids))
        return cleaned


def parse_items(text: str) -> tuple[list[dict], list[str]]:
    """Lines of "item_id sku_id quantity" (spaces, tabs or commas) -> (items, errors).

    Each error names its line, so a person can fix a long paste without guessing. Full-width
    digits and spaces, as a Chinese input method types them, read as their ASCII forms."""
    items: list[dict] = []
    errors: list[str] = []
    text = half_width(text)
    numbered = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    numbered = [(n, line) for n, line in numbered if line and not line.startswith("#")]
    if not numbered:
        return [], [gettext("Enter at least one line: item id, SKU id and quantity.")]
    if len(numbered) > MAX_LINES:
        return [], [
            gettext("At most %(max)s lines in one order; this has %(count)s.")
            % {"max": MAX_LINES, "count": len(numbered)}
        ]
    for number, line in numbered:
        parts = [p for p in re.split(r"[\s,;、]+", line) if p]
        if len(parts) != 3:
            errors.append(
                ngettext(
                    "Line %(number)s: expected “item_id sku_id quantity” (use %(no_sku)s for an"
                    " item without SKUs), got %(count)s value.",
                    "Line %(number)s: expected “item_id sku_id quantity” (use %(no_sku)s for an"
                    " item without SKUs), got %(count)s values.",
                    len(parts),
                )
                % {"number": number, "no_sku": NO_SKU, "count": len(parts)}
            )
            continue
        item_id, sku_id, quantity = parts
        if not _ID.match(item_id):
            errors.append(
                gettext("Line %(number)s: the item id “%(item_id)s” must be digits.")
                % {"number": number, "item_id": item_id}
            )
            continue
        if sku_id != NO_SKU and not _SKU.match(sku_id):
            errors.append(
                gettext("Line %(number)s: the SKU id “%(sku_id)s” is not an id.")
                % {"number": number, "sku_id": sku_id}
            )
            continue
        count = as_id(quantity)
        if count is None or not 1 <= count <= MAX_QUANTITY:
            errors.append(
                gettext(
                    "Line %(number)s: the quantity “%(quantity)s” must be a whole number"
                    " from 1 to %(max)s."
                )
                % {"number": number, "quantity": quantity, "max": MAX_QUANTITY}
            )
            continue
        sku = "" if sku_id == NO_SKU else sku_id
        key = (item_id, sku)
        if any((i["item_id"], i["sku_id"]) == key for i in items):
            errors.append(
                gettext("Line %(number)s: %(item_id)s %(sku_id)s is already on an earlier line.")
                % {"number": number, "item_id": item_id, "sku_id": sku_id}
            )
            continue
        items.append({"item_id": item_id, "sku_id": sku, "spec_id": sku, "quantity": count})
    return items, errors


class StaffOrderForm(forms.Form):
    """An order built by hand: the platform and items by id."""

    platform = forms.ChoiceField(choices=Platform.choices, initial=Platform.TAOBAO)
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "placeholder": _("item_id sku_id quantity\n681234567890 5012345678 2"),
            }
        ),
        help_text=_(
            "One line per SKU: item id, SKU id (1688: spec id; “-” when the item has no SKUs) "
            "and quantity, separated by spaces."
        ),
    )

    def clean_items(self) -> list[dict]:
        items, errors = parse_items(self.cleaned_data["items"])
        if errors:
            raise forms.ValidationError(errors)
        return items


class DecisionForm(forms.Form):
    """An approver's decision on one order."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", gettext("Say why the order is rejected."))
        return cleaned


class PayBatchForm(forms.Form):
    """Orders chosen for payment (`order`, repeated); on the confirmation, the total shown."""

    total_fen = forms.IntegerField(required=False)

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        raw = data.getlist("order") if data else []
        self.order_ids = sorted(set(as_ids(raw)))

    def clean(self):
        cleaned = super().clean()
        if not self.order_ids:
            raise forms.ValidationError(gettext("Choose at least one order to pay."))
        return cleaned


class ApproverNoteForm(forms.Form):
    """The purchaser's note to the approver, on the preview page (empty removes it)."""

    note = forms.CharField(
        label=_("Note to the approver"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        error_messages={"max_length": _("A note may be at most 500 characters.")},
    )
