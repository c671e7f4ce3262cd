"""`manage.py seed_demo`: the dev superuser and demo data. Idempotent; DEBUG only, always."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import seed


class Command(BaseCommand):
    help = "Create the local superuser (9999999999 / admin@123) and demo data (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        # A superuser with a published password: no flag may create it on a real deployment
        # (the `demo` app is not even installed outside DEBUG; this guards a copied setting).
        if not settings.DEBUG:
            raise CommandError("seed_demo creates a known superuser password: DEBUG only.")
        with transaction.atomic():
            for step in seed.STEPS:
                summary = step()
                self.stdout.write(f"{step.__name__}: {summary}")
