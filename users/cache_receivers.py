"""Cached public reads (core.response_cache) forget a doctor's account changes.

The directory shows a doctor's name and lists only active accounts, so saving a doctor's
user (all fields, or `name`, `is_active` or `role` among `update_fields`) or deleting it bumps
the directory. Other saves (a login's password rehash, a patient's profile) change nothing
public and leave the cached answers alone.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from core.response_cache import bump_directory
from core.roles import RoleId
from users.models import User

_PUBLIC_FIELDS = frozenset({"name", "is_active", "role", "role_id"})


def user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    touches_public = update_fields is None or bool(_PUBLIC_FIELDS & set(update_fields))
    if instance.role_id == RoleId.DOCTOR and touches_public:
        bump_directory()
    elif update_fields is not None and {"role", "role_id"} & set(update_fields):
        bump_directory()  # a role change away from doctor


def connect() -> None:
    post_save.connect(user_changed, User, dispatch_uid="cache.user.save")
    post_delete.connect(user_changed, User, dispatch_uid="cache.user.delete")
