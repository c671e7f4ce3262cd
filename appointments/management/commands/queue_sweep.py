"""`manage.py queue_sweep`: no-shows without paperwork and late ETA notices (cron, every minute)."""

from typing import Any

from django.core.management.base import BaseCommand

from appointments.queue.sweep import queue_sweep


class Command(BaseCommand):
    help = (
        "Mark confirmed appointments never checked in as no_show at clinics that turned it on, "
        "and announce ETA moves of today's queues."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = queue_sweep()
        self.stdout.write(
            f"{result.no_shows} no-show(s) marked, {result.eta_moves} ETA move(s) announced."
        )
