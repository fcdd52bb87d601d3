from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("suggest/", views.suggest_mentors, name="suggest"),
    path("health/", views.PairHealthListView.as_view(), name="pair_health"),
    path("weights/", views.weights_edit, name="weights"),
]
