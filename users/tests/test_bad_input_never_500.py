"""Property: whatever JSON values a client sends, the users API answers 2xx/4xx, never 500.

And the answer is true to the database: a 400 leaves every stored row as it was (nothing
half-written), a 200 never moves what only the server sets (role, contact, flags) and the
stored profile is the one the answer shows.
"""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from users.models import MedicalProfile, User, UserAddress

pytestmark = pytest.mark.django_db

json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["", "9876543210", "+919876543210", "B+", "male", "home", "302001"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)


SERVER_SET = ("role_id", "contact", "is_staff", "is_superuser", "is_active")


def stored(user) -> dict:
    """Every row the users API may write for this user, as the database holds it now."""
    return {
        "user": User.objects.filter(pk=user.pk).values().get(),
        "medical": list(MedicalProfile.objects.filter(user=user).values()),
        "addresses": list(UserAddress.objects.filter(user=user).order_by("pk").values()),
    }


def check_stored(client, response, before: dict, after: dict) -> None:
    if response.status_code == 400:
        assert after == before, response.content
        return
    assert {k: after["user"][k] for k in SERVER_SET} == {k: before["user"][k] for k in SERVER_SET}
    body = response.json()
    assert client.get("/api/users/me/").json() == body.get("user", body)


def bodies(fields: list[str]):
    return st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields))


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

STEP3_FIELDS = [
    "gender", "age", "email", "blood_group", "address_area", "house_no", "town", "state",
    "pincode", "landmark", "allergies", "height_cm", "weight_kg", "emergency_contact_name",
    "emergency_contact_number", "role", "contact",
]  # fmt: skip


@FUZZ
@given(body=bodies(STEP3_FIELDS))
# Random bodies rarely pass: these do, so the 200 branch of the check always runs.
@example(body={"gender": "female", "age": 31, "town": "Jaipur", "height_cm": 160.4})
@example(body={"gender": "male", "age": 40, "email": None, "is_staff": False})
def test_step3(client_for, patient, body):
    client = client_for(patient)
    before = stored(patient)
    response = client.put("/api/users/onboarding/patient/step3/", body, format="json")
    assert response.status_code in (200, 400), response.content
    check_stored(client, response, before, stored(patient))


@FUZZ
@given(body=bodies(["name", "email", "gender", "age", "blood_group", "is_staff"]))
@example(body={"name": "Asha Rao", "age": 31, "blood_group": "B+"})
@example(body={"name": "Asha Rao", "is_staff": False})
def test_me(client_for, patient, body):
    client = client_for(patient)
    before = stored(patient)
    response = client.patch("/api/users/me/", body, format="json")
    assert response.status_code in (
        200,
        400,
    )
    check_stored(client, response, before, stored(patient))


@FUZZ
@given(body=bodies(["area", "house_no", "town", "state", "pincode", "address_type", "is_current"]))
def test_address_create(client_for, patient, body):
    response = client_for(patient).post("/api/users/address/", body, format="json")
    assert response.status_code in (201, 400), response.content


@FUZZ
@given(body=bodies(["contact", "password", "name", "otp"]))
def test_public_endpoints(api_client, db, body):
    cache.clear()  # keep throttles out of the way: this is about input handling
    for url in (
        "/api/users/login/",
        "/api/users/onboarding/patient/step1/",
        "/api/users/onboarding/patient/step2/",
        "/api/users/token/refresh/",
    ):
        response = api_client.post(url, body, format="json")
        assert response.status_code in (200, 400, 401, 409, 429), (url, response.content)
