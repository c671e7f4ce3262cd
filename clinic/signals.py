"""Events clinic's services send inside their transaction, for the apps above clinic.

Apps depend one way (doctors → clinic), yet a doctor member needs a doctor profile: clinic
announces, doctors answers (it connects its receivers in `DoctorsConfig.ready`). Unlike a
registry with a default, these fail closed: `send_required` raises when no receiver answered,
so the write is rolled back instead of leaving a doctor without a profile.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# A doctor was added to a clinic (`member`: the new ClinicMember): the profile must exist.
doctor_member_added = Signal()
# A doctor completed member onboarding (`user`, `data`: the body): their profile fields.
doctor_onboarding_completed = Signal()
# A clinic issued a temporary password (`log`: the TempPasswordLog, `clinic`): notifications
# tells the new member by SMS. Required: an account nobody can log in to must not be left.
staff_temp_password_issued = Signal()


def send_required(signal: Signal, *, sender: type, **named: Any) -> None:
    """Sends `signal` in the caller's transaction; a receiver's error propagates (and rolls the
    write back), and so does the absence of any receiver answering with a value."""
    responses = signal.send(sender=sender, **named)
    if not any(response is not None for _, response in responses):
        raise ImproperlyConfigured(
            "No receiver answered a required clinic signal: are the doctors and notifications "
            "apps installed?"
        )
