"""Doctor profiles: the public list and detail, and a doctor's own profile (`me`)."""

import datetime as dt
import re
import uuid

import pytest
from rest_framework import serializers

from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from core.fields import ContactField
from core.response_cache import bump_directory
from core.roles import RoleId
from doctors.models import DoctorProfile
from doctors.tests.factories import DoctorProfileFactory
from users.tests.factories import DoctorUserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/doctors/"


def detail(doctor_id) -> str:
    return f"/api/doctors/{doctor_id}/"


def names(response) -> list[str]:
    return [row["user"]["name"] for row in response.json()]


def test_list_shows_each_doctor_as_the_mobile_client_reads_it(api_client, doctor_profile, clinic):
    doctor_profile.registration_number = "RJ-12345"
    doctor_profile.biography = "Heart specialist."
    doctor_profile.languages = "English, Hindi"
    doctor_profile.save()
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "1"
    user = doctor_profile.user
    assert response.json() == [
        {
            "id": doctor_profile.pk,
            "user": {
                "id": str(user.pk),
                "name": "Dr. Suresh Yadav",
                "contact": None,
            },
            "specialty": "cardiology",
            "qualification": "MBBS, MD",
            "registration_number": "RJ-12345",
            "experience_years": 8,
            "biography": "Heart specialist.",
            "languages": "English, Hindi",
            "first_visit_fee": "500.00",
            "follow_up_fee": "300.00",
            "offers_video_consultation": False,
            "clinics": [
                {
                    "clinic_id": str(clinic.pk),
                    "clinic_name": "City Care Clinic",
                    "city": "Jaipur",
                    "department": "Cardiology",
                }
            ],
        }
    ]
    assert isinstance(response.json()[0]["id"], int)


def test_public_views_do_not_publish_a_doctors_mobile(api_client, doctor_profile, clinic):
    mobile = str(doctor_profile.user.contact)[3:]
    for response in (
        api_client.get(LIST),
        api_client.get(LIST, {"search": "Suresh"}),
        api_client.get(LIST, {"clinic": str(clinic.pk)}),
        api_client.get(detail(doctor_profile.pk)),
    ):
        assert response.status_code == 200
        assert mobile not in response.content.decode()
        rows = response.json() if isinstance(response.json(), list) else [response.json()]
        assert [row["user"]["contact"] for row in rows] == [None]


def test_the_doctors_own_view_and_the_owners_member_view_keep_the_mobile(
    client_for, doctor, doctor_profile, clinic, clinic_owner
):
    mobile = int(str(doctor.contact)[3:])
    assert client_for(doctor).get(ME).json()["user"]["contact"] == mobile
    members = client_for(clinic_owner).get(f"/api/clinics/{clinic.pk}/members/").json()
    assert mobile in [member["user"]["contact"] for member in members]


def test_list_shows_only_active_members_of_active_clinics(
    api_client, doctor_profile, other_doctor_profile, other_clinic, make_doctor
):
    left = make_doctor(name="Dr. Left")
    left.user.clinic_memberships.update(status="inactive")
    closed_clinic = ClinicFactory(is_active=False)
    make_doctor(name="Dr. Closed", clinic=closed_clinic)
    DoctorProfileFactory(user__name="Dr. Never Added")
    suspended = make_doctor(name="Dr. Suspended")
    suspended.user.is_active = False
    suspended.user.save()
    other_clinic.is_active = False
    other_clinic.save()
    assert names(api_client.get(LIST)) == ["Dr. Suresh Yadav"]


def test_clinics_list_only_active_memberships(api_client, doctor_profile, clinic, make_doctor):
    old_clinic = ClinicFactory(name="Old Clinic")
    ClinicMemberFactory(
        clinic=old_clinic, user=doctor_profile.user, member_role="doctor", status="inactive"
    )
    row = api_client.get(detail(doctor_profile.pk)).json()
    assert [c["clinic_name"] for c in row["clinics"]] == ["City Care Clinic"]


