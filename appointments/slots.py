"""The slot engine's inputs, gathered where the appointments are, and the engine run on them.

Every input of `doctors.slot_engine.compute_slots` is read here: the clinic, the doctor's
windows and leave (one hand-written statement), the taken times (`selectors`) and the times
waitlist offers hold (`waitlist.selectors`). Apps depend
one way (appointments -> doctors), so nothing has to be registered for taken times to count:
the slot listing and the booking check both call `doctor_free_slots*` below.

A booking reads all it needs of the day in that one statement (`doctor_booking_day`): the
taken times, the cap's rows, the profile's own offer and its audit chain head join the slot
inputs (issue 16: each was a statement of its own, composed by the ORM; together with the
booking's lock statement that took a booking from 22 statements to 10). Reads of apps above
ride in it too (`core.riders`: the outbox's preferences of the booking's two accounts).
"""

import datetime as dt
import functools
import string
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from appointments.models import ACTIVE_STATUSES, Appointment
from appointments.selectors import doctor_taken_times
from appointments.waitlist.models import WaitlistEntry, WaitlistStatus
from audit.services import CHAIN_HEAD_SQL
from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
from clinic.rules import clinic_now
from clinic.selectors import (
    DOCTOR_ACTIVE_MEMBERSHIP_PARAMS,
    DOCTOR_ACTIVE_MEMBERSHIP_SQL,
    clinic_get_visible,
)
from core.error_codes import ErrorCode
from core.exceptions import NotFound
from core.riders import Carried, riders
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from doctors.selectors import doctor_exists
from doctors.slot_engine import (
    NOT_PRACTISING_AT_CLINIC,
    SlotQuery,
    SlotResult,
    Window,
    compute_slots,
)
from users.models import PatientProfile, User

_TARGET, _OWN, _CLINIC, _LEAVE, _HELD, _TAKEN, _ACTIVE, _OWN_HOLD, _CHAIN, _RIDER = range(10)

