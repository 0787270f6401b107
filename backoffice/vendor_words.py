"""Words of other packages that Caigou's catalogue translates (or translates again): listed
here so that `make messages` keeps them in it, and Django reads Caigou's catalogue before a
package's own. Nothing imports this module: it is read by xgettext."""

from django.utils.translation import gettext_noop, ngettext_lazy

# django-axes (the sign-in lockout) ships no Simplified Chinese for its admin pages.
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

# Django's own Chinese says a duration of "2 月" and "3 日", which read as February and the 3rd:
# how long a line has waited reads "2 个月" and "3 天" instead.
DJANGO_DURATIONS = (
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
)
