"""Cached answers (core.response_cache) forget account and patient-profile changes.

The directory shows a doctor's name and lists only active accounts, so saving a doctor's
user (all fields, or `name`, `is_active` or `role` among `update_fields`) or deleting it bumps
the directory. Other saves (a login's password rehash, a patient's profile) change nothing
public and leave the public answers alone.

Private lists show people: the holder's contact and a patient profile's name, gender and age
(my appointments; a doctor's day). A profile's save or delete bumps its account (and the
account it was loaded with: a transfer) and `PEOPLE`; a user's save bumps its account and
`PEOPLE` unless it only touched `last_login` or `password` (the user's own private answers end
anyway: every user save moves its authentication version, users/auth_cache.py).
"""

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from core.response_cache import Namespace, account_key, bump, bump_directory
from core.roles import RoleId
from users.models import PatientProfile, User

_PUBLIC_FIELDS = frozenset({"name", "is_active", "role", "role_id"})
_NOT_SHOWN_FIELDS = frozenset({"last_login", "password"})
_LOADED = "_cache_loaded_account"


def user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    touches_public = update_fields is None or bool(_PUBLIC_FIELDS & set(update_fields))
    if instance.role_id == RoleId.DOCTOR and touches_public:
        bump_directory()
    elif update_fields is not None and {"role", "role_id"} & set(update_fields):
        bump_directory()  # a role change away from doctor
    if update_fields is None or set(update_fields) - _NOT_SHOWN_FIELDS:
        bump(Namespace.PEOPLE, account_key(instance.pk))


def remember_account(sender: Any, instance: PatientProfile, **kwargs: Any) -> None:
    instance.__dict__[_LOADED] = instance.__dict__.get("account_id")


def profile_changed(sender: Any, instance: PatientProfile, **kwargs: Any) -> None:
    keys = {Namespace.PEOPLE.value, account_key(instance.account_id)}
    loaded = instance.__dict__.get(_LOADED)
    if loaded is not None:
        keys.add(account_key(loaded))
    bump(*sorted(keys))
    remember_account(sender, instance)


def connect() -> None:
    post_save.connect(user_changed, User, dispatch_uid="cache.user.save")
    post_delete.connect(user_changed, User, dispatch_uid="cache.user.delete")
    post_init.connect(remember_account, PatientProfile, dispatch_uid="cache.profile.init")
    post_save.connect(profile_changed, PatientProfile, dispatch_uid="cache.profile.save")
    post_delete.connect(profile_changed, PatientProfile, dispatch_uid="cache.profile.delete")
