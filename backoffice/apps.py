from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The site shell: navigation, sign-in, the role table, the in-process task runner of
    `make run` and the demo data. It stands above every other app, so it is where two apps of
    one layer are introduced to each other."""

    name = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from backoffice import language  # noqa: F401  (its sign-in receiver)
        from backoffice.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="backoffice.sync_roles")
