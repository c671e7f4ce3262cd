"""Demo users: the local superuser and a fully onboarded demo patient (with a medical profile
and a current home address, so `me`, medical-profile and address calls show data)."""

from core.roles import RoleId
from users.models import AddressType, MedicalProfile, User, UserAddress

SUPERUSER_CONTACT = "+919999999999"
DEMO_PATIENT_CONTACT = "+919876500001"
DEMO_PASSWORD = "Quick@Care2026"


def _demo_patient() -> User:
    patient = User.objects.filter(contact=DEMO_PATIENT_CONTACT).first()
    if patient is None:
        patient = User.objects.create_user(
            DEMO_PATIENT_CONTACT,
            DEMO_PASSWORD,
            name="Rahul Sharma",
            role_id=RoleId.PATIENT,
            email="rahul@example.com",
            gender="male",
            age=28,
            blood_group="B+",
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
    MedicalProfile.objects.get_or_create(
        user=patient,
        defaults={
            "allergies": "Penicillin",
            "chronic_conditions": "None",
            "current_medications": "None",
            "past_surgeries": "Appendectomy 2020",
            "family_history": "Diabetes (father)",
            "height_cm": 175,
            "weight_kg": "70.50",
            "emergency_contact_name": "Priya Sharma",
            "emergency_contact_number": "+919123456789",
        },
    )
    if not UserAddress.objects.filter(user=patient).exists():
        UserAddress.objects.create(
            user=patient,
            area="Near City Hospital",
            house_no="12A",
            town="Jaipur",
            state="Rajasthan",
            pincode="302001",
            landmark="Opp. SBI Bank",
            address_type=AddressType.HOME,
            is_current=True,
        )
    return patient


def seed_users() -> str:
    if not User.objects.filter(contact=SUPERUSER_CONTACT).exists():
        User.objects.create_superuser(SUPERUSER_CONTACT, "admin@123", name="Super Admin")
    _demo_patient()
    return f"superuser 9999999999/admin@123, patient {DEMO_PATIENT_CONTACT[3:]}/{DEMO_PASSWORD}"
