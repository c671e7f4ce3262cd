"""The desk's queue as JSON-ready dicts, without DRF's field-by-field serialization.

Why: once the queue's inputs came from the cache (selectors), `QueueOutputSerializer(...).data`
was half of the view's CPU (pyinstrument, `GET /api/appointments/queue/`, 16 entries: 1.0 of
2.1 s over 300 requests). The serializers in `serializers.py` stay the schema and the
reference: `appointments/tests/test_queue_payloads.py` renders varied queues through both and
asserts identical JSON. Each rule mirrors the DRF field the serializer declares: UUIDs as
dashed hex text, datetimes through `appointments.rows.datetime_text` (DRF's DateTimeField in
the API's UTC), the date `isoformat()`, integers `int()`, the median a float.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from appointments.rows import datetime_text

_TIMES = ("eta", "arrived_at", "called_at", "started_at", "finished_at")


def _person(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value["id"]), "name": str(value["name"])}


def queue_entry_json(entry: dict[str, Any], zone: dt.tzinfo | None = None) -> dict[str, Any]:
    """One `queue_entries` item as `QueueEntryOutputSerializer` renders it."""
    zone = zone or timezone.get_current_timezone()
    token = entry["token"]
    position = entry["position"]
    body = {
        "appointment": int(entry["appointment"]),
        "token": None if token is None else int(token),
        "queue_state": entry["queue_state"],
        "status": str(entry["status"]),
        "source": entry["source"],
        "overbooked": bool(entry["overbooked"]),
        "patient": _person(entry["patient"]),
        "patient_profile": _person(entry["patient_profile"]),
        "appointment_time": str(entry["appointment_time"]),
        "position": None if position is None else int(position),
    }
    for name in _TIMES:
        body[name] = datetime_text(entry[name], zone)
    return body


def queue_json(body: dict[str, Any]) -> dict[str, Any]:
    """The desk's queue (the view's body) as `QueueOutputSerializer` renders it."""
    zone = timezone.get_current_timezone()
    now_serving = body["now_serving"]
    return {
        "doctor": int(body["doctor"]),
        "clinic": str(body["clinic"]),
        "date": body["date"].isoformat(),
        "allow_overbooking": bool(body["allow_overbooking"]),
        "consultation_minutes": float(body["consultation_minutes"]),
        "doctor_running_late_minutes": int(body["doctor_running_late_minutes"]),
        "now_serving": None if now_serving is None else int(now_serving),
        "waiting": int(body["waiting"]),
        "entries": [queue_entry_json(entry, zone) for entry in body["entries"]],
    }
