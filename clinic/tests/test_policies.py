"""Object rules: who sees and who manages a clinic."""

import pytest
from django.contrib.auth.models import AnonymousUser

from clinic.policies import can_manage_clinic, can_view_clinic

pytestmark = pytest.mark.django_db


def test_only_the_owner_manages_a_clinic(clinic, clinic_owner, other_owner, patient, doctor):
    assert can_manage_clinic(user=clinic_owner, clinic=clinic) is True
    for user in (other_owner, patient, doctor, AnonymousUser(), None):
        assert can_manage_clinic(user=user, clinic=clinic) is False


def test_an_owner_whose_role_changed_no_longer_manages(clinic, clinic_owner):
    clinic_owner.role_id = 3

    assert can_manage_clinic(user=clinic_owner, clinic=clinic) is False


def test_active_clinics_are_public_inactive_ones_only_for_the_owner(clinic, clinic_owner, patient):
    assert can_view_clinic(user=AnonymousUser(), clinic=clinic) is True
    clinic.is_active = False
    assert can_view_clinic(user=AnonymousUser(), clinic=clinic) is False
    assert can_view_clinic(user=patient, clinic=clinic) is False
    assert can_view_clinic(user=clinic_owner, clinic=clinic) is True
