"""A doctor member always has a doctor profile, written by doctors in clinic's transaction.

Clinic sends `doctor_member_added` / `doctor_onboarding_completed`; doctors answers. These
tests fail if the receivers are not connected, and pin that the write fails closed.
"""

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from clinic.models import ClinicMember
from clinic.services import clinic_member_add, member_onboarding_complete
from clinic.signals import doctor_member_added, doctor_onboarding_completed
from doctors import receivers
from doctors.models import DoctorProfile
from users.models import TempPasswordLog, User
from users.tests.factories import DoctorUserFactory

pytestmark = pytest.mark.django_db
CONTACT = "+919988776655"
CONNECTIONS = [
    (
        doctor_member_added,
        receivers.doctor_profile_for_new_member,
        "doctors.profile_for_new_member",
    ),
    (
        doctor_onboarding_completed,
        receivers.doctor_profile_from_onboarding,
        "doctors.profile_from_onboarding",
    ),
]


def add_doctor(clinic, **kwargs):
    return clinic_member_add(
        clinic=clinic,
        added_by=clinic.owner,
        contact=CONTACT,
        member_role="doctor",
        name="Dr. Suresh Yadav",
        **kwargs,
    )


def new_doctor():
    return DoctorUserFactory(is_partial_onboarding=True, is_complete_onboarding=False)


@pytest.fixture
def disconnected() -> Iterator[None]:
    """Doctors' receivers disconnected for one test (reconnected after)."""
    for signal, _, uid in CONNECTIONS:
        assert signal.disconnect(dispatch_uid=uid) is True
    yield
    for signal, receiver, uid in CONNECTIONS:
        signal.connect(receiver, dispatch_uid=uid)


@pytest.mark.parametrize(("signal", "receiver", "uid"), CONNECTIONS)
def test_doctors_receivers_are_connected_at_start_up(signal, receiver, uid):
    # disconnect() answers whether it was connected; reconnect at once.
    assert signal.disconnect(dispatch_uid=uid) is True
    signal.connect(receiver, dispatch_uid=uid)


def test_adding_a_doctor_creates_the_profile(clinic):
    added = add_doctor(clinic)

    assert DoctorProfile.objects.filter(user=added.member.user).exists()


def test_adding_a_receptionist_creates_no_doctor_profile(clinic):
    clinic_member_add(
        clinic=clinic,
        added_by=clinic.owner,
        contact=CONTACT,
        member_role="receptionist",
        name="Sunita Desk",
    )

    assert not DoctorProfile.objects.exists()


def test_a_failure_in_profile_creation_rolls_the_member_back(clinic, monkeypatch):
    def fail(**_):
        raise DatabaseError("profile insert failed")

    monkeypatch.setattr(receivers, "doctor_profile_get_or_create", fail)

    with pytest.raises(DatabaseError):
        add_doctor(clinic)

    assert not ClinicMember.objects.exists()
    assert not User.objects.filter(contact=CONTACT).exists()
    assert not TempPasswordLog.objects.exists()


@pytest.mark.usefixtures("disconnected")
def test_without_doctors_receiver_adding_a_doctor_fails_closed(clinic):
    with pytest.raises(ImproperlyConfigured):
        add_doctor(clinic)

    assert not ClinicMember.objects.exists()
    assert not User.objects.filter(contact=CONTACT).exists()


@pytest.mark.usefixtures("disconnected")
def test_without_doctors_receiver_a_receptionist_is_still_added(clinic):
    clinic_member_add(
        clinic=clinic, added_by=clinic.owner, contact=CONTACT, member_role="receptionist", name="S"
    )

    assert ClinicMember.objects.count() == 1


def test_onboarding_writes_the_doctors_fields_to_the_profile():
    user = new_doctor()

    member_onboarding_complete(user=user, data={"specialty": "Cardiology", "experience_years": 10})

    profile = DoctorProfile.objects.get(user=user)
    assert (profile.specialty, profile.experience_years) == ("Cardiology", 10)


def test_a_failure_in_the_profile_write_rolls_onboarding_back(monkeypatch):
    user = new_doctor()
    name = user.name

    def fail(**_):
        raise DatabaseError("profile update failed")

    monkeypatch.setattr(receivers, "doctor_profile_update", fail)

    with pytest.raises(DatabaseError):
        member_onboarding_complete(user=user, data={"name": "Dr. New", "town": "Jaipur"})

    user.refresh_from_db()
    assert (user.is_complete_onboarding, user.name) == (False, name)
    assert not user.addresses.exists()


@pytest.mark.usefixtures("disconnected")
def test_without_doctors_receiver_a_doctors_onboarding_fails_closed():
    user = new_doctor()

    with pytest.raises(ImproperlyConfigured):
        member_onboarding_complete(user=user, data={"specialty": "Cardiology"})

    assert User.objects.get(pk=user.pk).is_complete_onboarding is False
