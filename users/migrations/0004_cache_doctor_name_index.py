"""The public doctor directory's order, served by an index over active doctors only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0003_identity_mobile_shape_password_change_sessions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(("is_active", True), ("role_id", 4)),  # RoleId.DOCTOR
                fields=["name", "id"],
                name="user_doctor_name_idx",
            ),
        ),
    ]
