from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("order/", views.report_order, name="order"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("notifications/", views.notifications, name="notifications"),
]
