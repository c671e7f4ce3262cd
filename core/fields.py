"""The contact field: a 10-digit Indian mobile number as a JSON integer, stored in E.164."""

from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType
from rest_framework import serializers

MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def parse_indian_mobile(value: Any) -> str | None:
    """Return the E.164 form of an Indian mobile number, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    if not text or len(text) > 16:
        return None
    try:
        number = phonenumbers.parse(text, "IN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 91 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_as_int(value: Any) -> int | None:
    """E.164 (+919876543210) or a PhoneNumber object -> 9876543210."""
    if not value:
        return None
    text = str(value)
    digits = text.removeprefix("+91") if text.startswith("+91") else text.lstrip("+")
    return int(digits) if digits.isdigit() else None


class ContactField(serializers.Field):
    """In: 9876543210, "9876543210" or "+919876543210". Out: 9876543210 (JSON integer)."""

    default_error_messages = {
        "invalid": "Enter a valid 10-digit Indian mobile number.",
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
