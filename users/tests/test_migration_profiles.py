"""The profile migrations on a database that has data (issue 13): demo data is seeded, the
schema is taken back to before patient profiles existed (users 0004, appointments 0004,
documents 0005, audit 0001: the tables then hold only what they held before), and migrated
forward again. Every account then has its self profile with id = its id and its fields,
every appointment, document and break-glass access points at it, and every audit chain
(hashed before the migration) still verifies."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("users", "0004_cache_doctor_name_index"),
    ("appointments", "0004_wait_reschedule_waitlist"),
    ("documents", "0005_emergency_access"),
    ("audit", "0001_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_users_get_self_profiles_and_records_follow(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    from audit.models import AuditEvent
    from audit.verify import verify_chain

    chains = sorted({str(p) for p in AuditEvent.objects.values_list("patient_id", flat=True)})
    assert chains, "the demo data should leave audit chains to check"

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert "patientprofile" not in {
        m._meta.model_name for m in old.get_app_config("users").get_models()
    }
    User = old.get_model("users", "User")
    MedicalProfile = old.get_model("users", "MedicalProfile")
    UserAddress = old.get_model("users", "UserAddress")
    expected = {
        str(u.pk): (u.name, u.gender, u.age, u.blood_group, u.role_id) for u in User.objects.all()
    }
    allergies = {str(m.user_id): m.allergies for m in MedicalProfile.objects.all()}
    towns = {str(a.user_id): a.town for a in UserAddress.objects.filter(is_current=True)}
    appointments = dict(
        old.get_model("appointments", "Appointment").objects.values_list("pk", "patient_id")
    )
    documents = dict(
        old.get_model("documents", "MedicalDocument").objects.values_list("pk", "patient_id")
    )
    assert expected
    assert appointments
    assert documents

    _migrate(None)

    from appointments.models import Appointment
    from documents.models import MedicalDocument
    from users.models import PatientProfile

    profiles = {str(p.pk): p for p in PatientProfile.objects.all()}
    assert set(profiles) == set(expected)
    for user_id, (name, gender, age, blood_group, role_id) in expected.items():
        profile = profiles[user_id]
        assert str(profile.account_id) == user_id
        assert profile.relation == "self"
        assert (profile.name, profile.gender, profile.age, profile.blood_group) == (
            name,
            gender,
            age,
            blood_group,
        )
        assert profile.patient_enabled == (role_id == 3)
        assert profile.allergies == allergies.get(user_id, "")
        assert profile.town == towns.get(user_id, "")
    for row in Appointment.objects.all():
        assert row.patient_profile_id == row.patient_id == appointments[row.pk]
    for row in MedicalDocument.objects.all():
        assert row.patient_profile_id == row.patient_id == documents[row.pk]
    for chain in chains:
        report = verify_chain(profiles[chain].pk)
        assert report.valid, (chain, report)
        assert report.events > 0
