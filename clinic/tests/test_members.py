"""Clinic members: adding by contact (auto-registration), the 409 rules, editing, removing."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from clinic.models import ClinicMember
from clinic.services import generate_temp_password
from clinic.services import members as member_services
from clinic.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164, temp_password_in
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from doctors.models import DoctorProfile
from users.models import TempPasswordLog, User
from users.tests.factories import DoctorUserFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db

DOCTOR_ELSEWHERE = (
    'This doctor is already an active member of "Apollo Clinic". '
    "A doctor can only belong to one clinic at a time."
)


def members_url(clinic) -> str:
    return f"/api/clinics/{clinic.id}/members/"


def contact_of(user) -> int:
    return int(str(user.contact)[3:])


# --- auto-registration -----------------------------------------------------------------


def test_adding_an_unknown_doctor_creates_the_account_and_answers_like_the_spec(
    add_member, clinic, clinic_owner, sms_outbox
):
    response = add_member(department="Cardiology", joined_at="2026-02-25")

    assert response.status_code == 201, response.json()
    user = User.objects.get(contact=NEW_CONTACT_E164)
    member = ClinicMember.objects.get(user=user)
    assert response.json() == {
        "id": str(member.id),
        "clinic": str(clinic.id),
        "user": {"id": str(user.id), "name": "Dr. Suresh Yadav", "contact": 9988776655},
        "member_role": "doctor",
        "status": "active",
        "department": "Cardiology",
        "joined_at": "2026-02-25",
        "left_at": None,
        "notes": "",
        "_info": "New account created. A temporary password has been sent to 9988776655. "
        "They must log in and complete their profile at /api/users/onboarding/member/complete/",
    }
    assert user.role_id == 4
    assert (user.is_partial_onboarding, user.is_complete_onboarding) == (True, False)
    assert DoctorProfile.objects.filter(user=user).exists()
    assert member.added_by == clinic_owner

    log = TempPasswordLog.objects.get(user=user)
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == NEW_CONTACT_E164
    password = temp_password_in(sms_outbox[0].body)
    assert log.temp_password == password
    assert user.check_password(password)
    assert log.issued_by == clinic_owner
    assert log.is_used is False
    expected_expiry = log.created_at + dt.timedelta(days=settings.TEMP_PASSWORD_TTL_DAYS)
    assert abs((log.expires_at - expected_expiry).total_seconds()) < 5


@pytest.mark.parametrize(("member_role", "role_id"), [("receptionist", 5), ("lab_member", 6)])
def test_adding_unknown_staff_gives_their_role_and_no_doctor_profile(
    add_member, member_role, role_id, sms_outbox
):
    response = add_member(name="Sunita Desk", member_role=member_role)

    assert response.status_code == 201
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.role_id == role_id
    assert not DoctorProfile.objects.filter(user=user).exists()
    assert "_info" in response.json()
    assert "Temporary password: " in sms_outbox[0].body


def test_joined_at_defaults_to_today_in_the_clinics_timezone(add_member, client_for, clinic):
    # 20:00 UTC on 1 March is already 2 March in India.
    with time_machine.travel(dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC), tick=False):
        response = add_member(client=client_for(clinic.owner))

    body = response.json()
    assert body.get("joined_at") == "2026-03-02", body


def test_name_is_required_for_an_unknown_contact(add_member, sms_outbox):
    response = add_member(name=None)

    assert response.status_code == 400
    assert response.json() == {"name": ["name is required: this contact is not registered yet."]}
    assert not User.objects.filter(contact=NEW_CONTACT_E164).exists()
    assert sms_outbox == []


def test_an_existing_doctor_is_linked_without_a_name_and_without_a_new_password(
    add_member, sms_outbox
):
    existing = DoctorUserFactory(name="Dr. Kavita Rao")

    response = add_member(contact=contact_of(existing), name=None, department="Dermatology")

    assert response.status_code == 201
    body = response.json()
    assert "_info" not in body
    assert body["user"] == {
        "id": str(existing.id),
        "name": "Dr. Kavita Rao",
        "contact": contact_of(existing),
    }
    assert sms_outbox == []
    assert not TempPasswordLog.objects.exists()
    assert DoctorProfile.objects.filter(user=existing).exists()
    existing.refresh_from_db()
    assert existing.name == "Dr. Kavita Rao"  # a name sent for an existing account is ignored


@pytest.mark.parametrize("contact", ["9988776655", "+919988776655", 9988776655])
def test_contact_forms_are_accepted(add_member, contact):
    assert add_member(contact=contact).status_code == 201
    assert User.objects.filter(contact=NEW_CONTACT_E164).exists()


def test_temporary_passwords_are_random_and_pass_the_validators():
    passwords = {
        generate_temp_password(name="Dr. Suresh Yadav", contact=NEW_CONTACT_E164) for _ in range(50)
    }

    assert len(passwords) == 50
    for password in passwords:
        assert len(password) >= 8
        validate_password(password)


# --- 409s ------------------------------------------------------------------------------


def test_a_doctor_active_in_another_clinic_is_409_with_the_spec_message(
    add_member, other_doctor, sms_outbox
):
    response = add_member(contact=contact_of(other_doctor))

    assert response.status_code == 409
    assert response.json() == {"message": DOCTOR_ELSEWHERE, "code": "doctor_already_in_clinic"}
    assert ClinicMember.objects.filter(user=other_doctor).count() == 1


def test_an_active_member_of_this_clinic_is_409(add_member, doctor, receptionist):
    response = add_member(contact=contact_of(receptionist), member_role="receptionist")

    assert response.status_code == 409
    assert response.json() == {
        "message": "This person is already an active member of this clinic.",
        "code": "already_member",
    }
    assert add_member(contact=contact_of(doctor)).status_code == 409


@pytest.mark.parametrize(
    ("factory", "member_role", "message"),
    [
        (
            ReceptionistFactory,
            "lab_member",
            "This contact is registered as receptionist; it cannot be added as lab member.",
        ),
        (
            DoctorUserFactory,
            "receptionist",
            "This contact is registered as doctor; it cannot be added as receptionist.",
        ),
    ],
)
def test_an_account_with_another_role_is_409(add_member, factory, member_role, message):
    existing = factory()

    response = add_member(contact=contact_of(existing), member_role=member_role)

    assert response.status_code == 409
    assert response.json() == {"message": message, "code": "role_mismatch"}
    assert not ClinicMember.objects.filter(user=existing).exists()


def test_a_clinic_owner_cannot_be_added_as_staff(add_member, other_owner):
    response = add_member(contact=contact_of(other_owner))

    assert response.status_code == 409
    assert response.json()["code"] == "role_mismatch"


def test_the_database_constraint_decides_a_race_with_the_spec_message(
    add_member, other_doctor, monkeypatch
):
    """As if another owner added the doctor between our check and our insert."""
    real_check = member_services._check_can_join
    calls = []

    def check_that_misses_the_first_time(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            real_check(**kwargs)

    monkeypatch.setattr(member_services, "_check_can_join", check_that_misses_the_first_time)

    response = add_member(contact=contact_of(other_doctor))

    assert response.status_code == 409
    assert response.json() == {"message": DOCTOR_ELSEWHERE, "code": "doctor_already_in_clinic"}
    assert len(calls) == 2


def test_adding_to_an_inactive_clinic_is_refused(add_member, clinic):
    clinic.is_active = False
    clinic.save()

    response = add_member()

    assert response.status_code == 400
    assert response.json()["code"] == "clinic_inactive"


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact": 12345}, "contact"),
        ({"contact": "not a number"}, "contact"),
        ({"contact": True}, "contact"),
        ({"member_role": "nurse"}, "member_role"),
        ({"member_role": "clinic_owner"}, "member_role"),
        ({"name": "n" * 151}, "name"),
        ({"department": "d" * 101}, "department"),
        ({"notes": "x" * 2001}, "notes"),
        ({"joined_at": "25-02-2026"}, "joined_at"),
        ({"joined_at": "2026-02-30"}, "joined_at"),
    ],
)
def test_bad_member_input_is_400(add_member, body, field):
    response = add_member(**body)

    assert response.status_code == 400
    assert field in response.json()
    assert not ClinicMember.objects.exists()


def test_missing_contact_and_role_are_400(owner_client, clinic):
    response = owner_client.post(members_url(clinic), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"contact", "member_role"}


# --- list, filters, detail -------------------------------------------------------------


def test_owner_lists_members_with_filters(owner_client, clinic, doctor, receptionist, lab_member):
    gone = ClinicMemberFactory(
        clinic=clinic, status="inactive", left_at=dt.date.today(), joined_at=dt.date(2020, 1, 1)
    )

    everyone = owner_client.get(members_url(clinic)).json()
    doctors = owner_client.get(members_url(clinic) + "?role=doctor").json()
    active_doctors = owner_client.get(members_url(clinic) + "?role=doctor&status=active").json()
    inactive = owner_client.get(members_url(clinic) + "?status=inactive").json()

    assert len(everyone) == 4
    assert everyone[0]["id"] == str(gone.id)  # oldest joined_at first
    assert {row["user"]["id"] for row in doctors} == {str(doctor.id), str(gone.user_id)}
    assert [row["user"]["id"] for row in active_doctors] == [str(doctor.id)]
    assert [row["id"] for row in inactive] == [str(gone.id)]
    assert isinstance(everyone[1]["user"]["contact"], int)


@pytest.mark.parametrize("query", ["?role=nurse", "?status=gone"])
def test_unknown_filter_values_are_400(owner_client, clinic, query):
    assert owner_client.get(members_url(clinic) + query).status_code == 400


@pytest.mark.parametrize("rows", [2, 10])
def test_members_list_runs_a_constant_number_of_queries(
    owner_client, clinic, rows, django_assert_max_num_queries
):
    ClinicMemberFactory.create_batch(rows, clinic=clinic)

    # token user + clinic + count + page
    with django_assert_max_num_queries(4):
        response = owner_client.get(members_url(clinic))

    assert len(response.json()) == rows


def test_owner_reads_one_member(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.get(f"{members_url(clinic)}{member.id}/")

    assert response.status_code == 200
    assert response.json()["user"]["name"] == "Dr. Suresh Yadav"


def test_a_member_of_another_clinic_is_404_under_my_clinic(owner_client, clinic, other_doctor):
    member = ClinicMember.objects.get(user=other_doctor)

    assert owner_client.get(f"{members_url(clinic)}{member.id}/").status_code == 404
    assert owner_client.delete(f"{members_url(clinic)}{member.id}/").status_code == 404


@pytest.mark.parametrize("member_id", ["abc", "123", "00000000-0000-0000-0000"])
def test_non_uuid_member_ids_are_404(owner_client, clinic, member_id):
    assert owner_client.get(f"{members_url(clinic)}{member_id}/").status_code == 404


def member_url(clinic, member) -> str:
    return f"{members_url(clinic)}{member.id}/"


UNCHANGEABLE = ["This field cannot be changed here."]


def test_owner_updates_department_and_notes(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)
    url = member_url(clinic, member)

    patched = owner_client.patch(url, {"department": "Cardiac Surgery"}, format="json")
    put = owner_client.put(
        url,
        {
            "department": "Cardiology",
            "notes": "Mornings only",
            "joined_at": "2026-01-05",
            "status": "active",
            "member_role": "doctor",
        },
        format="json",
    )

    assert patched.status_code == 200
    assert patched.json()["department"] == "Cardiac Surgery"
    assert put.status_code == 200
    member.refresh_from_db()
    assert (member.department, member.notes, member.joined_at) == (
        "Cardiology",
        "Mornings only",
        dt.date(2026, 1, 5),
    )
    assert (member.status, member.member_role) == ("active", "doctor")


def test_a_put_with_one_field_changes_only_it(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)
    member.department, member.notes = "Cardiology", "Mornings"
    member.save()

    response = owner_client.put(member_url(clinic, member), {"notes": "Evenings"}, format="json")

    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.department, member.notes, member.status) == ("Cardiology", "Evenings", "active")


def test_the_member_echoed_back_with_a_change_is_accepted(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)
    url = member_url(clinic, member)
    body = {**owner_client.get(url).json(), "department": "ENT"}

    response = owner_client.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == body


@pytest.mark.parametrize("method", ["put", "patch"])
def test_role_person_clinic_and_dates_the_owner_cannot_set_are_400(
    owner_client, clinic, other_clinic, doctor, receptionist, method
):
    member = ClinicMember.objects.get(user=doctor)
    refused = {
        "id": str(ClinicMember.objects.get(user=receptionist).id),
        "clinic": str(other_clinic.id),
        "user": {"id": str(receptionist.id), "name": "Someone else"},
        "member_role": "receptionist",
        "left_at": "2026-01-01",
    }

    response = getattr(owner_client, method)(
        member_url(clinic, member), {**refused, "department": "Not saved"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {key: UNCHANGEABLE for key in refused}
    member.refresh_from_db()
    assert (member.member_role, member.user_id, member.department) == (
        "doctor",
        doctor.id,
        "Cardiology",
    )


def test_an_unknown_status_is_400_listing_the_choices(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.put(
        member_url(clinic, member), {"status": "superuser", "notes": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    message = response.json()["status"][0]
    assert "superuser" in message
    assert "active" in message
    assert "inactive" in message
    member.refresh_from_db()
    assert (member.status, member.notes) == ("active", "")


def test_status_inactive_removes_the_member_like_delete(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.put(member_url(clinic, member), {"status": "inactive"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "inactive"
    member.refresh_from_db()
    assert (member.status, member.left_at) == ("inactive", timezone.localdate())


def test_a_removed_member_cannot_be_made_active_by_put(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)
    owner_client.delete(member_url(clinic, member))

    response = owner_client.put(
        member_url(clinic, member), {"status": "active", "notes": "back"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert f"POST /api/clinics/{clinic.id}/members/" in response.json()["status"][0]
    member.refresh_from_db()
    assert (member.status, member.notes) == ("inactive", "")
    # The stored status sent back is no change.
    same = owner_client.put(member_url(clinic, member), {"status": "inactive"}, format="json")
    assert same.status_code == 200


def test_joined_at_after_the_stored_left_at_is_400_and_changes_nothing(
    owner_client, clinic, doctor
):
    member = ClinicMember.objects.get(user=doctor)
    member.status, member.left_at, member.joined_at = (
        "inactive",
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 1),
    )
    member.save()

    response = owner_client.put(
        member_url(clinic, member), {"joined_at": "2026-03-01", "notes": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["joined_at"]
    member.refresh_from_db()
    assert (member.joined_at, member.notes) == (dt.date(2026, 1, 1), "")


def test_bad_member_update_is_400(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.patch(
        f"{members_url(clinic)}{member.id}/", {"department": "d" * 101}, format="json"
    )

    assert response.status_code == 400
    assert "department" in response.json()


# --- remove, re-add --------------------------------------------------------------------


def test_delete_is_a_soft_remove(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.delete(f"{members_url(clinic)}{member.id}/")

    assert response.status_code == 204
    member.refresh_from_db()
    assert (member.status, member.left_at) == ("inactive", timezone.localdate())
    # Removing twice changes nothing.
    assert owner_client.delete(f"{members_url(clinic)}{member.id}/").status_code == 204


def test_a_removed_doctor_can_join_another_clinic(
    client_for, other_clinic, other_doctor, add_member
):
    member = ClinicMember.objects.get(user=other_doctor)
    client_for(other_clinic.owner).delete(f"{members_url(other_clinic)}{member.id}/")

    response = add_member(contact=contact_of(other_doctor))

    assert response.status_code == 201


def test_re_adding_a_removed_member_creates_a_new_active_membership(
    owner_client, clinic, doctor, add_member
):
    old = ClinicMember.objects.get(user=doctor)
    owner_client.delete(f"{members_url(clinic)}{old.id}/")

    response = add_member(contact=contact_of(doctor))

    assert response.status_code == 201
    assert response.json()["id"] != str(old.id)
    assert list(
        ClinicMember.objects.filter(user=doctor)
        .order_by("created_at")
        .values_list("status", flat=True)
    ) == ["inactive", "active"]


# --- a new temporary password ----------------------------------------------------------


def test_owner_sends_a_new_temporary_password_to_a_member_who_never_logged_in(
    add_member, owner_client, clinic, sms_outbox, django_capture_on_commit_callbacks
):
    add_member()
    first = temp_password_in(sms_outbox[0].body)
    member = ClinicMember.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"{members_url(clinic)}{member.id}/temp-password/")

    assert response.status_code == 200
    assert response.json() == {
        "message": f"A new temporary password has been sent to {NEW_CONTACT}."
    }
    second = temp_password_in(sms_outbox[1].body)
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert not user.check_password(first)
    assert user.check_password(second)
    old_log, new_log = TempPasswordLog.objects.order_by("created_at", "id")
    assert old_log.temp_password == ""
    assert old_log.expires_at <= timezone.now()
    assert new_log.temp_password == second


def test_no_new_temporary_password_after_onboarding(owner_client, clinic, doctor):
    member = ClinicMember.objects.get(user=doctor)

    response = owner_client.post(f"{members_url(clinic)}{member.id}/temp-password/")

    assert response.status_code == 409
    assert response.json()["code"] == "onboarding_already_complete"


# --- who may ---------------------------------------------------------------------------


def test_another_owner_cannot_see_or_add_my_members(client_for, clinic, other_owner, doctor):
    client = client_for(other_owner)
    member = ClinicMember.objects.get(user=doctor)

    assert client.get(members_url(clinic)).status_code == 403
    assert (
        client.post(
            members_url(clinic),
            {"contact": NEW_CONTACT, "name": "X", "member_role": "doctor"},
            format="json",
        ).status_code
        == 403
    )
    assert client.get(f"{members_url(clinic)}{member.id}/").status_code == 403
    assert (
        client.patch(
            f"{members_url(clinic)}{member.id}/", {"notes": "x"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"{members_url(clinic)}{member.id}/").status_code == 403
    member.refresh_from_db()
    assert member.status == "active"


def test_another_owner_gets_404_for_my_inactive_clinic(client_for, clinic, other_owner):
    clinic.is_active = False
    clinic.save()

    assert client_for(other_owner).get(members_url(clinic)).status_code == 404


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist", "lab_member"])
def test_patients_and_staff_cannot_manage_members(client_for, request, clinic, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(members_url(clinic)).status_code == 403
    assert (
        client.post(
            members_url(clinic),
            {"contact": NEW_CONTACT, "name": "X", "member_role": "doctor"},
            format="json",
        ).status_code
        == 403
    )


def test_anonymous_cannot_see_members(api_client, clinic):
    assert api_client.get(members_url(clinic)).status_code == 401
    assert api_client.post(members_url(clinic), {}, format="json").status_code == 401


def test_an_unknown_clinic_is_404_for_members(owner_client):
    response = owner_client.get("/api/clinics/8c0d3a0e-4a8e-4c59-9d86-6f1f0f7d2b11/members/")

    assert response.status_code == 404


def test_a_member_can_be_added_to_each_of_the_owners_clinics(add_member, clinic_owner):
    second = ClinicFactory(owner=clinic_owner, name="Second Branch")

    first = add_member(name="Sunita Desk", member_role="receptionist")
    again = add_member(clinic_id=second.id, name=None, member_role="receptionist")

    assert (first.status_code, again.status_code) == (201, 201)
    assert ClinicMember.objects.filter(status="active").count() == 2
