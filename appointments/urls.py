"""Routes of this app (mounted at /api/appointments/ in quickcare/urls.py), and a doctor's free
slots, mounted under /api/doctors/ (their inputs are gathered here, with the taken times)."""

from django.urls import include, path

from appointments import leave_views, reschedule_views, views
from appointments.queue import views as queue_views

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
    path(
        "my/<id:appointment_id>/reschedule/",
        reschedule_views.PatientAppointmentRescheduleView.as_view(),
        name="appointment-my-reschedule",
    ),
    path(
        "doctor/<id:appointment_id>/reschedule/",
        reschedule_views.StaffAppointmentRescheduleView.as_view(),
        name="appointment-doctor-reschedule",
    ),
    path("waitlist/", include("appointments.waitlist.urls")),
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

# The OPD queue (appointments/queue/): walk-ins, check-in, the doctor's calls, positions.
queue_urlpatterns = [
    path("walk-in/", queue_views.WalkInView.as_view(), name="appointment-walk-in"),
    path(
        "walk-in/profiles/",
        queue_views.WalkInProfilesView.as_view(),
        name="appointment-walk-in-profiles",
    ),
    path("queue/", queue_views.QueueView.as_view(), name="appointment-queue"),
    path(
        "<id:appointment_id>/check-in/",
        queue_views.CheckInView.as_view(),
        name="appointment-check-in",
    ),
    path(
        "<id:appointment_id>/queue/",
        queue_views.QueueEntryView.as_view(),
        name="appointment-queue-entry",
    ),
    path(
        "<id:appointment_id>/queue/skip/",
        queue_views.QueueSkipView.as_view(),
        name="appointment-queue-skip",
    ),
    path(
        "my/<id:appointment_id>/queue/",
        queue_views.PatientQueueView.as_view(),
        name="appointment-my-queue",
    ),
    path("doctor/queue/next/", queue_views.QueueNextView.as_view(), name="appointment-queue-next"),
    path(
        "doctor/<id:appointment_id>/queue/start/",
        queue_views.QueueStartView.as_view(),
        name="appointment-queue-start",
    ),
    path(
        "doctor/<id:appointment_id>/queue/finish/",
        queue_views.QueueFinishView.as_view(),
        name="appointment-queue-finish",
    ),
]
urlpatterns += queue_urlpatterns

doctor_slots_urlpatterns = [
    # A leave's impact is read where the appointments are (doctors sits below appointments).
    path(
        "me/leaves/impact/",
        leave_views.DoctorLeaveImpactView.as_view(),
        name="doctor-leave-impact",
    ),
    path(
        "<id:doctor_id>/availability/slots/",
        views.DoctorSlotsView.as_view(),
        name="doctor-slots",
    ),
]
