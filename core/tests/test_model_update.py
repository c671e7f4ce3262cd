"""core.services.model_update: the one "update only these fields" write."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.tests.factories import ClinicFactory
from core.services import model_update
from doctors.tests.factories import DoctorAvailabilityFactory
from users.models import UserAddress
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def address() -> UserAddress:
    return UserAddress.objects.create(user=PatientFactory(), area="Old", town="Ajmer")


def test_sets_only_the_allowed_fields_present_in_data(address):
    updated, has_updated = model_update(
        instance=address,
        fields=["area", "town", "state"],
        data={"area": "New", "pincode": "302001", "is_current": True},
    )

    assert updated is address
    assert has_updated is True
    address.refresh_from_db()
    # town and state were allowed but absent; pincode and is_current present but not allowed.
    assert (address.area, address.town, address.state) == ("New", "Ajmer", "")
    assert (address.pincode, address.is_current) == ("", False)


def test_saves_the_changed_columns_and_updated_at_only(address):
    before = address.updated_at
    UserAddress.objects.filter(pk=address.pk).update(landmark="set concurrently")

    with CaptureQueriesContext(connection) as queries:
        model_update(
            instance=address, fields=["area", "town"], data={"area": "New", "town": "Ajmer"}
        )

    assert len(queries) == 1
    update = queries[0]["sql"].lower()
    assert '"area"' in update
    assert '"updated_at"' in update
    assert '"town"' not in update  # unchanged value: not written
    assert '"landmark"' not in update
    address.refresh_from_db()
    assert address.landmark == "set concurrently"  # not overwritten by a stale copy
    assert address.updated_at > before


def test_no_difference_writes_nothing(address):
    before = address.updated_at

    with CaptureQueriesContext(connection) as queries:
        updated, has_updated = model_update(
            instance=address, fields=["area", "town"], data={"area": "Old", "town": "Ajmer"}
        )

    assert (updated, has_updated) == (address, False)
    assert len(queries) == 0
    address.refresh_from_db()
    assert address.updated_at == before


def test_empty_data_writes_nothing(address):
    assert model_update(instance=address, fields=["area"], data={}) == (address, False)


def test_a_model_without_updated_at_saves_the_field_alone():
    group = Group.objects.create(name="before")

    with CaptureQueriesContext(connection) as queries:
        _, has_updated = model_update(instance=group, fields=["name"], data={"name": "after"})

    assert has_updated is True
    assert len(queries) == 1
    assert "updated_at" not in queries[0]["sql"]
    group.refresh_from_db()
    assert group.name == "after"


@pytest.mark.parametrize("field", ["no_such_field", "user_set"])
def test_a_field_that_is_not_a_column_is_a_programming_error(field):
    group = Group.objects.create(name="g")

    with pytest.raises(ValueError, match=field):
        model_update(instance=group, fields=[field], data={field: "x"})


def test_values_are_stored_as_given(address):
    # No None -> "" or other coercion here: that is each caller's rule.
    _, has_updated = model_update(
        instance=address, fields=["is_current", "pincode"], data={"is_current": True}
    )

    assert has_updated is True
    address.refresh_from_db()
    assert address.is_current is True
    assert isinstance(address.updated_at, dt.datetime)


def test_a_foreign_key_may_be_named_by_its_column(db):
    window = DoctorAvailabilityFactory()
    other = ClinicFactory()
    _, updated = model_update(instance=window, fields=["clinic_id"], data={"clinic_id": other.pk})
    window.refresh_from_db()
    assert updated
    assert window.clinic_id == other.pk
