from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics")

    def ready(self) -> None:
        from logistics.services.addresses import default_warehouse_snapshot
        from logistics.services.arrivals import arrival_after_refresh
        from purchasing import warehouse
        from purchasing.signals import order_refreshed

        # Purchasing delivers new orders to the address book's default warehouse unless
        # CAIGOU_WAREHOUSE_ADDRESS says otherwise; it cannot import the book, so it is told.
        warehouse.register_book_source(default_warehouse_snapshot)
        order_refreshed.connect(
            arrival_after_refresh, dispatch_uid="logistics.arrival_after_refresh"
        )
