"""Expire waitlist offers whose hold ran out and pass each slot on to the next patient; close
entries waiting for a day that is over. Cron-safe (run it every minute): each doctor's offers
are handled under the doctor's row lock, so two runs never pass one slot twice."""

from typing import Any

from django.core.management.base import BaseCommand

from appointments.waitlist.services import waitlist_close_past, waitlist_expire_due


class Command(BaseCommand):
    help = "Expire run-out waitlist offers (the slot moves to the next patient)."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = waitlist_expire_due()
        closed = waitlist_close_past()
        self.stdout.write(f"{expired} offer(s) expired; {closed} past entry(ies) closed")
