"""Appointment booking and its lifecycle."""

from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self) -> None:
        # Apps depend one way (appointments -> doctors): the slot engine learns which times are
        # taken through this hook instead of importing appointments.
        from appointments.selectors import doctor_taken_times
        from doctors.slots import register_taken_times_provider

        register_taken_times_provider(doctor_taken_times)
