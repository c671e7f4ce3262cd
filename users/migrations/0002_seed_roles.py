from django.db import migrations

ROLES = [
    (1, "IS_SUPERADMIN"),
    (2, "IS_ADMIN"),
    (3, "IS_PATIENT"),
    (4, "IS_DOCTOR"),
    (5, "IS_RECEPTIONIST"),
    (6, "IS_LAB_MEMBER"),
    (7, "IS_CLINIC_OWNER"),
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("users", "Role")
    for role_id, name in ROLES:
        Role.objects.update_or_create(id=role_id, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
