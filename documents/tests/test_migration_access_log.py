"""0003 moves the old access-log rows onto the patients' audit chains, in order, verifiable."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.verify import verify_chain

BEFORE = [("documents", "0002_access_log_protect_and_indexes")]
AFTER = [("documents", "0003_access_log_into_audit_chain")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_rows_become_verifiable_chain_events():
    from documents.tests.factories import MedicalDocumentFactory
    from users.tests.factories import PatientFactory

    patient = PatientFactory()
    document = MedicalDocumentFactory(patient=patient)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Log = executor.loader.project_state(BEFORE).apps.get_model("documents", "DocumentAccessLog")
    for minute, action in enumerate(["view", "download", "denied"]):
        row = Log.objects.create(
            document_id=document.pk, actor_id=patient.pk, action=action, detail=action
        )
        Log.objects.filter(pk=row.pk).update(
            accessed_at=dt.datetime(2026, 1, 1, 10, minute, tzinfo=dt.UTC)
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from audit.models import AuditEvent
    from documents.models import DocumentAccessLog

    events = AuditEvent.objects.filter(patient_id=patient.pk).order_by("seq")
    assert [(e.seq, e.action) for e in events] == [(1, "view"), (2, "download"), (3, "denied")]
    assert verify_chain(patient.pk).valid
    assert DocumentAccessLog.objects.filter(document_id=document.pk).count() == 3
