"""appointments 0006 on a database that has waitlist entries: the schema is taken back to
before entries had a profile (appointments 0005), and forward again; every entry then names
its holder's self profile (id = the account's id) and the per-profile uniqueness holds."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("appointments", "0005_prof_patient_profile")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_entries_get_the_holders_self_profile(
    patient, other_patient, doctor_profile, clinic
):
    day = dt.date(2026, 3, 9)
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Entry = old.get_model("appointments", "WaitlistEntry")
    assert "patient_profile" not in {f.name for f in Entry._meta.get_fields()}
    for holder in (patient, other_patient):
        Entry.objects.create(
            patient_id=holder.pk, doctor_id=doctor_profile.pk, clinic_id=clinic.pk, date=day
        )

    _migrate(None)

    from appointments.waitlist.models import WaitlistEntry
    from users.tests.profiles_helpers import dependent_of

    rows = WaitlistEntry.objects.order_by("id")
    assert [(e.patient_id, e.patient_profile_id) for e in rows] == [
        (patient.pk, patient.pk),
        (other_patient.pk, other_patient.pk),
    ]
    # One open entry per person now: the patient's child may wait for the same day...
    child = dependent_of(patient)
    WaitlistEntry.objects.create(
        patient=patient, patient_profile=child, doctor=doctor_profile, clinic=clinic, date=day
    )
    # ...and the patient themselves still may not twice.
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitlistEntry.objects.create(
            patient=patient, doctor=doctor_profile, clinic=clinic, date=day
        )
