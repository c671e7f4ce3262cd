"""The appointment lists' payloads built from one `.values()` query into plain dicts (and the
patient's and doctor's read of one appointment, with its history, the same way).

Why: DRF's field-by-field serialization of model instances was most of the cost of the
authenticated lists (issue 16, target 2). Measured on this 2-core machine with
`python -m bench.run --only lists --seconds 5` (PostgreSQL, bench network, gunicorn 2 sync
workers, server CPU per request, two runs each, the limit app 0.73-0.96 ms):
`GET /api/appointments/my/` (a patient with 92, page of 20) 16.3 / 12.5 -> 7.0 / 5.6 ms,
`GET /api/appointments/doctor/?date=` (16 that day) 16.1 / 13.7 -> 7.3 / 6.4 ms; in-process
(`python -m bench.profile`) 17.0 -> 11.3 ms and 19.5 -> 7.1 ms. The profile before: ORM model
instances 25-28 %, DRF fields 14-16 %, libphonenumber 5 %; after, DRF fields 0 %, the payload
building here about 0.3 ms a page, and what is left is the ORM building the `.values()`
statement (about 1 ms: `values()` joins and compiles), the database round trips, the JWT and
the framework. The COUNT runs on the plain queryset (no joins) and the holder's contact is
read as its stored E.164 text, not parsed per row by the model field.

The output serializers in `appointments/serializers.py` stay the schema (drf-spectacular)
and the reference: `appointments/tests/test_rows.py` renders a varied set of appointments
through both and asserts identical JSON bytes, for every list and page. Each rule below
mirrors the DRF field that the serializer uses for that key:

- UUIDs as `str` (hex, dashed), dates `isoformat()`, `appointment_time` as `HH:MM`;
- datetimes in the current time zone (UTC inside the API, `core/api_timezone.py`), ISO 8601
  with `+00:00` written `Z`, null for a missing one (DRF's `DateTimeField`);
- `starts_at` with the clinic's offset (`Appointment.starts_at`), `timezone` the clinic's;
- `fee_charged` as the decimal string with two places (DRF's `DecimalField`);
- `contact` through `core.fields.contact_as_int`, `age` through `users.models.profile_age`.
"""

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db.models import CharField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatusChange
from core.exceptions import NotFound
from core.fields import contact_as_int
from core.roles import RoleId
from users.models import profile_age

Kind = Literal["base", "patient", "doctor"]
DetailKind = Literal["base", "doctor"]

_COLUMNS: tuple[str, ...] = (
    "id",
    "doctor_id",
    "doctor__user_id",
    "doctor__user__name",
    "doctor__specialty",
    "clinic_id",
    "clinic__name",
    "clinic__city",
    "clinic__timezone",
    "patient_id",
    "patient_profile_id",
    "patient_profile__name",
    "patient_profile__gender",
    "patient_profile__date_of_birth",
    "patient_profile__stated_age",
    "appointment_date",
    "appointment_time",
    "appointment_type",
    "mode",
    "status",
    "fee_charged",
    "notes",
    "doctor_notes",
    "cancellation_reason",
    "is_paid",
    "created_at",
    "updated_at",
    "source",
    "token",
    "queue_state",
    "arrived_at",
    "called_at",
    "started_at",
    "finished_at",
    "rescheduled_from_id",
    "rescheduled_to_id",
)

# DRF's DecimalField(max_digits=10, decimal_places=2): quantize in a context of 10 digits.
_CENTS = decimal.Decimal("0.01")
_FEE_CONTEXT = decimal.Context(prec=10)
_ZONES: dict[str, ZoneInfo] = {}


def appointment_values(queryset: QuerySet[Appointment]) -> QuerySet[Any]:
    """The queryset (filters and order kept) as the rows `appointment_payloads` reads: one
    statement with the doctor, their account, the clinic, the holder and the profile. The
    holder's contact is read as its stored text (E.164): the model field would parse every
    number with libphonenumber first."""
    contact = ExpressionWrapper(F("patient__contact"), output_field=CharField())
    return queryset.values(*_COLUMNS, patient__contact_text=contact)


class AppointmentRows:
    """A queryset as Django's `Paginator` pages it: counted without the joins (the plain
    queryset's COUNT), each page read by `appointment_values` as payloads of `kind`."""

    def __init__(self, queryset: QuerySet[Appointment], *, kind: Kind) -> None:
        self.queryset = queryset
        self.kind = kind

    def count(self) -> int:
        return self.queryset.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return appointment_payloads(appointment_values(self.queryset)[index], kind=self.kind)


def _zone(name: str) -> ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    return zone


