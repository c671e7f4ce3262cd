"""Reads of the users app, always scoped to the requesting user."""

from django.db.models import QuerySet

from core.error_codes import ErrorCode
from core.exceptions import NotFound
from users.models import MedicalProfile, User, UserAddress


def contact_exists(*, contact: str) -> bool:
    return User.objects.filter(contact=contact).exists()


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
