"""Demo data steps, in dependency order. Each step is idempotent and returns a summary."""

from collections.abc import Callable

from demo.seed_appointments import seed_appointments
from demo.seed_clinics import seed_clinics
from demo.seed_doctors import seed_doctors
from demo.seed_documents import seed_documents
from demo.seed_notifications import seed_notifications
from demo.seed_users import seed_users

STEPS: list[Callable[[], str]] = [
    seed_users,
    seed_clinics,
    seed_doctors,
    seed_appointments,
    seed_documents,
    seed_notifications,
]