def test_list_order_is_by_name_then_id(api_client, make_doctor):
    for name in ["Dr. Zoya Khan", "Dr. Amit Shah", "Dr. Amit Shah", "Dr. Meera Nair"]:
        make_doctor(name=name)
    response = api_client.get(LIST)
    assert names(response) == ["Dr. Amit Shah", "Dr. Amit Shah", "Dr. Meera Nair", "Dr. Zoya Khan"]
    ids = [row["id"] for row in response.json()[:2]]
    assert ids == sorted(ids)


def test_list_is_paginated_as_a_bare_array_with_headers(api_client, make_doctor):
    for index in range(3):
        make_doctor(name=f"Dr. {index}")
    response = api_client.get(LIST, {"page_size": 2})
    assert names(response) == ["Dr. 0", "Dr. 1"]
    assert response.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in response.headers["Link"]


@pytest.fixture
def catalogue(make_doctor, clinic, other_clinic):
    return {
        "sharma": make_doctor(
            name="Dr. Rakesh Sharma",
            clinic=clinic,
            specialty="Cardiology",
            first_visit_fee=800,
            offers_video_consultation=True,
        ),
        "iyer": make_doctor(
            name="Dr. Lakshmi Iyer", clinic=clinic, specialty="dermatology", first_visit_fee=300
        ),
        "khan": make_doctor(
            name="Dr. Farhan Khan",
            clinic=other_clinic,
            specialty="cardiology",
            first_visit_fee=500,
            offers_video_consultation=True,
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"specialty": "cardiology"}, ["Dr. Farhan Khan", "Dr. Rakesh Sharma"]),
        ({"specialty": "CARDIOLOGY"}, ["Dr. Farhan Khan", "Dr. Rakesh Sharma"]),
        ({"specialty": "cardio"}, []),
        ({"min_fee": "400"}, ["Dr. Farhan Khan", "Dr. Rakesh Sharma"]),
        ({"max_fee": "500"}, ["Dr. Farhan Khan", "Dr. Lakshmi Iyer"]),
        (
            {"min_fee": "200", "max_fee": "800"},
            ["Dr. Farhan Khan", "Dr. Lakshmi Iyer", "Dr. Rakesh Sharma"],
        ),
        ({"min_fee": "300.50"}, ["Dr. Farhan Khan", "Dr. Rakesh Sharma"]),
        ({"video": "true"}, ["Dr. Farhan Khan", "Dr. Rakesh Sharma"]),
        ({"video": "false"}, ["Dr. Lakshmi Iyer"]),
        ({"video": "False"}, ["Dr. Lakshmi Iyer"]),
        ({"search": "sharma"}, ["Dr. Rakesh Sharma"]),
        ({"search": "Dr. Sharma"}, ["Dr. Rakesh Sharma"]),
        ({"search": "derma"}, ["Dr. Lakshmi Iyer"]),
        ({"search": "khan cardio"}, ["Dr. Farhan Khan"]),
        ({"search": "nobody"}, []),
        ({"specialty": "cardiology", "video": "true", "max_fee": "600"}, ["Dr. Farhan Khan"]),
    ],
)
def test_list_filters(api_client, catalogue, params, expected):
    response = api_client.get(LIST, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_clinic_filter_keeps_that_clinics_active_doctors(
    api_client, catalogue, clinic, other_clinic
):
    assert names(api_client.get(LIST, {"clinic": str(clinic.pk)})) == [
        "Dr. Lakshmi Iyer",
        "Dr. Rakesh Sharma",
    ]
    assert names(api_client.get(LIST, {"clinic": str(other_clinic.pk)})) == ["Dr. Farhan Khan"]
    catalogue["khan"].user.clinic_memberships.update(status="inactive")
    bump_directory()  # update() sends no signal: its writer bumps, as the services do
    assert names(api_client.get(LIST, {"clinic": str(other_clinic.pk)})) == []


def test_clinic_filter_with_an_unknown_clinic_is_empty(api_client, catalogue):
    response = api_client.get(LIST, {"clinic": "8c7f8c9e-3c0e-4a53-9b1e-1f2d3c4b5a69"})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_fee": "cheap"}, "min_fee"),
        ({"max_fee": "1e999999"}, "max_fee"),
        ({"max_fee": "NaN"}, "max_fee"),
        ({"clinic": "not-a-uuid"}, "clinic"),
        ({"video": "maybe"}, "video"),
        ({"search": "x" * 101}, "search"),
        ({"specialty": "x" * 101}, "specialty"),
    ],
)
def test_list_rejects_bad_filters_with_400(api_client, catalogue, params, field):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_list_query_count_does_not_grow_with_doctors(
    api_client, make_doctor, clinic, django_assert_num_queries
):
    params = {"clinic": str(clinic.pk), "specialty": "cardiology", "min_fee": "100", "search": "Dr"}

    def make_many(count):
        for index in range(count):
            make_doctor(name=f"Dr. Many {index}", clinic=clinic)

    make_many(3)
    with django_assert_num_queries(1):  # the page, its total and each doctor's clinic
        assert len(api_client.get(LIST, params).json()) == 3
    make_many(9)
    with django_assert_num_queries(1):
        assert len(api_client.get(LIST, params).json()) == 12


