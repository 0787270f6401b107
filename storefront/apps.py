from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """Storefront intake, the REST API and outbound webhooks. It sits above logistics and
    after-sales (it reports their progress to the storefront, and suggests its customers'
    addresses for parcels), so it is an app of its own."""

    name = "storefront"
    label = "storefront"
    verbose_name = _("Storefronts")

    def ready(self) -> None:
        from logistics.signals import (
            line_currency_wanted,
            line_customers_wanted,
            parcel_address_suggested,
        )
        from purchasing.signals import order_moved, refund_moved
        from storefront import receivers

        order_moved.connect(receivers.order_moved, dispatch_uid="storefront.order_moved")
        refund_moved.connect(receivers.refund_moved, dispatch_uid="storefront.refund_moved")
        parcel_address_suggested.connect(
            receivers.parcel_address_suggested, dispatch_uid="storefront.parcel_address"
        )
        line_customers_wanted.connect(
            receivers.line_customers_wanted, dispatch_uid="storefront.line_customers"
        )
        line_currency_wanted.connect(
            receivers.line_currency_wanted, dispatch_uid="storefront.line_currency"
        )
