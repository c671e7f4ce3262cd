"""Shapes of patient profiles (dependents) and their transfer; no rules."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from core.fields import ContactField
from users.models import (
    DEPENDENT_RELATIONS,
    MEDICAL_PROFILE_FIELDS,
    BloodGroup,
    Gender,
    PatientProfile,
    Relation,
)
from users.serializers import (
    OTP_REGEX,
    AddressInputSerializer,
    MedicalProfileInputSerializer,
    OptionalContactField,
)
from users.services.addresses import ADDRESS_FIELDS


class DependentInputSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=[(r, r) for r in DEPENDENT_RELATIONS])
    name = serializers.CharField(max_length=150)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    blood_group = serializers.ChoiceField(
        choices=BloodGroup.choices, required=False, allow_blank=True
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        medical = MedicalProfileInputSerializer().get_fields()
        address = AddressInputSerializer().get_fields()
        fields.update({name: medical[name] for name in MEDICAL_PROFILE_FIELDS})
        fields.update({name: address[name] for name in ADDRESS_FIELDS})
        return fields

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        # Here rather than in validate: it holds when nested too (the walk-in's `dependent`).
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: ["This field is not accepted here."] for key in unknown}
                )
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        born = attrs.get("date_of_birth")
        if born is not None and born > dt.date.today():
            raise serializers.ValidationError({"date_of_birth": ["Cannot be in the future."]})
        return attrs


class PatientProfileOutputSerializer(serializers.ModelSerializer):
    age = serializers.IntegerField(read_only=True, allow_null=True)
    emergency_contact_number = OptionalContactField()
    relation = serializers.ChoiceField(choices=Relation.choices, read_only=True)

    class Meta:
        model = PatientProfile
        fields = (
            "id",
            "relation",
            "name",
            "gender",
            "date_of_birth",
            "age",
            "blood_group",
            *MEDICAL_PROFILE_FIELDS,
            *ADDRESS_FIELDS,
            "patient_enabled",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class TransferStartInputSerializer(serializers.Serializer):
    contact = ContactField(help_text="The dependent's own mobile number.")


class TransferStartOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    contact = ContactField()
    next_step = serializers.CharField()


class TransferVerifyInputSerializer(serializers.Serializer):
    contact = ContactField()
    otp = serializers.RegexField(
        OTP_REGEX,
        max_length=8,
        error_messages={"invalid": "Enter the 6-digit code sent by SMS."},
    )


class TransferOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    profile = serializers.UUIDField()
    to_account = serializers.UUIDField()
    account_created = serializers.BooleanField()
    transferred_at = serializers.DateTimeField()