def test_an_invalid_token_does_not_break_public_reads(api_client, doctor_profile):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api_client.get(LIST).status_code == 200
    assert api_client.get(detail(doctor_profile.pk)).status_code == 200


# --- detail ----------------------------------------------------------------------------


def test_detail_returns_the_same_shape(api_client, doctor_profile):
    listed = api_client.get(LIST).json()[0]
    response = api_client.get(detail(doctor_profile.pk))
    assert response.status_code == 200
    assert response.json() == listed


def test_detail_of_a_hidden_or_unknown_doctor_is_404(api_client, doctor_profile, make_doctor):
    left = make_doctor(name="Dr. Left")
    left.user.clinic_memberships.update(status="inactive")
    for doctor_id in (left.pk, 999999):
        response = api_client.get(detail(doctor_id))
        assert response.status_code == 404
        assert response.json() == {"message": "Doctor not found.", "code": "doctor_not_found"}


@pytest.mark.parametrize("path", ["/api/doctors/abc/", "/api/doctors/1.5/", "/api/doctors/-1/"])
def test_non_integer_doctor_ids_in_paths_are_404(api_client, path):
    assert api_client.get(path).status_code == 404


def test_detail_query_count(api_client, doctor_profile, django_assert_num_queries):
    with django_assert_num_queries(1):
        api_client.get(detail(doctor_profile.pk))


# --- me --------------------------------------------------------------------------------

ME = "/api/doctors/me/"
PROFILE_BODY = {
    "specialty": "cardiology",
    "qualification": "MBBS, MD (Cardiology)",
    "registration_number": "RJ-12345",
    "experience_years": 8,
    "biography": "Experienced cardiologist with 8+ years...",
    "languages": "English, Hindi",
    "first_visit_fee": 500,
    "follow_up_fee": 300,
    "offers_video_consultation": True,
}


def test_doctor_reads_own_profile(client_for, doctor, doctor_profile):
    response = client_for(doctor).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == doctor_profile.pk
    assert response.json()["clinics"][0]["department"] == "Cardiology"


def test_doctor_updates_profile_with_the_spec_body(client_for, doctor, doctor_profile):
    response = client_for(doctor).put(ME, PROFILE_BODY)
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in PROFILE_BODY} == {
        **PROFILE_BODY,
        "first_visit_fee": "500.00",
        "follow_up_fee": "300.00",
    }
    doctor_profile.refresh_from_db()
    assert doctor_profile.registration_number == "RJ-12345"
    assert doctor_profile.offers_video_consultation is True


