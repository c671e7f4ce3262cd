"""Every choice error lists the valid choices (declared fields and ModelSerializer ones)."""

import pytest
from rest_framework import serializers

from clinic.models import Clinic
from core.choices import invalid_choice_message


class _Declared(serializers.Serializer):
    gender = serializers.ChoiceField(choices=[("male", "Male"), ("female", "F"), ("other", "O")])
    many = serializers.MultipleChoiceField(choices=["a", "b"], required=False)
    custom = serializers.ChoiceField(
        choices=["x"], required=False, error_messages={"invalid_choice": "Pick x."}
    )


class _FromModel(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = ["clinic_type"]


def _errors(serializer_class, data):
    serializer = serializer_class(data=data)
    assert not serializer.is_valid()
    return serializer.errors


def test_a_declared_choice_field_lists_its_choices():
    errors = _errors(_Declared, {"gender": "x"})
    assert errors["gender"] == ['"x" is not a valid choice. Choose one of: male, female, other.']
    assert errors["gender"][0].code == "invalid_choice"


def test_a_valid_choice_still_passes():
    serializer = _Declared(data={"gender": "female", "many": ["a"]})
    assert serializer.is_valid(), serializer.errors


def test_a_model_serializer_choice_field_lists_its_choices():
    from clinic.models import ClinicType

    message = _errors(_FromModel, {"clinic_type": "castle"})["clinic_type"][0]
    assert message == invalid_choice_message("castle", ClinicType.values)
    assert all(value in message for value in ClinicType.values)


def test_multiple_choice_items_are_named_too():
    errors = _errors(_Declared, {"gender": "male", "many": ["c"]})
    assert "a, b" in str(errors["many"])


def test_a_field_with_its_own_message_keeps_it():
    assert _errors(_Declared, {"gender": "male", "custom": "y"})["custom"] == ["Pick x."]


@pytest.mark.parametrize("value", [["male"], {"a": 1}, "m" * 1000])
def test_odd_input_is_not_echoed_back_whole(value):
    message = str(_errors(_Declared, {"gender": value})["gender"][0])
    assert "Choose one of: male, female, other." in message
    assert len(message) < 120


@pytest.mark.django_db
def test_an_api_choice_error_lists_the_choices(client_for, patient):
    response = client_for(patient).post(
        "/api/users/address/", {"area": "A", "address_type": "castle"}, format="json"
    )
    assert response.status_code == 400
    assert "Choose one of:" in response.json()["address_type"][0]
