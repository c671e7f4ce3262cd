"""The benchmark's data: 50 clinics, 500 doctors, 2,000 patients and 10,000 appointments per
unit of `scale` (issue 16's network), seeded once per database with `bulk_create` in large
batches, then `VACUUM ANALYZE` (autovacuum is off on these machines: without fresh statistics
bulk-loaded tables get nested-loop plans, and without the vacuum the first run after seeding
pays for setting fresh rows' hint bits: the patient's document list took 3.8 ms (1x) and 11.4 ms
(10x) of database CPU per request in the first run after seeding, 1.0-1.6 ms in later runs; with
the vacuum, 2.6 ms in the first run, one measurement each).

Two people get the issue's hot cases: the *busy patient* (92 appointments, most of them past)
and the *day doctor* (all 16 morning slots booked on `Network.slot_date`, a future Monday).
Every other doctor has about a third of that morning booked, and the remaining appointments
are history spread over the past 150 days. The `slot_date` part is re-booked when the date
moves on (a later week), so a seeded database is reused across days.

The busy patient's medical records (30 documents, consents to a few doctors, the day doctor
among them, and 100 access-log events) and a background of one document per patient per unit
of `scale` are bench/seed_documents.py's, seeded once per database after the rest.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench.seed_documents import seed_documents

SPECIALTIES = [
    "cardiology",
    "dermatology",
    "pediatrics",
    "orthopedics",
    "general medicine",
    "gynecology",
    "ent",
    "neurology",
    "ophthalmology",
    "psychiatry",
]
FIRST_NAMES = [
    "Aarav", "Vivaan", "Aditya", "Ananya", "Diya", "Ishaan", "Kavya", "Rohan",
    "Saanvi", "Arjun", "Meera", "Kabir", "Nisha", "Vikram", "Pooja", "Rahul",
]  # fmt: skip
LAST_NAMES = [
    "Sharma", "Verma", "Iyer", "Reddy", "Nair", "Gupta", "Khan", "Das",
    "Joshi", "Patel", "Rao", "Singh", "Mehta", "Bose", "Kulkarni", "Menon",
]  # fmt: skip
CITIES = ["Jaipur", "Pune", "Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata", "Hyderabad"]
# The clinics' owner (`_users("700", 1, ...)`): the bench's front desk for every clinic.
OWNER_CONTACT = "+917000000000"
PASSWORD = "Quick@Care2026"
MORNING = [dt.time(9 + m // 60, m % 60) for m in range(0, 240, 15)]  # 16 slots, capacity 16
EVENING = [dt.time(17 + m // 60, m % 60) for m in range(0, 180, 15)]  # 12 slots, capacity 10
BUSY_PATIENT_APPOINTMENTS = 92
DOCTORS_PER_CLINIC = 10
BATCH = 5000


@dataclass
class Network:
    clinic_ids: list[Any]
    doctor_ids: list[int]  # DoctorProfile ids, seed order; doctor_ids[0] is the day doctor
    patient_ids: list[Any]  # seed order; patient_ids[0] is the busy patient
    slot_date: dt.date  # a future Monday with appointments already booked
    scale: int = 1
    specialties: list[str] = field(default_factory=lambda: list(SPECIALTIES))
    appointments: int = 0

    @property
    def busy_patient_id(self) -> Any:
        return self.patient_ids[0]

    @property
    def day_doctor_id(self) -> int:
        return self.doctor_ids[0]


def next_monday(after_days: int = 7) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def seed_network(*, scale: int = 1) -> Network:
    from clinic.models import Clinic

    clinics = 50 * scale
    slot_date = next_monday()
    if Clinic.objects.filter(slug__startswith="bench-clinic-").count() < clinics:
        started = time.perf_counter()
        _seed(clinics=clinics, patients=2000 * scale, appointments=10_000 * scale)
        print(f"seeded scale {scale} in {time.perf_counter() - started:.1f}s")
    _rehash_if_outdated()
    _book_slot_date(slot_date)
    network = _load_network(slot_date, scale)
    # Idempotent like the slot date's bookings: a database seeded before the records existed
    # gets them on its next run (bench/seed_documents.py).
    if seed_documents(
        scale=scale, busy_patient_id=network.busy_patient_id, doctor_ids=network.doctor_ids
    ):
        print("seeded the bench's documents, consents and access log")
    _analyze()
    return network


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _users(prefix: str, count: int, role_id: int, password: str) -> list[Any]:
    from users.models import User

    rows = (
        User(
            contact=f"+91{prefix}{index:07d}",
            name=f"{'Dr. ' if prefix.startswith('8') else ''}"
            f"{FIRST_NAMES[index % 16]} {LAST_NAMES[(index // 16) % 16]} {index}",
            role_id=role_id,
            password=password,
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
        for index in range(count)
    )
    users = User.objects.bulk_create(rows, batch_size=BATCH)
    # bulk_create sends no post_save: the accounts' self profiles are made the same way.
    from users.services.profiles import self_profiles_bulk_create

    self_profiles_bulk_create(users=users)
    return users


def _seed(*, clinics: int, patients: int, appointments: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
    from core.roles import RoleId
    from doctors.models import DoctorAvailability, DoctorProfile

    rng = random.Random(20261126)
    password = make_password(PASSWORD)
    with transaction.atomic():
        (owner,) = _users("700", 1, RoleId.CLINIC_OWNER, password)
        clinic_rows = Clinic.objects.bulk_create(
            (
                Clinic(
                    owner=owner,
                    name=f"Bench Clinic {index:04d}",
                    slug=f"bench-clinic-{index:04d}",
                    clinic_type="clinic",
                    city=CITIES[index % len(CITIES)],
                )
                for index in range(clinics)
            ),
            batch_size=BATCH,
        )
        ClinicTimeSlot.objects.bulk_create(
            (
                ClinicTimeSlot(
                    clinic=clinic,
                    day_of_week=day,
                    start_time=dt.time(9),
                    end_time=dt.time(20),
                    slot_duration_minutes=15,
                    max_appointments=30,
                )
                for clinic in clinic_rows
                for day in range(6)
            ),
            batch_size=BATCH,
        )
        doctor_users = _users("810", clinics * DOCTORS_PER_CLINIC, RoleId.DOCTOR, password)
        profiles = DoctorProfile.objects.bulk_create(
            (
                DoctorProfile(
                    user=user,
                    specialty=SPECIALTIES[index % len(SPECIALTIES)],
                    qualification="MBBS, MD",
                    registration_number=f"BN-{index:06d}",
                    experience_years=rng.randint(1, 35),
                    biography="Bench doctor.",
                    languages="English, Hindi",
                    first_visit_fee=rng.choice([200, 300, 400, 500, 600, 800, 1000]),
                    follow_up_fee=rng.choice([100, 200, 300]),
                    offers_video_consultation=rng.random() < 0.4,
                )
                for index, user in enumerate(doctor_users)
            ),
            batch_size=BATCH,
        )
        ClinicMember.objects.bulk_create(
            (
                ClinicMember(
                    clinic=clinic_rows[index // DOCTORS_PER_CLINIC],
                    user=profile.user,
                    member_role="doctor",
                    department=profile.specialty.title(),
                    joined_at=dt.date(2026, 1, 1),
                    added_by=owner,
                )
                for index, profile in enumerate(profiles)
            ),
            batch_size=BATCH,
        )
        DoctorAvailability.objects.bulk_create(
            (
                DoctorAvailability(
                    doctor=profile,
                    clinic=clinic_rows[index // DOCTORS_PER_CLINIC],
                    day_of_week=day,
                    start_time=start,
                    end_time=end,
                    slot_duration_minutes=15,
                    max_patients=capacity,
                )
                for index, profile in enumerate(profiles)
                for day in range(6)
                for start, end, capacity in (
                    (dt.time(9), dt.time(13), 16),
                    (dt.time(17), dt.time(20), 10),
                )
            ),
            batch_size=BATCH,
        )
        patient_users = _users("920", patients, RoleId.PATIENT, password)
        # What the slot date adds (about a third of every morning, the day doctor's whole
        # morning) counts towards the total; the rest is history.
        on_slot_date = len(profiles) * len(MORNING) // 3 + len(MORNING)
        _seed_history(
            rng,
            profiles,
            clinic_rows,
            patient_users,
            count=max(0, appointments - on_slot_date),
        )


def _seed_history(
    rng: random.Random, profiles: list[Any], clinics: list[Any], patients: list[Any], *, count: int
) -> None:
    """Past appointments: the busy patient's 92 (8 of them future, still active), then random
    doctors, patients (never the busy one), days and times; finished statuses only, so no
    partial unique constraint can refuse a row."""
    from appointments.models import Appointment

    today = dt.date.today()
    times = MORNING + EVENING
    finished = ["completed"] * 6 + ["cancelled", "no_show"]

    def row(patient: Any, index: int, date: dt.date, moment: dt.time, status: str) -> Any:
        profile = profiles[index]
        return Appointment(
            patient=patient,
            # bulk_create skips save(): the self profile, whose id is the account's
            patient_profile_id=patient.pk,
            doctor=profile,
            clinic=clinics[index // DOCTORS_PER_CLINIC],
            appointment_date=date,
            appointment_time=moment,
            status=status,
            fee_charged=profile.first_visit_fee,
            notes="bench history",
        )

    busy = patients[0]
    rows = []
    for k in range(BUSY_PATIENT_APPOINTMENTS):
        future = k >= BUSY_PATIENT_APPOINTMENTS - 8
        date = today + dt.timedelta(days=30 + k) if future else today - dt.timedelta(days=k + 1)
        status = "confirmed" if future else rng.choice(finished)
        rows.append(row(busy, (k * 37 + 1) % len(profiles), date, times[k % len(times)], status))
    for _ in range(max(0, count - BUSY_PATIENT_APPOINTMENTS)):
        rows.append(
            row(
                patients[rng.randrange(1, len(patients))],
                rng.randrange(1, len(profiles)),
                today - dt.timedelta(days=rng.randint(1, 150)),
                rng.choice(times),
                rng.choice(finished),
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=BATCH)


def _book_slot_date(slot_date: dt.date) -> None:
    """A third of every bench doctor's morning on `slot_date`, the day doctor's whole morning
    (idempotent: skipped when the date already has its bench rows)."""
    from appointments.models import Appointment
    from clinic.models import ClinicMember
    from doctors.models import DoctorProfile
    from users.models import User

    if Appointment.objects.filter(appointment_date=slot_date, notes="bench").exists():
        return
    patients = list(
        User.objects.filter(contact__startswith="+91920")
        .exclude(contact="+919200000000")  # the busy patient keeps exactly 92
        .order_by("contact")
        .values_list("id", flat=True)
    )
    doctors = list(
        DoctorProfile.objects.filter(user__contact__startswith="+91810")
        .order_by("user__contact")
        .values("id", "user_id", "first_visit_fee")
    )
    clinic_of = dict(
        ClinicMember.objects.filter(
            user__contact__startswith="+91810", status="active"
        ).values_list("user_id", "clinic_id")
    )
    rows = []
    for index, doctor in enumerate(doctors):
        for slot, moment in enumerate(MORNING):
            if index and (slot + index) % 3:
                continue
            rows.append(
                Appointment(
                    patient_id=patients[(index * 7 + slot) % len(patients)],
                    patient_profile_id=patients[(index * 7 + slot) % len(patients)],
                    doctor_id=doctor["id"],
                    clinic_id=clinic_of[doctor["user_id"]],
                    appointment_date=slot_date,
                    appointment_time=moment,
                    status="confirmed" if slot % 2 else "pending",
                    fee_charged=doctor["first_visit_fee"],
                    notes="bench",
                )
            )
    Appointment.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _rehash_if_outdated() -> None:
    """Seeded hashes follow the hasher of the day: after a change of its parameters every
    bench user gets the current hash at once (else the login bench would time the upgrade)."""
    from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

    from users.models import User

    sample = User.objects.filter(contact="+919200000000").values_list("password", flat=True)
    stored = sample.first()
    if stored is None:
        return
    hasher = identify_hasher(stored)
    if hasher.algorithm == get_hasher().algorithm and not hasher.must_update(stored):
        return
    User.objects.filter(contact__regex=r"^\+91(700|810|920)").update(
        password=make_password(PASSWORD)
    )
    print("bench users re-hashed with the current password hasher")


def _load_network(slot_date: dt.date, scale: int) -> Network:
    from appointments.models import Appointment
    from clinic.models import Clinic
    from doctors.models import DoctorProfile
    from users.models import User

    return Network(
        clinic_ids=list(
            Clinic.objects.filter(slug__startswith="bench-clinic-")
            .order_by("slug")
            .values_list("id", flat=True)
        ),
        doctor_ids=list(
            DoctorProfile.objects.filter(user__contact__startswith="+91810")
            .order_by("user__contact")
            .values_list("id", flat=True)
        ),
        patient_ids=list(
            User.objects.filter(contact__startswith="+91920")
            .order_by("contact")
            .values_list("id", flat=True)
        ),
        slot_date=slot_date,
        scale=scale,
        appointments=Appointment.objects.count(),
    )
