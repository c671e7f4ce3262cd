"""The one role an account shows (`roles` in user payloads, which the mobile client routes on).

Staff roles come from memberships: while an account has an active clinic membership its role
is that membership's staff role. A registered patient added as staff takes the staff role
(onboarding counts as done: they already chose a password and filled their profile) and keeps
their patient profile, so they still book and keep documents (the patient capability,
users/acting.py, does not depend on the role). When their last active membership ends, an
account whose self profile acts as a patient goes back to the patient role; staff who were
never patients keep their staff role, as before (they cannot sign up as patients on that
number otherwise, and their history stays readable).
"""

from typing import Any

from django.db import transaction

from core.roles import RoleId
from users.models import PatientProfile, Relation, User


def patient_joins_staff(*, user: User, role_id: int) -> None:
    """A patient becomes staff: their self profile keeps acting as a patient."""
    with transaction.atomic():
        PatientProfile.objects.filter(account=user, relation=Relation.SELF).update(
            patient_enabled=True
        )
        user.role_id = role_id
        user.save(update_fields=["role", "updated_at"])


def staff_membership_ended(*, user_id: Any) -> None:
    """The account's last active membership ended: a patient goes back to the patient role."""
    is_patient = PatientProfile.objects.filter(
        account_id=user_id, relation=Relation.SELF, patient_enabled=True
    ).exists()
    if is_patient:
        User.objects.filter(pk=user_id).exclude(
            role_id__in=(RoleId.PATIENT, RoleId.CLINIC_OWNER)
        ).update(role_id=RoleId.PATIENT)
