"""Who runs a doctor's queue: the owner of the doctor's clinic, its active receptionists and the
doctor. As ORM conditions, so each scope is one query and out-of-scope reads as 404."""

from typing import Any

from django.db.models import Exists, OuterRef, Q

from clinic.models import ClinicMember, MemberRole, MemberStatus


def front_desk_q(user: Any, *, clinic: str, doctor_user: str) -> Q:
    """Rows whose clinic (the `clinic` path) is run by `user` as owner or receptionist, or whose
    doctor's account (the `doctor_user` path) is `user`."""
    receptionist = ClinicMember.objects.filter(
        clinic=OuterRef(clinic),
        user=user,
        member_role=MemberRole.RECEPTIONIST,
        status=MemberStatus.ACTIVE,
    )
    return Q(**{f"{clinic}__owner": user}) | Q(**{doctor_user: user}) | Q(Exists(receptionist))
