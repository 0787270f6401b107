"""Exchange rates staff set for the selling currencies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A rate dated this little ahead of the server's clock is a clock difference, not a future date.
CLOCK_SKEW = timedelta(minutes=1)


class ExchangeRate(models.Model):
    """How many CNY one unit of a selling currency costs, as staff set it on a date.

    Rates are never edited: a new row supersedes the old one, so a conversion can always say
    which rate it used.
    """

    currency = models.CharField(
        max_length=3,
        help_text=gettext_lazy("ISO 4217 code, e.g. USD, EUR, GBP."),
        verbose_name=gettext_lazy("currency"),
    )
    cny_per_unit = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        help_text=gettext_lazy("CNY for one unit of the currency, e.g. 7.12."),
        verbose_name=gettext_lazy("CNY per unit"),
    )
    set_on = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=gettext_lazy("set on")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("set by"),
    )
    note = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("note"))

    class Meta:
        verbose_name = gettext_lazy("exchange rate")
        verbose_name_plural = gettext_lazy("exchange rates")
        ordering = ["currency", "-set_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cny_per_unit__gt=0), name="exchange_rate_positive"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.cny_per_unit} CNY ({self.set_on:%Y-%m-%d})"

    def clean(self) -> None:
        """No rate dated in the future: the latest rate by date is the one in force, so a future
        one would outrank every correction made until then."""
        if self.set_on and self.set_on > timezone.now() + CLOCK_SKEW:
            raise ValidationError(
                {"set_on": _("A rate cannot be dated in the future: date it now or earlier.")}
            )

    @classmethod
    def latest(cls, currency: str) -> ExchangeRate | None:
        """The rate in force for `currency` (the newest by date), or None."""
        return cls.objects.filter(currency=currency.upper()).order_by("-set_on", "-pk").first()

    def departure_percent(self, other: ExchangeRate) -> Decimal:
        """How far this rate is from `other`, in percent of `other` (always positive)."""
        return abs(self.cny_per_unit / other.cny_per_unit - 1) * 100

    @property
    def text(self) -> str:
        """The rate as a person reads it: "1 USD = 7.10 CNY"."""
        return f"1 {self.currency} = {rate_text(self.cny_per_unit)} CNY"


def rate_text(value: Decimal) -> str:
    """A rate with its trailing zeros dropped, but at least two decimals: 7.10, 0.0071."""
    value = Decimal(value).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"
