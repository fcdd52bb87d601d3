from django.contrib import admin
from django.urls import include, path

from orgs.views import two_factor
from orgs.views.health import health
from portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/recovery/", two_factor.recovery_codes, name="two_factor_recovery"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("programs/", include("programs.urls")),
    path("", include("orgs.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("matching/", include("matching.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("reports/", include("reports.urls")),
    path("community/", include("community.urls")),
    path("public/", include("public.urls")),
]
