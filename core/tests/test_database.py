"""A database connection the server dropped costs no request (CONN_HEALTH_CHECKS)."""

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client

from quickcare import settings as production


def test_connection_health_checks_are_on():
    assert production.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _terminate_from_another_connection(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        # The timeout makes the call wait until the backend has really exited.
        terminated = admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert terminated == (True,)


@pytest.mark.postgres
# Like every transactional test here: the roles and content types survive the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_after_the_server_dropped_the_connection_succeeds():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # a persistent connection is reused
    client = Client(raise_request_exception=False)
    assert client.get("/api/clinics/public/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    _terminate_from_another_connection(pid)
    # What Django's handler does when a request starts (the test client skips it).
    close_old_connections()

    response = client.get("/api/clinics/public/")
    assert response.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
