"""Shared fixtures: API clients and the personas every test file uses."""

import os
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from core import cache_fast_path, sms

# The browser tests run with `make e2e` (they need Chromium), not with `make test`.
collect_ignore_glob = [] if os.environ.get("QUICKCARE_E2E") else ["e2e/*"]


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need PostgreSQL: skipped on SQLite, never skipped on PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clean_cache_and_outbox() -> Iterator[None]:
    from users.authentication import forget_verified_tokens  # after Django's set-up

    cache.clear()
    cache_fast_path.forget_all()
    forget_verified_tokens()
    sms.outbox.clear()
    yield
    cache.clear()
    cache_fast_path.forget_all()


@pytest.fixture
def clock_driven_cache(settings) -> Iterator[None]:
    """An in-process cache for tests that move the clock past a cache key's expiry:
    time_machine moves Python's clock, not Redis's (CI's PostgreSQL run uses Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def version_writes(monkeypatch) -> list[list[str]]:
    """The keys of every version write (`core.response_cache._bump_now`) during the test."""
    from core import response_cache

    writes: list[list[str]] = []
    real = response_cache._bump_now

    def counted(keys):
        writes.append(list(keys))
        real(keys)

    monkeypatch.setattr(response_cache, "_bump_now", counted)
    return writes


@pytest.fixture
def sms_outbox() -> list[sms.SMSMessage]:
    return sms.outbox


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[..., APIClient]:
    """client_for(user) -> an APIClient sending that user's Bearer access token."""

    def make(user) -> APIClient:
        client = APIClient()
        token = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


# --- personas --------------------------------------------------------------------------


@pytest.fixture
def patient(db):
    from users.tests.factories import PatientFactory

    return PatientFactory(name="Rahul Sharma")


@pytest.fixture
def other_patient(db):
    from users.tests.factories import PatientFactory

    return PatientFactory(name="Priya Verma")


@pytest.fixture
def clinic_owner(db):
    from users.tests.factories import ClinicOwnerFactory

    return ClinicOwnerFactory(name="Anil Gupta")


@pytest.fixture
def other_owner(db):
    from users.tests.factories import ClinicOwnerFactory

    return ClinicOwnerFactory(name="Meena Iyer")


@pytest.fixture
def clinic(clinic_owner):
    from clinic.tests.factories import ClinicFactory

    return ClinicFactory(owner=clinic_owner, name="City Care Clinic", city="Jaipur")


@pytest.fixture
def other_clinic(other_owner):
    from clinic.tests.factories import ClinicFactory

    return ClinicFactory(owner=other_owner, name="Apollo Clinic", city="Pune")


@pytest.fixture
def doctor_profile(clinic):
    """A fully onboarded doctor, active member of `clinic`."""
    from clinic.tests.factories import ClinicMemberFactory
    from doctors.tests.factories import DoctorProfileFactory

    profile = DoctorProfileFactory(user__name="Dr. Suresh Yadav", specialty="cardiology")
    ClinicMemberFactory(
        clinic=clinic, user=profile.user, member_role="doctor", department="Cardiology"
    )
    return profile


@pytest.fixture
def doctor(doctor_profile):
    return doctor_profile.user


@pytest.fixture
def other_doctor_profile(other_clinic):
    from clinic.tests.factories import ClinicMemberFactory
    from doctors.tests.factories import DoctorProfileFactory

    profile = DoctorProfileFactory(user__name="Dr. Kavita Rao", specialty="dermatology")
    ClinicMemberFactory(clinic=other_clinic, user=profile.user, member_role="doctor")
    return profile


@pytest.fixture
def other_doctor(other_doctor_profile):
    return other_doctor_profile.user


@pytest.fixture
def receptionist(clinic):
    from clinic.tests.factories import ClinicMemberFactory
    from users.tests.factories import ReceptionistFactory

    user = ReceptionistFactory(name="Sunita Desk")
    ClinicMemberFactory(clinic=clinic, user=user, member_role="receptionist")
    return user


@pytest.fixture
def lab_member(clinic):
    from clinic.tests.factories import ClinicMemberFactory
    from users.tests.factories import LabMemberFactory

    user = LabMemberFactory(name="Ravi Lab")
    ClinicMemberFactory(clinic=clinic, user=user, member_role="lab_member")
    return user


@pytest.fixture
def superadmin(db):
    from users.models import User

    return User.objects.create_superuser("+919999999999", "admin@123", name="Super Admin")
