"""The clinic's clock for slot arithmetic. The slot engine itself is `slot_engine` (pure);
its inputs are gathered, with the taken times, in `appointments.slots`."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from clinic.models import Clinic


def clinic_local_now(clinic: Clinic, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(clinic.timezone))


def clinic_local_today(clinic: Clinic, now: dt.datetime | None = None) -> dt.date:
    return clinic_local_now(clinic, now).date()