# Hand-written because it runs on every slot listing and booking: composing it with the ORM
# costs many times its execution. One statement: the clinic (`target`, at most one row), the
# doctor's active windows there (every weekday: an empty set means "fall back"), the clinic's
# slots for the weekday, any leave covering the date there or at all clinics, and the times
# live waitlist offers hold for anyone but the person being booked (a hold belongs to its
# entry's patient profile, not to the account holding it: a parent cannot spend one child's
# hold on another child). Portable
# (SQLite, PostgreSQL); table names come from model metadata, every value is a bound parameter.
_SLOT_INPUTS_SQL = string.Template(
    "WITH target AS ($target)"
    " SELECT 0, NULL, 0, NULL, NULL, 0, 0, t.id, t.timezone, CAST(NULL AS DATE) FROM target t"
    " UNION ALL"
    " SELECT 1, a.id, a.day_of_week, a.start_time, a.end_time, a.slot_duration_minutes,"
    " a.max_patients, NULL, NULL, NULL FROM $availability a JOIN target t ON a.clinic_id = t.id"
    " WHERE a.doctor_id = %s AND a.is_active"
    " UNION ALL"
    " SELECT 2, s.id, s.day_of_week, s.start_time, s.end_time, s.slot_duration_minutes,"
    " s.max_appointments, NULL, NULL, NULL FROM $clinic_slots s JOIN target t ON s.clinic_id = t.id"
    " WHERE s.day_of_week = %s AND s.is_active"
    " UNION ALL"
    " SELECT 3, l.id, 0, NULL, NULL, 0, 0, NULL, NULL, NULL FROM $leave l"
    " JOIN target t ON l.clinic_id IS NULL OR l.clinic_id = t.id"
    " WHERE l.doctor_id = %s AND l.start_date <= %s AND l.end_date >= %s"
    " UNION ALL"
    " SELECT 4, h.id, 0, h.offered_time, NULL, 0, 0, NULL, NULL, NULL FROM $hold h"
    " WHERE h.doctor_id = %s AND h.date = %s AND h.status = %s AND h.offer_expires_at > %s"
    " $holder_filter"
    "$booking"
)
# A booking's further inputs, in the same statement (it runs under the doctor's row lock):
# the doctor's taken times that day, the profile's active appointments with the doctor that
# may still lie ahead (the anti-hoarding cap, with each one's clinic zone), whether the
# profile holds an offer on the very slot (then the booking closes it), and the head of the
# profile's audit chain (`audit.services.CHAIN_HEAD_SQL`: the booking's lock statement took
# the chain's lock, so this later statement reads the head the append will extend).
_BOOKING_SQL = (
    " UNION ALL"
    " SELECT 5, NULL, 0, x.appointment_time, NULL, 0, 0, NULL, NULL, NULL FROM $appointment x"
    " WHERE x.doctor_id = %s AND x.appointment_date = %s AND x.status IN (%s, %s)"
    " AND NOT x.overbooked"
    " UNION ALL"
    " SELECT 6, NULL, 0, y.appointment_time, NULL, 0, 0, NULL, yc.timezone, y.appointment_date"
    " FROM $appointment y JOIN $clinic yc ON yc.id = y.clinic_id"
    " WHERE y.patient_profile_id = %s AND y.doctor_id = %s AND y.status IN (%s, %s)"
    " AND y.appointment_date >= %s $exclude_filter"
    " UNION ALL"
    " SELECT 7, o.id, 0, NULL, NULL, 0, 0, NULL, NULL, NULL FROM $hold o"
    " WHERE o.doctor_id = %s AND o.date = %s AND o.offered_time = %s"
    " AND o.patient_profile_id = %s AND o.status = %s"
    " UNION ALL"
    " SELECT 8, hd.seq, 0, NULL, NULL, 0, 0, NULL, hd.hash, NULL FROM ($chain_head) hd"
)
# The given clinic, whatever the doctor's membership (the booking path has checked it).
_GIVEN_CLINIC = "SELECT id, timezone FROM $clinic WHERE id = %s"
# The doctor's active clinic (clinic.selectors.doctor_active_membership, in SQL): the given
# one, or theirs.
_MEMBER_CLINIC = (
    "SELECT c.id, c.timezone FROM $clinic c"
    " JOIN $member m ON m.clinic_id = c.id"
    " JOIN $user u ON u.id = m.user_id"
    " JOIN $profile p ON p.user_id = u.id"
    " WHERE p.id = %s AND $doctor_active_membership"
    " $clinic_filter ORDER BY m.joined_at, m.created_at LIMIT 1"
)


# The reads of apps above riding in the booking's day statement (`core.riders`: the outbox's
# preferences of the patient's and the doctor's accounts), a row per payload: the rider's
# index, its text.
_RIDER_SQL = string.Template(
    " UNION ALL SELECT $kind, NULL, $index, NULL, NULL, 0, 0, NULL, r.payload, NULL FROM ($sql) r"
)


def _riders_sql(accounts: int) -> str:
    return "".join(
        _RIDER_SQL.substitute(kind=_RIDER, index=index, sql=rider.sql(accounts))
        for index, (_, rider) in enumerate(riders())
    )


@functools.cache
def _slot_inputs_sql(
    target: str, with_clinic: bool, with_holder: bool = False, booking: str = "", extra: str = ""
) -> str:
    """The statement for the target clinic; `booking` is "", or the booking's branches with
    ("exclude") or without ("plain") an appointment left out of the cap; `extra`, the riders'
    branches (`_riders_sql`)."""
    tables = {
        "clinic": Clinic._meta.db_table,
        "member": ClinicMember._meta.db_table,
        "user": User._meta.db_table,
        "profile": DoctorProfile._meta.db_table,
        "availability": DoctorAvailability._meta.db_table,
        "clinic_slots": ClinicTimeSlot._meta.db_table,
        "leave": DoctorLeave._meta.db_table,
        "hold": WaitlistEntry._meta.db_table,
        "holder_filter": "AND h.patient_profile_id <> %s" if with_holder else "",
        "clinic_filter": "AND c.id = %s" if with_clinic else "",
        "doctor_active_membership": DOCTOR_ACTIVE_MEMBERSHIP_SQL,
        "appointment": Appointment._meta.db_table,
        "exclude_filter": "AND y.id <> %s" if booking == "exclude" else "",
        "chain_head": CHAIN_HEAD_SQL,
    }
    target_sql = string.Template(target).substitute(tables)
    booking_sql = string.Template(_BOOKING_SQL).substitute(tables) if booking else ""
    return _SLOT_INPUTS_SQL.substitute(tables, target=target_sql, booking=booking_sql + extra)


