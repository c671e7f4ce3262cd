"""Named rules of the users app, alone."""

import pytest

from users.policies import can_change_password_without_current, must_complete_member_onboarding
from users.tests.factories import (
    ClinicOwnerFactory,
    DoctorUserFactory,
    LabMemberFactory,
    PatientFactory,
    ReceptionistFactory,
)


@pytest.mark.parametrize(
    ("age", "allowed"), [(0, True), (900, True), (901, False), (-30, True), (-61, False)]
)
def test_recent_authentication_window(age, allowed, settings):
    settings.RECENT_AUTH_SECONDS = 900
    assert can_change_password_without_current(auth_time=10_000 - age, now=10_000) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "complete", "required"),
    [
        (DoctorUserFactory, False, True),
        (ReceptionistFactory, False, True),
        (LabMemberFactory, False, True),
        (DoctorUserFactory, True, False),
        (PatientFactory, False, False),
        (ClinicOwnerFactory, False, False),
    ],
)
def test_member_onboarding_is_required_for_incomplete_staff_only(factory, complete, required):
    user = factory.build(is_complete_onboarding=complete)
    assert must_complete_member_onboarding(user=user) is required
