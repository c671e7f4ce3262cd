"""Routes of this app (mounted at /api/appointments/ in quickcare/urls.py), and a doctor's free
slots, mounted under /api/doctors/ (their inputs are gathered here, with the taken times)."""

from django.urls import path

from appointments import views

urlpatterns = [
    path("my/", views.PatientAppointmentListCreateView.as_view(), name="appointment-my-list"),
    path(
        "my/<id:appointment_id>/",
        views.PatientAppointmentDetailView.as_view(),
        name="appointment-my-detail",
    ),
    path("my/clinics/", views.PatientClinicListView.as_view(), name="appointment-my-clinics"),
    path(
        "my/clinics/<uuid:clinic_id>/admission-docs/",
        views.PatientAdmissionDocumentListView.as_view(),
        name="appointment-my-clinic-admission-docs",
    ),
    path("doctor/", views.DoctorAppointmentListView.as_view(), name="appointment-doctor-list"),
    path(
        "doctor/<id:appointment_id>/",
        views.DoctorAppointmentDetailView.as_view(),
        name="appointment-doctor-detail",
    ),
    path(
        "clinic/<uuid:clinic_id>/dashboard/",
        views.ClinicDashboardView.as_view(),
        name="appointment-clinic-dashboard",
    ),
]

doctor_slots_urlpatterns = [
    path(
        "<id:doctor_id>/availability/slots/",
        views.DoctorSlotsView.as_view(),
        name="doctor-slots",
    ),
]
