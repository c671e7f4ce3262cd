"""The seven roles of the spec, with their fixed ids (seeded by a data migration in users)."""

from enum import IntEnum


class RoleId(IntEnum):
    SUPERADMIN = 1
    ADMIN = 2
    PATIENT = 3
    DOCTOR = 4
    RECEPTIONIST = 5
    LAB_MEMBER = 6
    CLINIC_OWNER = 7

    @property
    def api_name(self) -> str:
        return f"is_{self.name.lower()}"


def role_word(role_id: int | None) -> str:
    """ "patient", "doctor", "lab_member"...: a role id as a short, stable word ("" if none)."""
    try:
        return RoleId(role_id).name.lower() if role_id is not None else ""
    except ValueError:
        return ""


STAFF_ROLES = frozenset({RoleId.DOCTOR, RoleId.RECEPTIONIST, RoleId.LAB_MEMBER})
MEMBER_ROLE_TO_ROLE_ID = {
    "doctor": RoleId.DOCTOR,
    "receptionist": RoleId.RECEPTIONIST,
    "lab_member": RoleId.LAB_MEMBER,
}
MEMBER_ONBOARDING_URL = "/api/users/onboarding/member/complete/"
PASSWORD_CHANGE_URL = "/api/users/password/change/"
