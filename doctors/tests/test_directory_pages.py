"""The public doctor list's pages (doctors.directory): keyset after a served page, the total
counted once per filter set and directory version, and the same headers as ever."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from doctors import public_queries
from doctors.directory import directory_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.RESPONSE_CACHE_ENABLED = False  # these tests watch the statements of a page


@pytest.fixture
def seven(make_doctor):
    # Two doctors share a name: the id breaks the tie, across a page boundary too.
    names = ["Dr. A", "Dr. B", "Dr. C", "Dr. C", "Dr. D", "Dr. E", "Dr. F"]
    return [make_doctor(name=name, specialty="ent") for name in names]


def sql_of(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [query["sql"] for query in queries]


def test_pages_are_the_same_by_keyset_and_by_offset(seven):
    by_offset = [
        public_queries.doctor_public_page(filters={}, limit=3, offset=offset)
        for offset in (0, 3, 6)
    ]
    walked = [directory_page(filters={}, limit=3, offset=offset)[0] for offset in (0, 3, 6)]
    assert walked == by_offset
    assert [row["id"] for page in walked for row in page] == [doctor.pk for doctor in seven]


def test_the_next_page_starts_after_the_last_one_and_the_total_is_counted_once(seven):
    (_, total), first = sql_of(lambda: directory_page(filters={}, limit=3, offset=0))
    assert total == 7
    assert len(first) == 2  # the page, and the count
    (rows, total), second = sql_of(lambda: directory_page(filters={}, limit=3, offset=3))
    assert total == 7
    assert len(second) == 1  # the page only: the total is cached
    assert "OFFSET" in second[0]
    assert "u.name >=" in second[0]  # keyset: after page 1's last row
    assert [row["id"] for row in rows] == [doctor.pk for doctor in seven[3:6]]


def test_a_last_page_knows_its_total_without_counting(seven):
    (rows, total), statements = sql_of(lambda: directory_page(filters={}, limit=5, offset=5))
    assert (len(rows), total) == (2, 7)
    assert len(statements) == 1
    (_, total), statements = sql_of(lambda: directory_page(filters={}, limit=20, offset=0))
    assert total == 7
    assert len(statements) == 1


def test_a_directory_change_recounts_and_forgets_the_boundaries(seven, make_doctor):
    directory_page(filters={}, limit=3, offset=0)
    make_doctor(name="Dr. Aa", specialty="ent")  # sorts into page 1
    (rows, total), statements = sql_of(lambda: directory_page(filters={}, limit=3, offset=3))
    assert total == 8
    assert "u.name >=" not in statements[0]  # the old boundary belongs to the old version
    assert [row["user_name"] for row in rows] == ["Dr. C", "Dr. C", "Dr. D"]


def test_filters_have_their_own_totals(seven, make_doctor):
    make_doctor(name="Dr. G", specialty="neurology")
    assert directory_page(filters={}, limit=2, offset=0)[1] == 8
    assert directory_page(filters={"specialty": "ent"}, limit=2, offset=0)[1] == 7
    assert directory_page(filters={"specialty": "neurology"}, limit=2, offset=0)[1] == 1


def test_the_headers_stay_exact_across_pages(seven):
    client = APIClient()
    first = client.get("/api/doctors/", {"page_size": 3})
    assert first["X-Total-Count"] == "7"
    assert 'rel="next"' in first["Link"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/doctors/", {"page_size": 3, "page": 2})
    assert len(queries) == 1
    assert second["X-Total-Count"] == "7"
    assert 'rel="next"' in second["Link"]
    assert 'rel="prev"' in second["Link"]
    last = client.get("/api/doctors/", {"page_size": 3, "page": 3})
    assert last["X-Total-Count"] == "7"
    assert 'rel="next"' not in last["Link"]
    assert [row["user"]["name"] for row in last.json()] == ["Dr. F"]
    assert client.get("/api/doctors/", {"page_size": 3, "page": 4}).status_code == 404
