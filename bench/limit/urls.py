"""The limit app's views: one SQL statement (a clinic by slug), a constant body, and the floor
of a read that logs one access event per row it shows."""

import datetime as dt
import hashlib
import json
import uuid

from django.db import connection, transaction
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.limit import LOGGED_ROWS, LOGGED_TABLE, STAGED_TABLE

_CHAIN = uuid.UUID(int=16)  # one chain, as the bench's patient lists their own documents
_LOCK_KEY = 16
_COLUMNS = (
    "patient_id, seq, occurred_at, category, action, actor_id, document_id, detail,"
    " ip_address, user_agent, emergency, data, body, prev_hash, hash"
)
# One JSON parameter for all rows (as core.insert_batch sends them): measured in-process
# against one array parameter per column, 0.9-1.0 ms of client CPU per append against 2.2.
_INSERT = (
    f"INSERT INTO {LOGGED_TABLE} ({_COLUMNS}) SELECT * FROM jsonb_to_recordset(%s::jsonb) AS"
    " r(patient_id uuid, seq bigint, occurred_at timestamptz, category varchar, action varchar,"
    " actor_id uuid, document_id uuid, detail varchar, ip_address inet, user_agent varchar,"
    " emergency bool, data jsonb, body text, prev_hash varchar, hash varchar)"
)
_KEYS = _COLUMNS.replace(" ", "").split(",")
_HEAD = f"SELECT seq, hash FROM {LOGGED_TABLE} WHERE patient_id = %s ORDER BY seq DESC LIMIT 1"


def _clinic(slug: str) -> tuple[object, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, city FROM clinic_clinic WHERE slug = %s", [slug])
        return cursor.fetchone()


def _facts(request: Request) -> tuple[str, str | None, str]:
    """What an access event records of the request: the time, the IP and the user agent."""
    at = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    return at, request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")[:255]


class OneQueryView(APIView):
    """The floor of a read: DRF, one parameterised statement, a small JSON body."""

    def get(self, request: Request) -> Response:
        row = _clinic(request.query_params.get("slug", ""))
        if row is None:
            return Response({"detail": "not found"}, status=404)
        return Response({"id": str(row[0]), "name": row[1], "city": row[2]})


class StaticView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class LoggedReadView(APIView):
    """The floor of a read that logs every row it shows, as `GET /api/documents/` does (one
    access event per listed document, on the patient's hash chain, stored before the
    answer): the one-query read, then one transaction that takes the chain's advisory lock,
    reads its head (a statement of its own, after the lock) and appends `LOGGED_ROWS` rows in
    one INSERT, each hashed over its canonical JSON body and the previous hash, as
    `audit.services.audit_append` does. Nothing else: no authentication, no ORM, no model
    instances, no cache. What this answers per second bounds any such read on this machine.
    `rows=1` is the floor of logging one event per list instead (a product choice not made)."""

    rows = LOGGED_ROWS

    def get(self, request: Request) -> Response:
        row = _clinic(request.query_params.get("slug", ""))
        if row is None:
            return Response({"detail": "not found"}, status=404)
        at, ip, agent = _facts(request)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            cursor.execute(_HEAD, [_CHAIN])
            head = cursor.fetchone()
            seq, prev = (head[0], head[1]) if head else (0, "0" * 64)
            rows = []
            for _ in range(self.rows):
                seq += 1
                document = str(uuid.uuid4())
                fields = {
                    "v": 1,
                    "patient": str(_CHAIN),
                    "seq": seq,
                    "at": at,
                    "category": "access",
                    "action": "file_link",
                    "actor": str(_CHAIN),
                    "document": document,
                    "detail": "",
                    "ip": ip,
                    "ua": agent,
                    "emergency": False,
                    "data": {},
                }
                body = json.dumps(fields, sort_keys=True, separators=(",", ":"))
                digest = hashlib.sha256(f"{prev}{body}".encode()).hexdigest()
                values = (str(_CHAIN), seq, at, "access", "file_link", str(_CHAIN), document, "",
                          ip, agent, False, {}, body, prev, digest)  # fmt: skip
                rows.append(dict(zip(_KEYS, values, strict=True)))
                prev = digest
            cursor.execute(_INSERT, [json.dumps(rows)])
        return Response({"id": str(row[0]), "name": row[1], "city": row[2]})


_STAGED_COLUMNS = (
    "patient_id, occurred_at, category, action, actor_id, document_id, detail, ip_address,"
    " user_agent, emergency, data"
)
_STAGE = (
    f"INSERT INTO {STAGED_TABLE} ({_STAGED_COLUMNS}) SELECT * FROM jsonb_to_recordset(%s::jsonb)"
    " AS r(patient_id uuid, occurred_at timestamptz, category varchar, action varchar,"
    " actor_id uuid, document_id uuid, detail varchar, ip_address inet, user_agent varchar,"
    " emergency bool, data jsonb)"
)
_STAGED_KEYS = _STAGED_COLUMNS.replace(" ", "").split(",")


class StagedReadView(APIView):
    """The floor of the same read with its events staged instead: one INSERT (its own
    transaction, durable before the answer) of `LOGGED_ROWS` rows into a table without the
    chain's lock, seq or hashes, for a worker to chain later in batches (a design not built:
    the floor of what it would cost the read)."""

    def get(self, request: Request) -> Response:
        row = _clinic(request.query_params.get("slug", ""))
        if row is None:
            return Response({"detail": "not found"}, status=404)
        at, ip, agent = _facts(request)
        rows = [
            dict(zip(_STAGED_KEYS, (str(_CHAIN), at, "access", "file_link", str(_CHAIN),
                                    str(uuid.uuid4()), "", ip, agent, False, {}), strict=True))
            for _ in range(LOGGED_ROWS)
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_STAGE, [json.dumps(rows)])
        return Response({"id": str(row[0]), "name": row[1], "city": row[2]})


urlpatterns = [
    path("limit/query/", OneQueryView.as_view()),
    path("limit/static/", StaticView.as_view()),
    path("limit/logged/", LoggedReadView.as_view()),
    path("limit/logged-once/", LoggedReadView.as_view(rows=1)),
    path("limit/staged/", StagedReadView.as_view()),
]
