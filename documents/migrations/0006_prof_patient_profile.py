"""Documents and break-glass accesses belong to a patient profile: `patient_profile` is added
and filled with each patient's self profile (whose id is the patient's id, users 0005), then
made required. Consents reach the profile through their document."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def fill_profiles(apps, schema_editor):
    for name in ("MedicalDocument", "EmergencyAccess"):
        model = apps.get_model("documents", name)
        model.objects.filter(patient_profile__isnull=True).update(
            patient_profile_id=F("patient_id")
        )


def _profile(null: bool, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="users.patientprofile",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_emergency_access"),
        ("users", "0006_prof_self_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="medicaldocument",
            name="patient_profile",
            field=_profile(True, "medical_documents"),
        ),
        migrations.AddField(
            model_name="emergencyaccess",
            name="patient_profile",
            field=_profile(True, "emergency_accesses"),
        ),
        migrations.RunPython(fill_profiles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="medicaldocument",
            name="patient_profile",
            field=_profile(False, "medical_documents"),
        ),
        migrations.AlterField(
            model_name="emergencyaccess",
            name="patient_profile",
            field=_profile(False, "emergency_accesses"),
        ),
    ]
