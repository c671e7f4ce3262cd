"""Shared by the profile tests: a dependent of an account."""

from users.models import PatientProfile


def dependent_of(account, *, name="Aarav Sharma", relation="child", **extra) -> PatientProfile:
    extra.setdefault("gender", "male")
    return PatientProfile.objects.create(account=account, relation=relation, name=name, **extra)
