from django.urls import path

from monitoring.views import acts, dashboard, entries, orders, region, settings

app_name = "monitoring"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path(
        "organizations/<int:pk>/",
        dashboard.organization_dashboard,
        name="organization_dashboard",
    ),
    path("region/", region.region_dashboard, name="region"),
    path(
        "region/municipalities/<int:pk>/",
        region.region_municipality,
        name="region_municipality",
    ),
    path("drill/<slug:metric>/", dashboard.drill_down, name="drill"),
    path("definitions/", dashboard.definitions, name="definitions"),
    path("acts/", acts.LocalActListView.as_view(), name="act_list"),
    path("acts/add/", acts.act_add, name="act_add"),
    path("acts/<int:pk>/edit/", acts.act_edit, name="act_edit"),
    path("acts/<int:pk>/delete/", acts.act_delete, name="act_delete"),
    path("acts/<int:pk>/file/", acts.act_file, name="act_file"),
    path("deadlines/", settings.deadlines, name="deadlines"),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/add/", orders.order_add, name="order_add"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/archive/", orders.order_archive, name="order_archive"),
    path("questions/", settings.questions, name="questions"),
    path("programs/<int:pk>/", entries.program_monitoring, name="program"),
    path("programs/<int:pk>/entries/add/", entries.entry_edit, name="entry_add"),
    path("programs/<int:pk>/entries/<int:entry_pk>/", entries.entry_edit, name="entry_edit"),
    path(
        "programs/<int:pk>/surveys/<str:respondent>/<str:stage>/",
        entries.survey_fill,
        name="survey_fill",
    ),
]
