from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backoffice.forms import SignInForm
from backoffice.views import dashboard
from config.health import healthz

admin.site.site_header = "Caigou administration"
admin.site.site_title = "Caigou admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("goods/", include("purchasing.urls_goods")),
    path("carts/", include("carts.urls")),
    path("aftersales/", include("aftersales.urls")),
    path("logistics/", include("logistics.urls")),
    path("callbacks/", include("purchasing.urls_callbacks")),
    path("reports/", include("reports.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("api/", include("storefront.urls")),
    path("", include("purchasing.urls")),
]

if settings.UPSTREAM_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("upstream.sandbox.urls")))

# Nothing is served from MEDIA_ROOT, in any mode: every stored file is private (exports) and
# reaches a person only through a view that checks who is asking.

# JSON errors under /api/, Django's pages elsewhere.
handler404 = "storefront.api.errors.handler404"
handler500 = "storefront.api.errors.handler500"
