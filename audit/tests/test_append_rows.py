"""The append's own shortcuts give what Django's general paths give: the positional rows, the
memoised address preparation, and the access log's versions (moved after commit only when the
append is its own transaction)."""

import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import _new_row, record
from audit.verify import verify_chain
from core.insert_batch import prepared
from core.response_cache import access_log_key, cache_versions

FIELDS = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


def _values(**overrides):
    return {
        "patient_id": uuid.uuid4(),
        "seq": 7,
        "occurred_at": timezone.now(),
        "category": "access",
        "action": "file_link",
        "actor_id": uuid.uuid4(),
        "document_id": uuid.uuid4(),
        "detail": "list",
        "ip_address": "10.1.2.3",
        "user_agent": "okhttp/4.12",
        "emergency": False,
        "data": {"purpose": "care"},
        "prev_hash": "0" * 64,
    } | overrides


@pytest.mark.parametrize(
    "overrides",
    [{}, {"actor_id": None, "document_id": None, "ip_address": None, "data": {}}],
)
def test_a_positional_row_is_the_keyword_row(overrides):
    values = _values(**overrides)
    mine, theirs = _new_row(**values), AuditEvent(**values)
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(mine, field.attname) == getattr(theirs, field.attname), field.attname
    assert mine._state.adding
    assert mine.pk is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["10.1.2.3", "2001:db8::1", "2001:0db8:0000::0001", "::ffff:10.1.2.3", "", None]
)
def test_a_prepared_address_is_the_fields_own_preparation_every_time(address):
    row = _new_row(**_values(ip_address=address))
    field = AuditEvent._meta.get_field("ip_address")
    expected = field.get_db_prep_save(address, connection)
    for _ in range(2):  # the second from the memo
        got = prepared(row, FIELDS)[FIELDS.index(field)]
        assert type(got) is type(expected)
        assert got == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_append_of_its_own_moves_the_access_log_once_after_commit(patient, version_writes):
    key = access_log_key(patient.pk)
    (before,) = cache_versions([key])
    record(patient_id=patient.pk, category="access", action="view")
    assert version_writes == [[key]]
    assert cache_versions([key]) != (before,)
    assert verify_chain(patient.pk).valid


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_the_access_log_moves_at_once_and_after_commit(
    patient, version_writes
):
    key = access_log_key(patient.pk)
    (before,) = cache_versions([key])
    with transaction.atomic():
        record(patient_id=patient.pk, category="access", action="view")
        (during,) = cache_versions([key])
        assert during != before  # a read later in this transaction is not served stale
    assert version_writes == [[key], [key]]
    assert cache_versions([key]) != (during,)
