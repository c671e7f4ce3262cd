"""Member completion applies the users app's profile and address rules (issue 10 item 4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.services import member_onboarding_complete
from users.models import AddressType, UserAddress
from users.tests.factories import DoctorUserFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db


def staff(factory=ReceptionistFactory, **fields):
    return factory(is_partial_onboarding=True, is_complete_onboarding=False, **fields)


def test_a_new_address_is_the_one_current_home_address():
    user = staff()

    member_onboarding_complete(user=user, data={"address_area": "Vaishali Nagar", "town": "Jaipur"})

    address = UserAddress.objects.get(user=user)
    assert (address.area, address.town) == ("Vaishali Nagar", "Jaipur")
    assert (address.address_type, address.is_current) == (AddressType.HOME, True)


def test_a_current_work_address_stops_being_current_and_a_home_one_is_made():
    user = staff()
    work = UserAddress.objects.create(
        user=user, town="Ajmer", address_type=AddressType.WORK, is_current=True
    )

    member_onboarding_complete(user=user, data={"town": "Jaipur"})

    work.refresh_from_db()
    assert (work.town, work.is_current) == ("Ajmer", False)
    current = UserAddress.objects.get(user=user, is_current=True)
    assert (current.town, current.address_type) == ("Jaipur", AddressType.HOME)


def test_none_is_stored_as_an_empty_text_and_age_as_null():
    user = staff(email="old@example.com", blood_group="O+", age=40)

    member_onboarding_complete(
        user=user,
        data={"email": None, "blood_group": None, "age": None, "town": None, "house_no": "5B"},
    )

    user.refresh_from_db()
    assert (user.email, user.blood_group, user.age) == ("", "", None)
    address = UserAddress.objects.get(user=user)
    assert (address.town, address.house_no) == ("", "5B")
    assert user.is_complete_onboarding is True


def test_a_doctor_completing_gets_the_same_none_handling():
    user = staff(DoctorUserFactory, name="Dr. Old Name")

    member_onboarding_complete(user=user, data={"name": "Dr. New Name", "gender": None})

    user.refresh_from_db()
    assert (user.name, user.gender) == ("Dr. New Name", "")


@pytest.mark.postgres
def test_the_users_address_rows_are_locked_before_the_current_one_is_written():
    user = staff()

    with CaptureQueriesContext(connection) as queries:
        member_onboarding_complete(user=user, data={"town": "Jaipur"})

    statements = [q["sql"] for q in queries]
    lock = next(
        i
        for i, sql in enumerate(statements)
        if 'FROM "users_useraddress"' in sql and "FOR UPDATE" in sql
    )
    insert = next(i for i, sql in enumerate(statements) if 'INSERT INTO "users_useraddress"' in sql)
    assert lock < insert
