"""The benchmark's medical records: documents, consents and the access log (bench/seed.py
calls `seed_documents` after the network exists; split out to keep seed.py short).

The busy patient gets `BUSY_PATIENT_DOCUMENTS` (30) documents, 23 consent requests on them
(the day doctor holds 11 active grants and one lapsed one, three other doctors hold grants,
pending, rejected and revoked requests) and an access log of `BUSY_PATIENT_ACCESS_EVENTS`
(100) events on the patient's audit chain (the 30 uploads, then views, file links and
downloads by the patient and the doctors, and a refused attempt). The day doctor also holds
active grants on `DAY_DOCTOR_OTHER_SHARES` (9) documents of other patients, so their
`GET /api/documents/` is one full page of 20. Background per unit of `scale`: one document
for each of 2,000 other patients, each with an upload event and a consent request to a random
doctor in a random state, so the tables the lists filter are not the busy patient's alone.

Rows are `bulk_create`d with ids from the seeded generator (deterministic); `created_at` is
spread over the past with one `bulk_update` (`auto_now_add` overrides it on insert). The
access events go through `audit.services.audit_append`, the chain's only writer, so the
chains verify. Only metadata: the file names point into the documents storage but no file is
written (the lists never open one; a download bench would have to store them).

Idempotent: skipped when the busy patient already has bench documents (description
`SEED_MARK`), so a database seeded before this module existed is extended on its next run.
"""

import datetime as dt
import random
import uuid
from typing import Any

BUSY_PATIENT_DOCUMENTS = 30
BUSY_PATIENT_ACCESS_EVENTS = 100
DAY_DOCTOR_OTHER_SHARES = 9
BACKGROUND_DOCUMENTS_PER_SCALE = 2000
SEED_MARK = "bench records"
BATCH = 5000
# Each patient of an append takes one advisory lock until its commit: PostgreSQL's lock table
# (max_locks_per_transaction x connections) holds a few thousand, so the background chains
# (20,000 at --scale 10) go in transactions of this many events, after the seed's own.
AUDIT_BATCH = 1000
DOCUMENT_TYPES = [
    "lab_report", "prescription", "imaging", "discharge_summary", "insurance", "other"
]  # fmt: skip
TITLES = ["Blood test", "Prescription", "Chest X-ray", "Discharge summary", "Policy", "Note"]
PDF_SIZE = 64


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def seed_documents(*, scale: int, busy_patient_id: Any, doctor_ids: list[int]) -> bool:
    """Seed once (True) or find the records already there (False)."""
    from django.db import transaction

    from documents.models import MedicalDocument

    if MedicalDocument.objects.filter(patient_id=busy_patient_id, description=SEED_MARK).exists():
        return False
    rng = random.Random(20261201)
    with transaction.atomic():
        busy_docs = _busy_documents(rng, busy_patient_id)
        others = _background_documents(rng, scale, busy_patient_id)
        _consents(rng, busy_docs, others, doctor_ids)
        background = _access_log(rng, busy_patient_id, busy_docs, others, doctor_ids)
    from audit.services import audit_append

    for start in range(0, len(background), AUDIT_BATCH):  # each batch its own transaction
        audit_append(background[start : start + AUDIT_BATCH])
    return True


def _document(rng: random.Random, patient_id: Any, index: int, **extra: Any) -> Any:
    from documents.models import MedicalDocument

    doc_id = _uuid(rng)
    return MedicalDocument(
        id=doc_id,
        patient_id=patient_id,
        patient_profile_id=patient_id,  # the self profile: its id is the account's
        uploaded_by_id=extra.pop("uploaded_by_id", patient_id),
        uploaded_by_role=extra.pop("uploaded_by_role", "patient"),
        title=f"{TITLES[index % len(TITLES)]} {index + 1}",
        document_type=DOCUMENT_TYPES[index % len(DOCUMENT_TYPES)],
        description=SEED_MARK,
        file=f"documents/bench/{doc_id.hex}.pdf",
        content_type="application/pdf",
        size_bytes=PDF_SIZE + index,
        **extra,
    )


def _spread_created_at(rows: list[Any], days: int) -> None:
    from documents.models import MedicalDocument

    now = dt.datetime.now(dt.UTC)
    for index, row in enumerate(rows):
        row.created_at = now - dt.timedelta(days=(index * days) // max(1, len(rows)), hours=index)
    MedicalDocument.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)


