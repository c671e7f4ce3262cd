"""On PostgreSQL: concurrent appends to one chain queue on its advisory lock, no fork."""

import pytest

from audit.services import record
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
