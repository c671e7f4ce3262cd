"""Profile writes: `me`, the medical profile, and patient onboarding step 3."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from users.models import AddressType, MedicalProfile, User, UserAddress
from users.services.addresses import current_address_unset_others

USER_PROFILE_FIELDS = ("name", "email", "gender", "age", "blood_group")
MEDICAL_PROFILE_FIELDS = (
    "allergies",
    "chronic_conditions",
    "current_medications",
    "past_surgeries",
    "family_history",
    "height_cm",
    "weight_kg",
    "emergency_contact_name",
    "emergency_contact_number",
)
ADDRESS_FIELDS = ("area", "house_no", "town", "state", "pincode", "landmark")
# Step 3 names the address area `address_area` (the address API calls it `area`).
STEP3_ADDRESS_KEYS = {"address_area": "area"} | {f: f for f in ADDRESS_FIELDS if f != "area"}


def _pick(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Only whitelisted keys reach a model: role, flags and contact can never be set here."""
    return {key: data[key] for key in allowed if key in data}


def user_profile_update(*, user: User, data: Mapping[str, Any]) -> User:
    changes = _pick(data, USER_PROFILE_FIELDS)
    for field, value in changes.items():
        setattr(user, field, "" if value is None and field != "age" else value)
    if changes:
        user.save(update_fields=[*changes, "updated_at"])
    return user


def medical_profile_update(*, user: User, data: Mapping[str, Any]) -> MedicalProfile:
    changes = _pick(data, MEDICAL_PROFILE_FIELDS)
    with transaction.atomic():
        profile, _ = MedicalProfile.objects.select_for_update().get_or_create(user=user)
        for field, value in changes.items():
            if value is None and field not in ("height_cm", "weight_kg"):
                value = ""
            setattr(profile, field, value)
        profile.save()
    return profile


def _current_home_address_save(*, user: User, fields: Mapping[str, Any]) -> UserAddress:
    # Lock the user's rows so a concurrent address write cannot add a second current one.
    list(UserAddress.objects.select_for_update().filter(user=user))
    address = UserAddress.objects.filter(
        user=user, is_current=True, address_type=AddressType.HOME
    ).first()
    if address is None:
        current_address_unset_others(user=user, keep_id=None)
        address = UserAddress(user=user, address_type=AddressType.HOME, is_current=True)
    for field, value in fields.items():
        setattr(address, field, value or "")
    address.save()
    return address


def patient_onboarding_complete(
    *, user: User, data: Mapping[str, Any]
) -> tuple[User, MedicalProfile]:
    """Step 3: profile, current home address and medical details, then onboarding is done."""
    address = {STEP3_ADDRESS_KEYS[k]: v for k, v in data.items() if k in STEP3_ADDRESS_KEYS}
    with transaction.atomic():
        user_profile_update(user=user, data=data)
        if any(address.values()):
            _current_home_address_save(user=user, fields=address)
        profile = medical_profile_update(user=user, data=data)
        user.is_partial_onboarding = False
        user.is_complete_onboarding = True
        user.save(update_fields=["is_partial_onboarding", "is_complete_onboarding", "updated_at"])
    return user, profile
