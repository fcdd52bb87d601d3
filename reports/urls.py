from django.urls import path

from reports import views, views_region

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("order/", views.report_order, name="order"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/download.docx", views.report_download_docx, name="download_docx"),
    path("<int:pk>/values/", views.report_values, name="values"),
    path("<int:pk>/rebuild/", views.report_rebuild, name="rebuild"),
    path("texts/", views.narrative_edit, name="narrative"),
    path("region/", views_region.region_reports, name="region"),
    path("notifications/", views.notifications, name="notifications"),
]
