"""The audit chain: one append-only table of events, one hash chain per patient.

Each row holds its event as canonical JSON (`body`), the previous row's hash and
`hash = sha256(prev_hash ‖ body)`. The columns beside `body` are the same facts, kept as
columns so the access log (a read-only model in documents over this table) and the filters can
query them; `audit.verify` checks that they still say what `body` says.

A chain belongs to a patient profile (`users.PatientProfile`): `patient` holds the profile's
id. A self profile's id is its account's id, so the column is still declared against
`settings.AUTH_USER_MODEL` (as Django's contrib apps do; `filter(patient=user)` reads a
person's own chain) but without a database constraint: a dependent's chain is keyed by an id
that is no account's. Documents are referred to by id without a foreign key too, so the app
sits low in the layering and every app above it can record events. Ids and codes only,
never names: the chain carries no personal data an erasure would have to rewrite.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditImmutable(Exception):
    """An audit row was about to be changed or deleted: nothing may do that."""


class AuditCategory(models.TextChoices):
    ACCESS = "access"  # the documents access log: list, view, file_link, download, ...
    CONSENT = "consent"
    EMERGENCY = "emergency"
    APPOINTMENT = "appointment"
    PRIVACY = "privacy"  # exports and erasure
    ADMIN = "admin"  # changes to medical data through the admin


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditImmutable("Audit events are append-only.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """`update()` and `delete()` refuse: rows are only ever inserted."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse()

    def delete(self) -> NoReturn:
        _refuse()


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row or deleting one raises, and so do
    the queryset's `update` and `delete` (`AppendOnlyQuerySet`)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditEvent(AppendOnlyModel):
    # The chain's key: a patient profile's id (see the module docstring).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        # No index of its own: the unique (patient, seq) constraint's index starts with it, and
        # every append (20 rows a documents list) would keep a second one up to date.
        db_index=False,
        related_name="audit_events",
    )
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    category = models.CharField(max_length=20, choices=AuditCategory.choices)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    document_id = models.UUIDField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    emergency = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    body = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("patient", "seq")
        constraints = [
            # A fork (two rows claiming one place in a chain) cannot be stored.
            models.UniqueConstraint(fields=["patient", "seq"], name="audit_one_event_per_seq"),
        ]
        indexes = [
            models.Index(fields=["document_id", "occurred_at"], name="audit_document_time_idx"),
            models.Index(fields=["category", "occurred_at"], name="audit_category_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}#{self.seq} {self.category}.{self.action}"


class ChainCheckpoint(AppendOnlyModel):
    """A patient's chain head, signed with the server key (Ed25519) when `audit_checkpoint` ran.

    A rewrite of a whole chain keeps every link consistent; it cannot keep the signed head."""

    patient = models.ForeignKey(  # a patient profile's id, as on AuditEvent
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="audit_checkpoints",
    )
    seq = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ("patient", "seq")
        constraints = [
            models.UniqueConstraint(fields=["patient", "seq"], name="audit_one_checkpoint_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}@{self.seq}"
