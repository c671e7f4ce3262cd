"""A user's addresses: at most one is current (also a partial unique constraint)."""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from core.exceptions import Conflict
from users.models import User, UserAddress

ADDRESS_WRITABLE_FIELDS = (
    "area",
    "house_no",
    "town",
    "state",
    "pincode",
    "landmark",
    "address_type",
    "is_current",
)


def current_address_unset_others(*, user: User, keep_id: int | None) -> None:
    others = UserAddress.objects.filter(user=user, is_current=True)
    if keep_id is not None:
        others = others.exclude(pk=keep_id)
    others.update(is_current=False)


def _save(address: UserAddress, data: Mapping[str, Any]) -> UserAddress:
    for field in ADDRESS_WRITABLE_FIELDS:
        if field in data:
            value = data[field]
            setattr(address, field, "" if value is None and field != "is_current" else value)
    try:
        with transaction.atomic():
            # Lock the user's rows so two requests cannot both make an address current.
            list(UserAddress.objects.select_for_update().filter(user=address.user_id))
            if address.is_current:
                current_address_unset_others(user=address.user, keep_id=address.pk)
            address.save()
    except IntegrityError as exc:
        raise Conflict(
            "Another address was made current at the same time. Please retry.",
            code="current_address_conflict",
        ) from exc
    return address


def address_create(*, user: User, data: Mapping[str, Any]) -> UserAddress:
    return _save(UserAddress(user=user), data)


def address_update(*, address: UserAddress, data: Mapping[str, Any]) -> UserAddress:
    return _save(address, data)


def address_delete(*, address: UserAddress) -> None:
    address.delete()
