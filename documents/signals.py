"""Events documents' services send, for the apps above documents (notifications).

`emergency_access_opened`: sent after the commit of a break-glass opening, with
`access=<EmergencyAccess>`; the patient must be told at once (the notifications app sends it).
"""

from django.dispatch import Signal

# A doctor asked for consent (`consent`), inside the request's transaction.
consent_requested = Signal()
# The patient granted, rejected or revoked (`consent`, `from_status`), inside the transaction.
consent_decided = Signal()
# Someone opened a document's detail (`document`, `actor`), after its access-log row.
document_viewed = Signal()
# A doctor opened break-glass access (`access`), after its commit.
emergency_access_opened = Signal()
