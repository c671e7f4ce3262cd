"""Events doctors' services send inside their transaction, for the apps above doctors."""

from django.dispatch import Signal

# A doctor's leave was created (`leave`: the new DoctorLeave); booked appointments it
# touches are the receivers' business (notifications tells each patient).
leave_created = Signal()
# Required (clinic.signals.send_required): a leave is being created (`leave`, `on_conflict`:
# None or a LeaveConflict value) in the doctor's locked transaction. Appointments answers: it
# refuses the leave (409 listing the bookings it lands on) without `on_conflict`, or resolves
# them in this transaction. Required, so a leave can never silently land on bookings.
leave_touching_bookings = Signal()
# A leave was deleted (`doctor_id`, `start_date`, `end_date`): its days' slots are free again
# (appointments offers them to the waitlist).
leave_removed = Signal()
