"""The hash chain: links, tampering named by verify, append-only rows, checkpoints, endpoints."""

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection

from audit.canonical import canonical, link_hash
from audit.models import GENESIS_HASH, AuditEvent, AuditImmutable, ChainCheckpoint
from audit.services import audit_checkpoint, body_of, record
from audit.verify import verify_chain

pytestmark = pytest.mark.django_db

MY_URL = "/api/audit/my/"
VERIFY_URL = "/api/audit/my/verify/"


def _append(patient, n, **extra):
    return [
        record(patient_id=patient.pk, category="access", action="view", detail=f"#{i}", **extra)
        for i in range(n)
    ]


def _raw(sql, params):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def test_each_event_links_to_the_previous_one(patient):
    first, second = _append(patient, 2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.hash == link_hash(first.hash, second.body)
    assert second.body == body_of(row=second)


def test_canonical_json_is_rfc8785():
    assert canonical({"b": 1, "a": "é", "c": [True, None]}) == '{"a":"é","b":1,"c":[true,null]}'


def test_chains_are_per_patient(patient, other_patient):
    _append(patient, 2)
    (theirs,) = _append(other_patient, 1)
    assert theirs.seq == 1
    assert theirs.prev_hash == GENESIS_HASH


def test_an_untouched_chain_verifies(patient):
    rows = _append(patient, 5)
    report = verify_chain(patient.pk)
    assert report.valid
    assert (report.events, report.head, report.first_broken) == (5, rows[-1].hash, None)


def test_an_edited_row_and_a_deleted_row_are_reported_at_the_first_broken_link(patient):
    rows = _append(patient, 8)
    _raw("UPDATE {table} SET detail = %s WHERE id = %s", ["nothing to see", rows[2].pk])
    _raw("DELETE FROM {table} WHERE id = %s", [rows[5].pk])
    report = verify_chain(patient.pk)
    assert not report.valid
    assert report.first_broken == 3
    assert report.reason == "columns do not match the stored body"


def test_a_deleted_row_alone_is_named(patient):
    rows = _append(patient, 6)
    _raw("DELETE FROM {table} WHERE id = %s", [rows[3].pk])
    report = verify_chain(patient.pk)
    assert (report.valid, report.first_broken, report.reason) == (False, 4, "missing event")


def test_a_rewritten_body_with_its_hash_is_caught_by_the_next_link(patient):
    rows = _append(patient, 4)
    row = rows[1]
    row.detail = "rewritten"
    body = body_of(row=row)
    _raw(
        "UPDATE {table} SET detail = %s, body = %s, hash = %s WHERE id = %s",
        ["rewritten", body, link_hash(row.prev_hash, body), row.pk],
    )
    report = verify_chain(patient.pk)
    assert (report.valid, report.first_broken) == (False, 3)


def test_a_whole_chain_rewrite_is_caught_by_the_signed_checkpoint(patient):
    rows = _append(patient, 4)
    assert audit_checkpoint() == 1
    prev = GENESIS_HASH
    for row in rows:  # rewrite every link consistently, as an attacker with the DB could
        row.detail = "forged"
        row.prev_hash = prev
        row.body = body_of(row=row)
        row.hash = prev = link_hash(prev, row.body)
        _raw(
            "UPDATE {table} SET detail = %s, body = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.detail, row.body, row.prev_hash, row.hash, row.pk],
        )
    report = verify_chain(patient.pk)
    assert (report.valid, report.first_broken) == (False, 4)
    assert report.reason == "chain does not reach the signed checkpoint"


def test_a_forged_checkpoint_signature_is_caught(patient):
    _append(patient, 2)
    audit_checkpoint()
    _raw(
        f"UPDATE {ChainCheckpoint._meta.db_table} SET signature = %s",
        ["A" * 88],
    )
    report = verify_chain(patient.pk)
    assert (report.valid, report.reason) == (False, "checkpoint signature is not valid")


def test_checkpoints_sign_only_heads_that_moved(patient, other_patient):
    _append(patient, 2)
    _append(other_patient, 1)
    assert audit_checkpoint() == 2
    assert audit_checkpoint() == 0
    _append(patient, 1)
    assert audit_checkpoint() == 1
    assert verify_chain(patient.pk).checkpoints == 2
    assert verify_chain(patient.pk).valid


def test_nothing_in_the_app_can_change_or_delete_an_event(patient):
    (row,) = _append(patient, 1)
    row.detail = "changed"
    with pytest.raises(AuditImmutable):
        row.save()
    with pytest.raises(AuditImmutable):
        row.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=row.pk).update(detail="changed")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.get(pk=row.pk).detail == "#0"


@pytest.mark.parametrize("model", [AuditEvent, ChainCheckpoint])
def test_the_admin_is_read_only(rf, superadmin, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = superadmin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_my_chain_is_a_bare_paginated_array_of_my_events_only(client_for, patient, other_patient):
    _append(patient, 3)
    _append(other_patient, 2)
    response = client_for(patient).get(MY_URL, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert [event["seq"] for event in body] == [3, 2]
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]
    assert set(body[0]) >= {"seq", "action", "body", "prev_hash", "hash", "emergency"}


def test_my_verify_answers_the_report(client_for, patient):
    rows = _append(patient, 3)
    body = client_for(patient).get(VERIFY_URL).json()
    assert body["valid"] is True
    assert body["events"] == 3
    assert body["head"] == rows[-1].hash
    assert body["first_broken"] is None
    assert body["public_key"]


def test_my_verify_names_the_break(client_for, patient):
    rows = _append(patient, 3)
    _raw("DELETE FROM {table} WHERE id = %s", [rows[0].pk])
    body = client_for(patient).get(VERIFY_URL).json()
    assert (body["valid"], body["first_broken"]) == (False, 1)


@pytest.mark.parametrize("persona", ["doctor", "clinic_owner"])
def test_only_patients_have_a_chain_endpoint(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(MY_URL).status_code == 403
    assert client.get(VERIFY_URL).status_code == 403


def test_anonymous_is_401(api_client):
    assert api_client.get(MY_URL).status_code == 401


def test_audit_verify_command(patient, other_patient, capsys):
    _append(patient, 2)
    rows = _append(other_patient, 2)
    call_command("audit_verify")
    assert "4 events checked, 0 broken" in capsys.readouterr().out
    _raw("DELETE FROM {table} WHERE id = %s", [rows[0].pk])
    call_command("audit_verify", "--patient", str(patient.pk))
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"BROKEN {other_patient.pk} at seq 1" in capsys.readouterr().out


def test_audit_checkpoint_command(patient, capsys):
    _append(patient, 1)
    call_command("audit_checkpoint")
    assert "1 checkpoint(s) signed" in capsys.readouterr().out
