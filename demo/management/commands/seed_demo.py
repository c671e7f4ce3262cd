"""`manage.py seed_demo`: the dev superuser and demo data. Idempotent; refuses outside DEBUG."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import seed


class Command(BaseCommand):
    help = "Create the local superuser (9999999999 / admin@123) and demo data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo creates a known superuser password: DEBUG only.")
        with transaction.atomic():
            for step in seed.STEPS:
                summary = step()
                self.stdout.write(f"{step.__name__}: {summary}")
