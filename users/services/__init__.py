"""Writes and rules of the users app (one module per concern, re-exported here)."""

from users.services.addresses import (
    address_create,
    address_delete,
    address_update,
    current_home_address_save,
    onboarding_address,
)
from users.services.auth import (
    user_login,
    user_password_change,
    user_refresh_tokens_blacklist,
)
from users.services.passwords import password_validate
from users.services.profile import (
    medical_profile_update,
    patient_onboarding_complete,
    user_profile_update,
)
from users.services.registration import registration_start, registration_verify
from users.services.sessions import user_logout

__all__ = [
    "address_create",
    "address_delete",
    "address_update",
    "current_home_address_save",
    "medical_profile_update",
    "onboarding_address",
    "password_validate",
    "patient_onboarding_complete",
    "registration_start",
    "registration_verify",
    "user_login",
    "user_logout",
    "user_password_change",
    "user_profile_update",
    "user_refresh_tokens_blacklist",
]
