"""Patient profiles: every account's self profile, dependents, and the one sync rule.

A self profile is created with its account (whatever creates the account: registration,
staff auto-registration, `create_user`, a factory) by the `post_save` receiver below, with
id = the account's id. It mirrors the account's spec fields (name, gender, age as
`stated_age`, blood group), its medical profile and its current address: the receivers below
copy the account's fields and medical profile on every write of them, and the address
services (`users.services.addresses`, the one writer of addresses) copy the current address
after each change (a receiver there would double the single-statement `model_update`). So
`/api/users/me/...` stay the one way to change them and the profile a doctor sees never
drifts from them. Dependents are written only here.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from audit.models import AuditEvent
from core.error_codes import ErrorCode
from core.exceptions import Conflict
from core.roles import RoleId
from core.services import model_update
from users.models import (
    DEPENDENT_RELATIONS,
    MEDICAL_PROFILE_FIELDS,
    MedicalProfile,
    PatientProfile,
    Relation,
    User,
)
from users.services.addresses import ADDRESS_FIELDS

# The account's fields a self profile mirrors: account field -> profile field.
MIRRORED_USER_FIELDS = {
    "name": "name",
    "gender": "gender",
    "age": "stated_age",
    "blood_group": "blood_group",
}
DEPENDENT_FIELDS = (
    "relation",
    "name",
    "gender",
    "date_of_birth",
    "blood_group",
    *MEDICAL_PROFILE_FIELDS,
    *ADDRESS_FIELDS,
)
_NULLABLE = frozenset({"date_of_birth", "height_cm", "weight_kg"})


def _self_profiles(account_id: Any) -> Any:
    return PatientProfile.objects.filter(account_id=account_id, relation=Relation.SELF)


def self_profile_create(*, user: User) -> PatientProfile:
    """The account's own profile, id = the account's id; patients act as patients at once,
    staff and owners turn it on when they want care for themselves."""
    profile, _ = PatientProfile.objects.get_or_create(
        account=user,
        relation=Relation.SELF,
        defaults={
            "id": user.pk,
            "patient_enabled": user.role_id == RoleId.PATIENT,
            **{theirs: _mirrored(user, ours, theirs) for ours, theirs in _mirror()},
        },
    )
    return profile


def self_profiles_bulk_create(*, users: list[User]) -> list[PatientProfile]:
    """The self profiles of accounts made with `bulk_create` (no post_save: bench data)."""
    return PatientProfile.objects.bulk_create(
        [
            PatientProfile(
                id=user.pk,
                account=user,
                relation=Relation.SELF,
                patient_enabled=user.role_id == RoleId.PATIENT,
                **{theirs: _mirrored(user, ours, theirs) for ours, theirs in _mirror()},
            )
            for user in users
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _mirror() -> list[tuple[str, str]]:
    return list(MIRRORED_USER_FIELDS.items())


def _mirrored(user: User, ours: str, theirs: str) -> Any:
    value = getattr(user, ours)
    if value is None and theirs != "stated_age":
        return ""
    return value


def self_profile_enable(*, user: User) -> PatientProfile:
    """`POST /api/users/me/patient-profile/`: staff or an owner may receive care themselves."""
    with transaction.atomic():
        profile = _self_profiles(user.pk).select_for_update().first() or self_profile_create(
            user=user
        )
        if not profile.patient_enabled:
            profile.patient_enabled = True
            profile.save(update_fields=["patient_enabled", "updated_at"])
    user._self_profile_cache = profile  # type: ignore[attr-defined]
    return profile


def _on_user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if created:
        self_profile_create(user=instance)
        return
    update_fields = kwargs.get("update_fields")
    fields = [
        (ours, theirs)
        for ours, theirs in _mirror()
        if update_fields is None or ours in update_fields
    ]
    if fields:
        _self_profiles(instance.pk).update(
            **{theirs: getattr(instance, ours) for ours, theirs in fields}
        )


def _on_medical_saved(sender: Any, instance: MedicalProfile, **kwargs: Any) -> None:
    _self_profiles(instance.user_id).update(
        **{field: getattr(instance, field) for field in MEDICAL_PROFILE_FIELDS}
    )


def connect_receivers() -> None:
    post_save.connect(_on_user_saved, sender=User, dispatch_uid="users.self_profile.user")
    post_save.connect(
        _on_medical_saved, sender=MedicalProfile, dispatch_uid="users.self_profile.medical"
    )


# --- dependents ------------------------------------------------------------------------------


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        field: "" if data[field] is None and field not in _NULLABLE else data[field]
        for field in DEPENDENT_FIELDS
        if field in data
    }


def dependent_create(*, account: User, data: Mapping[str, Any]) -> PatientProfile:
    """A new dependent of `account`, at most MAX_DEPENDENTS_PER_ACCOUNT of them (counted under
    the account's row lock, so parallel requests cannot pass the limit together)."""
    values = _values(data)
    assert values.get("relation") in DEPENDENT_RELATIONS  # the serializer's choices
    limit = settings.MAX_DEPENDENTS_PER_ACCOUNT
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=account.pk).exists()
        held = PatientProfile.objects.filter(account=account).exclude(relation=Relation.SELF)
        if held.count() >= limit:
            raise Conflict(
                f"An account can hold at most {limit} family members; remove one to add another.",
                code=ErrorCode.DEPENDENTS_LIMIT,
            )
        return PatientProfile.objects.create(account=account, **values)


def dependent_update(*, profile: PatientProfile, data: Mapping[str, Any]) -> PatientProfile:
    model_update(instance=profile, fields=DEPENDENT_FIELDS, data=_values(data))
    return profile


def profile_has_history(profile: PatientProfile) -> bool:
    """Anything recorded for the profile: rows of any app that point at it (appointments,
    documents, break-glass...; found through the model's relations, so an app added later is
    counted too) or events on its audit chain."""
    for relation in PatientProfile._meta.related_objects:
        model: Any = relation.related_model
        manager = model._default_manager
        if manager.filter(**{relation.field.name: profile}).exists():
            return True
    return AuditEvent.objects.filter(patient_id=profile.pk).exists()


def profiles_erase(*, account: User) -> int:
    """DPDP erasure of an account covers every profile it holds: the holder acted for its
    dependents (a guardian, DPDP s. 9), so their names and health details go with it; a
    dependent who should keep their record is transferred to their own number first."""
    blank: dict[str, Any] = {
        field: None if field in _NULLABLE else "" for field in DEPENDENT_FIELDS
    }
    blank.pop("relation")
    return PatientProfile.objects.filter(account=account).update(
        **blank, stated_age=None, patient_enabled=False
    )


def dependent_delete(*, profile: PatientProfile) -> None:
    """Only a dependent without history: records of care are never dropped with it."""
    with transaction.atomic():
        locked = PatientProfile.objects.select_for_update().get(pk=profile.pk)
        if profile_has_history(locked):
            raise Conflict(
                "This person has appointments or records; their profile cannot be deleted. "
                "Transfer it to their own number instead.",
                code=ErrorCode.PROFILE_HAS_HISTORY,
            )
        locked.delete()
