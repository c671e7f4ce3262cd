"""`manage.py consent_expiry_record`: put every lapsed grant on its patient's chain (cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from documents.consent_expiry import record_consent_expiries


class Command(BaseCommand):
    help = "Record each consent grant that has expired as an audit event, once."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{record_consent_expiries()} expiry(ies) recorded.")
