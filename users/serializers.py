"""Request and response shapes of the users API (shape only; rules live in services)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from core.error_codes import ErrorCode
from core.fields import ContactField
from core.roles import RoleId
from core.serializers import (
    Unchangeable,
    UnchangeableFieldsMixin,
    normalise_bool,
    normalise_contact,
    normalise_role,
)
from users.models import (
    MEDICAL_PROFILE_FIELDS,
    AddressType,
    BloodGroup,
    Gender,
    MedicalProfile,
    User,
    UserAddress,
)

TEXT_MAX_LENGTH = 2000
OTP_REGEX = r"^\d{4,8}$"

# What `me` shows (or the model holds) but only the server sets: echoed back unchanged is fine.
USER_UNCHANGEABLE = {
    "id": Unchangeable(source="pk"),
    "contact": Unchangeable(normalise=normalise_contact),
    "role": Unchangeable(source="role_id", normalise=normalise_role),
    "role_id": Unchangeable(normalise=normalise_role),
    "roles": Unchangeable(source="role_id", normalise=normalise_role),
    **{
        flag: Unchangeable(normalise=normalise_bool)
        for flag in (
            "is_partial_onboarding",
            "is_complete_onboarding",
            "is_active",
            "is_staff",
            "is_superuser",
        )
    },
}


@extend_schema_field(
    {"type": "integer", "nullable": True, "example": 9123456789, "description": "Mobile number."}
)
class OptionalContactField(ContactField):
    """A contact that may be left empty ("" or null), e.g. the emergency contact."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str) and not data.strip():
            return ""
        return super().to_internal_value(data)


class RoundedIntegerField(serializers.FloatField):
    """Accepts 175, 175.0 or "175.4" (the mobile client sends floats) and keeps an integer."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool):
            self.fail("invalid")
        return round(super().to_internal_value(data))

    def to_representation(self, value: Any) -> Any:
        return int(value)


def _text(max_length: int = TEXT_MAX_LENGTH) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, allow_null=True
    )


def _pincode() -> serializers.RegexField:
    return serializers.RegexField(
        r"^\d{6}$",
        required=False,
        allow_blank=True,
        allow_null=True,
        error_messages={"invalid": "Enter a 6-digit PIN code."},
    )


# --- users ------------------------------------------------------------------------------


class RoleOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text='Role name, e.g. "is_patient".')


class UserOutputSerializer(serializers.ModelSerializer):
    contact = ContactField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "id",
            "name",
            "contact",
            "email",
            "gender",
            "age",
            "blood_group",
            "roles",
            "is_partial_onboarding",
            "is_complete_onboarding",
        )
        read_only_fields = fields

    @extend_schema_field(RoleOutputSerializer)
    def get_roles(self, user: User) -> dict[str, Any]:
        role = RoleId(user.role_id)
        return {"id": int(role), "name": role.api_name}


class UserUpdateInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = USER_UNCHANGEABLE

    name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    age = serializers.IntegerField(min_value=0, max_value=150, required=False, allow_null=True)
    blood_group = serializers.ChoiceField(
        choices=BloodGroup.choices, required=False, allow_blank=True
    )


# --- medical profile ----------------------------------------------------------------------


class MedicalProfileInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = {"user": Unchangeable(source="user_id")}

    allergies = _text()
    chronic_conditions = _text()
    current_medications = _text()
    past_surgeries = _text()
    family_history = _text()
    height_cm = RoundedIntegerField(
        min_value=20, max_value=300, required=False, allow_null=True, help_text="Centimetres."
    )
    weight_kg = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=1,
        max_value=700,
        required=False,
        allow_null=True,
        help_text="Kilograms, up to 2 decimals.",
    )
    emergency_contact_name = _text(150)
    emergency_contact_number = OptionalContactField()


class MedicalProfileOutputSerializer(serializers.ModelSerializer):
    emergency_contact_number = OptionalContactField()
    # null until the patient first saves a profile (the answer is then an unsaved default).
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = MedicalProfile
        fields = (
            *MEDICAL_PROFILE_FIELDS,
            "updated_at",
        )
        read_only_fields = fields


# --- login and tokens ----------------------------------------------------------------------


class LoginInputSerializer(serializers.Serializer):
    contact = ContactField()
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class LoginOutputSerializer(serializers.Serializer):
    message = serializers.CharField(
        required=False, help_text="Only for clinic staff who must complete onboarding."
    )
    onboarding_required = serializers.BooleanField(required=False)
    onboarding_url = serializers.CharField(required=False)
    password_change_required = serializers.BooleanField(
        required=False,
        help_text="Present (true) while the account uses a clinic-issued temporary password: "
        "the tokens then reach only password change, `me` and token refresh.",
    )
    password_change_url = serializers.CharField(required=False)
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserOutputSerializer()


class TokenRefreshInputSerializer(TokenRefreshSerializer):
    """simplejwt's refresh with rotation, plus: the user must still exist, be active and
    have the password the token was issued under (all 401 otherwise)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.payload.get(jwt_settings.USER_ID_CLAIM)
        user = User.objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
        if user is None or not user.is_active:
            raise AuthenticationFailed(
                str(self.error_messages["no_active_account"]), ErrorCode.NO_ACTIVE_ACCOUNT
            )
        claim = refresh.payload.get(jwt_settings.REVOKE_TOKEN_CLAIM)
        if jwt_settings.CHECK_REVOKE_TOKEN and claim != get_md5_hash_password(user.password):
            raise InvalidToken("The user's password has been changed.", ErrorCode.PASSWORD_CHANGED)
        return super().validate(attrs)


class LogoutInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096, help_text="The refresh token to end.")


class TokenRefreshOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField(help_text="The rotated refresh token; the old one is dead.")


# --- registration --------------------------------------------------------------------------


class RegistrationStartInputSerializer(serializers.Serializer):
    contact = ContactField()
    name = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class RegistrationStartOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    contact = ContactField()
    next_step = serializers.CharField()


class RegistrationVerifyInputSerializer(serializers.Serializer):
    contact = ContactField()
    otp = serializers.RegexField(
        OTP_REGEX,
        max_length=8,
        error_messages={"invalid": "Enter the 6-digit code sent by SMS."},
    )


class RegistrationVerifyOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserOutputSerializer()
    next_step = serializers.CharField()


class PatientOnboardingInputSerializer(MedicalProfileInputSerializer):
    unchangeable_fields = USER_UNCHANGEABLE

    gender = serializers.ChoiceField(choices=Gender.choices)
    age = serializers.IntegerField(min_value=0, max_value=150)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    blood_group = serializers.ChoiceField(
        choices=BloodGroup.choices, required=False, allow_blank=True, allow_null=True
    )
    address_area = _text(255)
    house_no = _text(50)
    town = _text(100)
    state = _text(100)
    pincode = _pincode()
    landmark = _text(255)


class PatientOnboardingOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = UserOutputSerializer()
    medical_profile = MedicalProfileOutputSerializer()


# --- misc -----------------------------------------------------------------------------------


class ContactCheckInputSerializer(serializers.Serializer):
    contact = ContactField()


class ContactCheckOutputSerializer(serializers.Serializer):
    exists = serializers.BooleanField()


class PasswordChangeInputSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    current_password = serializers.CharField(
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Required unless you signed in (login or OTP) in the last 15 minutes.",
    )


class PasswordChangeOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    access = serializers.CharField()
    refresh = serializers.CharField()


# --- addresses ------------------------------------------------------------------------------


class AddressInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = {"id": Unchangeable(source="pk"), "user": Unchangeable(source="user_id")}

    area = _text(255)
    house_no = _text(50)
    town = _text(100)
    state = _text(100)
    pincode = _pincode()
    landmark = _text(255)
    address_type = serializers.ChoiceField(choices=AddressType.choices, required=False)
    is_current = serializers.BooleanField(required=False)


class AddressOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserAddress
        fields = (
            "id",
            "area",
            "house_no",
            "town",
            "state",
            "pincode",
            "landmark",
            "address_type",
            "is_current",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields
