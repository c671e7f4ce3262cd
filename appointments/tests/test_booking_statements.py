"""The statements of one booking, counted (issue 16, target 4: at most 6 is the goal; today's
count is pinned here, so a change that adds one fails and has to say why).

Today, with a token issued without a session (the `client_for` fixture), on PostgreSQL:
 1  the user of the token
 1  SAVEPOINT of the booking's atomic block (the test wraps the request in a transaction;
    served, it is BEGIN, which no count sees)
 1  the lock (`appointments/booking_lock.py`): the doctor's row FOR UPDATE, with their account,
    their active clinic and the patient profile booked for (one of the account's, or its own),
    and on PostgreSQL the audit chain's advisory lock of that profile, taken after the row lock
 1  the day (`slots.doctor_booking_day`, one UNION ALL): the slot inputs (clinic, windows,
    leave, others' holds), the taken times, the profile's active appointments with the doctor
    (the cap), the profile's own offer of the slot (the waitlist UPDATE runs only if there is
    one), the head of the profile's audit chain (read after its lock) and, riding along
    (`core.riders`), the outbox's read of the patient's and the doctor's saved notification
    preferences and push devices (notifications.services.preferences_sql)
 1  every INSERT of the booking in one statement (`core.insert_batch`, data-modifying CTEs):
    the appointment, under the id the lock statement reserved, its history row (both partial
    unique constraints check it), the outbox's rows (patient, doctor, reminders; INSERT ...
    ON CONFLICT DO NOTHING RETURNING, so the sends are enqueued by id after the commit
    without a read; with django-tasks' database backend their task rows are one more CTE of
    this statement, holding the returned ids: `notifications.task_rows`) and the audit event
    (no savepoint of its own: a failed append fails the booking)
 1  RELEASE of the booking's savepoint
= 6 (9 on SQLite: no reserved id, no batch, so the four INSERTs are sent one by one; it has
no advisory lock to take in the lock statement). Served by gunicorn (`bench.run --only
booking`) it is 4 (3 with the token's user cached): no SAVEPOINT/RELEASE, and no INSERT after
the commit (the SMS's send task row is written by the one INSERT statement; it was a statement
of its own after the commit until the CPU work of issue 16, target 4).

It was 22: the profile, the lock, the membership, the cap, the taken times and the response's
two reads were statements of their own; the outbox read devices apart and re-read its rows
after the commit; the audit append had its savepoint pair, lock and head read; the
appointment (with its history row), the outbox and the audit event were an INSERT each, and
the outbox read its recipients' preferences on its own. What is left and why it stays: the
user (the revocation check; cached after a token's first request), the lock and the day (the
day must be read after the lock, in a new statement: READ COMMITTED gives each statement its
snapshot), and the one INSERT statement (its rows need the lock's reserved id and the day's
chain head and preferences).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.tests.conftest import BOOK_URL, booking_body

pytestmark = pytest.mark.django_db

BOOKING_STATEMENTS = {"sqlite": 9, "postgresql": 6}


def test_a_booking_runs_a_known_number_of_statements(
    client_for, monday_window, patient, doctor_profile
):
    client = client_for(patient)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(BOOK_URL, booking_body(doctor_profile.pk), format="json")

    assert response.status_code == 201, response.content
    statements = [query["sql"] for query in captured]
    assert len(statements) == BOOKING_STATEMENTS[connection.vendor], "\n".join(statements)
    if connection.vendor == "postgresql":  # SQLite locks the whole database instead
        assert sum("FOR UPDATE" in sql for sql in statements) == 1  # the doctor lock
    written = "\n".join(statements)  # every row of the booking, each table once
    for table in (
        "appointments_appointment",
        "appointments_appointmentstatuschange",
        "notifications_notification",
        "audit_auditevent",
    ):
        assert written.count(f'INSERT INTO "{table}" ') == 1, table
    if connection.vendor == "postgresql":  # one statement writes them all
        assert sum("INSERT INTO" in sql for sql in statements) == 1
    preferences = [sql for sql in statements if "notifications_notificationpreference" in sql]
    assert len(preferences) == 1  # read in the day statement
    assert "appointments_appointment" in preferences[0]
