"""On PostgreSQL, after ANALYZE, a page of the patient's own documents joins their profile and
each uploader by primary key, on a network shaped like the bench's (50 clinics, 500 doctors,
2,000 patients). With PostgreSQL's default random_page_cost (4) the planner hash-joined full
scans of both tables instead: 1.66 ms of database time per page against 0.11 ms
(`DB_RANDOM_PAGE_COST`, quickcare/settings.py)."""

import pytest
from django.db import connection

from appointments.tests.test_query_plans import nodes, plan_of, statements
from bench import seed
from documents.tests.test_reach_plan import _reports
from users.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_patients_document_page_reads_accounts_and_profiles_by_key(client_for):
    seed._seed(clinics=50, patients=2000, appointments=0)
    patients = list(User.objects.filter(contact__startswith="+91920").order_by("contact"))
    _reports(patients[:1], each=30)  # theirs among 2,029 documents
    _reports(patients[1:], each=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    (page,) = [
        (sql, params)
        for sql, params in statements(client_for(patients[0]), "/api/documents/")
        if sql.startswith('SELECT "documents_medicaldocument"."id"')
    ]
    plan = nodes(plan_of(*page))
    scanned = {node.get("Relation Name") for node in plan if node["Node Type"] == "Seq Scan"}
    assert not scanned, scanned
    used = {node["Index Name"] for node in plan if "Index Name" in node}
    assert {"users_user_pkey", "users_patientprofile_pkey"} <= used, used
