"""Appointments belong to a patient profile: `patient_profile` is added and filled with each
patient's self profile (whose id is the patient's id, users 0005), then made required; the
one-appointment-per-time rule moves from the account to the profile."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def fill_profiles(apps, schema_editor):
    Appointment = apps.get_model("appointments", "Appointment")
    Appointment.objects.filter(patient_profile__isnull=True).update(
        patient_profile_id=F("patient_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0004_wait_reschedule_waitlist"),
        ("users", "0006_prof_self_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="patient_profile",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="users.patientprofile",
            ),
        ),
        migrations.RunPython(fill_profiles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appointment",
            name="patient_profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="users.patientprofile",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="appointment", name="patient_one_active_appointment_per_time"
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "confirmed"])),
                fields=("patient_profile", "appointment_date", "appointment_time"),
                name="patient_one_active_appointment_per_time",
            ),
        ),
    ]
