"""In a real browser: the admin shows the access log read-only; the API docs render offline."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _admin_login(page) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", "9999999999")
    page.fill("input[name=password]", "admin@123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_superuser_sees_access_log_without_any_way_to_change_it(page, superadmin, patient):
    from django.core.files.base import ContentFile

    from documents.models import MedicalDocument

    document = MedicalDocument(
        patient=patient,
        uploaded_by=patient,
        uploaded_by_role="patient",
        title="CBC report",
        document_type="lab_report",
        content_type="application/pdf",
        size_bytes=9,
    )
    document.file.save("documents/e2e/report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    from documents.tests.factories import DocumentAccessLogFactory

    entry = DocumentAccessLogFactory(
        document=document, actor=patient, action="view", ip_address="127.0.0.1"
    )
    _admin_login(page)
    assert page.locator("#user-tools").is_visible()

    page.goto("/admin/documents/documentaccesslog/")
    assert page.locator(f"#result_list a[href$='/{entry.pk}/change/']").count() == 1
    assert page.locator("#content a.addlink").count() == 0
    assert page.locator("select[name=action] option[value=delete_selected]").count() == 0

    page.goto(f"/admin/documents/documentaccesslog/{entry.pk}/change/")
    assert page.locator("text=" + entry.get_action_display()).first.is_visible()
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("a.deletelink").count() == 0
    assert page.locator("form input:not([type=hidden]), form select, form textarea").count() == 0

    response = page.goto(f"/admin/documents/documentaccesslog/{entry.pk}/delete/")
    assert response.status == 403


def test_api_docs_render_their_operations_offline(page):
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    # Swagger UI (5.33) virtualizes a document of 150 or more tags and operations: only the
    # operations in view are in the DOM. Scroll through it and collect what is laid out.
    seen: set[str] = set()
    for _ in range(400):
        paths = page.locator(".opblock .opblock-summary-path").all_inner_texts()
        seen |= {" ".join(path.split()) for path in paths}
        at_end = page.evaluate(
            "() => { window.scrollBy(0, 500); "
            "return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2; }"
        )
        page.wait_for_timeout(30)
        if at_end:
            break
    assert len(seen) >= 40, sorted(seen)
    assert "/api/appointments/my/" in seen
    page.evaluate("() => window.scrollTo(0, 0)")
    assert page.outside_requests == []

    page.goto("/api/redoc/")
    page.wait_for_selector("[data-section-id]", timeout=20_000)
    # The bundle's own "API docs by Redocly" logo is kept off by the page's img-src policy.
    assert page.outside_requests == []
