"""Named rules about users, unit-tested alone."""

from django.conf import settings

from core.roles import STAFF_ROLES
from users.models import User

# Tolerated clock difference between app servers when reading a token's auth_time.
CLOCK_SKEW_SECONDS = 60


def can_change_password_without_current(*, auth_time: int, now: int) -> bool:
    """Only right after a sign-in (login or OTP) may the current password be omitted."""
    age = now - auth_time
    return -CLOCK_SKEW_SECONDS <= age <= settings.RECENT_AUTH_SECONDS


def must_complete_member_onboarding(*, user: User) -> bool:
    """Clinic staff auto-registered by an owner must finish their profile first."""
    return user.role_id in STAFF_ROLES and not user.is_complete_onboarding
