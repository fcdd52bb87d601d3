from django.urls import path

from mentoring.views import meetings, mentors, needs, pairs, personal

app_name = "mentoring"

urlpatterns = [
    path("mentors/", mentors.MentorListView.as_view(), name="mentor_list"),
    path("mentors/add/", mentors.mentor_add, name="mentor_add"),
    path("mentors/<int:pk>/", mentors.MentorDetailView.as_view(), name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentors.mentor_edit, name="mentor_edit"),
    path("mentors/<int:pk>/evidence/", mentors.mentor_evidence, name="mentor_evidence"),
    path("needs/", needs.NeedListView.as_view(), name="need_list"),
    path("needs/organization/<int:pk>/", needs.needs_organization, name="needs_organization"),
    path("needs/organization/<int:pk>/propose/", needs.needs_propose, name="needs_propose"),
    path("needs/organization/<int:pk>/reviewed/", needs.needs_reviewed, name="needs_reviewed"),
    path("needs/<int:pk>/<str:status>/", needs.need_decide, name="need_decide"),
    path("pairs/", pairs.PairListView.as_view(), name="pair_list"),
    path("pairs/add/", pairs.pair_add, name="pair_add"),
    path("pairs/<int:pk>/", pairs.pair_detail, name="pair_detail"),
    path("pairs/<int:pk>/edit/", pairs.pair_edit, name="pair_edit"),
    path("pairs/<int:pk>/activate/", pairs.pair_activate, name="pair_activate"),
    path("pairs/<int:pk>/complete/", pairs.pair_complete, name="pair_complete"),
    path("pairs/<int:pk>/end-early/", pairs.pair_end_early, name="pair_end_early"),
    path("pairs/<int:pk>/archive/", pairs.pair_archive, name="pair_archive"),
    path("pairs/<int:pk>/meetings/add/", meetings.meeting_add, name="meeting_add"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/confirm/", meetings.meeting_confirm, name="meeting_confirm"),
    path("meetings/files/<int:pk>/", meetings.meeting_file, name="meeting_file"),
    path("my/pairs/", personal.my_pairs, name="my_pairs"),
    path("my/mentor/", personal.my_mentor, name="my_mentor"),
]
