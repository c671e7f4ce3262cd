"""Waitlist entries belong to a patient profile, as appointments do: `patient_profile` is
added and filled with each holder's self profile (whose id is the account's id, users 0005),
then made required; the one-open-entry-per-day rule moves from the account to the profile
(two children of one account may wait for the same doctor and day)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_profiles(apps, schema_editor):
    WaitlistEntry = apps.get_model("appointments", "WaitlistEntry")
    PatientProfile = apps.get_model("users", "PatientProfile")
    own = PatientProfile.objects.filter(account_id=OuterRef("patient_id"), relation="self")
    WaitlistEntry.objects.filter(patient_profile__isnull=True).update(
        patient_profile_id=Subquery(own.values("pk")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0005_prof_patient_profile"),
        ("users", "0006_prof_self_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="waitlistentry",
            name="patient_profile",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="waitlist_entries",
                to="users.patientprofile",
            ),
        ),
        migrations.RunPython(fill_profiles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="waitlistentry",
            name="patient_profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="waitlist_entries",
                to="users.patientprofile",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="waitlistentry", name="waitlist_one_open_entry_per_day"
        ),
        migrations.AddConstraint(
            model_name="waitlistentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["waiting", "offered"])),
                fields=("patient_profile", "doctor", "date"),
                name="waitlist_one_open_entry_per_day",
            ),
        ),
    ]
