"""Reads of the users app, always scoped to the requesting user."""

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from core.error_codes import ErrorCode
from core.exceptions import NotFound
from users.models import MedicalProfile, PatientProfile, Relation, User, UserAddress


def contact_exists(*, contact: str) -> bool:
    """Whether to sign in (True) or register (False): an account a profile transfer created,
    still without a password, is finished by registering."""
    from users.services.registration import claimable_account

    return User.objects.filter(contact=contact).exists() and claimable_account(contact) is None


def medical_profile_for(*, user: User) -> MedicalProfile:
    """The user's medical profile; an empty unsaved one when none was filled in yet."""
    profile = MedicalProfile.objects.filter(user=user).first()
    return profile if profile is not None else MedicalProfile(user=user)


def address_list_for(*, user: User) -> QuerySet[UserAddress]:
    return UserAddress.objects.filter(user=user).order_by("-is_current", "id")


def address_get_for(*, user: User, address_id: int) -> UserAddress:
    address = address_list_for(user=user).filter(pk=address_id).first()
    if address is None:
        raise NotFound("Address not found.", code=ErrorCode.ADDRESS_NOT_FOUND)
    return address


def self_profile_id_of(*, account_id: Any) -> Any:
    return (
        PatientProfile.objects.filter(account_id=account_id, relation=Relation.SELF)
        .values_list("pk", flat=True)
        .first()
    )


def profiles_of_contact(*, contact: str) -> QuerySet[PatientProfile]:
    """The people the active account on `contact` holds: its own profile first, then its
    dependents in the order they were added (none when the number is not registered, or its
    account is closed). What the front desk picks a walk-in from."""
    own_first = Case(
        When(relation=Relation.SELF, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return PatientProfile.objects.filter(
        account__contact=contact, account__is_active=True
    ).order_by(own_first, "created_at", "id")


def fill_patient_pair(record: Any) -> None:
    """A record of care names both the holder account (`patient`) and the person
    (`patient_profile`); given one, the other follows: an account alone means its own
    profile (so code written before profiles, and clients that never send one, keep working),
    a profile alone means its holder."""
    if record.patient_profile_id is None and record.patient_id is not None:
        record.patient_profile_id = self_profile_id_of(account_id=record.patient_id)
    elif record.patient_id is None and record.patient_profile_id is not None:
        record.patient_id = (
            PatientProfile.objects.filter(pk=record.patient_profile_id)
            .values_list("account_id", flat=True)
            .first()
        )
