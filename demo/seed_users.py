"""Demo users: the local superuser and a demo patient."""

from core.roles import RoleId
from users.models import User

SUPERUSER_CONTACT = "+919999999999"
DEMO_PATIENT_CONTACT = "+919876500001"
DEMO_PASSWORD = "Quick@Care2026"


def seed_users() -> str:
    if not User.objects.filter(contact=SUPERUSER_CONTACT).exists():
        User.objects.create_superuser(SUPERUSER_CONTACT, "admin@123", name="Super Admin")
    if not User.objects.filter(contact=DEMO_PATIENT_CONTACT).exists():
        User.objects.create_user(
            DEMO_PATIENT_CONTACT,
            DEMO_PASSWORD,
            name="Rahul Sharma",
            role_id=RoleId.PATIENT,
            gender="male",
            age=28,
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
    return f"superuser 9999999999/admin@123, patient {DEMO_PATIENT_CONTACT[3:]}/{DEMO_PASSWORD}"
