from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """Storefront intake, the REST API and outbound webhooks. It sits above logistics and
    after-sales (it reports their progress to the storefront), so it is an app of its own."""

    name = "purchasing.storefront"
    label = "storefront"
    verbose_name = "Storefronts"
