from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "upstream.sandbox"
    label = "sandbox"
    verbose_name = "Sandbox upstream"

    def ready(self) -> None:
        # Handlers register themselves with the router on import.
        from upstream.sandbox import checks, handlers  # noqa: F401
