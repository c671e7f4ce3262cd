"""Routes under /api/doctors/ (the free slots are `appointments.urls.doctor_slots_urlpatterns`)."""

from django.urls import path

from doctors import views

urlpatterns = [
    path("", views.DoctorListView.as_view(), name="doctor-list"),
    path("me/", views.DoctorMeView.as_view(), name="doctor-me"),
    path("me/leaves/", views.DoctorLeaveListView.as_view(), name="doctor-leave-list"),
    path(
        "me/leaves/<id:leave_id>/",
        views.DoctorLeaveDetailView.as_view(),
        name="doctor-leave-detail",
    ),
    path("<id:doctor_id>/", views.DoctorDetailView.as_view(), name="doctor-detail"),
    path(
        "<id:doctor_id>/availability/",
        views.DoctorAvailabilityListView.as_view(),
        name="doctor-availability-list",
    ),
    path(
        "<id:doctor_id>/availability/<id:availability_id>/",
        views.DoctorAvailabilityDetailView.as_view(),
        name="doctor-availability-detail",
    ),
]
