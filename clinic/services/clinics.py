"""Clinic writes: creation (onboarding step 3), updates, soft delete, weekly windows, checklist."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from clinic.models import AdmissionDocument, Clinic, ClinicMember, ClinicTimeSlot, MemberStatus
from clinic.rules import CLINIC_EDITABLE_FIELDS, clinic_today
from clinic.windows import (
    check_window,
    day_name,
    first_overlap,
    hhmm,
    overlapping,
    window_label,
)
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState
from core.response_cache import bump_clinic_slots, bump_directory
from core.services import model_update
from users import auth_cache
from users.models import User

CLINIC_FIELDS = frozenset(CLINIC_EDITABLE_FIELDS)
SLOT_FIELDS = frozenset(
    {"day_of_week", "start_time", "end_time", "slot_duration_minutes", "max_appointments"}
)
DOCUMENT_FIELDS = frozenset({"name", "description", "is_mandatory", "display_order"})
SLUG_MAX = 200


@dataclass(frozen=True)
class SlotSpec:
    day_of_week: int
    start_time: dt.time
    end_time: dt.time
    slot_duration_minutes: int
    max_appointments: int

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> "SlotSpec":
        return cls(**{key: data[key] for key in SLOT_FIELDS})

    def check(self) -> None:
        check_window(start=self.start_time, end=self.end_time, duration=self.slot_duration_minutes)


def _only(data: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key in allowed}


def _check_no_overlap_within(specs: Sequence[SlotSpec]) -> None:
    clash = first_overlap(specs)
    if clash is not None:
        raise InvalidState(
            f"Time slots {window_label(clash[0])} and {window_label(clash[1])} overlap.",
            code=ErrorCode.TIME_SLOTS_OVERLAP,
        )


def _check_no_overlap_stored(
    *, clinic: Clinic, spec: SlotSpec, exclude_id: int | None = None
) -> None:
    overlapping_rows = ClinicTimeSlot.objects.filter(overlapping(spec), clinic=clinic)
    if exclude_id is not None:
        overlapping_rows = overlapping_rows.exclude(id=exclude_id)
    clash = overlapping_rows.order_by("start_time").first()
    if clash is not None:
        raise Conflict(
            f"This window overlaps the active {day_name(clash.day_of_week)} window "
            f"{hhmm(clash.start_time)}-{hhmm(clash.end_time)}. Windows on one day cannot overlap.",
            code=ErrorCode.TIME_SLOT_OVERLAP,
        )


def _lock_clinic(clinic: Clinic) -> None:
    # Serialises window edits of one clinic, so two overlapping windows cannot both pass the check.
    Clinic.objects.select_for_update().filter(id=clinic.id).first()


def _slug_candidates(name: str) -> Iterable[str]:
    base = slugify(name)[:SLUG_MAX].strip("-") or "clinic"
    taken = set(Clinic.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    suffix = 1
    while True:
        candidate = base if suffix == 1 else f"{base}-{suffix}"
        if candidate not in taken:
            yield candidate
        suffix += 1


def _insert_clinic(*, owner: User, fields: dict[str, Any]) -> Clinic:
    candidates = iter(_slug_candidates(fields["name"]))
    for _ in range(5):
        slug = next(candidates)
        try:
            with transaction.atomic():
                return Clinic.objects.create(owner=owner, slug=slug, **fields)
        except IntegrityError:
            # Another clinic took this slug between our check and insert: try the next one.
            if not Clinic.objects.filter(slug=slug).exists():
                raise
    raise Conflict("Could not reserve a unique slug; please retry.", code=ErrorCode.SLUG_CONFLICT)


def _mark_owner_onboarded(owner: User) -> None:
    User.objects.filter(pk=owner.pk).update(
        is_partial_onboarding=False, is_complete_onboarding=True
    )
    auth_cache.forget_user(owner.pk)  # update() sends no post_save
    owner.is_partial_onboarding = False
    owner.is_complete_onboarding = True


def clinic_create(
    *, owner: User, data: Mapping[str, Any], time_slots: Sequence[Mapping[str, Any]] = ()
) -> Clinic:
    """A clinic and its weekly windows, all or nothing. Owning a clinic completes onboarding."""
    specs = [SlotSpec.of(slot) for slot in time_slots]
    for spec in specs:
        spec.check()
    _check_no_overlap_within(specs)
    with transaction.atomic():
        clinic = _insert_clinic(owner=owner, fields=_only(data, CLINIC_FIELDS))
        ClinicTimeSlot.objects.bulk_create(
            ClinicTimeSlot(clinic=clinic, **asdict(spec)) for spec in specs
        )
        bump_clinic_slots()  # bulk_create sends no post_save
        if not owner.is_complete_onboarding:
            _mark_owner_onboarded(owner)
    return clinic


def clinic_onboarding_step3(
    *, owner: User, data: Mapping[str, Any], time_slots: Sequence[Mapping[str, Any]]
) -> Clinic:
    """Step 3 of owner registration; a second call answers 409 instead of a duplicate clinic."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=owner.pk)
        if locked.is_complete_onboarding:
            raise Conflict(
                "Your onboarding is already complete. Add more clinics with POST /api/clinics/.",
                code=ErrorCode.ONBOARDING_ALREADY_COMPLETE,
            )
        clinic = clinic_create(owner=locked, data=data, time_slots=time_slots)
    owner.is_partial_onboarding = False
    owner.is_complete_onboarding = True
    return clinic


