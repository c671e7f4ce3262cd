"""Appointment booking and its lifecycle."""

from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self) -> None:
        from appointments import cache_receivers

        cache_receivers.connect()
        # The desk's queue, computed before the framework from its cached inputs.
        from appointments.queue import desk
        from core import computed_routes

        computed_routes.register(desk.COMPUTER, desk.computed_body)
        # Doctors (below) announces leaves; appointments answers inside its transaction.
        from appointments import leaves
        from doctors.models import DoctorLeave
        from doctors.signals import leave_removed, leave_touching_bookings

        leave_touching_bookings.connect(
            leaves.resolve_leave_bookings, sender=DoctorLeave, dispatch_uid="appointments.leave"
        )
        leave_removed.connect(
            leaves.offer_after_leave_removed, sender=DoctorLeave, dispatch_uid="appointments.leave"
        )