def datetime_text(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    if not value:
        return None
    # DRF's enforce_timezone (USE_TZ: the database gives aware values)
    local = value.astimezone(zone) if timezone.is_aware(value) else timezone.make_aware(value, zone)
    text = local.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _payload(row: dict[str, Any], kind: Kind, zone: dt.tzinfo) -> dict[str, Any]:
    date: dt.date = row["appointment_date"]
    time: dt.time = row["appointment_time"]
    clinic_zone = row["clinic__timezone"]
    token = row["token"]
    payload: dict[str, Any] = {
        "id": row["id"],
        "doctor": {
            "id": row["doctor_id"],
            "user": {"id": str(row["doctor__user_id"]), "name": row["doctor__user__name"]},
            "specialty": row["doctor__specialty"],
        },
        "clinic": {
            "id": str(row["clinic_id"]),
            "name": row["clinic__name"],
            "city": row["clinic__city"],
        },
        "patient": {
            "id": str(row["patient_id"]),
            "name": row["patient_profile__name"],
            "contact": contact_as_int(row["patient__contact_text"]),
            "gender": row["patient_profile__gender"],
            "age": profile_age(
                row["patient_profile__date_of_birth"], row["patient_profile__stated_age"]
            ),
        },
        "appointment_date": date.isoformat(),
        "appointment_time": time.strftime("%H:%M"),
        "starts_at": dt.datetime.combine(date, time, tzinfo=_zone(clinic_zone)).isoformat(
            timespec="seconds"
        ),
        "timezone": clinic_zone,
        "appointment_type": row["appointment_type"],
        "mode": row["mode"],
        "status": row["status"],
        "fee_charged": f"{row['fee_charged'].quantize(_CENTS, context=_FEE_CONTEXT):f}",
        "notes": row["notes"],
        "cancellation_reason": row["cancellation_reason"],
        "is_paid": bool(row["is_paid"]),
        "created_at": datetime_text(row["created_at"], zone),
        "updated_at": datetime_text(row["updated_at"], zone),
        "source": row["source"],
        "token": None if token is None else int(token),
        "queue_state": row["queue_state"],
        "arrived_at": datetime_text(row["arrived_at"], zone),
        "called_at": datetime_text(row["called_at"], zone),
        "started_at": datetime_text(row["started_at"], zone),
        "finished_at": datetime_text(row["finished_at"], zone),
        "rescheduled_from": row["rescheduled_from_id"],
        "rescheduled_to": row["rescheduled_to_id"],
    }
    if kind == "patient":
        payload["patient_profile"] = {
            "id": str(row["patient_profile_id"]),
            "name": row["patient_profile__name"],
        }
    elif kind == "doctor":
        payload["doctor_notes"] = row["doctor_notes"]
    return payload


def appointment_payloads(rows: Iterable[dict[str, Any]], *, kind: Kind) -> list[dict[str, Any]]:
    """The JSON-ready dicts of `appointment_values` rows: `PatientAppointmentOutputSerializer`
    ("patient"), `DoctorAppointmentOutputSerializer` ("doctor") or `AppointmentOutputSerializer`
    ("base", the clinic dashboard), key for key and type for type."""
    zone = timezone.get_current_timezone()
    return [_payload(row, kind, zone) for row in rows]


_HISTORY_COLUMNS = (
    "actor_id",
    "actor__name",
    "actor__role_id",
    "from_status",
    "to_status",
    "reason",
    "changed_at",
)


def _history(row: dict[str, Any], zone: dt.tzinfo) -> dict[str, Any]:
    actor = row["actor_id"]
    return {
        "actor": None
        if actor is None
        else {
            "id": str(actor),
            "name": row["actor__name"],
            "role": RoleId(row["actor__role_id"]).api_name,
        },
        "from_status": row["from_status"] or None,
        "to_status": row["to_status"],
        "reason": row["reason"],
        "changed_at": datetime_text(row["changed_at"], zone),
    }


def appointment_detail_payload(
    queryset: QuerySet[Appointment], *, kind: DetailKind
) -> dict[str, Any]:
    """The one appointment of a scoped queryset (404 if none) with its `history`, as
    `AppointmentDetailOutputSerializer` ("base") or `DoctorAppointmentDetailOutputSerializer`
    ("doctor") renders it: two statements, the row and its status changes."""
    row = appointment_values(queryset).first()
    if row is None:
        raise NotFound("Appointment not found.")
    zone = timezone.get_current_timezone()
    payload = _payload(row, kind, zone)
    changes = AppointmentStatusChange.objects.filter(appointment_id=row["id"])
    payload["history"] = [_history(change, zone) for change in changes.values(*_HISTORY_COLUMNS)]
    return payload


def _row_of(appointment: Appointment) -> dict[str, Any]:
    """The `appointment_values` row of an appointment held with its doctor (and their
    account), clinic, holder and profile loaded."""
    doctor, clinic, profile = appointment.doctor, appointment.clinic, appointment.patient_profile
    row = {column: getattr(appointment, column) for column in _OWN_COLUMNS}
    row |= {
        "doctor__user_id": doctor.user_id,
        "doctor__user__name": doctor.user.name,
        "doctor__specialty": doctor.specialty,
        "clinic__name": clinic.name,
        "clinic__city": clinic.city,
        "clinic__timezone": clinic.timezone,
        "patient_profile__name": profile.name,
        "patient_profile__gender": profile.gender,
        "patient_profile__date_of_birth": profile.date_of_birth,
        "patient_profile__stated_age": profile.stated_age,
        "patient__contact_text": appointment.patient.contact,
    }
    return row


_OWN_COLUMNS = tuple(column for column in _COLUMNS if "__" not in column)


def appointment_written_payload(
    appointment: Appointment, *, history: Iterable[AppointmentStatusChange], kind: DetailKind
) -> dict[str, Any]:
    """`appointment_detail_payload` of an appointment the caller has just written and still
    holds (with its doctor and their account, clinic, holder and profile) and its whole
    history, without reading them back: a booking answers with what it wrote (issue 16: the
    re-read with its joins and the history's statement were two of a booking's statements and
    about a quarter of its CPU). `tests/test_booking.py` pins it byte for byte to the read."""
    zone = timezone.get_current_timezone()
    payload = _payload(_row_of(appointment), kind, zone)
    payload["history"] = [
        _history(
            {
                "actor_id": change.actor_id,
                "actor__name": change.actor.name if change.actor is not None else None,
                "actor__role_id": change.actor.role_id if change.actor is not None else None,
                "from_status": change.from_status,
                "to_status": change.to_status,
                "reason": change.reason,
                "changed_at": change.changed_at,
            },
            zone,
        )
        for change in history
    ]
    return payload
