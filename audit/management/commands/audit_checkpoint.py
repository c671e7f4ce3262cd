"""`manage.py audit_checkpoint`: sign every chain head that moved (run daily from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from audit.services import audit_checkpoint


class Command(BaseCommand):
    help = "Sign the head of every chain that grew since its last checkpoint."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{audit_checkpoint()} checkpoint(s) signed.")
