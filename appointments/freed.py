"""The one place a freed slot is announced: every path that frees a slot of a doctor's day
(an appointment leaving pending/confirmed, a leave removed) calls `announce_slot_freed`.

The waitlist answers first, inside the same transaction and under the doctor's row lock the
caller holds (the first waiting patient gets an offer that holds the slot); then the
`slot_freed` signal goes out for anything else that follows free slots. Walk-in and queue
cancels must come through here too (`services.save_and_announce` does it for status changes).
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from appointments.signals import slot_freed

if TYPE_CHECKING:
    from appointments.models import Appointment


def announce_slot_freed(*, doctor_id: int, dates: Iterable[dt.date], cause: str) -> None:
    # Imported here: the waitlist books through appointments.services, which calls this.
    from appointments.waitlist.offers import waitlist_offer_freed_slots

    days = sorted(set(dates))
    for date in days:
        waitlist_offer_freed_slots(doctor_id=doctor_id, date=date)
    slot_freed.send(sender=announce_slot_freed, doctor_id=doctor_id, dates=days, cause=cause)


def announce_slot_taken(*, appointment: "Appointment") -> None:
    """A booking used up the patient's own hold on that slot, if they had one."""
    from appointments.waitlist.offers import waitlist_hold_used

    waitlist_hold_used(appointment=appointment)
