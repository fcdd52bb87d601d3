from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("council/<int:pk>/", views.council, name="council"),
    path("council/<int:pk>/meetings/add/", views.council_meeting_add, name="council_meeting_add"),
    path("council/meetings/<int:pk>/", views.council_meeting, name="council_meeting"),
    path("council/meetings/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("council/meetings/<int:pk>/protocol.docx", views.protocol_docx, name="protocol_docx"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/add/", views.event_add, name="event_add"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/add/", views.nomination_add, name="nomination_add"),
    path("nominations/<int:pk>/advance/", views.nomination_advance, name="nomination_advance"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/add/", views.payment_add, name="payment_add"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/<int:pk>/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/order.pdf", views.order_pdf, name="order_pdf"),
    path("orders/<int:pk>/order.docx", views.order_docx, name="order_docx"),
    path("orders/<int:pk>/start/", views.order_start, name="order_start"),
]
