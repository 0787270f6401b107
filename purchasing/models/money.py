"""Exchange rates staff set for the selling currencies."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExchangeRate(models.Model):
    """How many CNY one unit of a selling currency costs, as staff set it on a date.

    Rates are never edited: a new row supersedes the old one, so a conversion can always say
    which rate it used.
    """

    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD, EUR, GBP.")
    cny_per_unit = models.DecimalField(
        max_digits=12, decimal_places=6, help_text="CNY for one unit of the currency, e.g. 7.12."
    )
    set_on = models.DateTimeField(default=timezone.now, db_index=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["currency", "-set_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cny_per_unit__gt=0), name="exchange_rate_positive"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.cny_per_unit} CNY ({self.set_on:%Y-%m-%d})"
