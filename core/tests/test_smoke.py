"""The project boots: roles are seeded and the schema renders."""

import pytest

from users.models import Role

pytestmark = pytest.mark.django_db


def test_roles_are_seeded_with_spec_ids():
    assert list(Role.objects.values_list("id", "name")) == [
        (1, "IS_SUPERADMIN"),
        (2, "IS_ADMIN"),
        (3, "IS_PATIENT"),
        (4, "IS_DOCTOR"),
        (5, "IS_RECEPTIONIST"),
        (6, "IS_LAB_MEMBER"),
        (7, "IS_CLINIC_OWNER"),
    ]


def test_personas_build(patient, doctor, receptionist, lab_member, other_doctor):
    assert doctor.doctor_profile.pk
    assert patient.check_password("Quick@Care2026")
