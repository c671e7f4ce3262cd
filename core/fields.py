"""The contact field: a 10-digit Indian mobile number as a JSON integer, stored in E.164.

A mobile number is recognised by its shape alone (10 digits starting with 6-9, optionally
behind +91, 91 or 0), never by libphonenumber's allocation tables: they lag newly opened
series, and the OTP is what proves a number is real.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from rest_framework import serializers

INVALID_CONTACT_MESSAGE = "Enter a valid 10-digit Indian mobile number."
# Spaces, hyphens, dots and brackets are how people write numbers ("+91 98765-43210").
_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"(?:\+91|91|0)?([6-9][0-9]{9})")


def parse_indian_mobile(value: Any) -> str | None:
    """Return the E.164 form of an Indian mobile number, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = _SEPARATORS.sub("", str(value).strip())
    if len(text) > 13:
        return None
    match = _MOBILE.fullmatch(text)
    return f"+91{match.group(1)}" if match else None


def contact_as_int(value: Any) -> int | None:
    """E.164 (+919876543210) or a PhoneNumber object -> 9876543210."""
    # An Indian PhoneNumber straight from its parts: formatting it (str, len) cost about a
    # tenth of a list of 20 appointments (bench.profile).
    if getattr(value, "country_code", None) == 91 and not getattr(
        value, "italian_leading_zero", False
    ):
        national = getattr(value, "national_number", None)
        if isinstance(national, int) and national > 0:
            return national
    if not value:
        return None
    text = str(value)
    digits = text.removeprefix("+91") if text.startswith("+91") else text.lstrip("+")
    return int(digits) if digits.isdigit() else None


def validate_indian_mobile(value: Any) -> None:
    """Model-field validator (admin forms, `full_clean`, `createsuperuser`)."""
    if value in (None, ""):
        return
    if parse_indian_mobile(value if isinstance(value, int | str) else str(value)) is None:
        raise ValidationError(INVALID_CONTACT_MESSAGE, code="invalid")


class IndianMobileFormField(forms.CharField):
    """Admin and other Django forms: the same shapes as the API, cleaned to E.164."""

    default_error_messages = {"invalid": INVALID_CONTACT_MESSAGE}

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text in self.empty_values:
            return ""
        e164 = parse_indian_mobile(text)
        if e164 is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return e164


class IndianMobileNumberField(PhoneNumberField):
    """django-phonenumber-field's model field with the shape rule instead of its validity
    tables, so a number from a series the tables do not know yet is stored as E.164 too."""

    default_validators = [validate_indian_mobile]

    def get_prep_value(self, value: Any) -> Any:
        if value not in (None, ""):
            e164 = parse_indian_mobile(value if isinstance(value, int | str) else str(value))
            if e164 is not None:
                return e164
        return super().get_prep_value(value)

    def formfield(self, **kwargs: Any) -> Any:
        # CharField's, skipping PhoneNumberField's form field (it checks the tables).
        kwargs.setdefault("form_class", IndianMobileFormField)
        return models.CharField.formfield(self, **kwargs)


class ContactField(serializers.Field):
    """In: 9876543210, "9876543210", "+919876543210", "919876543210" or "09876543210".
    Out: 9876543210 (JSON integer)."""

    default_error_messages = {
        "invalid": INVALID_CONTACT_MESSAGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        e164 = parse_indian_mobile(data)
        if e164 is None:
            self.fail("invalid")
            raise AssertionError  # fail() always raises
        return e164

    def to_representation(self, value: Any) -> int | None:
        return contact_as_int(value)
