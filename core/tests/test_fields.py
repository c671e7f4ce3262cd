"""ContactField: JSON int out; int, numeric string or +91 in; mobiles only."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumber_field.phonenumber import PhoneNumber
from rest_framework import serializers

from core.fields import ContactField, contact_as_int, parse_indian_mobile


class ContactSerializer(serializers.Serializer):
    contact = ContactField()


@pytest.mark.parametrize(
    "value",
    [9876543210, "9876543210", "+919876543210", "919876543210", "09876543210", " 98765 43210 "],
)
def test_accepted_forms_store_e164(value):
    serializer = ContactSerializer(data={"contact": value})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["contact"] == "+919876543210"


@pytest.mark.parametrize(
    "value",
    [
        "01123456789",  # Delhi landline
        "+911123456789",
        "12345",
        "abc",
        "",
        True,
        False,
        1.5,
        9876543210.0,
        [9876543210],
        {"n": 1},
        "+14155552671",  # not Indian
        "5876543210",
        "9" * 40,
    ],
)
def test_refused_values(value):
    serializer = ContactSerializer(data={"contact": value})
    assert not serializer.is_valid()
    assert serializer.errors == {"contact": ["Enter a valid 10-digit Indian mobile number."]}


def test_null_and_missing_are_refused():
    assert not ContactSerializer(data={"contact": None}).is_valid()
    assert ContactSerializer(data={}).is_valid() is False


@pytest.mark.parametrize(
    "stored", ["+919876543210", PhoneNumber.from_string("+919876543210", region="IN")]
)
def test_output_is_a_json_integer(stored):
    assert ContactSerializer({"contact": stored}).data == {"contact": 9876543210}


@pytest.mark.parametrize("value", [None, "", "+91abc"])
def test_contact_as_int_of_nothing_is_none(value):
    assert contact_as_int(value) is None


def test_contact_as_int_of_a_foreign_number_keeps_its_digits():
    assert contact_as_int("+14155552671") == 14155552671


@given(st.integers(min_value=6_000_000_000, max_value=9_999_999_999))
def test_any_accepted_mobile_round_trips(number):
    e164 = parse_indian_mobile(number)
    if e164 is not None:
        assert e164 == f"+91{number}"
        assert contact_as_int(e164) == number
        assert parse_indian_mobile(str(number)) == e164


@given(st.integers(min_value=0, max_value=5_999_999_999))
def test_numbers_below_six_billion_are_never_mobiles(number):
    assert parse_indian_mobile(number) is None


def test_contact_as_int_of_a_phone_number_equals_its_e164_digits():
    from phonenumber_field.phonenumber import PhoneNumber

    for text in ("+919876543210", "+916000000001", "+14155550123", "+390612345678"):
        number = PhoneNumber.from_string(text)
        digits = str(number).removeprefix("+91") if text.startswith("+91") else text[1:]
        assert contact_as_int(number) == int(digits)
