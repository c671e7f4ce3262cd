"""Object rules for clinics: who may see and who may manage a clinic."""

from typing import Any

from clinic.models import Clinic
from core.roles import RoleId


def can_view_clinic(*, user: Any, clinic: Clinic) -> bool:
    """Active clinics are public; an inactive one is visible to its owner only."""
    return clinic.is_active or can_manage_clinic(user=user, clinic=clinic)


def can_manage_clinic(*, user: Any, clinic: Clinic) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.role_id == RoleId.CLINIC_OWNER
        and clinic.owner_id == user.pk
    )