def _busy_documents(rng: random.Random, patient_id: Any) -> list[Any]:
    """Every third one attached to one of the patient's past visits, uploaded by its doctor."""
    from appointments.models import Appointment
    from documents.models import MedicalDocument

    visits = list(
        Appointment.objects.filter(patient_id=patient_id, status="completed")
        .order_by("-appointment_date", "id")
        .values_list("id", "doctor__user_id")[: BUSY_PATIENT_DOCUMENTS // 3]
    )
    rows = []
    for index in range(BUSY_PATIENT_DOCUMENTS):
        extra: dict[str, Any] = {}
        if index % 3 == 0 and index // 3 < len(visits):
            appointment_id, doctor_user_id = visits[index // 3]
            extra = {
                "appointment_id": appointment_id,
                "uploaded_by_id": doctor_user_id,
                "uploaded_by_role": "doctor",
            }
        rows.append(_document(rng, patient_id, index, **extra))
    rows = MedicalDocument.objects.bulk_create(rows, batch_size=BATCH)
    _spread_created_at(rows, days=365)
    return rows


def _background_documents(rng: random.Random, scale: int, busy_patient_id: Any) -> list[Any]:
    from documents.models import MedicalDocument
    from users.models import User

    patients = list(
        User.objects.filter(contact__startswith="+91920")
        .exclude(pk=busy_patient_id)
        .order_by("contact")
        .values_list("id", flat=True)
    )
    count = BACKGROUND_DOCUMENTS_PER_SCALE * scale
    rows = [_document(rng, patients[index % len(patients)], index) for index in range(count)]
    rows = MedicalDocument.objects.bulk_create(rows, batch_size=BATCH)
    _spread_created_at(rows, days=150)
    return rows


def _consent(document: Any, doctor_id: int, status: str, rng: random.Random, **extra: Any) -> Any:
    from documents.models import DocumentConsent

    now = dt.datetime.now(dt.UTC)
    decided = status != "pending"
    granted = status in ("granted", "revoked")
    return DocumentConsent(
        id=_uuid(rng),
        document=document,
        doctor_id=doctor_id,
        purpose="CAREMGT",
        purpose_code="CAREMGT",
        status=status,
        hi_types=["DiagnosticReport", "Prescription"],
        actioned_at=now - dt.timedelta(days=1) if decided else None,
        artefact_issued_at=now - dt.timedelta(days=1) if granted else None,
        revoked_at=now - dt.timedelta(hours=2) if status == "revoked" else None,
        **extra,
    )


def _consents(
    rng: random.Random, busy: list[Any], others: list[Any], doctor_ids: list[int]
) -> None:
    from documents.models import DocumentConsent

    now = dt.datetime.now(dt.UTC)
    day, first, second, third = doctor_ids[:4]
    later, lapsed = now + dt.timedelta(days=90), now - dt.timedelta(days=1)
    rows = [
        # The day doctor: 11 active grants (5 with an end), one lapsed ("expired").
        *(_consent(busy[i], day, "granted", rng, expires_at=later if i < 5 else None)
          for i in range(11)),
        _consent(busy[11], day, "granted", rng, expires_at=lapsed),
        *(_consent(busy[i], first, "granted", rng) for i in range(12, 16)),
        *(_consent(busy[i], first, "pending", rng) for i in (16, 17)),
        _consent(busy[18], second, "rejected", rng),
        _consent(busy[19], second, "revoked", rng),
        _consent(busy[20], second, "granted", rng),
        *(_consent(busy[i], third, "pending", rng) for i in (21, 22)),
        *(_consent(others[i], day, "granted", rng) for i in range(DAY_DOCTOR_OTHER_SHARES)),
    ]  # fmt: skip
    states = ["granted", "granted", "pending", "rejected", "revoked"]
    for document in others[DAY_DOCTOR_OTHER_SHARES:]:
        rows.append(_consent(document, rng.choice(doctor_ids[1:]), rng.choice(states), rng))
    rows = DocumentConsent.objects.bulk_create(rows, batch_size=BATCH)
    for index, row in enumerate(rows):
        row.created_at = now - dt.timedelta(days=2, minutes=index)
    DocumentConsent.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)


def _access_log(
    rng: random.Random, busy_id: Any, busy: list[Any], others: list[Any], doctor_ids: list[int]
) -> list[Any]:
    """The busy patient's 100 events (30 uploads, then reads by them and their doctors),
    through the chain's one writer; returns the upload event of each background document,
    for the caller to append after its transaction (AUDIT_BATCH)."""
    from audit.models import AuditCategory
    from audit.services import Event, audit_append
    from doctors.models import DoctorProfile

    doctor_users = dict(
        DoctorProfile.objects.filter(pk__in=doctor_ids[:4]).values_list("id", "user_id")
    )
    readers = [busy_id] * 3 + [doctor_users[d] for d in doctor_ids[:3]]
    actions = ["view", "file_link", "download", "list"]

    def event(document: Any, action: str, actor: Any, detail: str = "") -> Event:
        return Event(
            patient_id=document.patient_profile_id,
            category=AuditCategory.ACCESS,
            action=action,
            actor_id=actor,
            document_id=document.pk,
            detail=detail,
            ip_address=f"10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            user_agent="QuickCare/2.4 (Android 14)",
        )

    events = [event(d, "upload", d.uploaded_by_id) for d in busy]
    # Reads only of what each reader may open: a doctor's are on the first 21 (the grants).
    while len(events) < BUSY_PATIENT_ACCESS_EVENTS - 1:
        actor = rng.choice(readers)
        document = rng.choice(busy if actor == busy_id else busy[:21])
        events.append(event(document, rng.choice(actions), actor))
    events.append(event(busy[25], "denied", doctor_users[doctor_ids[3]], "view refused"))
    audit_append(events)
    return [event(d, "upload", d.uploaded_by_id) for d in others]
