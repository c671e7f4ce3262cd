"""Demo doctors for `make run`: full profiles, weekly availability and one leave for the two
doctors that `seed_clinics` adds (9876500020 in Jaipur, 9876500021 in Pune). Idempotent."""

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import ClinicMember
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile

# contact -> (profile fields filled when blank, [(days, start, end, minutes, max_patients)])
DOCTORS: dict[
    str, tuple[dict[str, Any], list[tuple[range | tuple[int, ...], int, int, int, int]]]
] = {
    "+919876500020": (
        {
            "registration_number": "RJ-12345",
            "biography": "Interventional cardiologist; hypertension and heart-failure clinics.",
            "languages": "English, Hindi",
        },
        [((0, 2, 4), 9, 13, 15, 14), ((1, 3), 17, 20, 20, 9)],
    ),
    "+919876500021": (
        {
            "registration_number": "MH-67890",
            "biography": "Dermatologist: acne, eczema, psoriasis and skin allergies.",
            "languages": "English, Hindi, Marathi",
        },
        [(range(6), 10, 14, 20, 10)],
    ),
}


def _fill_profile(profile: DoctorProfile, fields: dict[str, Any]) -> None:
    blank = {name: value for name, value in fields.items() if not getattr(profile, name)}
    if blank:
        DoctorProfile.objects.filter(pk=profile.pk).update(**blank)


def _add_windows(profile: DoctorProfile, clinic_id: Any, plan: list[Any]) -> None:
    if DoctorAvailability.objects.filter(doctor=profile).exists():
        return
    DoctorAvailability.objects.bulk_create(
        DoctorAvailability(
            doctor=profile,
            clinic_id=clinic_id,
            day_of_week=day,
            start_time=dt.time(start),
            end_time=dt.time(end),
            slot_duration_minutes=minutes,
            max_patients=capacity,
        )
        for days, start, end, minutes, capacity in plan
        for day in days
    )


def seed_doctors() -> str:
    done = []
    for contact, (fields, plan) in DOCTORS.items():
        profile = DoctorProfile.objects.filter(user__contact=contact).first()
        membership = ClinicMember.objects.filter(
            user__contact=contact, member_role="doctor", status="active"
        ).first()
        if profile is None or membership is None:
            continue
        _fill_profile(profile, fields)
        _add_windows(profile, membership.clinic_id, plan)
        done.append(profile)
    if done and not DoctorLeave.objects.filter(doctor=done[-1]).exists():
        start = timezone.localdate() + dt.timedelta(days=14)
        DoctorLeave.objects.create(
            doctor=done[-1],
            start_date=start,
            end_date=start + dt.timedelta(days=2),
            reason="Dermatology conference",
        )
    if not done:
        return "no demo doctors (seed_clinics adds them)"
    return (
        f"profiles, weekly availability and a leave for doctor ids {[p.pk for p in done]} "
        "(9876500020 Jaipur Mon/Wed/Fri mornings, Tue/Thu evenings; 9876500021 Pune Mon-Sat)"
    )
