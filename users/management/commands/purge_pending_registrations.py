"""`manage.py purge_pending_registrations`: drop registrations never verified (run daily)."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from users.services.registration import pending_registrations_purge


class Command(BaseCommand):
    help = "Delete pending registrations whose OTP expired more than --days days ago."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = pending_registrations_purge(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"deleted {deleted} pending registration(s)")
