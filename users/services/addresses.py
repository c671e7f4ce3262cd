"""A user's addresses: at most one is current (also a partial unique constraint)."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from core.error_codes import ErrorCode
from core.exceptions import Conflict
from core.services import model_update
from users.models import AddressType, PatientProfile, Relation, User, UserAddress

ADDRESS_FIELDS = ("area", "house_no", "town", "state", "pincode", "landmark")
ADDRESS_WRITABLE_FIELDS = (*ADDRESS_FIELDS, "address_type", "is_current")
# Onboarding bodies (patient step 3, member completion) name the area `address_area`.
ONBOARDING_ADDRESS_KEYS = {"address_area": "area"} | {f: f for f in ADDRESS_FIELDS if f != "area"}


def onboarding_address(data: Mapping[str, Any]) -> dict[str, Any]:
    """The address part of an onboarding body, in the address fields' names."""
    return {ONBOARDING_ADDRESS_KEYS[k]: v for k, v in data.items() if k in ONBOARDING_ADDRESS_KEYS}


def current_address_unset_others(*, user: User, keep_id: int | None) -> None:
    others = UserAddress.objects.filter(user=user, is_current=True)
    if keep_id is not None:
        others = others.exclude(pk=keep_id)
    others.update(is_current=False)


def _lock_addresses(user: User) -> None:
    # Lock the user's rows so two concurrent writes cannot both make an address current.
    list(UserAddress.objects.select_for_update().filter(user=user))


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The writable fields sent; an absent text (None) is stored as ""."""
    return {
        field: "" if data[field] is None and field != "is_current" else data[field]
        for field in ADDRESS_WRITABLE_FIELDS
        if field in data
    }


@contextmanager
def _one_current(*, user: User, making_current: bool, keep_id: int | None) -> Iterator[None]:
    try:
        with transaction.atomic():
            _lock_addresses(user)
            if making_current:
                current_address_unset_others(user=user, keep_id=keep_id)
            yield
    except IntegrityError as exc:
        raise Conflict(
            "Another address was made current at the same time. Please retry.",
            code=ErrorCode.CURRENT_ADDRESS_CONFLICT,
        ) from exc


def self_profile_address_sync(*, user_id: Any) -> None:
    """The account's self profile carries its current address (users.services.profiles)."""
    current = UserAddress.objects.filter(user_id=user_id, is_current=True).first()
    PatientProfile.objects.filter(account_id=user_id, relation=Relation.SELF).update(
        **{field: getattr(current, field) if current else "" for field in ADDRESS_FIELDS}
    )


def address_create(*, user: User, data: Mapping[str, Any]) -> UserAddress:
    address = UserAddress(user=user, **_values(data))
    with _one_current(user=user, making_current=address.is_current, keep_id=None):
        address.save()
        self_profile_address_sync(user_id=user.pk)
    return address


def address_update(*, address: UserAddress, data: Mapping[str, Any]) -> UserAddress:
    values = _values(data)
    making_current = bool(values.get("is_current", address.is_current))
    with _one_current(user=address.user, making_current=making_current, keep_id=address.pk):
        model_update(instance=address, fields=ADDRESS_WRITABLE_FIELDS, data=values)
        self_profile_address_sync(user_id=address.user_id)
    return address


def current_home_address_save(*, user: User, data: Mapping[str, Any]) -> UserAddress:
    """Onboarding's address: the current home address is updated, or created as the one
    current address (a current work address stops being current)."""
    values = {field: data[field] or "" for field in ADDRESS_FIELDS if field in data}
    with transaction.atomic():
        _lock_addresses(user)
        address = UserAddress.objects.filter(
            user=user, is_current=True, address_type=AddressType.HOME
        ).first()
        if address is None:
            current_address_unset_others(user=user, keep_id=None)
            address = UserAddress.objects.create(
                user=user, address_type=AddressType.HOME, is_current=True, **values
            )
        else:
            model_update(instance=address, fields=ADDRESS_FIELDS, data=values)
        self_profile_address_sync(user_id=user.pk)
    return address


def address_delete(*, address: UserAddress) -> None:
    user_id = address.user_id
    with transaction.atomic():
        address.delete()
        self_profile_address_sync(user_id=user_id)
