"""Checking a chain: every link, every body against its columns, every signed checkpoint.

Reads the chain once, in seq order, in chunks (`iterator`), so memory stays flat however long
the chain. The first broken link is named by the seq where the chain stops being what it
claims: a row whose body or hash does not match, a gap (a deleted row), a row whose prev_hash
is not its predecessor's hash, or a signed checkpoint the chain no longer reaches.
"""

import uuid
from dataclasses import asdict, dataclass

from audit import signing
from audit.canonical import link_hash
from audit.models import GENESIS_HASH, AuditEvent, ChainCheckpoint
from audit.services import body_of, checkpoint_message

CHUNK = 2000


@dataclass(frozen=True)
class ChainReport:
    valid: bool
    events: int
    head: str
    first_broken: int | None
    reason: str
    checkpoints: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def verify_chain(patient_id: uuid.UUID) -> ChainReport:
    checkpoints = {
        cp.seq: cp for cp in ChainCheckpoint.objects.filter(patient_id=patient_id).order_by("seq")
    }
    prev = GENESIS_HASH
    expected = 1
    count = 0
    broken: tuple[int, str] | None = None
    hashes: dict[int, str] = {}
    for row in AuditEvent.objects.filter(patient_id=patient_id).order_by("seq").iterator(CHUNK):
        count += 1
        if broken is None:
            if row.seq != expected:
                broken = (expected, "missing event")
            elif row.prev_hash != prev:
                broken = (row.seq, "prev_hash does not match the previous event")
            elif row.body != body_of(row=row):
                broken = (row.seq, "columns do not match the stored body")
            elif row.hash != link_hash(row.prev_hash, row.body):
                broken = (row.seq, "hash does not match the body")
        if row.seq in checkpoints:
            hashes[row.seq] = row.hash
        prev = row.hash
        expected = row.seq + 1
    for seq, cp in checkpoints.items():
        message = checkpoint_message(
            patient_id=patient_id, seq=cp.seq, head=cp.head, signed_at=cp.signed_at
        )
        problem = ""
        if not signing.signature_valid(message, cp.signature):
            problem = "checkpoint signature is not valid"
        elif hashes.get(seq) != cp.head:
            problem = "chain does not reach the signed checkpoint"
        if problem and (broken is None or seq < broken[0]):
            broken = (seq, problem)
    return ChainReport(
        valid=broken is None,
        events=count,
        head=prev if count else GENESIS_HASH,
        first_broken=broken[0] if broken else None,
        reason=broken[1] if broken else "",
        checkpoints=len(checkpoints),
    )
