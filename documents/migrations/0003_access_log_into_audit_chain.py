"""The access log moves onto the audit chain (one source of truth).

Every existing access-log row becomes an access event on its patient's chain, in the order
they were written (accessed_at, id), hashed like any append; then the old table is dropped
and `DocumentAccessLog` becomes an unmanaged model reading the chain's access events.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def copy_into_chain(apps, schema_editor):
    from audit.canonical import link_hash
    from audit.services import body_of

    OldLog = apps.get_model("documents", "DocumentAccessLog")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    heads = {}
    batch = []
    logs = OldLog.objects.select_related("document").order_by("accessed_at", "id")
    for log in logs.iterator(2000):
        patient_id = log.document.patient_id
        if patient_id not in heads:
            last = (
                AuditEvent.objects.filter(patient_id=patient_id)
                .order_by("-seq")
                .values_list("seq", "hash")
                .first()
            )
            heads[patient_id] = last or (0, GENESIS)
        seq, prev = heads[patient_id]
        row = AuditEvent(
            patient_id=patient_id,
            seq=seq + 1,
            occurred_at=log.accessed_at,
            category="access",
            action=log.action,
            actor_id=log.actor_id,
            document_id=log.document_id,
            detail=log.detail,
            ip_address=log.ip_address,
            user_agent=log.user_agent,
            emergency=False,
            data={},
            prev_hash=prev,
        )
        row.body = body_of(row=row)
        row.hash = link_hash(prev, row.body)
        heads[patient_id] = (row.seq, row.hash)
        batch.append(row)
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("documents", "0002_access_log_protect_and_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(copy_into_chain, migrations.RunPython.noop),
        migrations.DeleteModel(name="DocumentAccessLog"),
        migrations.CreateModel(
            name="DocumentAccessLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(choices=[("view", "View"), ("list", "List"), ("file_link", "File Link"), ("download", "Download"), ("upload", "Upload"), ("delete", "Delete"), ("denied", "Denied")], max_length=20)),
                ("detail", models.CharField(blank=True, max_length=255)),
                ("accessed_at", models.DateTimeField(db_column="occurred_at")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("user_agent", models.CharField(blank=True, max_length=255)),
                ("emergency", models.BooleanField(default=False)),
                ("category", models.CharField(editable=False, max_length=20)),
                ("actor", models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("document", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name="access_logs", to="documents.medicaldocument")),
            ],
            options={
                "db_table": "audit_auditevent",
                "ordering": ("-accessed_at", "-id"),
                "managed": False,
            },
        ),
    ]
