from django.urls import path

from monitoring import views_reports

app_name = "reports"

urlpatterns = [
    path("", views_reports.report_list, name="list"),
    path("order/", views_reports.report_order, name="order"),
    path("<int:pk>/download/", views_reports.report_download, name="download"),
    path("notifications/", views_reports.notifications, name="notifications"),
]
