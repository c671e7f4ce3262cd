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