@dataclass(frozen=True)
class SlotInputs:
    clinic_id: uuid.UUID
    timezone: str
    windows: list[Window]
    on_leave: bool
    held: tuple[dt.time, ...] = ()


def _time(value: Any) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def _rows(
    sql: str,
    target_params: list[Any],
    doctor_id: int,
    date: dt.date,
    now: dt.datetime | None = None,
    holder_profile_id: Any = None,
    booking_params: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    day = connection.ops.adapt_datefield_value(date)
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
    params = [*target_params, doctor_id, date.weekday(), doctor_id, day, day]
    params += [doctor_id, day, WaitlistStatus.OFFERED.value, moment]
    if holder_profile_id is not None:
        params.append(PatientProfile._meta.pk.get_db_prep_value(holder_profile_id, connection))
    params += booking_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _gather(
    sql: str,
    target_params: list[Any],
    doctor_id: int,
    date: dt.date,
    now: dt.datetime | None = None,
    holder_profile_id: Any = None,
) -> SlotInputs | None:
    rows = _rows(sql, target_params, doctor_id, date, now, holder_profile_id)
    return _inputs(rows, date)


def _inputs(rows: list[tuple[Any, ...]], date: dt.date) -> SlotInputs | None:
    target = next((row for row in rows if row[0] == _TARGET), None)
    if target is None:
        return None
    kinds = {row[0] for row in rows}
    source = _OWN if _OWN in kinds else _CLINIC
    label = "availability" if source == _OWN else "clinic_slot"
    windows = [
        Window(
            start=_time(start),
            end=_time(end),
            duration_minutes=minutes,
            capacity=capacity,
            source=f"{label}:{pk}",
        )
        for kind, pk, weekday, start, end, minutes, capacity, *_ in rows
        if kind == source and weekday == date.weekday()
    ]
    windows.sort(key=lambda window: (window.start, window.source))
    clinic_id = target[7] if isinstance(target[7], uuid.UUID) else uuid.UUID(str(target[7]))
    held = tuple(_time(row[3]) for row in rows if row[0] == _HELD)
    return SlotInputs(clinic_id, target[8], windows, on_leave=_LEAVE in kinds, held=held)


def _compute(
    inputs: SlotInputs,
    *,
    doctor_id: int,
    date: dt.date,
    now: dt.datetime | None,
    taken: set[dt.time] | None = None,
) -> SlotResult:
    if taken is None:
        taken = set(doctor_taken_times(doctor_id=doctor_id, date=date))
    query = SlotQuery(
        date=date,
        windows=inputs.windows,
        taken=taken,
        held=set(inputs.held),
        on_leave=inputs.on_leave,
        now=clinic_now(inputs.timezone, now),
        horizon_days=settings.BOOKING_HORIZON_DAYS,
    )
    return compute_slots(query)


def doctor_free_slots(
    *,
    doctor_id: int,
    clinic: Clinic,
    date: dt.date,
    now: dt.datetime | None = None,
    holder_profile_id: Any = None,
) -> SlotResult:
    """Free times for the doctor at the clinic on the clinic-local date.

    Windows are the doctor's active availability at the clinic; if the doctor has none there
    on any day, the clinic's own time slots. Leave counts when it is at this clinic or at all
    clinics. Two queries: the inputs above, and the taken times. A time a waitlist offer holds
    is hidden (`held`) from everyone but `holder_profile_id`, the patient profile it is held
    for (booking passes the profile it books for, so the hold is usable only when its holder
    account books for that very person).
    """
    clinic_param = Clinic._meta.pk.get_db_prep_value(clinic.pk, connection)
    sql = _slot_inputs_sql(_GIVEN_CLINIC, False, holder_profile_id is not None)
    inputs = _gather(sql, [clinic_param], doctor_id, date, now, holder_profile_id)
    if inputs is None:  # the clinic row is gone: nothing to offer
        inputs = SlotInputs(clinic.pk, clinic.timezone, [], on_leave=False)
    return _compute(inputs, doctor_id=doctor_id, date=date, now=now)


@dataclass(frozen=True)
class BookingDay:
    """What a booking reads of the doctor's day, in one statement (`doctor_booking_day`)."""

    slots: SlotResult
    # The profile's active appointments with the doctor dated from `earliest` on: (date,
    # time, clinic zone) each, for the cap (`appointments.services`).
    active: list[tuple[dt.date, dt.time, str]]
    holds_slot: bool  # an offer of the slot is the profile's (the booking closes it)
    chain_head: tuple[int, str] | None  # the profile's audit chain: (seq, hash) of its last
    # The riders' rows (`core.riders`) read for the booking's accounts, by rider name.
    carried: dict[str, Carried] = field(default_factory=dict)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def doctor_booking_day(
    *,
    doctor_id: int,
    clinic: Clinic,
    date: dt.date,
    moment: dt.time,
    now: dt.datetime,
    profile_id: Any,
    earliest: dt.date,
    exclude_id: int | None = None,
    accounts: Sequence[Any] = (),
) -> BookingDay:
    """`doctor_free_slots` for `profile_id`, with the taken times, the profile's active
    appointments with the doctor from `earliest` on (but `exclude_id`) and its own offers on
    `moment`, all in the one statement (the booking runs it under the doctor's row lock: a
    statement of its own for each cost a round trip and an ORM compilation, issue 16), and the
    riders' reads (`core.riders`) for `accounts`."""
    ops, pk = connection.ops, PatientProfile._meta.pk
    profile = pk.get_db_prep_value(profile_id, connection)
    day, active = ops.adapt_datefield_value(date), [status.value for status in ACTIVE_STATUSES]
    params: list[Any] = [doctor_id, day, *active]
    params += [profile, doctor_id, *active, ops.adapt_datefield_value(earliest)]
    if exclude_id is not None:
        params.append(exclude_id)
    params += [doctor_id, day, ops.adapt_timefield_value(moment), profile]
    params += [WaitlistStatus.OFFERED.value, profile]
    registered = riders() if accounts else []
    for _, rider in registered:
        params += rider.params(accounts)
    booking = "plain" if exclude_id is None else "exclude"
    extra = _riders_sql(len(accounts)) if accounts else ""
    sql = _slot_inputs_sql(_GIVEN_CLINIC, False, True, booking, extra)
    clinic_param = Clinic._meta.pk.get_db_prep_value(clinic.pk, connection)
    rows = _rows(sql, [clinic_param], doctor_id, date, now, profile_id, params)
    inputs = _inputs(rows, date) or SlotInputs(clinic.pk, clinic.timezone, [], on_leave=False)
    taken = {_time(row[3]) for row in rows if row[0] == _TAKEN}
    slots = _compute(inputs, doctor_id=doctor_id, date=date, now=now, taken=taken)
    booked = [(_date(row[9]), _time(row[3]), row[8]) for row in rows if row[0] == _ACTIVE]
    head = next(((int(row[1]), row[8]) for row in rows if row[0] == _CHAIN), None)
    holds_slot = any(row[0] == _OWN_HOLD for row in rows)
    read_for = frozenset(accounts)
    carried = {
        name: Carried(read_for, [row[8] for row in rows if row[0] == _RIDER and row[2] == index])
        for index, (name, _) in enumerate(registered)
    }
    return BookingDay(slots, booked, holds_slot=holds_slot, chain_head=head, carried=carried)


def _member_clinic_inputs(
    *, doctor_id: int, clinic_id: uuid.UUID | None, date: dt.date, now: dt.datetime | None
) -> SlotInputs | None:
    params: list[Any] = [doctor_id, *DOCTOR_ACTIVE_MEMBERSHIP_PARAMS]
    if clinic_id is not None:
        params.append(Clinic._meta.pk.get_db_prep_value(clinic_id, connection))
    sql = _slot_inputs_sql(_MEMBER_CLINIC, clinic_id is not None)
    return _gather(sql, params, doctor_id, date, now)


def doctor_free_slots_at_member_clinic(
    *,
    doctor_id: int,
    clinic_id: uuid.UUID | None,
    date: dt.date,
    now: dt.datetime | None = None,
) -> tuple[uuid.UUID, SlotResult] | None:
    """`doctor_free_slots` at the doctor's active clinic (only if it is `clinic_id`, when
    given), found in the same query; None when there is no such clinic."""
    inputs = _member_clinic_inputs(doctor_id=doctor_id, clinic_id=clinic_id, date=date, now=now)
    if inputs is None:
        return None
    return inputs.clinic_id, _compute(inputs, doctor_id=doctor_id, date=date, now=now)


def listing_changes_at(
    result: SlotResult,
    *,
    date: dt.date,
    timezone: str,
    now: dt.datetime | None = None,
    holds_end: dt.datetime | None = None,
) -> dt.datetime:
    """When the listing computed at `now` may next change by the clock alone: the clinic's
    next midnight (the date may become past, the horizon moves), or sooner, on the date
    itself, the next candidate time (it becomes past when the clock reaches it), or the end
    of the first waitlist hold to run out (`holds_end`: its slot shows again)."""
    local_now = clinic_now(timezone, now)
    zone = local_now.tzinfo
    changes = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time(), zone)
    if date == local_now.date():
        wall = local_now.time().replace(tzinfo=None)
        upcoming = [moment for moment in result.window_of if moment > wall]
        if upcoming:
            changes = min(changes, dt.datetime.combine(date, min(upcoming), zone))
    if holds_end is not None:
        changes = min(changes, holds_end)
    return changes


