"""Staff flow end to end, and PUT|PATCH /api/users/onboarding/member/complete/."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164, STRONG_PASSWORD, temp_password_in
from doctors.models import DoctorProfile
from users.models import TempPasswordLog, User, UserAddress

pytestmark = pytest.mark.django_db
COMPLETE = "/api/users/onboarding/member/complete/"
SPEC_BODY = {
    "name": "Dr. Suresh Yadav",
    "gender": "male",
    "age": 35,
    "email": "suresh@example.com",
    "blood_group": "O+",
    "specialty": "Cardiology",
    "qualification": "MBBS, MD",
    "experience_years": 10,
    "address_area": "Vaishali Nagar",
    "house_no": "5B",
    "town": "Jaipur",
    "state": "Rajasthan",
    "pincode": "302021",
}


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def login(contact, password) -> dict:
    response = APIClient().post(
        "/api/users/login/", {"contact": contact, "password": password}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def new_doctor_login(add_member, sms_outbox) -> dict:
    """The owner adds an unknown doctor; the doctor logs in with the SMS'd temp password."""
    assert add_member(department="Cardiology").status_code == 201
    password = temp_password_in(sms_outbox[-1].body)
    return {"password": password, **login(NEW_CONTACT, password)}


def test_the_whole_staff_flow_end_to_end(add_member, clinic, sms_outbox):
    # 1. The owner adds a doctor nobody registered yet.
    added = add_member(department="Cardiology")
    assert added.status_code == 201
    assert "_info" in added.json()

    # 2. The temporary password is in the SMS and in the admin's log.
    temp_password = temp_password_in(sms_outbox[0].body)
    log = TempPasswordLog.objects.get(user__contact=NEW_CONTACT_E164)
    assert (log.temp_password, log.is_used) == (temp_password, False)

    # 3. The doctor logs in: tokens, and onboarding is required.
    body = login(NEW_CONTACT, temp_password)
    assert body["onboarding_required"] is True
    assert body["onboarding_url"] == COMPLETE
    assert body["user"]["is_complete_onboarding"] is False
    assert body["user"]["roles"] == {"id": 4, "name": "is_doctor"}

    # 4. Anything but onboarding answers 403 with onboarding_required.
    gated = bearer(body["access"]).get("/api/clinics/my/memberships/")
    assert gated.status_code == 403
    assert gated.json() == {
        "message": "Please complete your onboarding to access this feature.",
        "code": "onboarding_required",
        "onboarding_required": True,
        "onboarding_url": COMPLETE,
    }

    # 5. The doctor completes onboarding (with a password of their own) and gets new tokens.
    completed = bearer(body["access"]).put(
        COMPLETE, {**SPEC_BODY, "password": STRONG_PASSWORD}, format="json"
    )
    assert completed.status_code == 200, completed.json()
    done = completed.json()
    assert done["message"] == "Onboarding complete! Welcome to QuickCare."
    assert done["user"]["name"] == "Dr. Suresh Yadav"
    assert done["user"]["is_complete_onboarding"] is True
    assert done["user"]["is_partial_onboarding"] is False
    assert done["access"] != body["access"]
    assert done["refresh"] != body["refresh"]

    # 6. The new tokens work on the gated endpoint.
    memberships = bearer(done["access"]).get("/api/clinics/my/memberships/")
    assert memberships.status_code == 200
    assert [m["clinic"]["id"] for m in memberships.json()] == [str(clinic.id)]
    refreshed = APIClient().post(
        "/api/users/token/refresh/", {"refresh": done["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200

    # 7. The log is used and its copy of the password erased; the new password is the one.
    log.refresh_from_db()
    assert (log.is_used, log.temp_password) == (True, "")
    assert log.used_at is not None
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.check_password(STRONG_PASSWORD)
    assert not user.check_password(temp_password)
    assert login(NEW_CONTACT, STRONG_PASSWORD)["user"]["is_complete_onboarding"] is True


def test_completion_saves_profile_address_and_doctor_details(new_doctor_login):
    response = bearer(new_doctor_login["access"]).put(COMPLETE, SPEC_BODY, format="json")

    assert response.status_code == 200
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert (user.gender, user.age, user.email, user.blood_group) == (
        "male",
        35,
        "suresh@example.com",
        "O+",
    )
    profile = DoctorProfile.objects.get(user=user)
    assert (profile.specialty, profile.qualification, profile.experience_years) == (
        "Cardiology",
        "MBBS, MD",
        10,
    )
    address = UserAddress.objects.get(user=user)
    assert (address.area, address.house_no, address.town, address.state, address.pincode) == (
        "Vaishali Nagar",
        "5B",
        "Jaipur",
        "Rajasthan",
        "302021",
    )
    assert address.is_current is True


def test_patch_with_an_empty_body_completes_and_keeps_the_temp_password(new_doctor_login):
    response = bearer(new_doctor_login["access"]).patch(COMPLETE, {}, format="json")

    assert response.status_code == 200
    assert response.json()["user"]["is_complete_onboarding"] is True
    # Issue 9 item 8: the temporary password must now be changed before anything else.
    assert response.json()["password_change_required"] is True
    gated = bearer(response.json()["access"]).get("/api/clinics/my/memberships/")
    assert gated.status_code == 403
    assert gated.json()["code"] == "password_change_required"
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.check_password(new_doctor_login["password"])
    log = TempPasswordLog.objects.get(user=user)
    assert (log.is_used, log.temp_password) == (True, "")
    assert not UserAddress.objects.filter(user=user).exists()


def test_a_new_password_ends_the_sessions_of_the_temporary_one(new_doctor_login):
    bearer(new_doctor_login["access"]).put(COMPLETE, {"password": STRONG_PASSWORD}, format="json")

    old_refresh = APIClient().post(
        "/api/users/token/refresh/", {"refresh": new_doctor_login["refresh"]}, format="json"
    )
    old_access = bearer(new_doctor_login["access"]).get("/api/users/me/")

    assert old_refresh.status_code == 401
    assert old_access.status_code == 401


@pytest.mark.parametrize(
    "password", ["password123", "12345678", "short1A", "Dr. Suresh Yadav", "9988776655"]
)
def test_a_weak_password_is_400_and_nothing_changes(new_doctor_login, password):
    response = bearer(new_doctor_login["access"]).put(
        COMPLETE, {**SPEC_BODY, "password": password}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.is_complete_onboarding is False
    assert (user.gender, user.age) == ("", None)
    assert TempPasswordLog.objects.get(user=user).is_used is False
    assert DoctorProfile.objects.get(user=user).specialty == ""


def test_completing_twice_is_409(new_doctor_login):
    first = bearer(new_doctor_login["access"]).put(
        COMPLETE, {"password": STRONG_PASSWORD}, format="json"
    )

    second = bearer(first.json()["access"]).put(
        COMPLETE, {"password": STRONG_PASSWORD}, format="json"
    )

    assert second.status_code == 409
    assert second.json()["code"] == "onboarding_already_complete"


def test_receptionist_completion_ignores_doctor_fields(add_member, sms_outbox):
    add_member(name="Sunita Desk", member_role="receptionist")
    tokens = login(NEW_CONTACT, temp_password_in(sms_outbox[0].body))

    response = bearer(tokens["access"]).put(
        COMPLETE, {"specialty": "Cardiology", "town": "Jaipur"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["user"]["roles"] == {"id": 5, "name": "is_receptionist"}
    assert not DoctorProfile.objects.exists()
    assert UserAddress.objects.get().town == "Jaipur"


def test_an_existing_current_address_is_updated_not_duplicated(new_doctor_login):
    user = User.objects.get(contact=NEW_CONTACT_E164)
    UserAddress.objects.create(user=user, area="Old Area", town="Ajmer", is_current=True)

    bearer(new_doctor_login["access"]).put(COMPLETE, {"town": "Jaipur"}, format="json")

    address = UserAddress.objects.get(user=user)
    assert (address.area, address.town) == ("Old Area", "Jaipur")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"gender": "robot"}, "gender"),
        ({"age": 151}, "age"),
        ({"age": "thirty"}, "age"),
        ({"blood_group": "C+"}, "blood_group"),
        ({"email": "nope"}, "email"),
        ({"name": "n" * 151}, "name"),
        ({"name": ""}, "name"),
        ({"specialty": "s" * 101}, "specialty"),
        ({"experience_years": 81}, "experience_years"),
        ({"pincode": "ABCDEF"}, "pincode"),
        ({"house_no": "h" * 51}, "house_no"),
        ({"password": "p" * 129}, "password"),
    ],
)
def test_bad_completion_input_is_400(new_doctor_login, body, field):
    response = bearer(new_doctor_login["access"]).put(COMPLETE, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.get(contact=NEW_CONTACT_E164).is_complete_onboarding is False


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "superadmin"])
def test_only_clinic_staff_complete_member_onboarding(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).put(COMPLETE, {}, format="json")

    assert response.status_code == 403


def test_member_completion_needs_a_token(api_client):
    assert api_client.put(COMPLETE, {}, format="json").status_code == 401


def test_a_gated_staff_member_still_reaches_public_reads(new_doctor_login, clinic):
    client = bearer(new_doctor_login["access"])

    assert client.get("/api/clinics/public/").status_code == 200
    assert client.get(f"/api/clinics/{clinic.id}/slots/").status_code == 200


def test_used_at_is_set_when_completing(new_doctor_login):
    before = timezone.now()

    bearer(new_doctor_login["access"]).put(COMPLETE, {}, format="json")

    assert TempPasswordLog.objects.get().used_at >= before


def test_completion_refuses_another_contact_or_role_and_accepts_the_stored_ones(new_doctor_login):
    client = bearer(new_doctor_login["access"])

    refused = client.put(
        COMPLETE, {**SPEC_BODY, "contact": 9000000001, "roles": {"id": 7}}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "contact": ["This field cannot be changed here."],
        "roles": ["This field cannot be changed here."],
    }
    assert User.objects.get(contact=NEW_CONTACT_E164).is_complete_onboarding is False

    same = {"contact": NEW_CONTACT, "roles": {"id": 4, "name": "is_doctor"}}
    accepted = client.put(COMPLETE, {**SPEC_BODY, **same}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert User.objects.get(contact=NEW_CONTACT_E164).role_id == 4
