from django.contrib import admin
from django.urls import include, path

from orgs.views.health import health
from portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("programs/", include("programs.urls")),
    path("", include("orgs.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("matching/", include("matching.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("reports/", include("reports.urls")),
]
