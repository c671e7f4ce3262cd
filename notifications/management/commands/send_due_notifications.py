"""Send every notification that is due and still queued (cron-safe: run it every minute)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notifications.services import notifications_send_due


class Command(BaseCommand):
    help = "Send due notifications (idempotent; several may run at once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due.")
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args: Any, dry_run: bool, limit: int | None, **options: Any) -> None:
        result = notifications_send_due(limit=limit, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{result.due} due (dry run: nothing sent)")
            return
        outcomes = ", ".join(f"{name}: {count}" for name, count in sorted(result.outcomes.items()))
        self.stdout.write(f"{result.due} due; {outcomes or 'nothing to send'}")
