"""The authenticated user's hand-written lookup (`users.authentication.user_with_revocation`)
loads the same user the ORM's query did, with the session's revocation, in one statement."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from users.authentication import user_with_revocation
from users.models import RevokedSession, User
from users.tests.factories import DoctorUserFactory

pytestmark = pytest.mark.django_db


def _orm(user_id, sid):
    return (
        User.objects.annotate(session_revoked=Exists(RevokedSession.objects.filter(sid=sid)))
        .filter(id=user_id)
        .first()
    )


def _values(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields} | {
        "session_revoked": user.session_revoked
    }


@pytest.mark.parametrize("revoked", [False, True])
def test_the_lookup_loads_the_user_the_orm_loads(patient, revoked):
    if revoked:
        RevokedSession.objects.create(sid="s1", expires_at=timezone.now() + dt.timedelta(hours=1))
    RevokedSession.objects.create(sid="other", expires_at=timezone.now() + dt.timedelta(hours=1))
    patient.last_login = timezone.now()
    patient.save()

    with CaptureQueriesContext(connection) as captured:
        found = user_with_revocation(str(patient.pk), "s1")

    assert len(captured) == 1
    expected = _orm(patient.pk, "s1")
    assert found is not None
    assert expected is not None
    assert _values(found) == _values(expected)
    for name, value in _values(found).items():  # the same Python types, not only equal values
        assert type(value) is type(_values(expected)[name]), name
    assert found.session_revoked is revoked
    assert found._state.adding is False
    assert found._state.db == expected._state.db
    assert found.get_deferred_fields() == set()


def test_the_lookup_loads_a_doctor_with_its_role():
    doctor = DoctorUserFactory()
    found = user_with_revocation(doctor.pk, "s1")
    assert found is not None
    assert _values(found) == _values(_orm(doctor.pk, "s1"))
    assert found.role_id == doctor.role_id


def test_an_unknown_user_is_none(patient):
    import uuid

    assert user_with_revocation(uuid.uuid4(), "s1") is None
