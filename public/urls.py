from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("edit/organization/<int:pk>/", views.organization_edit, name="organization_edit"),
    path("edit/municipality/<int:pk>/", views.committee_edit, name="committee_edit"),
    path("news/<int:pk>/edit/", views.news_edit, name="news_edit"),
    path("news/<int:pk>/archive/", views.news_archive, name="news_archive"),
    path("consents/<int:pk>/", views.consents, name="consents"),
    path("consents/<int:pk>/<int:person>/", views.consent_set, name="consent_set"),
    path("<slug:municipality>/", views.committee, name="committee"),
    path("<slug:municipality>/<slug:organization>/", views.organization, name="organization"),
]
