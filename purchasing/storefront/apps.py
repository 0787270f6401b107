from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """Storefront intake, the REST API and outbound webhooks. It sits above logistics and
    after-sales (it reports their progress to the storefront, and suggests its customers'
    addresses for parcels), so it is an app of its own."""

    name = "purchasing.storefront"
    label = "storefront"
    verbose_name = "Storefronts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from logistics.signals import parcel_address_suggested
        from purchasing.models import OrderEvent
        from purchasing.signals import refund_moved
        from purchasing.storefront import receivers

        post_save.connect(
            receivers.order_event_saved, sender=OrderEvent, dispatch_uid="storefront.order_event"
        )
        refund_moved.connect(receivers.refund_moved, dispatch_uid="storefront.refund_moved")
        parcel_address_suggested.connect(
            receivers.parcel_address_suggested, dispatch_uid="storefront.parcel_address"
        )
