"""Routes of patient profiles under /api/users/ (mounted beside users.urls in quickcare/urls.py):
your own patient profile, your dependents and their transfer."""

from django.urls import path

from users.views import dependents

app_name = "users-profiles"

urlpatterns = [
    path("me/patient-profile/", dependents.MyPatientProfileView.as_view(), name="patient-profile"),
    path("me/dependents/", dependents.DependentListCreateView.as_view(), name="dependent-list"),
    path(
        "me/dependents/<uuid:profile_id>/",
        dependents.DependentDetailView.as_view(),
        name="dependent-detail",
    ),
    path(
        "me/dependents/<uuid:profile_id>/transfer/",
        dependents.DependentTransferView.as_view(),
        name="dependent-transfer",
    ),
    path(
        "me/dependents/<uuid:profile_id>/transfer/verify/",
        dependents.DependentTransferVerifyView.as_view(),
        name="dependent-transfer-verify",
    ),
]
