"""Capabilities of an account as a patient, and the profile a request acts for.

"Acting as a patient" is a capability, not a role: an active account whose self profile has
`patient_enabled` (every patient; staff who registered as patients first or turned it on with
`POST /api/users/me/patient-profile/`). Patient requests act for one profile: the account's own
by default, or one of its dependents named by `patient_profile` (a query parameter on reads;
the booking body). `core.permissions` asks through `User.can_act_as_patient` / `User.act_for`
(core may not import users); documents, appointments and the rest read the chosen profile with
`acting_profile_id`.
"""

import uuid
from typing import Any

from django.db.models import Q

from core.error_codes import ErrorCode
from core.exceptions import NotFound
from core.roles import RoleId
from users.models import PatientProfile, Relation

PROFILE_NOT_FOUND = "Patient profile not found."


def self_profile(user: Any) -> PatientProfile | None:
    """The account's own profile (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_self_profile_cache", None)
    if cached is None:
        cached = PatientProfile.objects.filter(account_id=user.pk, relation=Relation.SELF).first()
        user._self_profile_cache = cached
    return cached


def self_profile_id(user: Any) -> uuid.UUID | None:
    profile = self_profile(user)
    return profile.pk if profile is not None else None


def can_act_as_patient(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role_id == RoleId.PATIENT:  # a patient's self profile is always patient_enabled
        return True
    profile = self_profile(user)
    return bool(profile is not None and profile.patient_enabled)


def _parse(profile_id: Any) -> uuid.UUID | None:
    try:
        return profile_id if isinstance(profile_id, uuid.UUID) else uuid.UUID(str(profile_id))
    except (TypeError, ValueError, AttributeError):
        return None


def profile_of_account(*, user: Any, profile_id: Any) -> PatientProfile:
    """One of the account's profiles; 404 for any other id (another family's, or garbage)."""
    parsed = _parse(profile_id)
    profile = (
        PatientProfile.objects.filter(pk=parsed, account_id=user.pk).first() if parsed else None
    )
    if profile is None:
        raise NotFound(PROFILE_NOT_FOUND, code=ErrorCode.PATIENT_PROFILE_NOT_FOUND)
    return profile


def act_for(user: Any, profile_id: Any) -> None:
    """The request acts as a patient for this profile of the account (None: its own; no
    query is spent on that default: scopes join on the self relation instead)."""
    user.acting_profile = (
        None if profile_id in (None, "") else profile_of_account(user=user, profile_id=profile_id)
    )
    user.acts_as_patient = True


def acts_as_patient(user: Any) -> bool:
    """Whether the request acts as a patient: a gate chose it (`CanActAsPatient`), or, for
    code reached without a gate (services called directly), the account's role is patient.
    False: the account acts in its staff role."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "acts_as_patient", False) or user.role_id == RoleId.PATIENT)


def acting_profile(user: Any) -> PatientProfile | None:
    """The profile this request acts for (its own unless a dependent was chosen); None when
    the account does not act as a patient."""
    if not acts_as_patient(user):
        return None
    return getattr(user, "acting_profile", None) or self_profile(user)


def acting_profile_id(user: Any) -> uuid.UUID | None:
    profile = acting_profile(user)
    return profile.pk if profile is not None else None


def patient_scope_q(user: Any, *, prefix: str = "") -> Q:
    """Records (appointments, documents...) of the profile the request acts for: held by the
    account, and of the chosen dependent or else of the account's own profile."""
    chosen = getattr(user, "acting_profile", None)
    held = Q(**{f"{prefix}patient_id": user.pk})
    if chosen is not None:
        return held & Q(**{f"{prefix}patient_profile_id": chosen.pk})
    return held & Q(**{f"{prefix}patient_profile__relation": Relation.SELF})