def clinic_update(*, clinic: Clinic, data: Mapping[str, Any]) -> Clinic:
    """Edits the clinic; the slug stays (links keep working). `is_active` may restore it."""
    with transaction.atomic():
        model_update(instance=clinic, fields=CLINIC_FIELDS, data=data)
        if "is_active" in data and bool(data["is_active"]) != clinic.is_active:
            if data["is_active"]:
                Clinic.objects.filter(pk=clinic.pk).update(is_active=True)
                bump_directory()  # update() sends no post_save
                clinic.is_active = True
            else:
                clinic_deactivate(clinic=clinic)
    return clinic


def clinic_deactivate(*, clinic: Clinic) -> Clinic:
    """Soft delete: hidden publicly, and its staff are released (a doctor may join elsewhere)."""
    with transaction.atomic():
        Clinic.objects.filter(pk=clinic.pk).update(is_active=False)
        clinic.is_active = False
        ClinicMember.objects.filter(clinic=clinic, status=MemberStatus.ACTIVE).update(
            status=MemberStatus.INACTIVE, left_at=clinic_today(clinic.timezone)
        )
        bump_directory()  # the two update() calls send no post_save
    return clinic


def time_slot_create(*, clinic: Clinic, data: Mapping[str, Any]) -> ClinicTimeSlot:
    spec = SlotSpec.of(data)
    spec.check()
    with transaction.atomic():
        _lock_clinic(clinic)
        _check_no_overlap_stored(clinic=clinic, spec=spec)
        return ClinicTimeSlot.objects.create(clinic=clinic, **asdict(spec))


def time_slot_update(*, slot: ClinicTimeSlot, data: Mapping[str, Any]) -> ClinicTimeSlot:
    """PUT/PATCH of a window; turning `is_active` back on re-checks overlaps."""
    merged = {key: getattr(slot, key) for key in SLOT_FIELDS} | _only(data, SLOT_FIELDS)
    spec = SlotSpec.of(merged)
    spec.check()
    is_active = bool(data.get("is_active", slot.is_active))
    with transaction.atomic():
        _lock_clinic(slot.clinic)
        if is_active:
            _check_no_overlap_stored(clinic=slot.clinic, spec=spec, exclude_id=slot.pk)
        model_update(
            instance=slot,
            fields=[*SLOT_FIELDS, "is_active"],
            data=asdict(spec) | {"is_active": is_active},
        )
    return slot


def time_slot_deactivate(*, slot: ClinicTimeSlot) -> ClinicTimeSlot:
    if slot.is_active:
        slot.is_active = False
        slot.save(update_fields=["is_active", "updated_at"])
    return slot


def admission_document_create(*, clinic: Clinic, data: Mapping[str, Any]) -> AdmissionDocument:
    return AdmissionDocument.objects.create(clinic=clinic, **_only(data, DOCUMENT_FIELDS))


def admission_document_update(
    *, document: AdmissionDocument, data: Mapping[str, Any]
) -> AdmissionDocument:
    model_update(instance=document, fields=DOCUMENT_FIELDS, data=data)
    return document


def admission_document_delete(*, document: AdmissionDocument) -> None:
    document.delete()
