from django.urls import path

from orgs.views import audit, excel, links, lists, organizations, staff

app_name = "orgs"

urlpatterns = [
    path("staff/", staff.DistrictStaffListView.as_view(), name="district_staff"),
    path("organizations/", organizations.OrganizationListView.as_view(), name="organization_list"),
    path(
        "organizations/<int:pk>/",
        organizations.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path("organizations/<int:pk>/staff/", staff.StaffListView.as_view(), name="staff_list"),
    path("organizations/<int:pk>/staff/add/", staff.teacher_add, name="teacher_add"),
    path("organizations/<int:pk>/staff/import/", excel.staff_import, name="staff_import"),
    path(
        "organizations/<int:pk>/staff/import/template.xlsx",
        excel.staff_import_template,
        name="staff_import_template",
    ),
    path(
        "organizations/<int:pk>/staff/import/errors.xlsx",
        excel.staff_import_errors,
        name="staff_import_errors",
    ),
    path("organizations/<int:pk>/import/<slug:kind>/", lists.list_import, name="list_import"),
    path(
        "organizations/<int:pk>/import/<slug:kind>/template.xlsx",
        lists.list_import_template,
        name="list_import_template",
    ),
    path(
        "organizations/<int:pk>/import/<slug:kind>/errors.xlsx",
        lists.list_import_errors,
        name="list_import_errors",
    ),
    path("staff/<int:pk>/edit/", staff.teacher_edit, name="teacher_edit"),
    path("staff/<int:pk>/dismiss/", staff.teacher_dismiss, name="teacher_dismiss"),
    path("people/<int:pk>/", staff.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/consent/", staff.consent_edit, name="consent_edit"),
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("staff/link-requests/", links.link_requests, name="link_requests"),
    path(
        "staff/link-requests/<int:pk>/<str:decision>/",
        links.link_decide,
        name="link_decide",
    ),
]
