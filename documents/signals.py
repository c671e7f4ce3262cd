"""Signals documents sends for higher apps (notifications) to answer.

`emergency_access_opened`: sent after the commit of a break-glass opening, with
`access=<EmergencyAccess>`; the patient must be told at once (the notifications app sends it).
"""

from django.dispatch import Signal

emergency_access_opened = Signal()
