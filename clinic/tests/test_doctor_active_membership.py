"""The doctor's active clinic, defined once: `doctor_active_membership` and its SQL twin agree,
and every reader of the rule (directory, slots, availability, booking) follows it."""

import datetime as dt

import pytest
from django.db import connection

import appointments.slots
from appointments.services import doctor_active_clinic
from clinic.models import Clinic, ClinicMember
from clinic.selectors import (
    DOCTOR_ACTIVE_MEMBERSHIP_PARAMS,
    DOCTOR_ACTIVE_MEMBERSHIP_SQL,
    doctor_active_membership,
)
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from core.exceptions import QuickCareError
from doctors import public_queries
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorProfileFactory
from users.models import User

pytestmark = pytest.mark.django_db


def _active(user, clinic):
    return ClinicMemberFactory(clinic=clinic, user=user, member_role="doctor")


def _left(user, clinic):
    ClinicMemberFactory(clinic=clinic, user=user, member_role="doctor", status="inactive")


def _closed_clinic(user, clinic):
    member = _active(user, clinic)
    Clinic.objects.filter(pk=clinic.pk).update(is_active=False)  # not via release: still active
    return member


def _suspended_account(user, clinic):
    member = _active(user, clinic)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return member


def _not_a_doctor_member(user, clinic):
    ClinicMemberFactory(clinic=clinic, user=user, member_role="receptionist")


def _left_one_joined_another(user, clinic):
    _left(user, ClinicFactory())
    return _active(user, clinic)


# name -> (builder, practising membership expected, membership the constraint counts expected)
CASES = {
    "active": (_active, True, True),
    "left": (_left, False, False),
    "closed_clinic": (_closed_clinic, False, True),
    "suspended_account": (_suspended_account, False, True),
    "other_role": (_not_a_doctor_member, False, False),
    "left_one_joined_another": (_left_one_joined_another, True, True),
    "never_added": (lambda user, clinic: None, False, False),
}


def _build(case):
    build, practising, counted = CASES[case]
    profile = DoctorProfileFactory()
    clinic = ClinicFactory()
    member = build(profile.user, clinic)
    return profile, clinic, member, practising, counted


def _sql_membership_ids(*, user_id, clinic_id=None) -> list:
    """The fragment as the hot statements use it: `m`, its clinic `c` and its user `u`."""
    sql = (
        f"SELECT m.id FROM {ClinicMember._meta.db_table} m"
        f" JOIN {Clinic._meta.db_table} c ON c.id = m.clinic_id"
        f" JOIN {User._meta.db_table} u ON u.id = m.user_id"
        f" WHERE m.user_id = %s AND {DOCTOR_ACTIVE_MEMBERSHIP_SQL}"
    )
    params = [
        User._meta.pk.get_db_prep_value(user_id, connection),
        *DOCTOR_ACTIVE_MEMBERSHIP_PARAMS,
    ]
    if clinic_id is not None:
        sql += " AND c.id = %s"
        params.append(Clinic._meta.pk.get_db_prep_value(clinic_id, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [ClinicMember._meta.pk.to_python(row[0]) for row in cursor.fetchall()]


@pytest.mark.parametrize("case", CASES)
def test_the_selector_and_its_sql_twin_agree(case):
    profile, clinic, member, practising, _ = _build(case)

    found = doctor_active_membership(user_id=profile.user_id)

    assert (found is not None) == practising
    assert _sql_membership_ids(user_id=profile.user_id) == ([found.pk] if found else [])
    if found is not None:
        assert found.pk == member.pk
        assert found.clinic == clinic  # loaded with the membership


@pytest.mark.parametrize("case", CASES)
def test_the_selector_and_its_sql_twin_agree_at_a_given_clinic(case):
    profile, clinic, _, practising, _ = _build(case)
    elsewhere = ClinicFactory()

    here = doctor_active_membership(user_id=profile.user_id, clinic_id=clinic.pk)
    there = doctor_active_membership(user_id=profile.user_id, clinic_id=elsewhere.pk)

    assert (here is not None) == practising
    assert there is None
    assert _sql_membership_ids(user_id=profile.user_id, clinic_id=clinic.pk) == (
        [here.pk] if here else []
    )
    assert _sql_membership_ids(user_id=profile.user_id, clinic_id=elsewhere.pk) == []


@pytest.mark.parametrize("case", CASES)
def test_not_practising_is_the_membership_the_one_clinic_constraint_counts(case):
    profile, _, member, _, counted = _build(case)

    found = doctor_active_membership(user_id=profile.user_id, practising=False)

    assert (found.pk if found else None) == (member.pk if counted else None)


def test_both_hot_statements_use_the_one_fragment():
    member_clinic = appointments.slots._slot_inputs_sql(appointments.slots._MEMBER_CLINIC, True)

    assert DOCTOR_ACTIVE_MEMBERSHIP_SQL in member_clinic
    assert DOCTOR_ACTIVE_MEMBERSHIP_SQL in public_queries._select_sql()


@pytest.mark.parametrize("case", CASES)
def test_every_reader_follows_the_rule(case, api_client):
    profile, clinic, _, practising, _ = _build(case)
    DoctorAvailabilityFactory(doctor=profile, clinic=clinic, day_of_week=0)
    monday = dt.date(2026, 11, 30)

    detail = api_client.get(f"/api/doctors/{profile.pk}/")
    listed = [row["id"] for row in api_client.get("/api/doctors/").json()]
    slots = api_client.get(f"/api/doctors/{profile.pk}/availability/slots/", {"date": "2099-01-05"})
    windows = api_client.get(f"/api/doctors/{profile.pk}/availability/").json()
    member_clinic = appointments.slots.doctor_free_slots_at_member_clinic(
        doctor_id=profile.pk, clinic_id=None, date=monday
    )

    assert (detail.status_code == 200) == practising
    assert (profile.pk in listed) == practising
    assert (slots.status_code == 200) == practising
    assert bool(windows) == practising
    assert (member_clinic[0] if member_clinic else None) == (clinic.pk if practising else None)
    if practising:
        assert doctor_active_clinic(doctor=profile) == clinic
    else:
        with pytest.raises(QuickCareError) as refused:
            doctor_active_clinic(doctor=profile)
        assert refused.value.code == "doctor_not_in_clinic"
