"""UnchangeableFieldsMixin: a field the caller may echo back unchanged but not change."""

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from phonenumber_field.phonenumber import PhoneNumber
from rest_framework import serializers

from core.serializers import (
    UNCHANGEABLE_MESSAGE,
    Unchangeable,
    UnchangeableFieldsMixin,
    normalise_bool,
    normalise_contact,
    normalise_id,
    normalise_role,
)

OWNER = uuid.UUID("8c0d3a0e-4a8e-4c59-9d86-6f1f0f7d2b11")
OTHER = uuid.UUID("11111111-2222-3333-4444-555555555555")


class ThingInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = {
        "id": Unchangeable(source="pk"),
        "owner": Unchangeable(source="owner_id"),
        "contact": Unchangeable(normalise=normalise_contact),
        "roles": Unchangeable(source="role_id", normalise=normalise_role),
        "is_verified": Unchangeable(normalise=normalise_bool),
        "left_at": Unchangeable(),
    }
    name = serializers.CharField(max_length=5, required=False)


def stored(**overrides):
    values = {
        "pk": 7,
        "owner_id": OWNER,
        "contact": PhoneNumber.from_string("+919876543210"),
        "role_id": 3,
        "is_verified": False,
        "left_at": None,
    }
    return SimpleNamespace(**(values | overrides))


def errors_of(data, **kwargs):
    serializer = ThingInputSerializer(data=data, **kwargs)
    serializer.is_valid()
    return serializer.errors


@pytest.mark.parametrize(
    "body",
    [
        {"id": 7},
        {"id": "7"},
        {"owner": str(OWNER)},
        {"owner": str(OWNER).upper()},
        {"owner": {"id": str(OWNER), "name": "Asha"}},
        {"contact": 9876543210},
        {"contact": "9876543210"},
        {"contact": "+919876543210"},
        {"contact": "09876543210"},
        {"contact": "919876543210"},
        {"roles": {"id": 3, "name": "is_patient"}},
        {"roles": 3},
        {"roles": "is_patient"},
        {"is_verified": False},
        {"is_verified": "false"},
        {"left_at": None},
        {"left_at": ""},
    ],
)
def test_the_stored_value_in_any_of_its_forms_is_accepted(body):
    serializer = ThingInputSerializer(data={**body, "name": "Asha"}, stored=stored())

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"name": "Asha"}


@pytest.mark.parametrize(
    "body",
    [
        {"id": 8},
        {"owner": str(OTHER)},
        {"owner": {"name": "no id"}},
        {"owner": None},
        {"contact": 9876543211},
        {"contact": "not a number"},
        {"roles": {"id": 1, "name": "is_superadmin"}},
        {"roles": "is_superadmin"},
        {"is_verified": True},
        {"left_at": "2026-03-01"},
    ],
)
def test_another_value_is_refused_naming_the_field(body):
    assert errors_of(body, stored=stored()) == {next(iter(body)): [UNCHANGEABLE_MESSAGE]}


def test_every_refused_field_is_named_with_the_ordinary_field_errors():
    errors = errors_of({"id": 8, "roles": 7, "name": "too long"}, stored=stored())

    assert set(errors) == {"id", "roles", "name"}
    assert errors["roles"] == [UNCHANGEABLE_MESSAGE]


def test_unknown_keys_stay_ignored():
    serializer = ThingInputSerializer(data={"colour": "red", "name": "Asha"}, stored=stored())

    assert serializer.is_valid(), serializer.errors


def test_the_instance_is_the_stored_object_by_default():
    assert errors_of({"id": 8}, instance=stored()) == {"id": [UNCHANGEABLE_MESSAGE]}
    assert errors_of({"id": 7}, instance=stored()) == {}


def test_a_mapping_of_server_set_values_checks_only_its_keys():
    assert errors_of({"owner": str(OTHER), "id": 99}, stored={"owner_id": OWNER}) == {
        "owner": [UNCHANGEABLE_MESSAGE]
    }
    assert errors_of({"owner": str(OWNER), "id": 99}, stored={"owner_id": OWNER}) == {}


def test_without_anything_stored_nothing_is_checked():
    assert errors_of({"id": 8, "owner": "x"}) == {}


def test_a_body_that_is_not_an_object_keeps_drf_error():
    serializer = ThingInputSerializer(data=[1, 2], stored=stored())

    assert not serializer.is_valid()
    assert "non_field_errors" in serializer.errors


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (5, "5"),
        ("007", 7),
        (OWNER, str(OWNER).upper()),
        (OWNER, OWNER.hex),
        (dt.date(2026, 3, 1), "2026-03-01"),
        ("", None),
        ("  Doctor ", "doctor"),
    ],
)
def test_normalise_id_makes_equal_forms_equal(left, right):
    assert normalise_id(left) == normalise_id(right)


def test_normalise_id_survives_absurd_input():
    assert normalise_id("9" * 5000) == "9" * 5000
    assert normalise_id("²") == "²"
    assert normalise_id(True) is True
