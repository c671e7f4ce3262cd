"""Events appointments' services send inside their transaction, for the apps above it.

Appointments sits below notifications: it announces, notifications answers (its receivers
are connected in `NotificationsConfig.ready`), so nothing here knows who is told or how.
"""

from django.dispatch import Signal

# An appointment's status changed (`appointment`, `actor`, `from_status`, `reason`); a new
# booking is the change from "" to pending. Sent after the row and its history are written.
appointment_status_changed = Signal()
# A queued patient's ETA moved by more than QUEUE_ETA_NOTIFY_MINUTES (`appointment`, `eta`,
# `previous`: aware datetimes): sent once per move, inside the queue event's transaction.
queue_eta_moved = Signal()

# Issue 14. Slots of a doctor's day became free (`doctor_id`, `dates`, `cause`): an appointment
# left pending/confirmed (cancel, reschedule, no-show, completion) or a leave was removed. Sent
# by `appointments.freed.announce_slot_freed` after the waitlist has offered them, in the same
# transaction; for whatever else must follow free slots (cached slot listings).
slot_freed = Signal()
# A waitlist hold appeared or went (`doctor_id`, `date`): the slot listing of that day changed.
slot_holds_changed = Signal()
# A waitlist offer was made (`entry`, holding `entry.offered_time`) or ran out (`entry`).
waitlist_offer_made = Signal()
waitlist_offer_expired = Signal()
# A doctor's leave cancelled the appointments it landed on (`leave`, `appointments`,
# `on_conflict`); those of `offered` (appointment ids) were offered a new time at once.
leave_bookings_cancelled = Signal()
