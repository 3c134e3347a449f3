from django.contrib import admin
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from tilik.web.accounts import urls as accounts_urls
from tilik.web.api.api import api
from tilik.web.reports import urls as reports_urls

admin.site.site_header = _("Administrasi Tilik")
admin.site.site_title = _("Tilik")
admin.site.index_title = _("Pengguna, instansi dan data")


def _superuser_only(request) -> bool:
    # Django's admin is not scoped per organisation: the site's superuser only. Organisation
    # administrators manage their people from /akun/instansi/.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only


def healthz(request):
    return JsonResponse({"status": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico on pages without a ``<link rel="icon">`` (reports)."""
    return HttpResponsePermanentRedirect(static("tilik/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="evaluations:list", permanent=False), name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (downloaded reports).
    path("favicon.ico", favicon, name="favicon"),
    path("akun/", include("tilik.web.accounts.urls")),
    path("akun/token-api/", include("tilik.web.api.urls")),
    path("api/v1/", api.urls),
    path("akun/", include((accounts_urls.account_urlpatterns, "accounts"))),
    path("evaluasi/", include("tilik.web.evaluations.urls")),
    path("evaluasi/", include("tilik.web.collection.urls")),
    path("evaluasi/", include("tilik.web.reports.urls")),
    path("evaluasi/", include("tilik.web.coding.urls")),
    path("evaluasi/", include("tilik.web.planning.urls")),
    path("portofolio/", include("tilik.web.portfolio.urls")),
    path("evaluasi/", include("tilik.web.audit.urls")),
    path("publikasi/", include(reports_urls.public_urlpatterns)),
    path("f/", include("tilik.web.collection.respond_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
