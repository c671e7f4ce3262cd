"""`manage.py privacy_erase_due`: erase the accounts whose retention period has run (cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from privacy.services import erase_due


class Command(BaseCommand):
    help = "Erase the personal data of every erasure request now due."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{erase_due()} account(s) erased.")
