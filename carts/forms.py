"""The cart forms: what the item page and the cart page post. Business rules live in
carts.services; these only read the fields."""

from __future__ import annotations

from django import forms

from carts.services import PLATFORMS
from purchasing.forms_input import is_id

PLATFORM_CHOICES = [(platform, platform) for platform in PLATFORMS]


class AddToCartForm(forms.Form):
    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)
    item_id = forms.CharField(max_length=32)
    sku_id = forms.CharField(max_length=32, required=False)
    quantity = forms.IntegerField(required=False)


class LineForm(forms.Form):
    """A change to one line of a platform's cart; `selected` keeps the page's selection."""

    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)
    cart_id = forms.CharField(max_length=32)
    quantity = forms.IntegerField(required=False)


class SelectionForm(forms.Form):
    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)


def selected_ids(data) -> list[str]:
    """The cart ids ticked on the page (`selected`, repeated)."""
    return [value for value in data.getlist("selected") if is_id(value)]


# -- baskets --------------------------------------------------------------------------------
class BasketAddForm(AddToCartForm):
    """The item page's "Add to basket": the same fields as the cart's add, and a note."""

    note = forms.CharField(max_length=300, required=False)


class BasketLineForm(forms.Form):
    """A change to one line of one's own basket."""

    quantity = forms.IntegerField(required=False)
    note = forms.CharField(max_length=300, required=False)


class BasketOrderForm(forms.Form):
    """ "Preview an order": a platform and the basket lines ticked for it (`line`, repeated)."""

    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)


def basket_line_ids(data) -> list[int] | None:
    """The line ids ticked on the basket page; None when one of them is not a number."""
    values = data.getlist("line")
    if not all(value.isascii() and value.isdigit() and len(value) < 12 for value in values):
        return None
    return [int(value) for value in values]
