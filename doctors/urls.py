"""Routes under /api/doctors/."""

from django.urls import path

from doctors import views

urlpatterns = [
    path("", views.DoctorListView.as_view(), name="doctor-list"),
    path("me/", views.DoctorMeView.as_view(), name="doctor-me"),
    path("me/leaves/", views.DoctorLeaveListView.as_view(), name="doctor-leave-list"),
    path(
        "me/leaves/<int:leave_id>/",
        views.DoctorLeaveDetailView.as_view(),
        name="doctor-leave-detail",
    ),
    path("<int:doctor_id>/", views.DoctorDetailView.as_view(), name="doctor-detail"),
    path(
        "<int:doctor_id>/availability/",
        views.DoctorAvailabilityListView.as_view(),
        name="doctor-availability-list",
    ),
    path(
        "<int:doctor_id>/availability/slots/",
        views.DoctorSlotsView.as_view(),
        name="doctor-slots",
    ),
    path(
        "<int:doctor_id>/availability/<int:availability_id>/",
        views.DoctorAvailabilityDetailView.as_view(),
        name="doctor-availability-detail",
    ),
]
