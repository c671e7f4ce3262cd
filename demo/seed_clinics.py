"""Demo clinics for `make run`: an owner, two clinics (Jaipur, Pune) with weekly windows,
staff (two doctors, a receptionist, a lab member) and admission checklists. Idempotent."""

import datetime as dt
from typing import Any

from clinic.models import AdmissionDocument, Clinic, ClinicMember, ClinicTimeSlot
from core.roles import RoleId
from doctors.models import DoctorProfile
from users.models import User

DEMO_PASSWORD = "Quick@Care2026"
OWNER_CONTACT = "+919876500010"
CLINICS: list[dict[str, Any]] = [
    {
        "slug": "city-care-clinic-jaipur",
        "name": "City Care Clinic",
        "clinic_type": "clinic",
        "phone": "9876500011",
        "email": "citycare@example.com",
        "address": "12, MG Road",
        "city": "Jaipur",
        "state": "Rajasthan",
        "pincode": "302001",
        "registration_number": "RJ-MED-2024-001",
        "description": "Family medicine and cardiology in central Jaipur.",
    },
    {
        "slug": "sahyadri-hospital-pune",
        "name": "Sahyadri Hospital",
        "clinic_type": "hospital",
        "phone": "9876500012",
        "email": "sahyadri@example.com",
        "address": "30, FC Road, Shivajinagar",
        "city": "Pune",
        "state": "Maharashtra",
        "pincode": "411004",
        "registration_number": "MH-MED-2023-117",
        "description": "Multi-speciality hospital with a diagnostic lab.",
    },
]
# (contact, name, role, clinic slug, member_role, department, doctor profile)
STAFF: list[tuple[str, str, int, str, str, str, dict[str, Any] | None]] = [
    (
        "+919876500020",
        "Dr. Suresh Yadav",
        RoleId.DOCTOR,
        "city-care-clinic-jaipur",
        "doctor",
        "Cardiology",
        {
            "specialty": "cardiology",
            "qualification": "MBBS, MD",
            "experience_years": 10,
            "first_visit_fee": 600,
            "follow_up_fee": 300,
            "offers_video_consultation": True,
        },
    ),
    (
        "+919876500021",
        "Dr. Kavita Rao",
        RoleId.DOCTOR,
        "sahyadri-hospital-pune",
        "doctor",
        "Dermatology",
        {
            "specialty": "dermatology",
            "qualification": "MBBS, DDVL",
            "experience_years": 7,
            "first_visit_fee": 500,
            "follow_up_fee": 250,
            "offers_video_consultation": False,
        },
    ),
    (
        "+919876500030",
        "Sunita Desk",
        RoleId.RECEPTIONIST,
        "city-care-clinic-jaipur",
        "receptionist",
        "Front desk",
        None,
    ),
    (
        "+919876500031",
        "Ravi Lab",
        RoleId.LAB_MEMBER,
        "sahyadri-hospital-pune",
        "lab_member",
        "Pathology",
        None,
    ),
]
# Mon-Sat mornings and Mon-Fri evenings.
WINDOWS = [(day, dt.time(9), dt.time(13), 15, 16) for day in range(6)] + [
    (day, dt.time(17), dt.time(20), 20, 9) for day in range(5)
]
ADMISSION_DOCS = [
    ("Government photo ID", "Aadhaar, PAN, passport or voter ID.", True),
    ("Health insurance card", "Policy card or TPA letter, if insured.", False),
    ("Previous medical reports", "Prescriptions, scans and discharge summaries.", False),
]


def _user(contact: str, name: str, role_id: int) -> User:
    user = User.objects.filter(contact=contact).first()
    if user is None:
        user = User.objects.create_user(
            contact,
            DEMO_PASSWORD,
            name=name,
            role_id=role_id,
            gender="male" if name.startswith(("Dr. Suresh", "Ravi", "Anil")) else "female",
            age=40,
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
    return user


def _clinic(owner: User, fields: dict[str, Any]) -> Clinic:
    clinic, created = Clinic.objects.get_or_create(
        slug=fields["slug"], defaults={**fields, "owner": owner}
    )
    if created:
        ClinicTimeSlot.objects.bulk_create(
            ClinicTimeSlot(
                clinic=clinic,
                day_of_week=day,
                start_time=start,
                end_time=end,
                slot_duration_minutes=minutes,
                max_appointments=capacity,
            )
            for day, start, end, minutes, capacity in WINDOWS
        )
        AdmissionDocument.objects.bulk_create(
            AdmissionDocument(
                clinic=clinic, name=name, description=text, is_mandatory=required, display_order=i
            )
            for i, (name, text, required) in enumerate(ADMISSION_DOCS)
        )
    return clinic


def seed_clinics() -> str:
    owner = _user(OWNER_CONTACT, "Anil Gupta", RoleId.CLINIC_OWNER)
    clinics = {fields["slug"]: _clinic(owner, fields) for fields in CLINICS}
    for contact, name, role_id, slug, member_role, department, profile in STAFF:
        user = _user(contact, name, role_id)
        if profile is not None:
            DoctorProfile.objects.get_or_create(user=user, defaults=profile)
        if not ClinicMember.objects.filter(user=user, status="active").exists():
            ClinicMember.objects.create(
                clinic=clinics[slug],
                user=user,
                member_role=member_role,
                department=department,
                joined_at=dt.date(2026, 1, 5),
                added_by=owner,
            )
    return (
        f"owner {OWNER_CONTACT[3:]}/{DEMO_PASSWORD}: City Care Clinic (Jaipur), "
        "Sahyadri Hospital (Pune); doctors 9876500020, 9876500021, receptionist 9876500030, "
        f"lab member 9876500031 (password {DEMO_PASSWORD})"
    )
