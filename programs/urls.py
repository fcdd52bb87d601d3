from django.urls import path

from programs.views import bank, diagnostics, programs, reference, routes

app_name = "programs"

urlpatterns = [
    path("", programs.ProgramListView.as_view(), name="program_list"),
    path("<int:pk>/", programs.program_detail, name="program_detail"),
    path("new/<int:pair>/<int:mentee>/", programs.program_create, name="program_create"),
    path("<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("<int:pk>/approve/", programs.program_approve, name="program_approve"),
    path("<int:pk>/start/", programs.program_start, name="program_start"),
    path("<int:pk>/complete/", programs.program_complete, name="program_complete"),
    path("<int:pk>/my-conclusion/", programs.mentee_conclusion, name="mentee_conclusion"),
    path("<int:pk>/activities/add/", programs.activity_add, name="activity_add"),
    path("<int:pk>/program.pdf", programs.program_pdf, name="program_pdf"),
    path("<int:pk>/program.docx", programs.program_docx, name="program_docx"),
    path("activities/<int:pk>/edit/", programs.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/file/", programs.activity_file, name="activity_file"),
    path("activities/<int:pk>/propose/", bank.propose_activity, name="propose_activity"),
    path(
        "diagnostics/<int:pair>/<int:mentee>/",
        diagnostics.diagnostic_result,
        name="diagnostic_result",
    ),
    path(
        "diagnostics/<int:pair>/<int:mentee>/<str:stage>/<str:respondent>/",
        diagnostics.diagnostic_fill,
        name="diagnostic_fill",
    ),
    path("routes/", routes.RouteListView.as_view(), name="route_list"),
    path("routes/new/", routes.route_create, name="route_create"),
    path("routes/<int:pk>/", routes.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", routes.route_edit, name="route_edit"),
    path("routes/<int:pk>/areas/", routes.route_areas, name="route_areas"),
    path("routes/<int:pk>/items/add/", routes.route_item_add, name="route_item_add"),
    path("routes/<int:pk>/activate/", routes.route_activate, name="route_activate"),
    path("routes/<int:pk>/complete/", routes.route_complete, name="route_complete"),
    path("routes/<int:pk>/route.pdf", routes.route_pdf, name="route_pdf"),
    path("routes/<int:pk>/route.docx", routes.route_docx, name="route_docx"),
    path("routes/items/<int:pk>/edit/", routes.route_item_edit, name="route_item_edit"),
    path("routes/items/<int:pk>/file/", routes.route_item_file, name="route_item_file"),
    path("routes/items/<int:pk>/propose/", bank.propose_route_item, name="propose_route_item"),
    path("bank/", bank.BankView.as_view(), name="bank"),
    path("bank/<int:pk>/", bank.product_detail, name="product_detail"),
    path("bank/<int:pk>/file/", bank.product_file, name="product_file"),
    path("bank/<int:pk>/decide/", bank.product_decide, name="product_decide"),
    path("areas/", reference.area_list, name="area_list"),
    path("areas/new/", reference.area_edit, name="area_add"),
    path("areas/<int:pk>/edit/", reference.area_edit, name="area_edit"),
    path("areas/<int:area>/items/new/", reference.item_edit, name="item_add"),
    path("areas/<int:area>/items/<int:pk>/edit/", reference.item_edit, name="item_edit"),
]
