"""`manage.py audit_verify [--patient <id>]`: check every chain (or one); exit 1 if any broke."""

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.models import AuditEvent
from audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chains and their signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", type=uuid.UUID, help="Only this patient's chain.")

    def handle(self, *args: Any, **options: Any) -> None:
        patients = (
            [options["patient"]]
            if options["patient"]
            else AuditEvent.objects.order_by().values_list("patient_id", flat=True).distinct()
        )
        broken = 0
        total = 0
        for patient_id in patients:
            report = verify_chain(patient_id)
            total += report.events
            if not report.valid:
                broken += 1
                self.stdout.write(
                    f"BROKEN {patient_id} at seq {report.first_broken}: {report.reason}"
                )
        self.stdout.write(f"{total} events checked, {broken} broken chain(s).")
        if broken:
            raise CommandError(f"{broken} chain(s) failed verification.")
