"""Password rules shared by registration, password change and staff onboarding."""

from typing import Any, cast

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from core.fields import contact_as_int
from users.models import User


class _PasswordCandidate:
    """A user-like object whose contact is plain digits, so the similarity validator sees it
    (it skips non-string attributes, and a saved user's contact is a PhoneNumber)."""

    _meta = User._meta

    def __init__(self, *, name: str, contact: object, email: str) -> None:
        self.name = name
        self.contact = str(contact_as_int(contact) or contact or "")
        self.email = email


def password_validate(*, password: str, name: str, contact: object, email: str = "") -> None:
    """Django's validators (length, common, numeric, like name/contact/email) as a field error."""
    candidate = _PasswordCandidate(name=name, contact=contact, email=email)
    try:
        validate_password(password, user=cast(Any, candidate))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