def test_patch_changes_only_the_fields_sent(client_for, doctor, doctor_profile):
    response = client_for(doctor).patch(ME, {"follow_up_fee": "250.50"})
    assert response.status_code == 200
    assert response.json()["follow_up_fee"] == "250.50"
    assert response.json()["specialty"] == "cardiology"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_visit_fee": -1}, "first_visit_fee"),
        ({"follow_up_fee": "abc"}, "follow_up_fee"),
        ({"first_visit_fee": "1e999"}, "first_visit_fee"),
        ({"first_visit_fee": 12.345}, "first_visit_fee"),
        ({"experience_years": "eight"}, "experience_years"),
        ({"experience_years": -2}, "experience_years"),
        ({"experience_years": 81}, "experience_years"),
        ({"specialty": "x" * 101}, "specialty"),
        ({"offers_video_consultation": "perhaps"}, "offers_video_consultation"),
        ({"allow_overbooking": "sometimes"}, "allow_overbooking"),
    ],
)
def test_bad_profile_input_is_400_and_changes_nothing(
    client_for, doctor, doctor_profile, body, field
):
    response = client_for(doctor).put(ME, {**PROFILE_BODY, **body})
    assert response.status_code == 400
    assert field in response.json()
    doctor_profile.refresh_from_db()
    assert doctor_profile.registration_number == ""


def test_a_put_with_one_field_changes_only_it(client_for, doctor, doctor_profile):
    client = client_for(doctor)
    client.put(ME, PROFILE_BODY)
    response = client.put(ME, {"languages": "Hindi"})
    assert response.status_code == 200
    doctor_profile.refresh_from_db()
    assert (doctor_profile.languages, doctor_profile.registration_number) == ("Hindi", "RJ-12345")
    assert doctor_profile.first_visit_fee == 500


def test_the_profile_echoed_back_with_a_change_is_accepted(client_for, doctor, doctor_profile):
    client = client_for(doctor)
    body = {**client.get(ME).json(), "biography": "Twenty years of practice."}
    response = client.put(ME, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == body


def test_its_id_and_user_cannot_be_changed(client_for, doctor, doctor_profile, other_doctor):
    response = client_for(doctor).put(
        ME,
        {
            "id": doctor_profile.pk + 1,
            "user": {"id": str(other_doctor.id), "name": "Dr. Kavita Rao"},
            "languages": "Hindi",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "id": ["This field cannot be changed here."],
        "user": ["This field cannot be changed here."],
    }
    doctor_profile.refresh_from_db()
    assert (doctor_profile.user_id, doctor_profile.languages) == (doctor.id, "")


def test_a_doctor_without_a_profile_gets_one(client_for, clinic):
    user = DoctorUserFactory(name="Dr. New")
    assert not DoctorProfile.objects.filter(user=user).exists()
    response = client_for(user).get(ME)
    assert response.status_code == 200
    assert response.json()["clinics"] == []
    assert DoctorProfile.objects.filter(user=user).count() == 1
    client_for(user).get(ME)
    assert DoctorProfile.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "receptionist", "lab_member"])
def test_only_doctors_have_a_doctor_profile(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(ME).status_code == 403
    assert client_for(user).put(ME, PROFILE_BODY).status_code == 403


def test_me_needs_authentication(api_client):
    assert api_client.get(ME).status_code == 401


@pytest.fixture
def onboarding_doctor(clinic):
    """A doctor the clinic has added (so with a profile) who has not completed onboarding."""
    user = DoctorUserFactory(is_complete_onboarding=False, is_partial_onboarding=True)
    profile = DoctorProfileFactory(user=user, specialty="cardiology", first_visit_fee="700.00")
    ClinicMemberFactory(clinic=clinic, user=user, member_role="doctor", department="Cardiology")
    return profile


def test_a_doctor_still_onboarding_reads_their_profile_to_prefill_the_form(
    client_for, onboarding_doctor, clinic
):
    response = client_for(onboarding_doctor.user).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["specialty"], body["first_visit_fee"]) == (
        onboarding_doctor.pk,
        "cardiology",
        "700.00",
    )
    assert body["clinics"][0]["clinic_id"] == str(clinic.pk)
    assert body["user"]["contact"] == int(str(onboarding_doctor.user.contact)[-10:])


