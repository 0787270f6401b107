from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = "After-sales"

    def ready(self) -> None:
        from purchasing.signals import refund_moved

        refund_moved.connect(_refund_moved, dispatch_uid="aftersales.refund_moved")


def _refund_moved(sender, *, body: dict, platform: str, **kwargs) -> None:
    """A refund callback reached purchasing: read that refund again in the background."""
    from aftersales.tasks import apply_refund_message

    apply_refund_message.delay(body=body, platform=platform)
