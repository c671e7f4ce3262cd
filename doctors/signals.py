"""Events doctors' services send inside their transaction, for the apps above doctors."""

from django.dispatch import Signal

# A doctor's leave was created (`leave`: the new DoctorLeave); booked appointments it
# touches are the receivers' business (notifications tells each patient).
leave_created = Signal()
