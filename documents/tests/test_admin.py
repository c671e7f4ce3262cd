"""Admin: documents, consents and the access log are read-only; no file links anywhere."""

import pytest
from django.contrib import admin
from django.urls import reverse

from documents.models import DocumentAccessLog, DocumentConsent, MedicalDocument
from documents.tests.factories import DocumentAccessLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superadmin):
    client.force_login(superadmin)
    return client


@pytest.mark.parametrize("model", [MedicalDocument, DocumentConsent, DocumentAccessLog])
def test_nothing_can_be_added_changed_or_deleted(rf, superadmin, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = superadmin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_access_log_pages_offer_no_edit_or_delete(admin_client, document, doctor):
    entry = DocumentAccessLogFactory(document=document, actor=doctor, action="download")
    changelist = admin_client.get(reverse("admin:documents_documentaccesslog_changelist"))
    assert changelist.status_code == 200
    assert b"download" in changelist.content
    assert b'name="action"' not in changelist.content  # no bulk "delete selected"
    page = admin_client.get(reverse("admin:documents_documentaccesslog_change", args=[entry.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b"/delete/" not in page.content
    delete = admin_client.post(
        reverse("admin:documents_documentaccesslog_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert DocumentAccessLog.objects.filter(pk=entry.pk).exists()
    add = admin_client.get(reverse("admin:documents_documentaccesslog_add"))
    assert add.status_code == 403


def test_document_pages_show_no_file_link(admin_client, document):
    changelist = admin_client.get(reverse("admin:documents_medicaldocument_changelist"))
    assert changelist.status_code == 200
    assert document.title.encode() in changelist.content
    assert document.file.name.encode() not in changelist.content
    page = admin_client.get(reverse("admin:documents_medicaldocument_change", args=[document.pk]))
    assert page.status_code == 200
    assert document.file.name.encode() in page.content  # shown as text
    assert f'href="{document.file.url}"'.encode() not in page.content
    assert b"/file/?token=" not in page.content


def test_consent_pages_render(admin_client, document, make_consent):
    consent = make_consent(document, status="pending")
    assert (
        admin_client.get(reverse("admin:documents_documentconsent_changelist")).status_code == 200
    )
    page = admin_client.get(reverse("admin:documents_documentconsent_change", args=[consent.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
