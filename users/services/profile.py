"""Profile writes: `me`, the medical profile, and patient onboarding step 3."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from core.services import model_update
from users.models import MEDICAL_PROFILE_FIELDS, MedicalProfile, User
from users.services.addresses import current_home_address_save, onboarding_address

USER_PROFILE_FIELDS = ("name", "email", "gender", "age", "blood_group")


def _pick(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Only whitelisted keys reach a model: role, flags and contact can never be set here."""
    return {key: data[key] for key in allowed if key in data}


def user_profile_update(*, user: User, data: Mapping[str, Any]) -> User:
    changes = {
        field: "" if value is None and field != "age" else value
        for field, value in _pick(data, USER_PROFILE_FIELDS).items()
    }
    model_update(instance=user, fields=USER_PROFILE_FIELDS, data=changes)
    return user


def medical_profile_update(*, user: User, data: Mapping[str, Any]) -> MedicalProfile:
    changes = {
        field: "" if value is None and field not in ("height_cm", "weight_kg") else value
        for field, value in _pick(data, MEDICAL_PROFILE_FIELDS).items()
    }
    with transaction.atomic():
        profile, _ = MedicalProfile.objects.select_for_update().get_or_create(user=user)
        model_update(instance=profile, fields=MEDICAL_PROFILE_FIELDS, data=changes)
    return profile


def patient_onboarding_complete(
    *, user: User, data: Mapping[str, Any]
) -> tuple[User, MedicalProfile]:
    """Step 3: profile, current home address and medical details, then onboarding is done."""
    address = onboarding_address(data)
    with transaction.atomic():
        user_profile_update(user=user, data=data)
        if any(address.values()):
            current_home_address_save(user=user, data=address)
        profile = medical_profile_update(user=user, data=data)
        user.is_partial_onboarding = False
        user.is_complete_onboarding = True
        user.save(update_fields=["is_partial_onboarding", "is_complete_onboarding", "updated_at"])
    return user, profile
