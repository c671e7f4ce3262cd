"""On PostgreSQL: concurrent appends to one chain queue on its advisory lock, no fork."""

import uuid

import pytest
from django.db import connection

from audit.services import chain_lock_expression, lock_key, record
from audit.verify import verify_chain
from core.testing import race

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.postgres
@RACE
def test_sixteen_concurrent_appends_give_one_valid_chain(patient):
    calls = [
        lambda i=i: record(patient_id=patient.pk, category="access", action="view", detail=str(i))
        for i in range(16)
    ]
    rows = race(calls)
    assert sorted(row.seq for row in rows) == list(range(1, 17))
    report = verify_chain(patient.pk)
    assert (report.valid, report.events) == (True, 16)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "patient_id",
    [
        uuid.UUID("1fd2a3b8-d80f-4265-8902-89ae699de7fa"),
        uuid.UUID("ffffffff-0000-4265-8902-000000000001"),  # a negative key
        uuid.UUID(int=0),
    ],
)
def test_the_sql_chain_lock_takes_the_key_of_lock_key(patient_id):
    """`chain_lock_expression` (booking takes the chain lock in its doctor-lock statement)
    computes `lock_key` in SQL: the same advisory lock, or two appends could interleave."""
    expression = chain_lock_expression("%s::uuid")
    assert expression is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}", [str(patient_id)])
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        keys = [row[0] for row in cursor.fetchall()]
    expected = lock_key(patient_id)
    assert [key - (1 << 64) if key >= (1 << 63) else key for key in keys] == [expected]
