"""Words of the admin pages of django-axes (the sign-in lockout), which ships no Simplified
Chinese. Listed here so that `make messages` keeps their translations in Caigou's catalogue,
which Django reads before an app's own. Nothing imports this module: it is read by xgettext."""

from django.utils.translation import gettext_noop

AXES_ADMIN = (
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Logout Time"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)
