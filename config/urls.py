from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from backoffice.forms import SignInForm
from backoffice.language import choose_language
from backoffice.views import dashboard
from backoffice.work import my_work
from config import health
from config.observability.metrics import metrics

admin.site.site_header = _("Caigou administration")
admin.site.site_title = _("Caigou admin")

urlpatterns = [
    # First: the upstream's callbacks are the busiest path, and URLs are tried in order.
    path("callbacks/", include("purchasing.urls_callbacks")),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("metrics", metrics, name="metrics"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The Chinese words the scripts in static/js say (locale/zh_Hans/LC_MESSAGES/djangojs.po).
    path("language/", choose_language, name="choose-language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("goods/", include("purchasing.urls_goods")),
    path("carts/", include("carts.urls")),
    path("baskets/", include("carts.urls_baskets")),
    path("aftersales/", include("aftersales.urls")),
    path("logistics/", include("logistics.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("work/", my_work, name="my_work"),
    path("api/", include("storefront.urls")),
    path("", include("purchasing.urls")),
]

if settings.UPSTREAM_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("upstream.sandbox.urls")))

# Nothing is served from MEDIA_ROOT or the bucket, in any mode: every stored file is private
# (exports, payment vouchers, after-sales evidence) and reaches a person only through a view
# that checks who is asking (purchasing/files.py).

# JSON errors under /api/, Django's pages elsewhere.
handler404 = "storefront.api.errors.handler404"
handler500 = "storefront.api.errors.handler500"
