"""Every Indian mobile number is accepted by its shape (10 digits from 6-9), also in series
libphonenumber's pinned tables do not know as mobiles (its tables lag new allocations)."""

import phonenumbers
import pytest
from django.core.management import call_command
from django.test import Client
from phonenumbers import PhoneNumberType

from core.fields import parse_indian_mobile
from users.models import PendingRegistration, User
from users.tests.conftest import STRONG_PASSWORD
from users.tests.factories import DEFAULT_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

# Found by looping 6/7/8-series numbers through phonenumbers: the pinned tables do not
# class them as mobile numbers (the old parser refused them as "not a valid number").
UNKNOWN_TO_THE_TABLES = ["6110212345", "7100212345", "8020012345"]


def _tables_refuse(number: str) -> bool:
    parsed = phonenumbers.parse(number, "IN")
    return not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


@pytest.mark.parametrize("number", UNKNOWN_TO_THE_TABLES)
def test_the_chosen_numbers_are_refused_by_the_tables(number):
    assert _tables_refuse(number)


@pytest.mark.parametrize("number", UNKNOWN_TO_THE_TABLES)
@pytest.mark.parametrize("form", ["{}", "+91{}", "91{}", "0{}", "+91 {}", "int"])
def test_every_form_of_a_new_series_number_is_stored_as_e164(number, form):
    value = int(number) if form == "int" else form.format(number)
    assert parse_indian_mobile(value) == f"+91{number}"


def test_every_ten_digit_number_from_6_to_9_is_a_mobile():
    for first in "6789":
        for middle in range(0, 10**9, 7_919_191):
            number = f"{first}{middle:09d}"
            assert parse_indian_mobile(number) == f"+91{number}", number


@pytest.mark.parametrize(
    "value", ["01123456789", "+911123456789", "1123456789", "5876543210", "+4915112345678"]
)
def test_landlines_and_other_shapes_stay_refused(value):
    assert parse_indian_mobile(value) is None


@pytest.mark.parametrize("number", UNKNOWN_TO_THE_TABLES)
def test_registration_and_login_with_a_new_series_number(
    number, send_otp, last_otp, verify_otp, login, api_client
):
    assert send_otp(contact=int(number)).status_code == 200
    assert str(PendingRegistration.objects.get().contact) == f"+91{number}"
    response = verify_otp(last_otp(), contact=f"0{number}")
    assert response.status_code == 201, response.json()
    assert response.json()["user"]["contact"] == int(number)
    assert User.objects.get().contact == f"+91{number}"
    assert str(User.objects.get().contact) == f"+91{number}"
    assert login(f"+91{number}", STRONG_PASSWORD).status_code == 200
    assert login(f"91{number}", STRONG_PASSWORD).status_code == 200
    check = api_client.get("/api/users/check/", {"contact": number})
    assert check.json() == {"exists": True}


@pytest.mark.parametrize("number", UNKNOWN_TO_THE_TABLES)
def test_a_clinic_owner_adds_a_member_with_a_new_series_number(number, client_for, clinic):
    response = client_for(clinic.owner).post(
        f"/api/clinics/{clinic.id}/members/",
        {"contact": f"+91{number}", "name": "Dr. New Series", "member_role": "doctor"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["user"]["contact"] == int(number)
    assert User.objects.get(contact=f"+91{number}").name == "Dr. New Series"


def test_the_model_field_validates_by_shape(db):
    user = PatientFactory(contact="+916110212345")
    user.full_clean()  # no "The phone number entered is not valid."
    user.refresh_from_db()
    assert str(user.contact) == "+916110212345"


def test_the_admin_creates_a_user_with_a_new_series_number(superadmin):
    client = Client()
    client.force_login(superadmin)
    response = client.post(
        "/admin/users/user/add/",
        {
            "contact": "06110212345",
            "name": "Walk In",
            "role": 3,
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(contact="+916110212345").exists()


def test_createsuperuser_accepts_a_new_series_number(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", DEFAULT_PASSWORD)
    call_command("createsuperuser", contact="7100212345", name="Ops", interactive=False)
    assert User.objects.get(contact="+917100212345").is_superuser


def test_throttle_keys_use_the_same_normalisation(send_otp, time_machine, monkeypatch):
    from core.throttles import OTPSendContactThrottle

    monkeypatch.setattr(OTPSendContactThrottle, "rate", "2/hour", raising=False)
    time_machine.move_to("2026-06-01 09:00:00+05:30", tick=False)
    statuses = []
    for form in ("6110212345", "+916110212345", "06110212345"):
        statuses.append(send_otp(contact=form).status_code)
        time_machine.shift(61)
    assert statuses == [200, 200, 429]
