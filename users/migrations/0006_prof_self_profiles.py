"""Every existing account gets its self profile, with id = the account's id (so audit chains,
FHIR Patient ids and access logs keyed by the user stay valid), filled from the account's
name, gender, age, blood group, medical profile and current address. Patients act as patients;
other roles' self profiles start with that capability off (`patient_enabled`)."""

from django.db import migrations

MEDICAL = (
    "allergies",
    "chronic_conditions",
    "current_medications",
    "past_surgeries",
    "family_history",
    "height_cm",
    "weight_kg",
    "emergency_contact_name",
    "emergency_contact_number",
)
ADDRESS = ("area", "house_no", "town", "state", "pincode", "landmark")
PATIENT_ROLE_ID = 3
BATCH = 500


def create_self_profiles(apps, schema_editor):
    User = apps.get_model("users", "User")
    PatientProfile = apps.get_model("users", "PatientProfile")
    MedicalProfile = apps.get_model("users", "MedicalProfile")
    UserAddress = apps.get_model("users", "UserAddress")
    have = set(PatientProfile.objects.filter(relation="self").values_list("account_id", flat=True))
    batch = []
    for user in User.objects.order_by("date_joined", "id").iterator(BATCH):
        if user.pk in have:
            continue
        values = {
            "id": user.pk,
            "account_id": user.pk,
            "relation": "self",
            "name": user.name,
            "gender": user.gender,
            "stated_age": user.age,
            "blood_group": user.blood_group,
            "patient_enabled": user.role_id == PATIENT_ROLE_ID,
        }
        medical = MedicalProfile.objects.filter(user_id=user.pk).first()
        if medical is not None:
            values.update({field: getattr(medical, field) for field in MEDICAL})
        address = UserAddress.objects.filter(user_id=user.pk, is_current=True).first()
        if address is not None:
            values.update({field: getattr(address, field) for field in ADDRESS})
        batch.append(PatientProfile(**values))
        if len(batch) >= BATCH:
            PatientProfile.objects.bulk_create(batch)
            batch = []
    PatientProfile.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("users", "0005_prof_patient_profiles")]

    operations = [migrations.RunPython(create_self_profiles, migrations.RunPython.noop)]
