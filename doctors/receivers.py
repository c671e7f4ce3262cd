"""Doctors' answers to clinic's events (connected in `DoctorsConfig.ready`)."""

from collections.abc import Mapping
from typing import Any

from clinic.models import ClinicMember
from doctors.models import DoctorProfile
from doctors.services import doctor_profile_get_or_create, doctor_profile_update
from users.models import User

# The doctor's part of the member onboarding body.
ONBOARDING_PROFILE_FIELDS = ("specialty", "qualification", "experience_years")


def doctor_profile_for_new_member(*, member: ClinicMember, **_: Any) -> DoctorProfile:
    return doctor_profile_get_or_create(user=member.user)


def doctor_profile_from_onboarding(
    *, user: User, data: Mapping[str, Any], **_: Any
) -> DoctorProfile:
    changes = {key: data[key] for key in ONBOARDING_PROFILE_FIELDS if key in data}
    profile = doctor_profile_get_or_create(user=user)
    return doctor_profile_update(profile=profile, changes=changes)