def _first_hold_end(*, doctor_id: int, date: dt.date, now: dt.datetime | None) -> dt.datetime:
    """When the first live hold of the doctor's day runs out (asked only when one is shown)."""
    ends: dt.datetime | None = WaitlistEntry.objects.filter(
        doctor_id=doctor_id,
        date=date,
        status=WaitlistStatus.OFFERED,
        offer_expires_at__gt=now or timezone.now(),
    ).aggregate(first=Min("offer_expires_at"))["first"]
    return ends or (now or timezone.now())


@dataclass(frozen=True)
class SlotListing:
    result: SlotResult
    reason: str | None = None
    # When the clock alone may change it (`listing_changes_at`); None: only writes can.
    changes_at: dt.datetime | None = None


def doctor_slot_listing(
    *,
    doctor_id: int,
    clinic_id: uuid.UUID | None,
    date: dt.date,
    now: dt.datetime | None = None,
) -> SlotListing:
    """The public slot listing: the doctor's free times at the clinic (their active one when
    none is given). A clinic the doctor does not practise at is a fact about their schedule,
    not a missing resource: no times, and the reason. Unknown doctors and clinics (a closed
    clinic included) are 404, as is a doctor with no active clinic when none is given."""
    inputs = _member_clinic_inputs(doctor_id=doctor_id, clinic_id=clinic_id, date=date, now=now)
    if inputs is not None:
        result = _compute(inputs, doctor_id=doctor_id, date=date, now=now)
        holds_end = (
            _first_hold_end(doctor_id=doctor_id, date=date, now=now) if inputs.held else None
        )
        changes_at = listing_changes_at(
            result, date=date, timezone=inputs.timezone, now=now, holds_end=holds_end
        )
        return SlotListing(result, changes_at=changes_at)
    if not doctor_exists(doctor_id=doctor_id):
        raise NotFound("Doctor not found.", code=ErrorCode.DOCTOR_NOT_FOUND)
    if clinic_id is None:
        raise NotFound(
            "This doctor is not available at any clinic.", code=ErrorCode.DOCTOR_NOT_AT_CLINIC
        )
    clinic_get_visible(user=None, clinic_id=clinic_id)  # 404 clinic_not_found
    return SlotListing(SlotResult(), reason=NOT_PRACTISING_AT_CLINIC)
