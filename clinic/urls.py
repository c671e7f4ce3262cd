"""Routes under /api/clinics/ (and the member-completion route under /api/users/)."""

from django.urls import path

from clinic import views

urlpatterns = [
    path("onboarding/step3/", views.ClinicOnboardingStep3View.as_view(), name="clinic-step3"),
    path("public/", views.ClinicPublicListView.as_view(), name="clinic-public-list"),
    path("my/memberships/", views.MyMembershipListView.as_view(), name="my-memberships"),
    path("", views.ClinicListCreateView.as_view(), name="clinic-list"),
    path("<uuid:clinic_id>/", views.ClinicDetailView.as_view(), name="clinic-detail"),
    path(
        "<uuid:clinic_id>/members/",
        views.ClinicMemberListCreateView.as_view(),
        name="clinic-member-list",
    ),
    path(
        "<uuid:clinic_id>/members/<uuid:member_id>/",
        views.ClinicMemberDetailView.as_view(),
        name="clinic-member-detail",
    ),
    path(
        "<uuid:clinic_id>/members/<uuid:member_id>/temp-password/",
        views.ClinicMemberTempPasswordView.as_view(),
        name="clinic-member-temp-password",
    ),
    path(
        "<uuid:clinic_id>/slots/", views.TimeSlotListCreateView.as_view(), name="clinic-slot-list"
    ),
    path(
        "<uuid:clinic_id>/slots/<id:slot_id>/",
        views.TimeSlotDetailView.as_view(),
        name="clinic-slot-detail",
    ),
    path(
        "<uuid:clinic_id>/admission-docs/",
        views.AdmissionDocumentListCreateView.as_view(),
        name="clinic-admission-doc-list",
    ),
    path(
        "<uuid:clinic_id>/admission-docs/<id:doc_id>/",
        views.AdmissionDocumentDetailView.as_view(),
        name="clinic-admission-doc-detail",
    ),
]

member_onboarding_urlpatterns = [
    path(
        "onboarding/member/complete/",
        views.MemberOnboardingCompleteView.as_view(),
        name="member-onboarding-complete",
    ),
]