def test_a_doctor_still_onboarding_without_a_profile_gets_an_empty_one(client_for):
    user = DoctorUserFactory(is_complete_onboarding=False, is_partial_onboarding=True)
    response = client_for(user).get(ME)
    assert response.status_code == 200
    assert response.json()["specialty"] == ""
    assert DoctorProfile.objects.filter(user=user).count() == 1
    assert user.role_id == RoleId.DOCTOR


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_doctor_still_onboarding_cannot_write_their_profile(
    client_for, onboarding_doctor, method
):
    response = getattr(client_for(onboarding_doctor.user), method)(ME, PROFILE_BODY)
    assert response.status_code == 403
    assert response.json()["code"] == "onboarding_required"
    assert response.json()["onboarding_required"] is True
    onboarding_doctor.refresh_from_db()
    assert onboarding_doctor.registration_number == ""


def test_a_doctor_still_onboarding_reaches_nothing_else_of_theirs(
    client_for, onboarding_doctor, clinic
):
    client = client_for(onboarding_doctor.user)
    window = {
        "clinic": str(clinic.pk),
        "day": "monday",
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_duration_minutes": 15,
        "max_patients": 10,
    }
    leave = {"start_date": "2030-01-01", "end_date": "2030-01-02"}
    for response in (
        client.post(f"/api/doctors/{onboarding_doctor.pk}/availability/", window, format="json"),
        client.get("/api/doctors/me/leaves/"),
        client.post("/api/doctors/me/leaves/", leave, format="json"),
        client.get("/api/appointments/doctor/"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "onboarding_required"


def assert_json_matches_documented(field, value, path="doctor") -> None:
    """`value` (parsed JSON) has the keys, order and JSON type the serializer field documents."""
    if isinstance(field, serializers.ListSerializer):
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            assert_json_matches_documented(field.child, item, f"{path}[{index}]")
    elif isinstance(field, serializers.Serializer):
        assert isinstance(value, dict), path
        assert list(value) == list(field.fields), path
        for name, child in field.fields.items():
            assert_json_matches_documented(child, value[name], f"{path}.{name}")
    elif value is None:
        assert field.allow_null, path
    elif isinstance(field, serializers.UUIDField):
        assert isinstance(value, str), path
        assert str(uuid.UUID(value)) == value, path
    elif isinstance(field, serializers.DecimalField):
        assert isinstance(value, str), path
        assert re.fullmatch(rf"-?\d+\.\d{{{field.decimal_places}}}", value), path
    elif isinstance(field, serializers.CharField):
        assert isinstance(value, str), path
    elif isinstance(field, serializers.BooleanField):
        assert isinstance(value, bool), path
    elif isinstance(field, serializers.IntegerField | ContactField):
        assert isinstance(value, int), path
        assert not isinstance(value, bool), path
    else:
        raise AssertionError(f"{path}: no JSON type known for {type(field).__name__}")


def json_types(value):
    """The JSON type of every leaf, keyed like `value` (True and 1, "1" and 1 differ here)."""
    if isinstance(value, dict):
        return {key: json_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_types(item) for item in value]
    return type(value).__name__


def test_the_documented_shape_is_the_rendered_shape(api_client, client_for, doctor_profile):
    from doctors.serializers import (
        DoctorClinicOutputSerializer,
        DoctorMeOutputSerializer,
        DoctorOutputSerializer,
    )

    body = api_client.get(detail(doctor_profile.pk)).json()
    assert list(body) == list(DoctorOutputSerializer().fields)
    assert list(body["user"]) == ["id", "name", "contact"]
    assert list(body["clinics"][0]) == list(DoctorClinicOutputSerializer().fields)
    # Names and JSON types, in the public detail and list and the doctor's own view.
    assert_json_matches_documented(DoctorOutputSerializer(), body)
    for listed in api_client.get(LIST).json():
        assert_json_matches_documented(DoctorOutputSerializer(), listed)
    mine = client_for(doctor_profile.user).get(ME).json()
    assert_json_matches_documented(DoctorMeOutputSerializer(context={}), mine)


def test_an_unset_experience_is_a_documented_null(api_client, doctor_profile):
    from doctors.serializers import DoctorOutputSerializer

    doctor_profile.experience_years = None
    doctor_profile.save()
    body = api_client.get(detail(doctor_profile.pk)).json()
    assert body["experience_years"] is None
    assert_json_matches_documented(DoctorOutputSerializer(), body)


def test_later_pages_and_pages_past_the_end(api_client, make_doctor):
    for index in range(5):
        make_doctor(name=f"Dr. {index}")
    response = api_client.get(LIST, {"page_size": 2, "page": 3})
    assert names(response) == ["Dr. 4"]
    assert response.headers["X-Total-Count"] == "5"
    assert 'rel="prev"' in response.headers["Link"]
    assert 'rel="next"' not in response.headers["Link"]
    for page in ("4", "0", "abc", "-1", "9" * 12):
        assert api_client.get(LIST, {"page_size": 2, "page": page}).status_code == 404


def test_an_empty_result_has_a_zero_total(api_client, catalogue):
    response = api_client.get(LIST, {"search": "nobody"})
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "0"
    assert "Link" not in response.headers


def test_my_profile_shows_no_clinic_when_it_is_closed(client_for, doctor, clinic):
    clinic.is_active = False
    clinic.save()
    assert client_for(doctor).get(ME).json()["clinics"] == []


def test_search_takes_like_wildcards_literally(api_client, make_doctor):
    make_doctor(name="Dr. Anu_Bose")
    make_doctor(name="Dr. AnuxBose")
    assert names(api_client.get(LIST, {"search": "Anu_B"})) == ["Dr. Anu_Bose"]
    assert names(api_client.get(LIST, {"search": "%"})) == []
    assert names(api_client.get(LIST, {"search": "\\"})) == []


def test_my_profile_reads_like_my_public_profile(client_for, api_client, doctor, doctor_profile):
    mine = client_for(doctor).get(ME).json()
    assert mine.pop("allow_overbooking") is False  # my setting, not the directory's
    public = api_client.get(detail(doctor_profile.pk)).json()
    assert public["user"]["contact"] is None  # the other difference: my mobile is mine to see
    assert mine == {**public, "user": {**public["user"], "contact": mine["user"]["contact"]}}
    assert isinstance(mine["user"]["contact"], int)
    # Equal values could still differ in JSON type (True == 1): compare the types too.
    assert json_types(mine) == {
        **json_types(public),
        "user": {**json_types(public["user"]), "contact": "int"},
    }


def test_the_doctor_turns_overbooking_on_and_the_desk_sees_it(
    client_for, doctor, doctor_profile, clinic, clinic_owner
):
    from doctors.serializers import DoctorMeOutputSerializer

    client = client_for(doctor)
    assert client.get(ME).json()["allow_overbooking"] is False
    day = dt.date.today().isoformat()
    queue = f"/api/appointments/queue/?doctor={doctor_profile.pk}&date={day}"
    desk = client_for(clinic_owner)
    assert desk.get(queue).json()["allow_overbooking"] is False  # and kept by the cache
    response = client.patch(ME, {"allow_overbooking": True}, format="json")
    assert response.status_code == 200
    assert response.json()["allow_overbooking"] is True
    assert_json_matches_documented(DoctorMeOutputSerializer(context={}), response.json())
    doctor_profile.refresh_from_db()
    assert doctor_profile.allow_overbooking is True
    assert desk.get(queue).json()["allow_overbooking"] is True  # the desk sees it at once
    assert "allow_overbooking" not in client.get(detail(doctor_profile.pk)).json()  # not public
