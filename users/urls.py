"""Routes under /api/users/ (member completion is mounted from clinic.urls)."""

from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("login/", views.UserLoginView.as_view(), name="login"),
    path("token/refresh/", views.UserTokenRefreshView.as_view(), name="token-refresh"),
    path("logout/", views.UserLogoutView.as_view(), name="logout"),
    path(
        "onboarding/patient/step1/",
        views.PatientRegistrationStartView.as_view(),
        name="patient-step1",
    ),
    path(
        "onboarding/patient/step2/",
        views.PatientRegistrationVerifyView.as_view(),
        name="patient-step2",
    ),
    path(
        "onboarding/patient/step3/",
        views.PatientOnboardingCompleteView.as_view(),
        name="patient-step3",
    ),
    path(
        "onboarding/clinic/step1/",
        views.ClinicOwnerRegistrationStartView.as_view(),
        name="clinic-step1",
    ),
    path(
        "onboarding/clinic/step2/",
        views.ClinicOwnerRegistrationVerifyView.as_view(),
        name="clinic-step2",
    ),
    path("me/", views.UserMeView.as_view(), name="me"),
    path("me/medical-profile/", views.MedicalProfileView.as_view(), name="medical-profile"),
    path("check/", views.ContactCheckView.as_view(), name="check"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("address/", views.AddressListCreateView.as_view(), name="address-list"),
    path("address/<id:address_id>/", views.AddressDetailView.as_view(), name="address-detail"),
]
