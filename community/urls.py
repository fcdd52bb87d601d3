from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("council/<int:pk>/", views.council, name="council"),
    path("council/<int:pk>/meetings/add/", views.council_meeting_add, name="council_meeting_add"),
    path("council/meetings/<int:pk>/", views.council_meeting, name="council_meeting"),
    path(
        "council/meetings/<int:pk>/edit/", views.council_meeting_edit, name="council_meeting_edit"
    ),
    path(
        "council/meetings/<int:pk>/archive/",
        views.council_meeting_archive,
        name="council_meeting_archive",
    ),
    path("council/meetings/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("council/meetings/<int:pk>/protocol.docx", views.protocol_docx, name="protocol_docx"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/add/", views.event_add, name="event_add"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/archive/", views.event_archive, name="event_archive"),
    path("events/<int:pk>/document/", views.event_document, name="event_document"),
    path(
        "events/participants/<int:pk>/remove/",
        views.event_participant_remove,
        name="event_participant_remove",
    ),
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/add/", views.nomination_add, name="nomination_add"),
    path("nominations/<int:pk>/advance/", views.nomination_advance, name="nomination_advance"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/archive/", views.nomination_archive, name="nomination_archive"),
    path("nominations/<int:pk>/document/", views.nomination_document, name="nomination_document"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/add/", views.payment_add, name="payment_add"),
    path("payments/<int:pk>/edit/", views.payment_edit, name="payment_edit"),
    path("payments/<int:pk>/archive/", views.payment_archive, name="payment_archive"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/<int:pk>/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/order.pdf", views.order_pdf, name="order_pdf"),
    path("orders/<int:pk>/order.docx", views.order_docx, name="order_docx"),
    path("orders/<int:pk>/start/", views.order_start, name="order_start"),
    path("orders/<int:pk>/reissue/", views.order_reissue, name="order_reissue"),
    path(
        "orders/versions/<int:pk>/order.<str:fmt>",
        views.order_version_file,
        name="order_version_file",
    ),
    path("orders/<int:pk>/scan/", views.order_scan, name="order_scan"),
    path("orders/<int:pk>/scan/upload/", views.order_scan_upload, name="order_scan_upload"),
]
