"""The document list's rows read by one `.values()` page and built into plain dicts.

Why: the list built three model instances per document (the document, its holder account
and its uploader, each account parsing its phone number with libphonenumber, although the
answer shows neither number) and serialised them field by field through DRF. Measured
in-process with `python -m bench.profile --documents` (PostgreSQL, the bench network, a page
of 20, 200 requests): the patient's list 15.9 -> 11.1 ms per request (CPU 13.7 -> 9.2 ms),
the doctor's 19.8 -> 16.6 ms (CPU 17.2 -> 13.6 ms, 6 -> 5 statements).

`DocumentOutputSerializer` stays the schema and the reference: `tests/test_rows.py` renders
varied documents through both and asserts identical JSON bytes. **A new field in
`DocumentOutputSerializer` must be added here too**: that test fails until it is.

For a doctor each row also says whether the doctor reaches its patient by break-glass right
now (`emergency`, by `documents.policies.emergency_patient_ids` itself), so the list's
access events are marked without a statement of their own.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.utils import timezone

from appointments.rows import datetime_text
from core.response_cache import cached_value
from core.roles import role_word
from documents.models import MedicalDocument
from documents.policies import emergency_patient_ids

_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "document_type",
    "description",
    "content_type",
    "size_bytes",
    "appointment_id",
    "patient_id",
    "patient_profile_id",
    "patient_profile__name",
    "uploaded_by_id",
    "uploaded_by__name",
    "uploaded_by__role_id",
    "uploaded_by_role",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class ListedDocument:
    """What the access log records of a listed document."""

    pk: uuid.UUID
    patient_profile_id: uuid.UUID


class DocumentRows:
    """A queryset as DRF's paginator pages it: counted without the joins, each page one
    `.values()` statement (with the break-glass flag for a doctor: `doctor_user`).

    `count_versions`: the data versions the total depends on, where it depends on nothing
    else (a patient's own documents: their account's version and `RECORDS`); the COUNT is
    then kept under its SQL and those versions (`core.response_cache.cached_value`) and a
    page costs one statement, not two. A doctor's total also moves with the clock (consents
    and break-glass expire), so it is counted every time."""

    def __init__(
        self,
        queryset: QuerySet[MedicalDocument],
        *,
        doctor_user: Any = None,
        now: dt.datetime | None = None,
        count_versions: Sequence[str] = (),
    ) -> None:
        self.queryset = queryset
        self.doctor_user = doctor_user
        self.now = now or timezone.now()
        self.count_versions = count_versions

    def count(self) -> int:
        counted = self.queryset.order_by()
        if not self.count_versions:
            return counted.count()
        try:
            # Keyed by the statement listing the counted keys: the count's FROM and WHERE,
            # without select_related's joins and columns (compiled in 0.09 ms, not 0.44).
            sql, params = counted.select_related(None).values("pk").query.sql_with_params()
        except EmptyResultSet:  # e.g. `pk__in=[]`: nothing to count
            return 0
        return int(
            cached_value("document-count", [sql, params], self.count_versions, counted.count)
        )

    def __len__(self) -> int:
        return self.count()

    def _values(self) -> QuerySet[Any]:
        if self.doctor_user is None:
            emergency: Any = Value(False)
        else:
            reached = emergency_patient_ids(user=self.doctor_user, now=self.now)
            emergency = Exists(reached.filter(patient_profile_id=OuterRef("patient_profile_id")))
        return self.queryset.values(*_COLUMNS, emergency=emergency)

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return list(self._values()[index])


def listed(rows: Iterable[dict[str, Any]]) -> list[ListedDocument]:
    return [ListedDocument(row["id"], row["patient_profile_id"]) for row in rows]


def emergency_patients(rows: Iterable[dict[str, Any]]) -> set[uuid.UUID]:
    return {row["patient_profile_id"] for row in rows if row["emergency"]}


def document_payloads(
    rows: Iterable[dict[str, Any]], *, links: dict[uuid.UUID, str]
) -> list[dict[str, Any]]:
    """`DocumentOutputSerializer`'s dicts of the rows, key for key and type for type."""
    zone = timezone.get_current_timezone()
    return [
        {
            "id": str(row["id"]),
            "title": row["title"],
            "document_type": row["document_type"],
            "description": row["description"],
            "file": links.get(row["id"]),
            "content_type": row["content_type"],
            "size_bytes": row["size_bytes"],
            "appointment": row["appointment_id"],
            "patient": str(row["patient_id"]),
            "patient_name": row["patient_profile__name"],
            "uploaded_by": (
                None
                if row["uploaded_by_id"] is None
                else {
                    "id": str(row["uploaded_by_id"]),
                    "name": row["uploaded_by__name"],
                    "role": role_word(row["uploaded_by__role_id"]),
                }
            ),
            "uploaded_by_role": row["uploaded_by_role"],
            "created_at": datetime_text(row["created_at"], zone),
        }
        for row in rows
    ]
